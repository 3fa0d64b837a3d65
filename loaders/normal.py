"""The normalised view every rule reads: same length as the printed text (so a match's offsets
are the printed text's), NFKC where that keeps length, punctuation full-width (（）：；，), traditional
characters simplified with OpenCC. Names and titles are always taken from the printed text."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# half-width -> full-width for matching; '.' stays (decimals), ',' only when not between digits
_PUNCT = str.maketrans({"(": "（", ")": "）", ":": "：", ";": "；", "!": "！", "?": "？",
                        "〈": "〈", "<": "〈", ">": "〉", "﹝": "〔", "﹞": "〕", "«": "《", "»": "》"})

@lru_cache(maxsize=1)
def _opencc():
    try:
        import opencc
    except ImportError:  # matching still works on simplified sources without it
        return None
    return opencc.OpenCC("t2s")


def _normal_char(ch: str) -> str:
    if ch == ",":
        return "，"          # a ',' between digits is put back by normalise
    n = unicodedata.normalize("NFKC", ch)
    if len(n) != 1 or ch in "（）：；，！？《》〔〕【】、。“”‘’—％" or 0x2460 <= ord(ch) <= 0x24FF:
        n = ch  # keep the Chinese punctuation; NFKC would make it half-width
    n = n.translate(_PUNCT)
    return "％" if n == "%" else n


class _CharTable(dict):
    """str.translate table filled on first sight of each character: the per-character rules run
    once per distinct character instead of once per character of every line."""

    def __missing__(self, code: int) -> str:
        self[code] = value = _normal_char(chr(code))
        return value


_TABLE = _CharTable()
# characters other than those _normal_char keeps as they are (Chinese characters, ASCII letters,
# digits and the punctuation no rule rewrites, circled numbers, the Chinese punctuation): only they
# are looked up, where str.translate looked up every character of every text (tests/test_patterns.py
# checks every character outside this class against _normal_char)
_CHANGED = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\u2460-\u24ff0-9A-Za-z \n\t.\-/+=*&#@_'\"·"
                      r"（）：；，！？《》〔〕【】、。“”‘’—％]")
_CJK_OR_LATER = re.compile("[\u3401-\U0010ffff]")
_CJK_FULL_STOP = re.compile(r"(?<=[\u4e00-\u9fff”）》])\.(?![\d.])")
_DIGIT_COMMA = re.compile(r"(?<=\d),(?=\d)")


def _normal_of(m: re.Match) -> str:
    return _TABLE[ord(m.group())]


def normalise(text: str) -> str:
    """Same-length matching view: NFKC where it keeps length, full-width punctuation, simplified."""
    # short texts are mostly names, headings and bracketed notes, read again and again (3,713
    # distinct among 63,222 calls on 400 benchmark documents): each is normalised once
    return _normalise_short(text) if len(text) <= 64 else _normalise(text)


def _normalise(text: str) -> str:
    s = _CHANGED.sub(_normal_of, text)
    if "," in text:
        keep = [m.start() for m in _DIGIT_COMMA.finditer(text)]
        if keep:
            chars = list(s)
            for i in keep:
                chars[i] = ","
            s = "".join(chars)
    if "." in s:
        # a PDF text layer or web copy ends Chinese sentences with '.': read it as 。 (3.5 stays)
        s = _CJK_FULL_STOP.sub("。", s)
    cc = _opencc()
    if cc is not None and _CJK_OR_LATER.search(s):
        conv = cc.convert(s)
        if len(conv) == len(s):
            s = conv
    return s


_normalise_short = lru_cache(maxsize=1 << 16)(_normalise)


_YEAR_DIGIT = str.maketrans("〇零○Ｏ一二三四五六七八九", "0000123456789")


def year_digits(text: str) -> str:
    """二〇二四年 → 2024年 (same length): a year written digit by digit, so a heading that prints it so
    compares with the title others cite. By hand: cn2an reads numerals by place value and would
    also rewrite every 一是 and 第三 of the text."""
    return re.sub(r"[〇零○Ｏ一二三四五六七八九]{4}(?=年)", lambda m: m.group(0).translate(_YEAR_DIGIT), text)
