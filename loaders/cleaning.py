"""Clean extracted text while keeping a map back to it.

A `Line` is one printed line with markdown markers, page numbers, replacement characters and the
spaces PDF extraction puts between Chinese characters removed. A `Block` is a run of lines that
belong together (a wrapped paragraph, a numbered item, a heading). Both carry `offsets`: for every
character of the cleaned text, its offset in the source text, so every record keeps a source span.
They also carry `norm`, the same text for matching only: same length, punctuation full-width,
traditional characters simplified (OpenCC).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from . import patterns as P
from .departments import bracket_free_spans, split_names
from .normal import normalise
from .readers import CELL_SEP

_SPACES = " \u3000\u00a0\u2002\u2003\u2009\t"
_DROP = {"\ufffd", "\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\x0c"}
PAGE_NUMBER = re.compile(r"^(?:[-—–－─·•\s]*\d{1,3}[-—–－─·•\s]*|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?"
                         r"|\d+\s*/\s*\d+|P\.\s*\d+|Page\s*\d+(?:\s*[-–—:].*)?)$")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x3000 <= o <= 0x303F
            or 0xFF00 <= o <= 0xFFEF or 0x2460 <= o <= 0x24FF or ch in "“”‘’—…·《》〈〉")


@dataclass
class Line:
    text: str
    norm: str
    offsets: list[int]
    start: int
    end: int
    heading: int = 0            # markdown heading level, 0 if none
    page_start: bool = False    # first line of a PDF page (pdftotext marks it with a leading space)
    cells: list[str] | None = None  # a table row read from PDF/DOCX/HTML tables
    raw: str = ""
    blank_before: bool = False  # a blank line stands between this line and the one before
    cell_line: bool = False     # a cell of a table printed one cell a line
    cell_wraps: bool = False    # … that goes on from the line before (the same cell, wrapped)
    alone: bool | None = None   # stands as a block of its own (see _stands_alone), once known


@dataclass
class Block:
    text: str
    norm: str
    offsets: list[int]
    lines: list[Line] = field(default_factory=list)
    heading: int = 0

    @property
    def start(self) -> int:
        return self.lines[0].start

    @property
    def end(self) -> int:
        return self.lines[-1].end

    def span_of(self, i: int, j: int) -> tuple[int, int]:
        """Source span of cleaned characters i..j (end exclusive)."""
        if not self.offsets:
            return self.start, self.end
        i = max(0, min(i, len(self.offsets) - 1))
        j = max(i + 1, min(j, len(self.offsets)))
        return self.offsets[i], self.offsets[j - 1] + 1


_NEEDS_CLEANING = re.compile("[" + re.escape(_SPACES + "".join(_DROP) + "*|") + "]|^[#+•●▪◆■◇□○-]")


# What a line loses in cleaning: pinyin glosses a mirror inserts after characters (發(fā)), HTML
# tags and entities left in a page, runs of '|' (noise: they separate like a space); runs of spaces;
# markdown **bold** markers and invisible characters (gone without a trace).
_REMOVE = re.compile(
    rf"(?P<noise>{P.MARKUP_NOISE.pattern})|(?P<space>[{re.escape(_SPACES)}]+)"
    rf"|(?P<gone>\*\*+|[{re.escape(''.join(_DROP))}]+)")


def clean_line(raw: str, base: int) -> tuple[str, list[int], int]:
    """Cleaned text of one line, the source offset of each kept character, and its heading level."""
    if not _NEEDS_CLEANING.search(raw) and not P.MARKUP_NOISE.search(raw):
        # most lines: nothing to drop, every character kept
        return raw, list(range(base, base + len(raw))), 0
    i, n, heading = 0, len(raw), 0
    while i < n and raw[i] in _SPACES:
        i += 1
    j = i
    while j < n and raw[j] == "#":
        j += 1
    if j > i and j < n and raw[j] == " ":
        heading, i = j - i, j + 1
    elif i < n - 1 and raw[i] in "-*+" and raw[i + 1] == " ":
        i += 2  # markdown bullet
    elif i < n and raw[i] in "•●▪◆■◇□○":
        i += 1  # a page's list bullet (• 发布机构: …)
    # Pieces of the line between what is removed, found by the regex engine (a loop per character
    # was quadratic on spaced-out PDF text): ("t", text, start) kept as printed, ("s", " ", at) a
    # separator (spaces, a removed tag or gloss) that stays a space only between two ASCII words
    # (DIP 付费 -> DIP付费, 'and' stays a word).
    pieces: list[tuple[str, str, int]] = []
    pos = i
    for m in _REMOVE.finditer(raw, i):
        if m.start() > pos:
            pieces.append(("t", raw[pos:m.start()], pos))
        if m.lastgroup in ("space", "noise"):
            pieces.append(("s", " ", m.start() if m.lastgroup == "space" else m.end() - 1))
        pos = m.end()
    if pos < n:
        pieces.append(("t", raw[pos:], pos))
    out: list[str] = []
    kept: list[int] = []
    for k, (kind, piece, at) in enumerate(pieces):
        if kind == "t":
            out.append(piece)
            kept.extend(range(base + at, base + at + len(piece)))
            continue
        prev = out[-1][-1] if out else ""
        nxt = next((p[1][0] for p in pieces[k + 1:k + 3] if p[0] == "t"), "")
        if prev and nxt and prev != " " and not _is_cjk(prev) and not _is_cjk(nxt):
            out.append(" ")
            kept.append(base + at)
    text = "".join(out)
    lead = len(text) - len(text.lstrip(" "))
    text = text.strip(" ")
    return text, kept[lead:lead + len(text)], heading


def _raw_lines(source: str):
    """(start offset, text) of every printed line; a page's HTML block tags (</p>, <br/>) end a line
    as a line break does, and so does a paragraph indent a page kept inside one line (。\u2003\u2003四、…)."""
    pos = 0
    for raw in source.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        start = pos
        pos += len(raw)
        breaks = None
        if "<" in body and P.HTML_BREAK.search(body):
            breaks = P.HTML_BREAK
        elif ("\u2003" in body or "\u3000" in body) and P.INDENT_BREAK.search(body):
            breaks = P.INDENT_BREAK
        elif ("单位" in body or "部门" in body) and P.FIELD_BREAK.search(body):
            breaks = P.FIELD_BREAK
        elif len(body) >= P.FLAT_LINE_MIN and 0 < body.count(" ") * 10 < len(body) and P.FLAT_BREAK.search(body):
            breaks = P.FLAT_BREAK
        if breaks is not None:
            a = 0
            matches = breaks.finditer(body)
            if breaks is P.FIELD_BREAK:
                # only at a sentence end outside brackets: [牵头单位：A；责任单位：B] is one list
                outside = {b for _, b in bracket_free_spans(body, "。；;")}
                matches = (m for m in matches if m.start() - 1 in outside)
            for m in matches:
                yield start + a, body[a:m.end()]
                a = m.end()
            yield start + a, body[a:]
        else:
            yield start, body


def lines_of(source: str) -> list[Line]:
    out: list[Line] = []
    blank = False
    for start, body in _raw_lines(source):
        if "|" in body and _MD_RULE.match(body):
            blank = True        # a markdown table's rule line (|---|---|) or a run of '|': no text
            continue
        cells = _table_cells(body)
        if cells is not None:
            sep = CELL_SEP if CELL_SEP in body else "|"
            text, offs, _ = clean_line(body.replace(sep, " "), start)
            out.append(Line(text, normalise(text), offs, start, start + len(body),
                            cells=[clean_line(c, 0)[0] for c in cells], raw=body, blank_before=blank))
            blank = False
            continue
        text, offs, heading = clean_line(body, start)
        if not text:
            blank = True
            continue
        out.append(Line(text, normalise(text), offs, start, start + len(body), heading,
                        page_start=body.startswith(" ") and not body.startswith("  "), raw=body,
                        blank_before=blank))
        blank = False
    return _mark_cell_lines(out)


def column_role(norm: str) -> str | None:
    """What a table column holds, from its header (序号 → number, 牵头单位 → lead …)."""
    if len(norm) > 12:
        return None
    return next((role for role, rx in P.COLUMN_ROLES if rx.search(norm)), None)


def _mark_cell_lines(lines: list[Line]) -> list[Line]:
    """Lines alone that are page numbers are dropped, except in a table that lost its layout and
    prints one cell a line: a header of column names (序号 / 重点工作任务 / 主要责任单位 …) starts it,
    its row numbers stand alone on their lines, and each of its lines is a cell of its own."""
    out: list[Line] = []
    in_table = False
    table: list[Line] = []
    k = 0
    # a run of header-like lines that is no header: no run starting inside it is one either (its
    # roles are a subset, its length shorter), so it is not looked at again (that was quadratic)
    not_a_header_before = 0
    while k < len(lines):
        line = lines[k]
        if not in_table and k >= not_a_header_before and line.cells is None and column_role(line.norm):
            run = k
            while run < len(lines) and lines[run].cells is None and column_role(lines[run].norm):
                run += 1
            roles = {column_role(l.norm) for l in lines[k:run]}
            if run - k >= 3 and "number" in roles and roles & {"lead", "cooperate", "responsible"}:
                in_table = True
            else:
                not_a_header_before = run
        elif in_table and (P.ATTACHMENT.match(line.norm) or P.DATE_LINE.match(line.norm) or len(line.norm) > 400):
            in_table = False
            _cells_by_blank_lines(table)
            table = []
        if in_table:
            line.cell_line = True
            table.append(line)
        elif PAGE_NUMBER.match(line.text):
            nxt = lines[k + 1] if k + 1 < len(lines) else None
            if nxt is not None and line.text.strip().isdigit() and nxt.raw.lstrip().startswith("\ufffd"):
                # an item number a PDF set on its own line, its separator lost as U+FFFD on the
                # next: one line again, the separator read as '．' at the lost glyph's place
                lost = nxt.start + (len(nxt.raw) - len(nxt.raw.lstrip()))
                text = line.text.strip() + "．" + nxt.text
                offs = line.offsets[:len(line.text.strip())] + [lost] + nxt.offsets
                out.append(Line(text, normalise(text), offs, line.start, nxt.end, raw=line.raw + nxt.raw,
                                blank_before=line.blank_before))
                k += 2
                continue
            k += 1
            continue
        out.append(line)
        k += 1
    _cells_by_blank_lines(table)
    return out


def _cells_by_blank_lines(table: list[Line]) -> None:
    """Where blank lines stand between a flattened table's cells, a cell's own lines (a wrapped
    cell: 海绵城市 / 建设管理) are one cell; elsewhere each line is a cell."""
    if table and sum(l.blank_before for l in table) * 2 >= len(table):
        for line in table[1:]:
            line.cell_wraps = not line.blank_before


_MD_RULE = re.compile(r"^[\s|:\-]+$")


def _table_cells(body: str) -> list[str] | None:
    """The cells of a table row: tab-separated (what the readers write), or a markdown/flattened
    row between '|' (| 序号 | 任务 | 责任单位 |); None for any other line."""
    if CELL_SEP in body:
        cells = [c.strip() for c in body.split(CELL_SEP)]
    elif body.count("|") >= 3 and body.strip().startswith("|") and not _MD_RULE.match(body):
        cells = [c.strip() for c in body.strip().strip("|").split("|")]
    else:
        return None
    return cells if sum(1 for c in cells if c) >= 2 else None


def label_of(norm: str) -> tuple[str, str, str] | None:
    """(style, number, label text) when the text starts with a numbering label."""
    for style, rx in P.LABELS:
        m = rx.match(norm)
        if m:
            rest = norm[m.end():]
            if not rest.strip():
                continue
            if style == "arabic" and (rest[:1] in "%％" or rest[:1].isdigit()):
                continue
            return style, m.group(1), norm[:m.end()]
    return None


_SENTENCE_END = tuple("。！？；：）)】")


def is_signature_date(norm: str) -> bool:
    """A signature's date line (also with its signer before it), or one that lost its 年月日 (2023626)."""
    return bool(P.DATE_LINE.match(norm) or P.GARBLED_DATE_LINE.match(norm))


def is_doc_number_line(norm: str) -> bool:
    """A line that is nothing but a 文号 (the header line of an official document)."""
    m = P.DOC_NUMBER.search(norm)
    if not m:
        return False
    rest = norm[:m.start()] + norm[m.end():]
    # 蘇政發〔2024〕65號 2024-08-09: a page prints the date beside it
    return len(rest) <= 2 or bool(P.ISO_DATE.fullmatch(rest.strip()) or P.DATE.fullmatch(rest.strip()))


@lru_cache(maxsize=8192)
def is_org_list_line(norm: str, partial_last: bool = True) -> bool:
    """A line made only of body names, like a 责任单位 cell: 市卫健委、教育局、 (asked of each line
    as itself and as the previous line, hence the cache)"""
    if len(norm) > 40 or not norm:
        return False
    items = split_names(norm, trim=False)
    if not items:
        return False
    if len(items) == 1 and not P.NAME_START.match(items[0]):
        return False  # a lone word ending in 联 or 会 is not yet a body's name
    for k, item in enumerate(items):
        if P.ORG_SUFFIX.search(item) and len(item) <= 16:
            continue
        last = k == len(items) - 1 and not norm.endswith(("、", "，"))
        if last and partial_last and len(items) > 1 and len(item) <= 8:
            continue  # the name goes on in the next line: 财政局，市红十字 / 会，各县（市、区）
        return False
    return True


def is_page_furniture(norm: str) -> bool:
    """A web page's navigation: a breadcrumb (首页 > 政务公开 > 政策汇编; '>' reads 〉 once
    normalised, so it counts where more 〉 than 〈 stand) or a site menu."""
    return bool(P.PAGE_FURNITURE.search(norm)) or norm.count("〉") - norm.count("〈") >= 2


def _stands_alone(line: Line) -> bool:
    """A line that is a block of its own and ends the block before it (asked of each line as
    itself and as the line before, hence kept on the line): a red header (…文件), a 文号, a page's
    navigation or metadata line, a signature date (also one that lost its 年月日), an attachment
    mark, a whole notice title that names its issuer."""
    if line.alone is None:
        n = line.norm
        line.alone = bool(P.RED_HEADER.match(n) or is_doc_number_line(n) or P.GARBLED_DOC_NUMBER_LINE.match(n)
                          or is_page_furniture(n) or P.META_KEY.match(n) or is_signature_date(n)
                          or P.ATTACHMENT_MARK.match(n) or P.TITLE_ALONE.match(n)
                          or P.ISSUER_NOTICE_TITLE.match(n))
    return line.alone


def starts_block(line: Line, prev: Line | None, block_len: int, open_title: bool = False) -> bool:
    if prev is None or ((line.cell_line or prev.cell_line) and not line.cell_wraps):
        return True
    if line.cell_wraps:
        return False
    if line.heading or prev.heading or line.cells is not None or prev.cells is not None:
        return True
    n = line.norm
    if label_of(n) or P.DEPT_FIELD.match(n) or P.ATTACHMENT.match(n) or _stands_alone(line) or _stands_alone(prev):
        return True
    p = prev.norm
    if is_org_list_line(n) and not p.endswith(("、", "，")) and not is_org_list_line(p):
        return True
    if line.page_start and is_org_list_line(p, partial_last=False):
        return True  # a new page ends the responsibility cell above it
    if p.endswith(_SENTENCE_END) or P.NOTICE_TITLE.search(p):
        return True     # (a whole notice title, 关于…的通知, is complete: a law database prints it twice)
    # a short line ending in a document type is a title line: 《…》的通知 / …实施方案
    if P.DOC_TYPE_END.search(p) and len(p) <= 40 and block_len <= 120 and not p.endswith("、"):
        return True
    if line.blank_before and P.DOC_TYPE_END.search(p) and not open_title:
        return True     # a title line of any length, then a blank line
    return False


def _line_width(lines: list[Line]) -> int:
    """How long the file's full lines are: the median of its lines of ten characters or more (a
    PDF wraps at ~20–40, a web page prints a paragraph a line)."""
    lengths = sorted(len(l.norm) for l in lines if l.cells is None and len(l.norm) >= 10)
    return lengths[len(lengths) // 2] if lengths else 0


def _heading_ended(prev: Line | None, width: int) -> bool:
    """A numbered heading line that stops well short of the file's line width ended there: the
    next line starts its body (（一）进一步推进权力清单公开 / 对权力清单进行…), not its wrap."""
    # only where the file prints a paragraph a line: a PDF's lines (and its narrow table cells)
    # wrap anywhere, so a short line there says nothing
    return (prev is not None and width >= 45 and prev.cells is None and not prev.cell_line
            and len(prev.norm) < 0.6 * width and not prev.norm.endswith(("、", "，", "（"))
            and label_of(prev.norm) is not None)


def blocks_of(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    cur: list[Line] = []
    length = 0

    def flush():
        if cur:
            text = "".join(l.text for l in cur)
            offs = [o for l in cur for o in l.offsets]
            blocks.append(Block(text, "".join(l.norm for l in cur), offs, list(cur),
                                max(l.heading for l in cur)))

    open_titles = 0     # 《 not yet closed in the block: a wrap inside a cited title
    width = _line_width(lines)
    for line in lines:
        prev = cur[-1] if cur else None
        if starts_block(line, prev, length, open_titles > 0) or _heading_ended(prev, width):
            flush()
            cur, length, open_titles = [], 0, 0
        cur.append(line)
        length += len(line.text)
        open_titles += line.norm.count("《") - line.norm.count("》")
    flush()
    return blocks


def clean(source: str) -> list[Block]:
    """Source text -> cleaned blocks with offsets into `source`."""
    return blocks_of(lines_of(source))
