"""One document's records, assembled: metadata, tasks from the numbered tree and from tables, the
ledger, each department's region and the citations."""
from __future__ import annotations

from . import patterns as P
from .citations import find_citations, own_title_keys, title_key
from .cleaning import Block
from .departments import full_department_name, is_collective, split_names
from .ledger import assign_ledger, ledger_rows
from .metadata import metadata, prefix_level, signature_date_block
from .models import Department, Document, Task
from .normal import normalise
from .regions import LEVEL_DEPTH, locate
from .tables import line_cell_tables, tasks_and_ledger_from_tables
from .tree import build_tree, dedupe, is_table_header, tasks_from_tree


def document(blocks: list[Block], source: str, start: int, title_i: int | None, end: int,
             head: int | None = None) -> Document:
    doc = metadata(blocks, start, title_i, end, source, head)
    table_mode = any(is_table_header(blocks[i]) and "责任单位" in blocks[i].norm for i in range(start, end))
    line_tasks, line_ledger, covered = line_cell_tables(blocks, start, end)
    root = build_tree(blocks, title_i + 1 if title_i is not None else start, end, table_mode, skip=covered)
    notice_end = None
    if title_i is not None and P.NOTICE_ONLY_END.search(normalise(doc.title or "")):
        # a notice signed above the plan it issues: its own items stand above the signature (an
        # 意见 or 方案 issued directly is signed below its items, which are its tasks)
        notice_end = signature_date_block(blocks, title_i + 1, end, joint=False)
        if notice_end is None:
            notice_end = _plan_heading(blocks, title_i, end, doc.attachment_title)
    first_is_lead = any(P.FIRST_IS_LEAD.search(blocks[i].norm) for i in range(start, end))
    doc.tasks = tasks_from_tree(root, doc.title or "", doc.attachment_title, notice_end, first_is_lead)
    table_tasks, table_ledger = tasks_and_ledger_from_tables(blocks, start, end)
    known = {tuple(t.path) for t in doc.tasks}
    for t in table_tasks + line_tasks:
        item = _restated_item(t, doc.tasks)
        if item is not None:
            # a task table whose rows restate the plan's own items (任务分工表): the row gives the
            # item its bodies and is not a second task
            item.departments = dedupe(item.departments + t.departments)
            item.deadline = item.deadline or t.deadline
        elif tuple(t.path) not in known:
            known.add(tuple(t.path))
            doc.tasks.append(t)
    doc.ledger = table_ledger or line_ledger or (ledger_rows(source, doc.span) if doc.span else [])
    if doc.level is None:
        doc.level = level_from_departments(doc)
    for t in doc.tasks:
        for d in t.departments:
            d.region = department_region(d.canonical, doc)
    assign_ledger(doc, lambda name: department_region(name, doc))
    place_departments(doc)
    own_titles = own_title_keys(blocks, start, end, doc)
    doc.citations, doc.repeals = find_citations(blocks, start, end, doc, own_titles)
    return doc


def department_region(canonical: str, doc: Document) -> str | None:
    """The region a department belongs to: its level prefix (省/市/县) read against the issuing
    document's region path, so 市卫生健康委员会 in a Haidong notice is Haidong's."""
    level = prefix_level(canonical)
    if level == "national" or doc.level == "national":
        return "国家"
    path = doc.region_path or []
    if level and LEVEL_DEPTH[level] < len(path):
        depth = LEVEL_DEPTH[level]
        return doc.region if depth == len(path) - 1 else path[depth]
    return doc.region


def place_departments(doc: Document) -> None:
    """Each body the document names, placed: its region path and its name with its place
    (海东市卫生健康委员会), and the issuer as its bodies (国务院办公厅、教育部 are two). What the graph
    stores of a department is read here, once."""
    path = doc.region_path or []
    for d in [d for t in doc.tasks for d in t.departments] + [d for row in doc.ledger for d in row.departments]:
        region = d.region or doc.region
        d.region_path = department_region_path(region, doc.region, path)
        d.full_name = full_department_name(d.canonical or d.name, region)
        # 各县区政府 read from a table cell came without the mark its name gives it
        d.collective = d.collective or is_collective(d.canonical or d.name)
    doc.issuers = []
    if doc.issuer:
        for name in split_names(doc.issuer, trim=False) or [doc.issuer]:
            doc.issuers.append(Department(
                name=name, role="issuer", canonical=name, collective=is_collective(name), region=doc.region,
                span=doc.span, region_path=department_region_path(doc.region, doc.region, path),
                full_name=full_department_name(name, doc.region)))


def department_region_path(region: str | None, doc_region: str | None, doc_path: list[str]) -> list[str]:
    """The part of the issuing document's region path that a department's region names (where
    the document has no path, the gazetteer's path of the region)."""
    if not doc_path:
        loc = locate(region) if region else None
        return loc.path if loc and loc.path else []
    if not region or region == doc_region:
        return doc_path
    for depth in range(len(doc_path), 0, -1):
        name = doc_path[depth - 1]
        if name == region or name[:2] == region[:2]:
            return doc_path[:depth]
    return doc_path


def level_from_departments(doc: Document) -> str | None:
    """Where nothing names the issuer's place, the level its own departments carry: a plan whose
    lists name 省… bodies is a province's (市… a city's, 区/县… a county's, 国家/国务院… national)."""
    counts: dict[str, int] = {}
    for t in doc.tasks:
        for d in t.departments:
            level = prefix_level(d.canonical)
            if level:
                counts[level] = counts.get(level, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda level: counts[level])
    return best if counts[best] * 2 > sum(counts.values()) else None


def _restated_item(row: Task, items: list[Task]) -> Task | None:
    """The numbered item a table row restates word for word in its task cell, if any."""
    key = title_key(normalise(row.title or ""))
    if len(key) < 4:
        return None
    for item in items:
        if title_key(normalise(item.title or "")) == key:
            return item
    return None


def _plan_heading(blocks: list[Block], title_i: int, end: int, attachment: str | None) -> int | None:
    """An excerpt cut above the signature: where the plan a notice issues starts, its items being
    the notice's own until then. The plan is known by the attachment title or a title the issuing
    sentence (现印发给你们) quotes; its heading may break over two lines. None when no heading is
    found (the items are then read as the plan's, the safer loss)."""
    cues = [i for i in range(title_i, min(end, title_i + 8)) if P.ISSUE_CUE.search(blocks[i].norm)]
    if not cues:
        return None
    names = [attachment] if attachment else []
    names += [t for i in cues for t in P.TITLE.findall(blocks[i].norm)]
    keys = {title_key(normalise(n)) for n in names}
    for i in range(max(cues) + 1, end):
        joined = blocks[i].norm + (blocks[i + 1].norm if i + 1 < end else "")
        if title_key(blocks[i].norm) in keys or title_key(joined) in keys:
            return i
    return None
