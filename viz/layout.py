"""What to draw and where: views of the lineage graph and a layered layout, as plain functions over
the networkx graph.

The layout is layered by administrative level (national at the top, then province, city, county),
and inside a level's band documents sit on one row with their tasks, targets and departments on the
rows below, each task under its own document. Documents of a level are ordered by where the documents
they carry down sit (a barycentre pass, as in Sugiyama-style layered drawing), so a cascade reads
top to bottom with few crossings. Positions are computed once, so the browser does no physics.
"""
from __future__ import annotations

from collections import defaultdict

import networkx as nx

from ..errors import NotFoundError, ViewError
from ..graph.build import tasks_of
from ..graph.lineage import descendants
from ..graph.schema import LEVEL_RANK

LEVEL_NAMES = ["national", "province", "city", "county"]
UNKNOWN_LEVEL = len(LEVEL_NAMES)
BAND = 900          # vertical distance between two administrative levels
ROW = {"Document": 0, "Task": 260, "Target": 420, "Department": 560}
TASK_GAP = 70       # horizontal room per task
DOC_GAP = 160       # room between two documents' task blocks
REGION_X = -400     # regions stand in a column left of the bands


def _rel_in(G, node, rel):
    return [u for u, _, k in G.in_edges(node, keys=True) if k == rel]


def _rel_out(G, node, rel):
    return [v for _, v, k in G.out_edges(node, keys=True) if k == rel]


def find_document(G: nx.MultiDiGraph, name: str) -> str:
    from ..loaders.keys import mention_keys
    if name in G and G.nodes[name].get("label") == "Document":
        return name
    keys = set(mention_keys(name, name))
    for n, d in G.nodes(data=True):
        if d.get("label") == "Document" and (name in (d.get("doc_number"), d.get("title"))
                                             or keys & set((d.get("match_keys") or "").split("|"))):
            return n
    raise NotFoundError(f"no document {name!r} in the store")


def trace_view(G: nx.MultiDiGraph, doc_name: str, depth: int = 3) -> nx.MultiDiGraph:
    """A document, the documents carrying it down to `depth` levels, their tasks, the task links
    between them and the tasks' targets."""
    root = find_document(G, doc_name)
    keep = {root} | descendants(G, root, depth)
    docs = set(keep)
    for doc in docs:
        for task in tasks_of(G, doc):
            keep.add(task)
            keep.update(_rel_out(G, task, "HAS_TARGET"))
    return G.subgraph(keep).copy()


def department_view(G: nx.MultiDiGraph, name: str) -> nx.MultiDiGraph:
    """One department (full name, canonical name or printed alias), its tasks, their documents and
    targets."""
    from ..loaders.departments import canonical, canonical_with_place
    wanted = {name, canonical(name)}
    full = {name, canonical_with_place(name)}
    depts = [n for n, d in G.nodes(data=True) if d.get("label") == "Department"
             and (d.get("full_name") in full or d.get("name") in wanted
                  or any(e.get("printed") == name for _, _, k, e in G.out_edges(n, keys=True, data=True)
                         if k == "RESPONSIBLE_FOR"))]
    if not depts:
        raise NotFoundError(f"no department {name!r} in the store")
    places = sorted({G.nodes[n].get("full_name") or G.nodes[n]["name"] for n in depts})
    exact = [n for n in depts if G.nodes[n].get("full_name") in full]
    if exact:
        depts = exact
    elif len(places) > 1:
        # one name, departments of several places: drawing them as one would merge their work
        raise ViewError(f"{name!r} names {len(places)} departments of different places: "
                        f"{'、'.join(places[:8])}{' …' if len(places) > 8 else ''}; give one of them")
    keep = set(depts)
    for dept in depts:
        for task in _rel_out(G, dept, "RESPONSIBLE_FOR"):
            keep.add(task)
            keep.update(_rel_out(G, task, "PART_OF"))
            keep.update(_rel_out(G, task, "HAS_TARGET"))
    return G.subgraph(keep).copy()


def document_level(G: nx.MultiDiGraph, doc: str) -> int:
    """The band of a document: its level, which a cited document has from its citation
    (loaders.citations.cited_place); a document whose level nothing tells is in the 'unknown' band,
    not guessed from the documents citing it (青海's provincial plans cited by a provincial plan
    were drawn in the national row)."""
    level = G.nodes[doc].get("level")
    return LEVEL_RANK[level] if level in LEVEL_RANK else UNKNOWN_LEVEL


def layered_positions(G: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """x, y for every node of G (y grows downwards, as on a screen)."""
    pos: dict[str, tuple[float, float]] = {}
    docs = [n for n, d in G.nodes(data=True) if d.get("label") == "Document"]
    by_level: dict[int, list[str]] = defaultdict(list)
    for doc in docs:
        by_level[document_level(G, doc)].append(doc)
    task_doc = {}
    for doc in docs:
        for task in _rel_in(G, doc, "PART_OF"):
            task_doc[task] = doc

    for level in sorted(by_level):
        members = by_level[level]

        def order_key(doc):
            parents = [pos[p][0] for p in _rel_out(G, doc, "IMPLEMENTS") if p in pos]
            centre = sum(parents) / len(parents) if parents else float("inf")
            d = G.nodes[doc]
            return (centre, d.get("region") or "", d.get("date") or "", doc)

        members.sort(key=order_key)
        y = level * BAND
        x = 0.0
        for doc in members:
            tasks = sorted((t for t in _rel_in(G, doc, "PART_OF") if t in G),
                           key=lambda t: G.nodes[t].get("ordinal") or 0)
            width = max(len(tasks), 1) * TASK_GAP
            pos[doc] = (x + width / 2, y + ROW["Document"])
            for i, task in enumerate(tasks):
                tx = x + i * TASK_GAP + TASK_GAP / 2
                pos[task] = (tx, y + ROW["Task"] + (i % 2) * 40)   # stagger so labels do not collide
                for j, target in enumerate(t for t in _rel_out(G, task, "HAS_TARGET") if t in G):
                    pos[target] = (tx + j * 14, y + ROW["Target"] + j * 30)
            x += width + DOC_GAP

    # departments: under the mean x of their tasks, in the band of those tasks, spread apart
    dept_rows: dict[int, list[tuple[float, str]]] = defaultdict(list)
    for n, d in G.nodes(data=True):
        if d.get("label") != "Department":
            continue
        tasks = [t for t in _rel_out(G, n, "RESPONSIBLE_FOR") if t in pos]
        if tasks:
            level = min(document_level(G, task_doc[t]) for t in tasks if t in task_doc) if any(
                t in task_doc for t in tasks) else UNKNOWN_LEVEL
            dept_rows[level].append((sum(pos[t][0] for t in tasks) / len(tasks), n))
        else:
            dept_rows[UNKNOWN_LEVEL].append((0.0, n))
    for level, row in dept_rows.items():
        row.sort()
        last = None
        for x, n in row:
            x = x if last is None else max(x, last + 90)
            pos[n] = (x, level * BAND + ROW["Department"])
            last = x

    regions = sorted((n for n, d in G.nodes(data=True) if d.get("label") == "Region"),
                     key=lambda n: G.nodes[n].get("path") or n)
    for i, n in enumerate(regions):
        depth = len((G.nodes[n].get("path") or "").split("/")) - 1
        pos[n] = (REGION_X - (i % 3) * 120, depth * BAND + 120)

    leftover = [n for n in G if n not in pos]
    for i, n in enumerate(sorted(leftover)):
        pos[n] = (REGION_X - 400, UNKNOWN_LEVEL * BAND + i * 60)
    return pos
