"""Responsibility lists: split them into bodies with roles, and give each body a canonical name.

The alias table is curated by hand: no library carries the abbreviations Chinese governments use
for their own departments (卫健委, 医保局, 编办 …). Canonical names follow the full official name
of the department in its region (卫生健康委员会, 医疗保障局)."""
from __future__ import annotations

import re
from functools import lru_cache

from . import patterns as P
from .models import Department

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
LEVEL_PREFIX = re.compile(r"^(省|市|县|区|州|自治区|自治州|盟|旗|镇|乡)(?=[\u4e00-\u9fff]{2})")
_TRIM_END = re.compile(r"(?:等(?:单位|部门)?|按(?:照)?职责(?:分工)?(?:分别|共同)?(?:负责|牵头|落实)?|分别负责|共同负责|"
                       r"负责|牵头|配合|参与)$")
_DOUBLED = re.compile(r"([委局厅办府部院会])\1$")  # OCR repeats a character across a page break


_BRACKETS = re.compile(r"[（(〔\[）)〕\]]")


@lru_cache(maxsize=16)
def _separators(seps: str) -> re.Pattern:
    return re.compile("[" + re.escape(seps) + "]")


def split_outside_brackets(text: str, seps: str) -> list[str]:
    """Split on any of `seps` except inside brackets: 各县（市、区） stays whole."""
    if not _BRACKETS.search(text):      # nothing to stay outside of: the regex engine splits
        return _separators(seps).split(text)
    out, depth, cur = [], 0, []
    for ch in text:
        if ch in "（(〔[":
            depth += 1
        elif ch in "）)〕]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in seps:
            out.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur))
    return out


def split_names(text: str, trim: bool = True) -> list[str]:
    """Split a list of bodies on 、，； outside brackets: 各县（市、区） stays one name."""
    out = split_outside_brackets(text, "、，；,;")
    if not trim:
        return [x for x in out if x]
    names = []
    for name in out:
        name = name.strip(" 。：:")
        for _ in range(2):
            name = _TRIM_END.sub("", name).strip()
        name = _DOUBLED.sub(r"\1", name)
        if name and len(name) <= 30:
            names.append(name)
    return names


def is_collective(name: str) -> bool:
    return bool(P.COLLECTIVE.search(name))


def level_prefix(name: str) -> str | None:
    m = LEVEL_PREFIX.match(name)
    return m.group(1) if m else None


def canonical(name: str, inherited_prefix: str | None = None) -> str:
    """市卫健委 -> 市卫生健康委员会; 教育局 after 市卫健委 -> 市教育局."""
    prefix = level_prefix(name)
    core = name[len(prefix):] if prefix else name
    if not prefix and inherited_prefix and not is_collective(name) and not name.startswith(("人行", "国家", "中国")):
        prefix = inherited_prefix
    full = ALIASES.get(core, core)
    return f"{prefix or ''}{full}"


def parse_list(text: str, role: str, start: int = 0) -> list[Department]:
    """A responsibility list as printed -> departments in order. Groups separated by '，' can carry
    their own role suffix (省卫生健康委牵头，省财政厅配合)."""
    depts: list[Department] = []
    inherited = None
    for group in _groups(text):
        g_role = role
        if re.search(r"牵头$", group):
            g_role = "lead"
        elif re.search(r"(配合|参与|协助)$", group):
            g_role = "cooperate"
        for name in split_names(group):
            prefix = level_prefix(name)
            if prefix:
                inherited = prefix
            depts.append(Department(name=name, role=g_role, canonical=canonical(name, inherited),
                                    collective=is_collective(name)))
    return depts


def _groups(text: str) -> list[str]:
    """Split on '，' outside brackets (the comma separates groups, 、 separates names)."""
    return [g for g in (x.strip() for x in split_outside_brackets(text, "，,；;")) if g]


def looks_like_org(name: str) -> bool:
    return bool(P.ORG_SUFFIX.search(name)) or is_collective(name)


def find_in_text(norm: str, text: str) -> list[tuple[list[Department], int, int]]:
    """Parenthesised responsibility lists in a task's text: （…按职责分工负责）, （责任单位：…）."""
    found = []
    for m in P.RESP_PAREN.finditer(norm):
        inner_norm = m.group(1)
        inner = text[m.start(1):m.end(1)]
        if P.RESP_FIELD.match(inner_norm):
            depts = []
            # （牵头单位：A；配合单位：B）
            for part in re.split(r"[；;]", inner):
                fm = P.RESP_FIELD.match(part)
                role = P.FIELD_ROLE.get(fm.group(1), "responsible") if fm else "responsible"
                body = part[fm.end():] if fm else part
                depts.extend(parse_list(body, role))
        else:
            if not re.search(r"负责$|牵头$|配合$", inner_norm):
                continue
            depts = parse_list(inner, "responsible")
        depts = [d for d in depts if looks_like_org(d.name)]
        if depts:
            found.append((depts, m.start(), m.end()))
    return found
