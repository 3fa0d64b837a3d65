"""Responsibility lists: split them into bodies with roles, and give each body a canonical name.

The alias table is curated by hand: no library carries the abbreviations Chinese governments use
for their own departments (卫健委, 医保局, 编办 …). Canonical names follow the full official name
of the department in its region (卫生健康委员会, 医疗保障局)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import patterns as P
from .models import Department, Span
from .normal import normalise

# abbreviation (without the level prefix) -> full name
ALIASES = {
    "卫健委": "卫生健康委员会", "卫生健康委": "卫生健康委员会", "卫计委": "卫生和计划生育委员会",
    "卫健局": "卫生健康局",
    "医保局": "医疗保障局", "发改委": "发展和改革委员会", "发展改革委": "发展和改革委员会",
    "发改局": "发展和改革局", "发展改革局": "发展和改革局",
    "人社局": "人力资源和社会保障局", "人社厅": "人力资源和社会保障厅",
    "人力资源社会保障局": "人力资源和社会保障局", "人力资源社会保障厅": "人力资源和社会保障厅",
    "市场监管局": "市场监督管理局", "药监局": "药品监督管理局", "药品监管局": "药品监督管理局",
    "编办": "机构编制委员会办公室", "委编办": "机构编制委员会办公室",
    "教育厅": "教育厅", "科技厅": "科学技术厅", "科技局": "科学技术局",
    "文旅局": "文化和旅游局", "文旅厅": "文化和旅游厅", "文化旅游局": "文化和旅游局",
    "住房城乡建设厅": "住房和城乡建设厅", "住建局": "住房和城乡建设局", "住建厅": "住房和城乡建设厅",
    "林草局": "林业和草原局", "应急局": "应急管理局", "应急厅": "应急管理厅",
    "农业农村厅": "农业农村厅", "自然资源厅": "自然资源厅", "生态环境厅": "生态环境厅",
    "残联": "残疾人联合会", "红十字会": "红十字会", "供销联社": "供销合作社联合社",
    "乡村振兴局": "乡村振兴局", "税务局": "税务局", "统计局": "统计局", "民政局": "民政局",
    "财政局": "财政局", "财政厅": "财政厅", "教育局": "教育局", "体育局": "体育局",
    "政府办": "人民政府办公室", "委办": "委办公室", "医改办": "深化医药卫生体制改革领导小组办公室",
    "政府": "人民政府",
}
 # OCR repeats a character across a page break


_BRACKETS = re.compile(r"[（(〔\[）)〕\]]")


@lru_cache(maxsize=16)
def _separators(seps: str) -> re.Pattern:
    return re.compile("[" + re.escape(seps) + "]")


def bracket_free_spans(text: str, seps: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces between any of `seps` outside brackets: 各县（市、区） stays whole."""
    if not _BRACKETS.search(text):      # nothing to stay outside of: the regex engine splits
        out, a = [], 0
        for m in _separators(seps).finditer(text):
            out.append((a, m.start()))
            a = m.end()
        return out + [(a, len(text))]
    out, depth, a = [], 0, 0
    for k, ch in enumerate(text):
        if ch in "（(〔[":
            depth += 1
        elif ch in "）)〕]":
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            out.append((a, k))
            a = k + 1
    return out + [(a, len(text))]


_LEAD_TRIM = " 。：:由"


def name_spans(norm: str, start: int = 0, end: int | None = None, trim: bool = True) -> list[tuple[int, int]]:
    """Where each body's name stands in a list (split on 、，； outside brackets), trimmed of the
    words around it (由…, …等部门, …按职责分工负责). Spans index `norm`, which has the length of the
    printed text, so the printed names are the same slices of it."""
    end = len(norm) if end is None else end
    out = []
    for a, b in bracket_free_spans(norm[start:end], "、，；,;"):
        a, b = a + start, b + start
        if trim:
            while a < b and norm[a] in _LEAD_TRIM:
                a += 1
            while a < b and norm[b - 1] in " 。：:":
                b -= 1
            for _ in range(2):
                m = P.NAME_TRIM_END.search(norm, a, b)
                if m and m.end() == b:
                    b = m.start()
                while a < b and norm[b - 1] == " ":
                    b -= 1
            if b - a >= 2 and P.DOUBLED_END.search(norm[a:b]):
                b -= 1
            if not (0 < b - a <= 30):
                continue
        elif a == b:
            continue
        out.append((a, b))
    return out


def split_names(text: str, trim: bool = True) -> list[str]:
    """Split a list of bodies on 、，； outside brackets: 各县（市、区） stays one name."""
    return [text[a:b] for a, b in name_spans(text, trim=trim)]


def is_collective(name: str) -> bool:
    return bool(P.COLLECTIVE.search(name))


def full_department_name(name: str, region: str | None) -> str:
    """市卫生健康委员会 in 海东市 -> 海东市卫生健康委员会; a name that already starts with a place stays."""
    if not region or name.startswith(region) or region == "国家":
        return name
    prefix = level_prefix(name)
    return region + name[len(prefix):] if prefix else region + name


def level_prefix(name: str) -> str | None:
    m = P.NAME_LEVEL_PREFIX.match(name)
    return m.group(1) if m else None


def canonical(name: str, inherited_prefix: str | None = None) -> str:
    """市卫健委 -> 市卫生健康委员会; 教育局 after 市卫健委 -> 市教育局."""
    prefix = level_prefix(name)
    core = name[len(prefix):] if prefix else name
    if not prefix and inherited_prefix and not is_collective(name) and not name.startswith(("人行", "国家", "中国")):
        prefix = inherited_prefix
    full = ALIASES.get(core, core)
    return f"{prefix or ''}{full}"


def field_role(key: str) -> str:
    """The role a field's key gives: 牵头单位 lead, 配合单位 cooperate, 责任单位 responsible."""
    key = re.sub(r"[：:\s]", "", key)
    if P.LEAD_KEY.match(key):
        return "lead"
    if P.COOP_KEY.match(key):
        return "cooperate"
    return "responsible"


def _names(printed: str, norm: str) -> list[tuple[str, str, int, int]]:
    """(printed, normalised, start, end) names of one group; a run of short place names before
    '…政府' is one shared-suffix name (相关市、县政府; 哈尔滨、黑河、绥芬河市政府)."""
    out: list[tuple[str, str, int, int]] = []
    pending: list[tuple[str, str, int, int]] = []
    for a, b in name_spans(norm):
        name = (printed[a:b], norm[a:b], a, b)
        if len(name[1]) <= 4 and not P.ORG_SUFFIX.search(name[1]) and not is_collective(name[1]):
            pending.append(name)
            continue
        if pending and name[1].endswith("政府"):
            run = pending + [name]
            out.append(("、".join(x[0] for x in run), "、".join(x[1] for x in run), run[0][2], b))
        else:
            out.extend(pending)
            out.append(name)
        pending = []
    return out + pending


def shifted(depts: list[Department], k: int) -> list[Department]:
    """Departments found in a piece of a text that starts at k: their spans in the whole text."""
    for d in depts:
        if d.span is not None:
            d.span = Span(d.span.start + k, d.span.end + k)
    return depts


def _role_groups(norm: str) -> list[tuple[int, int]]:
    """Groups of a list: split on '，；' outside brackets, and after a name that ends in its own role
    word where 、 stands between roles (市交通委牵头、各区政府负责落实)."""
    out = []
    for a, b in bracket_free_spans(norm, "，,；;"):
        k = a
        for x, y in bracket_free_spans(norm[a:b], "、"):
            if a + y < b and P.NAME_ROLE_END.search(norm[a + x:a + y]):
                out.append((k, a + y))
                k = a + y + 1
        out.append((k, b))
    return out


def parse_list(text: str, role: str, start: int = 0) -> list[Department]:
    """A responsibility list as printed -> departments in order. Groups separated by '，' can carry
    their own role (省卫生健康委牵头，省财政厅配合); 由X负责，Y配合 makes X the lead. Rules read the
    normalised text (traditional script, ASCII punctuation); names are kept as printed."""
    norm = normalise(text)
    groups: list[tuple[int, int, str, bool]] = []     # (start, end, role, role stated by the group)
    for a, b in _role_groups(norm):
        g = norm[a:b]
        if not g.strip():
            continue
        if P.GROUP_LEAD.search(g):
            groups.append((a, b, "lead", True))
        elif P.GROUP_COOP.search(g):
            groups.append((a, b, "cooperate", True))
        elif "会同" in g:
            k = a + g.index("会同")
            groups += [(a, k, "lead", True), (k + 2, b, "cooperate", True)]
        else:
            groups.append((a, b, role, False))
    if role == "responsible" and any(r == "cooperate" for *_, r, _ in groups):
        # 由X负责，Y配合 / X负责，Y参加: the body that answers for the work leads it
        groups = [(a, b, "lead" if (r == "responsible" and not stated) else r, stated) for a, b, r, stated in groups]
    depts: list[Department] = []
    inherited = None
    for a, b, g_role, _ in groups:
        for name, name_norm, x, y in _names(text[a:b], norm[a:b]):
            prefix = level_prefix(name_norm)
            if prefix:
                inherited = prefix
            depts.append(Department(name=name, role=g_role, canonical=canonical(name_norm, inherited),
                                    collective=is_collective(name_norm), span=Span(a + x, a + y)))
    return depts


def looks_like_org(name: str) -> bool:
    name = normalise(name)
    return bool(P.ORG_SUFFIX.search(name)) or is_collective(name)


@dataclass
class Found:
    """Bodies found in a task's text, where they were printed, and what the list said besides."""
    departments: list[Department]
    start: int
    end: int
    first_is_lead: bool = False
    deadline: str | None = None


def _bracket_list(inner: str, cut: bool = False, plain: bool = False) -> Found | None:
    """What one bracketed list says: （牵头单位：A；责任单位：B） / （A牵头，B配合） / （由A负责） /
    （A、B等负责，列第一位者为牵头单位，下同） / （…，6月底完成）. Spans index `inner`."""
    norm = normalise(inner)
    first_is_lead = bool(P.FIRST_IS_LEAD.search(norm))
    deadline = None
    for a, b in bracket_free_spans(norm, "，,"):
        bare = norm[a:b].strip()
        if P.FIRST_IS_LEAD.fullmatch(bare) or P.NOT_A_NAME.match(bare):
            if P.NOT_A_NAME.match(bare) and bare != "下同":
                deadline = bare
            # blanked with separators, so every other name keeps its place in the text
            norm = norm[:a] + "，" * (b - a) + norm[b:]
            inner = inner[:a] + "，" * (b - a) + inner[b:]
    body = norm.rstrip("，")
    if not body.strip("，"):
        return None
    depts: list[Department] = []
    if P.RESP_FIELD.search(body):
        for a, b in bracket_free_spans(body, "；;"):
            fm = P.RESP_FIELD.search(body, a, b)
            if fm and not body[a:fm.start()].strip("，, "):
                depts.extend(shifted(parse_list(inner[fm.end():b], field_role(fm.group(1))), fm.end()))
            elif depts:
                depts.extend(shifted(parse_list(inner[a:b], depts[-1].role), a))
    else:
        ends_in_role = re.search(r"(负责|牵头|配合|参与|参加|协办|落实)$", body)
        if cut or not (ends_in_role or (plain and not P.NOT_A_LIST.match(body))):
            return None
        depts = parse_list(inner[:len(body)], "responsible")
        if not ends_in_role and not all(looks_like_org(d.name) for d in depts):
            return None     # a plain list is bodies only: （市发改委、市财政局）
    depts = [d for d in depts if looks_like_org(d.name)]
    if not depts:
        return None
    if first_is_lead and all(d.role == "responsible" for d in depts):
        depts[0].role = "lead"
    return Found(depts, 0, 0, first_is_lead, deadline)


def list_spans(norm: str) -> list[tuple[int, int]]:
    """Where brackets that may hold a responsibility list stand (their numbers are never targets):
    the cheap superset of find_lists, without reading the names."""
    return [m.span() for m in P.RESP_BRACKET.finditer(norm) if P.LIST_CUE.search(m.group(0))]


def find_lists(norm: str, text: str) -> list[Found]:
    found: list[Found] = []
    if "（" not in norm and "〔" not in norm and "[" not in norm and "［" not in norm:
        return found
    for m in P.RESP_BRACKET.finditer(norm):
        g = next(k for k in (1, 2, 3) if m.group(k) is not None)
        # a bracket of names alone counts where it closes a sentence (the task's list), not inside one
        plain = m.end() == len(norm) or norm[m.end()] in "。；"
        if not plain and not P.LIST_CUE.search(m.group(g)):
            continue        # （以下简称《方案》）, （2023年版）: no list can be in it
        f = _bracket_list(text[m.start(g):m.end(g)], plain=plain)
        if f:
            f.start, f.end = m.start(), m.end()
            shifted(f.departments, m.start(g))
            found.append(f)
    cut = P.RESP_BRACKET_CUT.search(norm)
    if cut and not any(f.start <= cut.start() < f.end for f in found):
        m = cut
        f = _bracket_list(text[m.start(1):m.end(1)], cut=True)
        if f:
            f.start, f.end = m.start(), m.end()
            shifted(f.departments, m.start(1))
            found.append(f)
    found.sort(key=lambda f: f.start)
    return found


def _orgs(text: str, norm: str, role: str, k: int) -> list[Department]:
    """The bodies of a run of prose names (A、B以及C等部门) at k in the text."""
    cut = re.search(r"等(?:有关|相关)?(?:部门|单位|机构)?$", norm)
    end = cut.start() if cut else len(norm)
    spans = bracket_free_spans(norm[:end], "、")
    if cut and cut.group(0) != "等" and not all(looks_like_org(norm[a:b]) for a, b in spans):
        # 电信主管、公安、市场监管等部门: kinds of body sharing one suffix, one name
        name = text.strip("，、 ")
        return [Department(name=name, role=role, canonical=canonical(normalise(name)), collective=True,
                           span=Span(k, k + len(text)))]
    out = []
    for a, b in spans:
        for x, y in _and_split(norm, a, b):
            for d in parse_list(text[x:y], role):
                if looks_like_org(d.name):
                    d.role = role
                    out.append(shifted([d], k + x)[0])
    return out


def _and_split(norm: str, a: int, b: int) -> list[tuple[int, int]]:
    """以及 / 和 / 及 between two names."""
    out, start = [], a
    for m in re.finditer(r"以及|和|及", norm[a:b]):
        # 工业和信息化部 is one body: split only after a name that is complete
        if m.group(0) != "以及" and not P.ORG_SUFFIX.search(norm[start:a + m.start()]):
            continue
        out.append((start, a + m.start()))
        start = a + m.end()
    return out + [(start, b)]


def find_in_prose(norm: str, text: str) -> list[Found]:
    """Work assigned in running text: A会同B、C等部门… (A leads, B and C cooperate); 由A牵头，B参加;
    由A负责，B配合. Each clause is read on its own; its names must all be bodies."""
    found = []
    for m in P.PROSE_LEAD_WITH.finditer(norm):
        lead_a, lead_b = m.span(1) if m.group(1) else m.span(2)
        lead = _orgs(text[lead_a:lead_b], norm[lead_a:lead_b], "lead", lead_a)
        if not lead or len(lead) != len(name_spans(norm[lead_a:lead_b])):
            continue
        coop = []
        for x, y in _and_split(norm, m.start(3), m.end(3)):     # A、B以及C等部门参加
            if norm[x:y].strip():
                coop += _orgs(text[x:y], norm[x:y], "cooperate", x)
        end = m.end()
        w = P.PROSE_ALSO_WITH.match(norm, end)                    # …，与D、E联动配合
        if w:
            coop += _orgs(text[w.start(1):w.end(1)], norm[w.start(1):w.end(1)], "cooperate", w.start(1))
            end = w.end()
        found.append(Found(lead + coop, m.start(), end))
    return found


def canonical_with_place(name: str) -> str:
    """A department named with its place, abbreviations expanded: 海东市卫健委 → 海东市卫生健康委员会
    (the form of a Department's full_name). A name without a leading place is canonical(name)."""
    from .regions import places_in
    places = places_in(name)
    place = places[0].region if places else None
    if not place or not name.startswith(place) or len(name) == len(place):
        return canonical(name)
    level_char = place[-1] if place[-1] in "省市县区州旗盟" else "市"
    expanded = canonical(level_char + name[len(place):])
    return place + expanded[1:] if expanded.startswith(level_char) else place + expanded
