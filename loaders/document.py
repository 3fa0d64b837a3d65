"""One document's records, assembled: metadata, tasks from the numbered tree and from tables, the
ledger, each department's region and the citations."""
from __future__ import annotations

import re

from .citations import find_citations, own_title_keys
from .clean import Block
from .ledger import ledger_rows
from .metadata import metadata
from .models import Document
from .tables import line_cell_tables, tasks_and_ledger_from_tables
from .tree import build_tree, is_table_header, tasks_from_tree


def document(blocks: list[Block], source: str, start: int, title_i: int | None, end: int,
             head: int | None = None) -> Document:
    doc = metadata(blocks, start, title_i, end, source, head)
    table_mode = any(is_table_header(blocks[i]) and "责任单位" in blocks[i].norm for i in range(start, end))
    line_tasks, line_ledger, covered = line_cell_tables(blocks, start, end)
    root = build_tree(blocks, title_i + 1 if title_i is not None else start, end, table_mode, skip=covered)
    doc.tasks = tasks_from_tree(root, doc.title or "", doc.attachment_title)
    table_tasks, table_ledger = tasks_and_ledger_from_tables(blocks, start, end)
    known = {tuple(t.path) for t in doc.tasks}
    for t in table_tasks + line_tasks:
        if tuple(t.path) not in known:
            known.add(tuple(t.path))
            doc.tasks.append(t)
    doc.ledger = table_ledger or line_ledger or ledger_rows(source, doc.span)
    if doc.level is None:
        doc.level = level_from_departments(doc)
    for t in doc.tasks:
        for d in t.departments:
            d.region = department_region(d.canonical, doc)
    own_titles = own_title_keys(blocks, start, end, doc)
    doc.citations, doc.repeals = find_citations(blocks, start, end, doc, own_titles)
    return doc


_PREFIX_LEVEL = {"省": 1, "自治区": 1, "市": 2, "州": 2, "自治州": 2, "盟": 2, "县": 3, "区": 3, "旗": 3}


def department_region(canonical: str, doc: Document) -> str | None:
    """The region a department belongs to: its level prefix (省/市/县) read against the issuing
    document's region path, so 市卫生健康委员会 in a Haidong notice is Haidong's."""
    if re.match(r"^(国家|国务院|中央|中共中央|全国)", canonical) or doc.level == "national":
        return "国家"
    path = doc.region_path or []
    m = re.match(r"^(自治区|自治州|省|市|州|盟|县|区|旗)", canonical)
    if m and _PREFIX_LEVEL[m.group(1)] < len(path):
        depth = _PREFIX_LEVEL[m.group(1)]
        return doc.region if depth == len(path) - 1 else path[depth]
    return doc.region


def level_from_departments(doc: Document) -> str | None:
    """Where nothing names the issuer's place, the level its own departments carry: a plan whose
    lists name 省… bodies is a province's (市… a city's, 区/县… a county's, 国家/国务院… national)."""
    counts: dict[str, int] = {}
    for t in doc.tasks:
        for d in t.departments:
            m = re.match(r"^(国家|国务院|省|自治区|市|州|盟|县|区|旗)", d.canonical)
            if m:
                level = {"国家": "national", "国务院": "national", "省": "province", "自治区": "province",
                         "市": "city", "州": "city", "盟": "city"}.get(m.group(1), "county")
                counts[level] = counts.get(level, 0) + 1
    if not counts:
        return None
    best = max(counts, key=counts.get)
    return best if counts[best] * 2 > sum(counts.values()) else None
