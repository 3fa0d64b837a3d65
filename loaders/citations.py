"""Citations: 《titles》 (nested 〈〉 kept), the 文号 printed after a title, bare 文号, the issuer
printed before a title; which of them the document names as its basis, and what it repeals."""
from __future__ import annotations

import re

from . import patterns as P
from .cleaning import Block, is_doc_number_line, label_of, normalise
from .models import Citation, Document, Span
from .normal import year_digits
from .regions import LEVEL_DEPTH, Location, locate

_SENTENCE = re.compile(r"[^。！？]*[。！？]?")


def doc_number_key(doc_number: str | None) -> str | None:
    """青政办[2023]73号, 青政办（2023）73号 and 青政办〔2023〕73号 are one key: 青政办〔2023〕73号."""
    if not doc_number:
        return None
    n = normalise(re.sub(r"\s+", "", doc_number))
    m = P.CITED_NUMBER.search(n)
    if not m:
        alone = P.YEARLESS_NUMBER.fullmatch(n)
        return f"{alone.group(1)}{int(alone.group(2))}号" if alone else None
    if m.group(1):
        return f"{m.group(1)}〔{m.group(2)}〕{int(m.group(3))}号"
    if m.group(4):
        return f"{m.group(4)}第{int(m.group(5))}号"
    if m.group(6):
        return f"{m.group(6)}〔{m.group(7)}〕{int(m.group(8))}号"   # the bracket a garbled copy lost
    return f"{m.group(9)}{int(m.group(10))}号"     # no year: 国发42号, resolved when linking


def doc_number_parts(doc_number: str | None) -> tuple[str, int | None, int] | None:
    """Issuer code, year (None where the text gave none) and number of a 文号, simplified:
    國發〔2016〕42號 → (国发, 2016, 42); 国发42号文件 → (国发, None, 42). None for orders (国令第722号)."""
    n = normalise(re.sub(r"\s+", "", doc_number or ""))
    m = P.CITED_NUMBER.search(n)
    if not m:
        alone = P.YEARLESS_NUMBER.fullmatch(n)
        return (alone.group(1), None, int(alone.group(2))) if alone else None
    if m.group(4):
        return None
    k = next(g for g in (1, 6, 9) if m.group(g))
    code = m.group(k)[issuer_code_start(m.group(k)):]
    if k == 9:
        return code, None, int(m.group(10))
    return code, int(m.group(k + 1)), int(m.group(k + 2))


def display_doc_number(doc_number: str | None) -> str | None:
    """How to name a document by its 文号: as printed, unless the copy garbled it (衢政办发〔202316号,
    its closing bracket lost), then as repaired (衢政办发〔2023〕16号), which is what others cite."""
    if not doc_number:
        return None
    m = P.CITED_NUMBER.search(normalise(re.sub(r"\s+", "", doc_number)))
    return doc_number_key(doc_number) if m and m.group(6) else doc_number


def doc_number_year(doc_number: str | None) -> int | None:
    """The year in a 文号 (国办发〔2024〕29号 → 2024), where it has one."""
    parts = doc_number_parts(doc_number)
    return parts[1] if parts else None


def doc_number_code(doc_number: str | None) -> str | None:
    """The issuer code of a 文号, simplified: 鄂政發〔2018〕26號 → 鄂政发."""
    if not doc_number:
        return None
    n = normalise(re.sub(r"\s", "", doc_number))
    m = P.DOC_NUMBER.search(n) or P.GARBLED_DOC_NUMBER_LINE.match(n)
    if not m:
        return None
    code = re.match(r"^[\u4e00-\u9fff]+", n[m.start():])
    return code.group(0) if code else None


def issuer_code_start(code: str) -> int:
    """Where the 发文机关代字 begins in the characters matched before a 文号's year: after the words
    that stand before a 文号 (根据, 为贯彻落实, …实施意见), see patterns.DOC_NUMBER_LEAD."""
    cut = 0
    lead = P.DOC_NUMBER_LEAD.match(code)
    if lead and lead.end() < len(code):
        cut = lead.end()
        longer = P.DOC_NUMBER_LEAD_LONG.match(code, cut)
        if longer and longer.end() < len(code):
            cut = longer.end()
    return cut


def looks_like_issuer_code(code: str) -> bool:
    """发文机关代字 as printed before a 文号's year: it ends in a document-type character and holds none
    of the words that stand before a 文号 (为贯彻落实国办发 is a sentence, not a code)."""
    return (bool(P.DOC_CODE_END.search(code)) and not P.DOC_NUMBER_LEAD_LONG.match(code)
            and not code.startswith(("为", "的")))


def title_key(s: str) -> str:
    """A title compared without brackets, quotes or spaces, its years in digits (二〇二四年 → 2024年)."""
    return re.sub(r"[《》〈〉“”\s（）()]", "", year_digits(s))


def doc_number_in(norm: str, m: re.Match) -> tuple[int, int, str]:
    """Trim words that are not part of the issuer code (根据, 按照 …) from a 文号 match."""
    k = next(g for g in (1, 4, 6, 9) if m.group(g))
    code = m.group(k)
    cut = issuer_code_start(code)
    return m.start() + cut, m.end(), code[cut:]


def own_title_keys(blocks: list[Block], start: int, end: int, doc: Document) -> set[str]:
    """The titles a document gives itself, which are not citations: its title, its attachment,
    the plans its title or its body says it issues or forwards (关于印发〈X〉和〈Y〉的通知, 现将《X》印发)."""
    own = {title_key(normalise(t)) for t in (doc.title, doc.attachment_title) if t}
    # …and without its issuer: a page's header names it 印发《关于…的意见》
    for t in (doc.title, doc.attachment_title):
        n = normalise(t or "")
        if "关于" in n:
            own.add(title_key(n[n.index("关于"):]))
    for t in (doc.title, doc.attachment_title):
        n = normalise(t or "")
        m = re.search(r"(?:印发|转发)(.*)$", n)
        if m:
            own |= {title_key(x) for x in re.findall(r"[《〈]([^《》〈〉]+)[》〉]", m.group(1))}
    for i in range(start, min(end, start + 40)):
        for m in P.ISSUES_PLAN_ALL.finditer(blocks[i].norm):
            own |= {title_key(x) for x in re.findall(r"《((?:[^《》]|《[^《》]*》)+)》", m.group(1))}
    return own


def find_citations(blocks: list[Block], start: int, end: int, doc: Document,
                   own_titles: set[str]) -> tuple[list[Citation], list[str]]:
    citations: list[Citation] = []
    repeals: list[str] = []
    own_number = doc.doc_number_key
    first_task = next((i for i in range(start, end) if label_of(blocks[i].norm)), end)
    short_names = {m.group(1) for i in range(start, end) for m in P.SHORT_NAME.finditer(blocks[i].norm)}
    for i in range(start, end):
        b = blocks[i]
        n, text = b.norm, b.text
        if is_doc_number_line(n):
            continue
        used: list[tuple[int, int]] = []
        found: list[tuple[Citation, int, int]] = []
        notes = [m.span() for m in P.SITE_NOTE.finditer(n)]
        for m in P.TITLE.finditer(n):
            if any(a <= m.start() < z for a, z in notes):
                continue    # 【已废止，最新为：《…》】: the site's note, not the document's words
            if n[max(0, m.start() - 4):m.start()].endswith(("简称", "简称为")):
                continue    # （以下简称《意见》）: a short name for a title just given, not another
            title = text[m.start(1):m.end(1)]
            if title_key(m.group(1)) in own_titles:
                continue
            if m.group(1) in short_names or P.PRESS_TITLE.match(m.group(1)):
                continue    # 《任务》 after （以下简称《任务》）: the document named by its short name
            number = None
            after = n[m.end():]
            tm = P.TRAILING_DOC_NUMBER.match(after)
            stop = m.end()
            if tm:
                dm = P.CITED_NUMBER.search(after, tm.start(1))
                if dm:
                    number = text[m.end() + dm.start():m.end() + dm.end()]
                    stop = m.end() + tm.end()
            issuer = _issuer_before(n, text, m.start())
            c = Citation(title=title, doc_number=number, doc_number_key=doc_number_key(number), issuer=issuer,
                         span=Span(*b.span_of(m.start(), stop)))
            found.append((c, m.start(), stop))
            used.append((m.start(), stop))
        for m in P.CITED_NUMBER.finditer(n):
            s, e, code = doc_number_in(n, m)
            if any(a <= s < z for a, z in used):
                continue
            if not P.DOC_CODE_END.search(code):
                continue
            number = text[s:e]
            key = doc_number_key(number)
            if key is None or key == own_number:
                continue
            c = Citation(title=None, doc_number=number, doc_number_key=key, span=Span(*b.span_of(s, e)))
            found.append((c, s, e))
        if not found:
            continue
        found.sort(key=lambda x: x[1])
        for sm in _SENTENCE.finditer(n):
            if not sm.group(0):
                continue
            sentence = sm.group(0)
            inside = [f for f in found if sm.start() <= f[1] < sm.end()]
            if not inside:
                continue
            if (i < first_task or P.PURPOSE_CLAUSE.search(sentence)) and \
                    P.BASIS_CUE.search(sentence[:max(0, inside[0][1] - sm.start()) + 1]):
                # each citation takes the cue nearest before it: 根据《A》《B》，参照《C》 — C is
                # consulted, not carried out
                cues = [(m.start(), bool(P.BASIS_CUE.fullmatch(m.group(0))))
                        for m in P.CUE.finditer(sentence)]
                for c, a, _ in inside:
                    before = [is_basis for at, is_basis in cues if at < a - sm.start()]
                    c.basis = bool(before and before[-1])
            if P.REPEAL_CUE.search(sentence[inside[-1][2] - sm.start():]):
                repeals.extend(name for c, _, _ in inside if (name := c.doc_number or c.title))
        citations.extend(c for c, _, _ in found)
    merged = _merge(citations)
    citing = Location(doc.level, doc.region, list(doc.region_path or []))
    for c in merged:
        place = cited_place(c, citing)
        c.level, c.region = place.level, place.region
    return merged, repeals


def cited_place(c: Citation, citing: Location | None = None) -> Location:
    """Where a cited document was issued, from what the citing text prints: the body named before
    its title or at the head of it (陕西省人民政府关于…), else a national 文号 code (国发, 中办发).
    Only that: the places a title is about (国务院关于支持贵州…) are not its issuer's.
    Inside a document, a body named by its level alone (省医改领导小组, 市委市政府) is the citing
    document's own province or city, and a 文号 whose code is the province's (闽医改组 cited in
    Fujian) was issued in that province: PROVINCE_CODES is trusted only inside its own province,
    since a city may share the character (青政办发 is also 青岛's)."""
    head = c.issuer
    if not head and c.title:
        i = normalise(c.title).find("关于")
        head = c.title[:i] if i > 0 else None
    loc = locate(head) if head else Location(None, None)
    if loc.level is None:
        parts = doc_number_parts(c.doc_number)
        if parts and P.NATIONAL_CODE.match(parts[0]):
            return Location("national", "国家", ["国家"])
        if citing and citing.path:
            return _within_citing(head, parts[0] if parts else None, citing)
    return loc


def _within_citing(head: str | None, code: str | None, citing: Location) -> Location:
    """The place of a cited body the citing document names by its level (省…, 市…) or by its
    province's 文号 code, as a place on the citing document's own path; else unknown."""
    from .regions import PROVINCE_CODES
    level = None
    if head:
        m = P.LEVEL_PREFIX.match(normalise(head))
        level = P.PREFIX_LEVEL[m.group(1)] if m else None
    if level is None and code and len(citing.path) > 1 and PROVINCE_CODES.get(code[0]) == citing.path[1]:
        level = "province"
    rank = LEVEL_DEPTH.get(level) if level else None
    # a region path is 国家/province/city/county, except in a municipality (国家/北京市/朝阳区):
    # there only the province is where the rank says
    regular = citing.level is not None and LEVEL_DEPTH.get(citing.level) == len(citing.path) - 1
    if rank is None or rank == 0 or rank >= len(citing.path) or (rank > 1 and not regular):
        return Location(None, None)
    return Location(level, citing.path[rank], citing.path[:rank + 1])


def _issuer_before(norm: str, text: str, pos: int) -> str | None:
    m = re.search(r"([\u4e00-\u9fff、]{2,40})$", norm[max(0, pos - 40):pos])
    if not m:
        return None
    words = re.split(r"(?:根据|依据|按照|参照|贯彻落实|贯彻|落实|印发|执行|为|的|和|及|由|对|将|在)", m.group(1))
    cand = words[-1] if words else ""
    if cand and P.ORG_SUFFIX.search(cand):
        a = pos - len(cand)
        return text[a:pos].lstrip("、，")
    return None


def _merge(citations: list[Citation]) -> list[Citation]:
    """One entry per cited document: the same 文号 or title met twice is one citation."""
    out: list[Citation] = []
    for c in citations:
        # the same title with two different 文号 is two documents (国发… and 川府发… of one name)
        dup = next((o for o in out if (c.doc_number_key and c.doc_number_key == o.doc_number_key)
                    or (c.title and o.title and title_key(normalise(c.title)) == title_key(normalise(o.title))
                        and not (c.doc_number_key and o.doc_number_key))), None)
        if dup is None:
            out.append(c)
        else:
            dup.basis = dup.basis or c.basis
            dup.doc_number = dup.doc_number or c.doc_number
            dup.doc_number_key = dup.doc_number_key or c.doc_number_key
            dup.title = dup.title or c.title
    return out
