"""Where one file holds several documents (a gazette, a page with two notices): each document's
first block, title block and end."""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from . import patterns as P
from .citations import title_key
from .cleaning import Block, is_doc_number_line, is_page_furniture, label_of


def is_toc(block: Block) -> bool:
    return bool(P.TOC_ENTRY.search(block.norm))


def is_addressee(block: Block) -> bool:
    n = block.norm
    return len(n) <= 80 and n.endswith("：") and ("各" in n or "部门" in n or "单位" in n or "政府" in n)


def is_notice_title(blocks: list[Block], i: int) -> bool:
    b = blocks[i]
    n = b.norm
    if is_toc(b) or len(n) > 150 or label_of(n) or "。" in n or P.META_KEY.search(n) or is_page_furniture(n):
        return False    # (a metadata line that holds the title as its value is not the title)
    if i > 0 and P.META_KEY.fullmatch(blocks[i - 1].norm.strip()):
        return False        # the value of a metadata table's 标题 field, printed under its key
    n = P.TITLE_TRAILING_DOC_NUMBER.sub("", n)     # …的通知（韶府〔2019〕31号）
    if n.startswith("《") and n.endswith("》") and n.count("《") == 1:
        n = n[1:-1]                                 # 《…的通知》 printed alone as the page's title
    if not (P.NOTICE_TITLE.search(n) or P.NOTICE_TYPE_END.search(n)):
        return False
    # a notice title is followed closely by its 文号 or addressee (a page's metadata lines between
    # them do not count: 发布时间：… 信息来源：…)
    seen, j = 0, i + 1
    while j < len(blocks) and seen < 3 and j <= i + 12:
        b = blocks[j]
        if is_addressee(b) or is_doc_number_line(b.norm):
            return True
        if is_toc(b):
            return False
        if not (P.META_KEY.match(b.norm) or is_page_furniture(b.norm)):
            seen += 1
        j += 1
    return False


def is_issuer_line(block: Block) -> bool:
    n = block.norm
    return (len(n) <= 30 and not re.search(r"[，。：；《]", n) and bool(P.ORG_SUFFIX.search(n))
            and not P.DATE.search(n) and "关于" not in n)


def segment(blocks: list[Block]) -> list[tuple[int, int | None, int]]:
    """(first block, title block, end block) of every document in the file. Every file with text
    is at least one document: where no notice title is found the whole file is one, its title
    block None (metadata then finds the plan's own heading or the page's metadata table)."""
    titles = [i for i in range(len(blocks)) if is_notice_title(blocks, i)]
    if not titles:
        # one document; its notice title is the first 关于…的通知 line that is not a sentence
        first = next((i for i in range(min(len(blocks), 15)) if len(blocks[i].norm) <= 150
                      and "。" not in blocks[i].norm and not P.META_KEY.match(blocks[i].norm)
                      and P.NOTICE_TITLE.search(P.TITLE_TRAILING_DOC_NUMBER.sub("", blocks[i].norm))), None)
        return [(0, first, len(blocks))] if blocks else []
    titles = [t for k, t in enumerate(titles) if k == 0 or not _repeats(blocks, titles[k - 1], t)]
    docs = []
    for k, t in enumerate(titles):
        start = t
        # the issuer heading and a 文号 printed above the title belong to the document
        for _ in range(2):
            if start - 1 >= 0 and (is_issuer_line(blocks[start - 1]) or is_doc_number_line(blocks[start - 1].norm)) \
                    and (k == 0 or start - 1 > titles[k - 1]):
                start -= 1
            else:
                break
        docs.append([start, t, len(blocks)])
    for k in range(len(docs) - 1):
        docs[k][2] = docs[k + 1][0]
    for d in docs:
        d[2] = _document_end(blocks, d[1], d[2])
    return [(d[0], d[1], d[2]) for d in docs]


def _document_end(blocks: list[Block], title: int, end: int) -> int:
    """A heading after the signature date that is neither the attachment nor a numbered section
    closes the document (a gazette's chronicle, an editorial page)."""
    seen_date = False
    after_attachment_mark = False
    cited = cited_titles(blocks, title, end)
    for i in range(title + 1, end):
        b = blocks[i]
        if P.DATE_LINE.match(b.norm):
            seen_date = True
            continue
        if P.ATTACHMENT.match(b.norm):
            after_attachment_mark = True
            continue
        if P.NOT_DOCUMENT_HEADINGS.search(b.norm) and (b.heading or len(b.norm) < 30):
            return i
        if seen_date and b.heading and not label_of(b.norm):
            if after_attachment_mark or title_key(b.norm) in cited or similar_to_title(blocks[title].norm, b.norm):
                continue
            return i
    return end


def cited_titles(blocks, a, b) -> set[str]:
    out = set()
    for i in range(a, b):
        for m in P.TITLE.finditer(blocks[i].norm):
            out.add(title_key(m.group(1)))
    return out


def similar_to_title(notice_title: str, heading: str) -> bool:
    core = re.sub(r"^.*?关于(?:印发|转发)?|的通知$", "", notice_title)
    return fuzz.ratio(title_key(core), title_key(heading)) >= 80


def head_of(blocks: list[Block], start: int) -> int:
    """Where to look for the first document's metadata: from the top of the page (a site's
    metadata table, a 文号 above the title), unless a gazette's contents stand there."""
    if any(is_toc(blocks[i]) or P.NOT_DOCUMENT_HEADINGS.search(blocks[i].norm) for i in range(start)):
        return start
    return 0


def _repeats(blocks: list[Block], earlier: int, later: int) -> bool:
    """A page that prints its notice title twice (a heading, then the red-header copy with the 文号
    glued on): the second is the same document, not a new one."""
    strip = lambda n: title_key(P.DOC_NUMBER.sub("", n))
    ratio = fuzz.ratio(strip(blocks[earlier].norm), strip(blocks[later].norm))
    return ratio == 100 or (later - earlier <= 6 and ratio >= 90)
