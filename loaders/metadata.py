"""A document's metadata: 文号, title, attachment title, issuer, dates, level and region."""
from __future__ import annotations

import re

from . import patterns as P
from .citations import doc_number_key, title_key
from .clean import Block, is_doc_number_line, label_of
from .models import Document, Span
from .regions import locate
from .segment import cited_titles, is_issuer_line, similar_to_title
from .targets import cn_number


def _date(m: re.Match) -> str | None:
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        year = int(y) if y.isdigit() else int("".join(str(int(cn_number(c) or 0)) for c in y.replace("○", "〇").replace("Ｏ", "〇")))
        month = int(mo) if mo.isdigit() else int(cn_number(mo))
        day = int(d) if d.isdigit() else int(cn_number(d))
    except (TypeError, ValueError):
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def metadata(blocks: list[Block], start: int, title_i: int, end: int) -> Document:
    tb = blocks[title_i]
    title = tb.text
    issuer = None
    m = re.match(r"^(.{2,40}?)关于", tb.norm)
    if m and P.ORG_SUFFIX.search(m.group(1)):
        issuer = title[:m.end(1)]
    elif title_i - 1 >= start and is_issuer_line(blocks[title_i - 1]) and tb.norm.startswith("关于"):
        issuer = blocks[title_i - 1].text
        title = issuer + title
    doc_number = None
    date = published = None
    first_label = next((i for i in range(title_i + 1, end) if label_of(blocks[i].norm)), end)
    date_i = None
    for i in range(start, min(end, max(first_label, title_i + 12))):
        n = blocks[i].norm
        if doc_number is None and is_doc_number_line(n):
            dm = P.DOC_NUMBER.search(n)
            doc_number = blocks[i].text[dm.start():dm.end()]
        if published is None:
            pm = P.PUBLISHED.search(n)
            if pm:
                published = f"{int(pm.group(1)):04d}-{int(pm.group(2)):02d}-{int(pm.group(3)):02d}"
                continue
    for i in range(title_i + 1, end):
        dm = P.DATE_LINE.match(blocks[i].norm)
        if dm:
            date = _date(P.DATE.search(blocks[i].norm))
            date_i = i
            break
    if issuer is None and date_i is not None:
        before_date = blocks[date_i].norm[:P.DATE.search(blocks[date_i].norm).start()]
        if before_date:
            issuer = blocks[date_i].text[:len(before_date)]
        elif is_issuer_line(blocks[date_i - 1]):
            issuer = blocks[date_i - 1].text
    if issuer is None:
        for i in range(start, min(end, title_i + 12)):
            if blocks[i].norm.endswith("文件") and is_issuer_line(blocks[i]):
                issuer = blocks[i].text[:-2]
    if issuer is None and title_i > start and is_issuer_line(blocks[title_i - 1]):
        issuer = blocks[title_i - 1].text
    attachment = _attachmentheading_of(blocks, title_i, end, date_i, first_label)
    loc = locate(issuer or title)
    return Document(doc_number=doc_number, doc_number_key=doc_number_key(doc_number), title=title,
                    attachment_title=attachment, issuer=issuer, date=date, published=published,
                    level=loc.level, region=loc.region, region_path=loc.path,
                    span=Span(blocks[start].start, blocks[end - 1].end))


def _attachmentheading_of(blocks, title_i, end, date_i, first_label) -> str | None:
    """The plan the notice issues: the title after a 附件 mark, else the first title-like block
    after the signature date (skipping the 文号 and '…文件' lines a PDF puts there)."""
    notice_norm = blocks[title_i].norm
    cited = cited_titles(blocks, title_i + 1, first_label)
    printed_issue = re.search(r"印发《?(.+?)》?的通知$", notice_norm)

    def title_like(n: str) -> bool:
        return len(n) <= 60 and "。" not in n and "，" not in n and not P.DATE.search(n) and (
            title_key(n) in cited or bool(P.DOC_TYPE_END.search(n))
            or bool(printed_issue and similar_to_title(notice_norm, n)))

    for i in range(title_i + 1, first_label):
        am = P.ATTACHMENT.match(blocks[i].norm)
        if am:
            if am.group(1) and title_like(am.group(1)):
                return blocks[i].text[len(blocks[i].norm) - len(am.group(1)):]
            nxt = i + 1
            if nxt < end and title_like(blocks[nxt].norm):
                return blocks[nxt].text
    if date_i is None:
        return None
    for i in range(date_i + 1, min(first_label, date_i + 6)):
        n = blocks[i].norm
        if is_doc_number_line(n) or n.endswith("文件") or re.match(r"^[（(]此件", n) or is_issuer_line(blocks[i]):
            continue
        return blocks[i].text if title_like(n) else None
    return None
