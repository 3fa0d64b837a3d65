"""A document's metadata: 文号, title, attachment title, issuer, dates, level and region.

Each field is found on its own, from the best evidence anywhere in the document's head: the
notice title, the 文号 line, a site's metadata table (索引号 / 发文机关 / 成文日期 / 文号), the
signature block, the plan's own heading. A field the text does not show stays None."""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from . import patterns as P
from .citations import doc_number_key, looks_like_issuer_code, title_key
from .cleaning import Block, is_doc_number_line, is_signature_date, label_of
from .models import Document, Span
from .normal import normalise
from .regions import Location, disambiguate, locate, place_from_code, places_in
from .segment import cited_titles, is_addressee, is_issuer_line, similar_to_title
from .targets import cn_number


def _iso(year: int, month: int, day: int) -> str | None:
    """YYYY-MM-DD, or None for a month or day no calendar has."""
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else None


def _cn_int(text: str) -> int:
    value = cn_number(text)
    if value is None:
        raise ValueError(f"not a number: {text}")
    return int(value)


def _date(m: re.Match) -> str | None:
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        year = int(y) if y.isdigit() else int("".join(str(int(cn_number(c) or 0)) for c in y.replace("○", "〇").replace("Ｏ", "〇")))
        month = int(mo) if mo.isdigit() else _cn_int(mo)
        day = int(d) if d.isdigit() else _cn_int(d)
    except (TypeError, ValueError):
        return None
    return _iso(year, month, day)


def _any_date(text: str) -> str | None:
    """A date written 2023年3月28日 or 2023-03-28 / 2023.03.28 (metadata fields)."""
    m = P.DATE.search(text)
    if m:
        return _date(m)
    m = P.ISO_DATE.search(text)
    return _iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


# ---------------------------------------------------------------- a site's metadata table

@dataclass
class MetaField:
    value: str          # as printed
    block: int


def meta_table(blocks: list[Block], start: int, stop: int) -> dict[str, MetaField]:
    """Fields of a page's metadata table (发文机关：… 成文日期：… 文号：…), one line a field, several
    fields on one line, or the value on the line after its key. First value of each field wins."""
    out: dict[str, MetaField] = {}
    for i in range(start, stop):
        b = blocks[i]
        keys = list(P.META_KEY.finditer(b.norm))
        if not keys or keys[0].start() > 4:
            continue
        for k, m in enumerate(keys):
            field = P.META_FIELDS.get(re.sub(r"\s", "", m.group(1)))
            a = m.end()
            z = keys[k + 1].start() if k + 1 < len(keys) else len(b.norm)
            value = b.text[a:z].strip(" |：:")
            if not value and k + 1 == len(keys) and i + 1 < stop:
                nxt = blocks[i + 1]
                if not P.META_KEY.match(nxt.norm) and len(nxt.norm) <= 80:
                    value = nxt.text.strip()
            if field and value and field not in out:
                out[field] = MetaField(value, i)
    return out


# ---------------------------------------------------------------- the title

def _title_lines(block: Block) -> str:
    """The title part of a title block: lines before it that are not title (a site's name, a
    validity note, a metadata line the page put above it) are dropped."""
    lines = block.lines
    # a heading fragment printed twice (国务院办公厅关于发展银发经济 / 国务院办公厅关于发展银发经济增进…)
    lines = [l for k, l in enumerate(lines) if not (k + 1 < len(lines) and len(l.norm) >= 4
                                                     and lines[k + 1].norm.startswith(l.norm))]
    for k, line in enumerate(lines):
        n = line.norm
        if (n.startswith(("关于", "印发", "转发")) or "关于" in n or P.ORG_SUFFIX.search(n)
                or P.DOC_TYPE_END.search(n)):
            return "".join(l.text for l in lines[k:])
    return block.text


def _split_title(text: str) -> tuple[str, str | None]:
    """A title printed with its 文号 before or after it: (title, 文号). A site's note in front of
    it (（转载）) is not part of it."""
    text = re.sub(r"\s", "", text)
    note = P.TITLE_SITE_NOTE.match(normalise(text))
    text = text[note.end():] if note else text
    norm = normalise(text)
    doubled = P.DOUBLED_HEADING.match(norm)        # 国务院办公厅关于发展银发经济 国务院办公厅关于发展…
    if doubled:
        text, norm = text[len(doubled.group(1)):], norm[len(doubled.group(1)):]
    number = None
    m = P.DOC_NUMBER_TITLE_HEAD.match(norm)
    if m and looks_like_issuer_code(m.group(2)):
        text, norm, number = text[m.end():], norm[m.end():], text[:m.end()]
    else:
        m = P.TITLE_TRAILING_DOC_NUMBER.search(norm)
        if m:
            text, norm, number = text[:m.start()], norm[:m.start()], text[m.start(1):m.end(1)]
    if norm.startswith("《") and norm.endswith("》") and norm.count("《") == 1:
        text = text[1:-1]       # a page that prints the notice's title as a citation: 《…的通知》
    return text.strip(), number


def plan_title(blocks: list[Block], start: int, stop: int) -> int | None:
    """The block that is the document's own heading where no notice surrounds it: a short line
    ending in a document type (…实施方案, …若干措施, …实施细则, …分解表)."""
    for i in range(start, stop):
        n = blocks[i].norm
        if len(n) > 80 or len(n) < 6 or label_of(n) or is_addressee(blocks[i]) or P.META_KEY.match(n):
            continue
        core = P.TITLE_SUFFIX_NOTE.sub("", n)
        if re.search(r"[。，；：！？]", core) or core.startswith(("根据", "为", "按照")):
            continue
        if P.DOC_TYPE_END.search(core.rstrip("》")):
            return i
    return None


# ---------------------------------------------------------------- issuers

def _spaced_parts(printed: str) -> list[str]:
    """The pieces of printed text between runs of spaces (how joint issuers are printed)."""
    return [x for x in re.split(r"[\s\u3000]+", printed) if x]


def _joint(printed: str) -> str:
    """Joint issuers printed with spaces between them, joined with 、 (FORMAT.md)."""
    parts = _spaced_parts(printed)
    if len(parts) > 1 and all(P.ORG_SUFFIX.search(p) for p in parts):
        return "、".join(parts)
    return re.sub(r"[\s\u3000]+", "", printed)


def _printed(block: Block, a: int, z: int, source: str) -> str:
    """The source text behind cleaned characters a..z, spaces included (to tell joint issuers)."""
    s, e = block.span_of(a, z)
    return P.MARKUP_NOISE.sub("", source[s:e]).replace("\n", " ")


def _title_issuer(block: Block, title: str, source: str) -> str | None:
    offset = block.text.rfind(title)
    if offset < 0:
        return None
    norm = block.norm[offset:]
    m = re.match(r"^(.{2,120}?)(?:关于|印发|转发)", norm)
    if not m or not P.ORG_SUFFIX.search(m.group(1)) or "《" in m.group(1):
        return None
    return _joint(_printed(block, offset, offset + m.end(1), source))


def _header_issuers(block: Block, source: str) -> tuple[int, str] | None:
    """Joint issuers printed as a header above the title, several to a line with spaces between
    them (农业农村部 最高人民法院 …): (where the title starts in the block, the issuers)."""
    names, k, spaced = [], 0, False
    for line in block.lines:
        if line.norm.startswith(("关于", "印发", "转发")):
            break
        parts = _spaced_parts(P.MARKUP_NOISE.sub(" ", source[line.start:line.end]))
        if not parts or not all(P.ORG_SUFFIX.search(normalise(x)) for x in parts):
            return None
        spaced = spaced or len(parts) > 1
        names += parts
        k += len(line.text)
    else:
        return None
    # one issuer on the line above 关于… is part of the title (海东市人民政府办公室 / 关于印发…)
    return (k, "、".join(names)) if spaced and len(names) > 1 else None


def _signature_issuer(blocks: list[Block], date_i: int, source: str) -> str | None:
    b = blocks[date_i]
    dm = P.DATE.search(b.norm)
    before_date = b.norm[:dm.start()] if dm else ""     # a garbled date (2023626) is digits alone
    if re.search(r"[\u4e00-\u9fff]", before_date):
        return _joint(_printed(b, 0, len(before_date), source))
    # the lines above the date, each one issuer or several with spaces between (联合发文)
    names: list[str] = []
    i = date_i - 1
    while i >= 0 and len(names) < 30:
        lines = blocks[i].lines
        for line in reversed(lines):
            printed = P.MARKUP_NOISE.sub(" ", source[line.start:line.end])
            parts = _spaced_parts(printed)
            norm = normalise("".join(parts))
            if not parts or re.search(r"[，。：；《]", norm) or P.DATE.search(norm) or "关于" in norm \
                    or not all(P.ORG_SUFFIX.search(normalise(x)) and len(x) <= 40 for x in parts):
                return "、".join(names) or None
            names[:0] = parts
        i -= 1
    return "、".join(names) or None


# ---------------------------------------------------------------- the document

def metadata(blocks: list[Block], start: int, title_i: int | None, end: int, source: str = "",
             head: int | None = None) -> Document:
    """`head` (≤ start) is where to look for a page's metadata table and 文号 above the document.
    Each field is found by its own function below, from the evidence it is best read from."""
    head = start if head is None else head
    scan_from = title_i + 1 if title_i is not None else start
    first_label = next((i for i in range(scan_from, end) if label_of(blocks[i].norm)), end)
    header_end = min(end, max(first_label, (title_i if title_i is not None else start) + 12))
    table = meta_table(blocks, head, header_end)

    title, doc_number, issuer = _title_and_issuer(blocks, start, title_i, end, head, table, source)
    doc_number = doc_number or _doc_number(blocks, head, header_end, table)
    date_i = signature_date_block(blocks, scan_from, end)
    date, published = _dates(blocks, head, header_end, date_i, table)
    issuer = _issuer(blocks, start, title_i, end, head, scan_from, date_i, table, title, issuer, source)

    attachment = None
    if title_i is not None:
        attachment = _attachment_title(blocks, title_i, end, date_i, first_label)
    if attachment is None:
        # no 附件 heading and no heading after a signature (a page's excerpt often ends before
        # either): the plan the body says it issues (现将《X》印发), else the one the notice's title
        # names (关于印发X的通知), as the plan's own heading prints it where the text shows it
        named = _issued_plan(blocks, head if title_i is None else scan_from, header_end) or _plan_in_title(title)
        if named:
            attachment = _printed_heading(blocks, named, scan_from, min(end, scan_from + 60)) or named
        elif title is None:
            # the notice shown without its title or its 印发 sentence: the plan's heading
            k = plan_title(blocks, head, min(end, head + 40))
            if k is not None:
                attachment = _heading_with_note(blocks, k, end, _title_lines(blocks[k]))

    publisher = table["publisher"].value if "publisher" in table else None
    loc = _location(issuer, title, attachment, doc_number, blocks, head, header_end, publisher)
    return Document(doc_number=doc_number, doc_number_key=doc_number_key(doc_number), title=title,
                    attachment_title=attachment, issuer=issuer, date=date, published=published,
                    level=loc.level, region=loc.region, region_path=loc.path,
                    span=Span(blocks[start].start, blocks[end - 1].end))


def _title_and_issuer(blocks, start, title_i, end, head, table, source):
    """(title, the 文号 printed with it, the issuer the title names): from the notice title, else
    the metadata table's 标题, else the plan's own heading."""
    title = issuer = doc_number = None
    if title_i is not None:
        tb = blocks[title_i]
        header = _header_issuers(tb, source) if source else None
        if header:
            title, doc_number = _split_title(tb.text[header[0]:])
            issuer = header[1]
        else:
            title, doc_number = _split_title(_title_lines(tb))
            issuer = _title_issuer(tb, title, source) if source else None
        if issuer is None:
            m = re.match(r"^(.{2,40}?)关于", tb.norm[len(tb.text) - len(title):])
            if m and P.ORG_SUFFIX.search(m.group(1)):
                issuer = title[:m.end(1)]
        if issuer is None and title_i - 1 >= start and is_issuer_line(blocks[title_i - 1]) \
                and re.sub(r"\s", "", title).startswith("关于"):
            issuer = blocks[title_i - 1].text
            title = issuer + title
        return title, doc_number, issuer
    k = plan_title(blocks, head, min(end, head + 40))
    notice_body = k is not None and any(is_addressee(blocks[i]) or P.ISSUES_PLAN.search(blocks[i].norm)
                                        for i in range(head, k))
    if "title" in table:
        title = table["title"].value
    elif k is not None and not notice_body:
        # a page that prints the heading alone as its page title, then again under the issuer
        # (沙县人民政府 / 关于…): the second, with its issuer, is the document's
        alone = blocks[k].norm
        k = next((j for j in range(k + 1, min(end, k + 12))
                  if (blocks[j].norm == alone and is_issuer_line(blocks[j - 1]))
                  or (blocks[j].norm.endswith(alone) and P.ORG_SUFFIX.search(blocks[j].norm[:-len(alone)]))), k)
        title = _title_lines(blocks[k])
        if blocks[k].norm.startswith("关于") and k > head and is_issuer_line(blocks[k - 1]):
            title = blocks[k - 1].text + title      # 沙县人民政府 / 关于加快…的实施意见
            k -= 1
    if title:
        title, doc_number = _split_title(title)
    if k is not None and title and source and re.sub(r"\s", "", title) in blocks[k].text:
        issuer = _title_issuer(blocks[k], re.sub(r"\s", "", title), source)
    if title is None:
        # a news report of the document: its lead names the issuer and the title
        for i in range(head, min(end, head + 3)):
            m = P.NEWS_REPORT.search(blocks[i].norm)
            if m:
                return blocks[i].text[m.start(2):m.end(2)], None, blocks[i].text[m.start(1):m.end(1)]
    elif issuer is None:
        # the page's heading is the document, and a news lead under it names who issued it:
        # 新华社北京6月6日电 日前，国务院办公厅印发《深化…2024年重点工作任务》 (the heading may print
        # the year in Chinese numerals)
        want = title_key(normalise(title))
        for i in range(head, min(end, head + 6)):
            for m in P.NEWS_REPORT_TITLED.finditer(blocks[i].norm):
                if fuzz.ratio(title_key(m.group(2)), want) >= 90:
                    return title, doc_number, blocks[i].text[m.start(1):m.end(1)]
    return title, doc_number, issuer


def _doc_number(blocks, head, header_end, table) -> str | None:
    """The 文号: a line of its own (also garbled), one printed before the title, the metadata table's."""
    for i in range(head, header_end):
        n = blocks[i].norm
        if is_doc_number_line(n) or P.GARBLED_DOC_NUMBER_LINE.match(n):
            dm = P.DOC_NUMBER.search(n) or P.GARBLED_DOC_NUMBER_LINE.match(n)
            if dm:
                return blocks[i].text[dm.start():dm.end()]
        lead = P.ISSUED_BY_NUMBER.match(n)
        dm = P.DOC_NUMBER.match(n, lead.end()) if lead else None
        if dm:
            return blocks[i].text[dm.start():dm.end()]
        dm = P.DOC_NUMBER_TITLE_HEAD.match(n)
        if dm and looks_like_issuer_code(dm.group(2)):
            return blocks[i].text[:dm.end()]
    if "doc_number" in table:
        value = re.sub(r"\s", "", table["doc_number"].value)
        dm = P.DOC_NUMBER.search(value)
        if dm:
            return value[dm.start():dm.end()]
    return None


def _garbled_date(digits: str) -> str | None:
    """A date that lost its 年月日: 202139 → 2021-03-09; None where it reads two ways (2019116 is
    1月16日 or 11月6日)."""
    year, rest = int(digits[:4]), digits[4:]
    readings = {_iso(year, int(rest[:k]), int(rest[k:])) for k in (1, 2) if 1 <= len(rest[k:]) <= 2} - {None}
    return readings.pop() if len(readings) == 1 else None


def _dates(blocks, head, header_end, date_i, table) -> tuple[str | None, str | None]:
    """(date, published): the 成文日期 a page's table states, else the signature's, else the table's
    发文日期; the publication date from a 发布日期 line or field."""
    date = None
    if date_i is not None:
        dm = P.DATE.search(blocks[date_i].norm)
        date = _date(dm) if dm else _garbled_date(blocks[date_i].norm)
    if date is None:
        # a 文号 line with the date printed beside it: 蘇政發〔2024〕65號 2024-08-09
        for i in range(head, header_end):
            n = blocks[i].norm
            if is_doc_number_line(n) and P.ISO_DATE.search(n):
                number = P.DOC_NUMBER.search(n)
                date = _any_date(n[number.end() if number else 0:])
                break
    if "date" in table:
        date = _any_date(table["date"].value) or date
    if date is None and "issued" in table:
        date = _any_date(table["issued"].value)
    published = None
    for i in range(head, header_end):
        pm = P.PUBLISHED.search(blocks[i].norm)
        if pm:
            published = _iso(int(pm.group(1)), int(pm.group(2)), int(pm.group(3)))
            break
    if published is None and "published" in table:
        published = _any_date(table["published"].value)
    return date, published


def _issuer(blocks, start, title_i, end, head, scan_from, date_i, table, title, issuer, source):
    """The issuer where the title does not name it: the signature, the red header (…文件), the line
    above the title, the metadata table, a plan heading that opens with it; joint issuers as the
    signature tells them apart, a place-less one (省人民政府) named in full."""
    if issuer is None and date_i is not None:
        issuer = _signature_issuer(blocks, date_i, source) if source else None
    if issuer is None:
        for i in range(head, min(end, scan_from + 12)):
            if blocks[i].norm.endswith("文件") and is_issuer_line(blocks[i]):
                issuer = blocks[i].text[:-2]
                break
    if issuer is None and title_i is not None and title_i > start and is_issuer_line(blocks[title_i - 1]):
        issuer = blocks[title_i - 1].text
    if issuer is None and "issuer" in table:
        issuer = table["issuer"].value
    if issuer is None and title_i is None and title:
        bare = re.sub(r"\s", "", title)
        n = normalise(bare)
        m = re.match(r"^(.{2,40}?)关于", n)
        opening = P.TITLE_ISSUER.match(n)
        if m and P.ORG_SUFFIX.search(m.group(1)):
            issuer = bare[:m.end(1)]
        elif opening and locate(opening.group(1)).level:
            issuer = bare[:opening.end(1)]
    if issuer and date_i is not None and source and "、" not in issuer:
        # joint issuers a title runs together (中共某市委办公室某市人民政府办公室) are told apart by the
        # signature, which prints them one to a line
        signed = _signature_issuer(blocks, date_i, source)
        if signed and "、" in signed:
            counted = P.ISSUER_COUNT.search(normalise(issuer))
            if re.sub(r"[、\s]", "", signed) == re.sub(r"\s", "", issuer):
                issuer = signed
            elif counted:
                # a title that counts its issuers (广州市卫生健康委等4部门): the signature names them
                lead, first = normalise(issuer)[:counted.start()], signed.split("、")[0]
                if first.startswith(lead[:2]) or lead in normalise(first):
                    issuer = signed
    if issuer and prefix_level(normalise(issuer)) not in (None, "national") and not locate(issuer).region:
        # the title names its issuer without its place (省人民政府关于…): the red header or the
        # signature names it in full (贵州省人民政府文件)
        issuer = _fuller_issuer(blocks, head, end, date_i, issuer, source) or issuer
    return issuer


def _fuller_issuer(blocks, head, end, date_i, issuer: str, source: str) -> str | None:
    short = normalise(issuer)
    names = []
    for i in range(head, min(end, head + 12)):
        m = P.RED_HEADER.match(blocks[i].norm)
        if m:
            names.append(blocks[i].text[:-2])
    if date_i is not None and source:
        names += (_signature_issuer(blocks, date_i, source) or "").split("、")
    for name in names:
        n = normalise(name)
        if n and n != short and n.endswith(short[-2:]) and short[0] in n and locate(name).region:
            return name
    return None


def signature_date_block(blocks: list[Block], scan_from: int, end: int, joint: bool = True) -> int | None:
    """The block of the signature date, also one that lost its 年月日 (2023626); with `joint`, also
    one that follows many joint signers on one line. That last form is read for the date and the
    signers only, not as the end of a notice's own items: ministries signing jointly this way put
    their tasks above the signature (full/02)."""
    return next((i for i in range(scan_from, end)
                 if is_signature_date(blocks[i].norm) or (joint and P.JOINT_SIGNATURE_DATE.match(blocks[i].norm))), None)


def _location(issuer, title, attachment, doc_number, blocks, head, stop, publisher=None) -> Location:
    """Level and region of the issuer: from its name; else from the places the title names, read
    against the level its name says (省/市/区 人民政府) or the code of its 文号 (闽, 菏 …); else, for
    an issuer named without its place (区人民政府办公室), the place of the site that published it."""
    first = issuer.split("、")[0] if issuer else None
    loc = locate(first)
    sub = P.SUBDISTRICT.search(normalise(issuer or ""))
    if sub and loc.level in ("county", "city", None):
        # a 街道 or 镇 is recorded as a county, its region the 街道/镇 itself (FORMAT.md)
        k = normalise(issuer).find(sub.group(1))
        return Location("county", issuer[k:k + len(sub.group(1))], loc.path + [sub.group(1)])
    if loc.level and len(loc.path) == 2 and loc.level != "province" and loc.path[0] == "国家":
        # a name several places share (和平区, 城关区): the one whose province or city the text names,
        # or whose province the 文号's code stands for
        text = "".join(b.norm for b in blocks[head:stop])
        loc = disambiguate(loc, places_in(text), doc_number) or loc
    if loc.level:
        return loc
    named = places_in(" ".join(x for x in (title, attachment) if x))
    if doc_number:
        code = place_from_code(doc_number, named + places_in("".join(b.norm for b in blocks[head:stop])))
        if code.level:
            return code
    name = normalise(first or title or attachment or "")
    if P.NATIONAL_CUE.match(name):
        return Location("national", "国家", ["国家"])
    level = prefix_level(name)
    for place in named:
        if level is None or place.level == level:
            return place
    if level and publisher:
        site = locate(publisher)
        if site.level == level:
            return site
    if level is None:
        level = _addressee_level(blocks, head, stop)
        if level == "national":
            return Location("national", "国家", ["国家"])
    return Location(level, None) if level else Location(None, None)


def prefix_level(name: str) -> str | None:
    """The level a name's own prefix names: 省人民政府 → province, 区政府办公室 → county."""
    m = P.LEVEL_PREFIX.match(name or "")
    return P.PREFIX_LEVEL[m.group(1)] if m else None


def _addressee_level(blocks, start, stop) -> str | None:
    """The issuer's level from whom it writes to: 各省、自治区、直辖市人民政府 (national), 各市、县
    人民政府 (province), 各县（市、区） (city), 各乡镇、街道 (county)."""
    for i in range(start, stop):
        if is_addressee(blocks[i]) or blocks[i].norm.startswith("各"):
            for level, rx in P.ADDRESSEE_LEVEL:
                if rx.search(blocks[i].norm[:60]):
                    return level
    return None


def _issued_plan(blocks, start, stop) -> str | None:
    """A notice shown without its title (a page that starts at the addressee): the plan its
    印发/转发 sentence names."""
    for i in range(start, stop):
        m = P.ISSUES_PLAN.search(blocks[i].norm)
        if m:
            return blocks[i].text[m.start(1):m.end(1)]
        m = P.ISSUES_PLAN_ALL.search(blocks[i].norm)      # 制定了《X》，现印发给你们
        if m:
            t = P.TITLE.search(blocks[i].norm, m.start(1))
            if t:
                return blocks[i].text[t.start(1):t.end(1)]
    return None


def _plan_in_title(title: str | None) -> str | None:
    """The plan a notice's title says it issues or forwards: 关于印发《X》的通知 / 关于印发X的通知 → X."""
    if not title:
        return None
    m = P.NOTICE_ISSUES.search(normalise(title))
    if not m:
        return None
    a, z = m.span(1)
    if title[a] == "《" and title[z - 1] == "》" and title.count("《", a, z) == 1:
        a, z = a + 1, z - 1
    return title[a:z] if z - a >= 4 else None


def _printed_heading(blocks, named: str, start: int, stop: int) -> str | None:
    """The plan's heading where the text prints it (over one or two lines; the notice may name it
    with a 的 the heading lacks: …的实施方案 / …实施方案)."""
    def key(s: str) -> str:
        return title_key(s).replace("的", "")
    want = key(normalise(named))
    for i in range(start, stop):
        n = blocks[i].norm
        if len(n) <= 90 and not re.search(r"[。；：！？《]", n) and key(n) == want:
            return re.sub(r"\s*\n\s*", "", blocks[i].text).strip()
        if (i + 1 < stop and P.HEADING_NOTE_LINE.match(blocks[i + 1].norm)
                and key(n + blocks[i + 1].norm) == want):
            return _heading_with_note(blocks, i, stop)
    return None


def _attachment_title(blocks, title_i, end, date_i, first_label) -> str | None:
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
                return _heading_with_note(blocks, nxt, end)
    if date_i is None:
        return None
    if first_label < date_i:    # the notice's own numbered items stand above its signature
        first_label = next((i for i in range(date_i + 1, end) if label_of(blocks[i].norm)), end)
    quoted = [t for j in range(title_i + 1, date_i) for t in P.TITLE.findall(blocks[j].norm)]
    for i in range(date_i + 1, min(first_label, date_i + 6)):
        n = blocks[i].norm
        if is_doc_number_line(n) or n.endswith("文件") or re.match(r"^[（(]此件", n) or is_issuer_line(blocks[i]):
            continue
        # the heading run into the plan's first sentence (…推进方案为认真贯彻落实…): the title the
        # notice quotes is where it ends
        glued = next((t for t in quoted if n.startswith(t) and len(n) > len(t)), None)
        if glued:
            return blocks[i].text[:len(glued)]
        return _heading_with_note(blocks, i, end) if title_like(n) else None
    return None


def _heading_with_note(blocks, i: int, end: int, text: str | None = None) -> str:
    """A heading (block i, or `text` taken from it) and the bracketed note printed on the line
    under it, which is part of the title: …实施方案 / （2016版）, …行动方案 / （2022—2025年）."""
    text = blocks[i].text if text is None else text
    if i + 1 < end and P.HEADING_NOTE_LINE.match(blocks[i + 1].norm):
        text += blocks[i + 1].text.strip()
    return text
