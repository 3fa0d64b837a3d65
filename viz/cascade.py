"""The cascade view: documents only, in labelled bands national → province → city → county (and
one for documents whose level nothing tells), each box readable at the opening zoom (region ·
文号, subject, date), links styled by how they were found, with score and evidence on hover.

Inside a band, documents are ordered by where the documents they carry down sit (the barycentre
pass of Sugiyama-style layered drawing), so links run mostly straight down; a band with more
documents than fit a row wraps onto further rows.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import networkx as nx

from ..graph.lineage import document_name
from . import details
from .scene import Band, Box, Line, Link, Scene, fit, wrap

LEVELS = [("national", "国家级 national"), ("province", "省级 province"), ("city", "市级 city"),
          ("county", "县级 county"), (None, "层级不明 level unknown")]
BAND_FILL = ["#f4f6f7", "#fbfcfc"]
LEFT = 170           # the column of band labels
BOX_W, BOX_H = 250, 88
GAP_X, GAP_Y = 30, 64
BAND_PAD = 28
PER_ROW = 10
LINK_STYLE = {       # method -> colour, width, dashed, legend text
    "stated": ("#1f4e79", 2.2, False, "stated: the document names it as its basis 明示依据"),
    "inferred": ("#c0392b", 1.8, True, "inferred: same subject, contained region, later (score) 推断"),
}


def _band_of(d: dict) -> int:
    return next((i for i, (level, _) in enumerate(LEVELS) if level and d.get("level") == level), len(LEVELS) - 1)


def document_links(G: nx.MultiDiGraph, docs: set[str]) -> list[tuple[str, str, dict]]:
    """Document → document IMPLEMENTS links among `docs` (child, parent, edge data)."""
    return [(u, v, e) for u, v, k, e in G.edges(keys=True, data=True)
            if k == "IMPLEMENTS" and u in docs and v in docs]


def _box_lines(d: dict) -> list[Line]:
    width = BOX_W - 16
    number = d.get("doc_number") or "无文号 no 文号"
    head = fit(f"{d.get('region') or '?'} · {number}", width, 13)
    # a document read without a title is shown by its file, so it can still be told apart
    subject = wrap(d.get("attachment_title") or d.get("title") or Path(d.get("source") or "").name, width, 13, 2)
    foot = ("仅被引用 cited, not ingested" if d.get("placeholder")
            else d.get("date") or ("year " + str(d["year"]) if d.get("year") else "日期不详 date unknown"))
    return ([Line(head, 13, True, "#1b2631")] + [Line(s, 13) for s in subject]
            + [Line("", 13)] * (2 - len(subject)) + [Line(foot, 12, False, "#5d6d7e")])


def drawn_documents(G: nx.MultiDiGraph) -> set[str]:
    """The documents of a whole-graph cascade: every ingested document and every cited one that a
    document carries down; a document cited only in passing is a reference, not lineage."""
    return {n for n, d in G.nodes(data=True) if d.get("label") == "Document"
            and (not d.get("placeholder") or any(k == "IMPLEMENTS" and G.nodes[u]["label"] == "Document"
                                                 for u, _, k in G.in_edges(n, keys=True)))}


def _components(docs: set[str], links) -> list[list[str]]:
    """The cascades among `docs`, biggest first; documents linked to nothing are one group, last."""
    H = nx.Graph()
    H.add_nodes_from(docs)
    H.add_edges_from((c, p) for c, p, _ in links)
    parts = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    linked = [c for c in parts if len(c) > 1]
    alone = sorted(n for c in parts if len(c) == 1 for n in c)
    return linked + ([alone] if alone else [])


def _order(G, members: dict[int, list[str]], links, width: int) -> None:
    """Order one cascade's documents in each band in place: sweeps that move each document under
    the mean place of its parents (going down) and over its children's (going up)."""
    up, down = defaultdict(list), defaultdict(list)
    for c, p, _ in links:
        up[c].append(p)
        down[p].append(c)
    for band in members.values():
        band.sort(key=lambda n: (G.nodes[n].get("region") or "", G.nodes[n].get("date") or "", n))

    def slot(i):
        return i % width + i // width * 0.01       # a band wraps into rows: the place in the row lines up

    for _ in range(4):
        for neighbours, order in ((up, sorted(members)), (down, sorted(members, reverse=True))):
            pos = {n: slot(i) for band in members.values() for i, n in enumerate(band)}
            for b in order:
                here = {n: slot(i) for i, n in enumerate(members[b])}

                def key(n):
                    near = [pos[m] for m in neighbours[n] if m in pos]
                    return (sum(near) / len(near) if near else here[n], here[n])
                members[b].sort(key=key)
                pos.update({n: slot(i) for i, n in enumerate(members[b])})


def _slots(members: dict[int, list[str]], links, width: int) -> dict[str, int]:
    """The column of each document of one cascade. A band that fills no row has room to spare: its
    documents move (in their order, one column apart) to the mean column of the documents they are
    linked to in the bands already placed, starting from the fullest band, so a national plan sits
    over the provinces carrying it down instead of in the first column."""
    near = defaultdict(list)
    for c, p, _ in links:
        near[c].append(p)
        near[p].append(c)
    slot: dict[str, int] = {}
    fullest = max(members, key=lambda b: (len(members[b]), -b))
    for b in sorted(members, key=lambda b: (abs(b - fullest), b)):
        band = members[b]
        if len(band) >= width or not slot:
            slot.update({n: i % width for i, n in enumerate(band)})
            continue
        wanted = [round(sum(slot[m] for m in near[n] if m in slot) / max(1, sum(1 for m in near[n] if m in slot)))
                  if any(m in slot for m in near[n]) else i for i, n in enumerate(band)]
        placed: list[int] = []
        for w in wanted:
            placed.append(max(w, placed[-1] + 1) if placed else max(w, 0))
        for i in range(len(placed) - 1, -1, -1):      # pull back what ran past the last column
            placed[i] = min(placed[i], width - 1 if i == len(placed) - 1 else placed[i + 1] - 1)
        slot.update(zip(band, placed))
    return slot


def _shelves(groups: list[tuple[int, dict, dict]]) -> list[list[tuple[int, dict, dict]]]:
    """Cascades side by side on shelves PER_ROW boxes wide (each shelf has its own bands), so the
    picture grows down rather than into a page no one can scroll across."""
    shelves: list[list] = []
    used = PER_ROW
    for width, members, slot in groups:
        if used + width > PER_ROW:
            shelves.append([])
            used = 0
        shelves[-1].append((width, members, slot))
        used += width
    return shelves


def cascade_scene(G: nx.MultiDiGraph, docs: set[str] | None, title: str, task_details: bool = True) -> Scene:
    """The cascade of `docs` (drawn_documents(G) when None). task_details=False leaves out what a
    click on a task shows (the explorer asks the store for it then: a national cascade's tasks are
    most of its page)."""
    if docs is None:
        docs = drawn_documents(G)
    links = document_links(G, docs)
    groups = []
    for component in _components(docs, links):
        members: dict[int, list[str]] = defaultdict(list)
        for doc in component:
            members[_band_of(G.nodes[doc])].append(doc)
        width = min(max(len(m) for m in members.values()), PER_ROW)
        inside = set(component)
        own = [lk for lk in links if lk[0] in inside]
        _order(G, members, own, width)
        groups.append((width, members, _slots(members, own, width)))

    scene = Scene(title=title, width=0, height=0)
    y = 16.0
    widest = 0.0
    for shelf in _shelves(groups):
        for band_index, band_name in enumerate(LEVELS):
            rows = max((-(-len(m.get(band_index, [])) // w) for w, m, _ in shelf), default=0)
            if not rows:
                continue
            count = sum(len(m.get(band_index, [])) for _, m, _ in shelf)
            band_h = BAND_PAD * 2 + rows * BOX_H + (rows - 1) * GAP_Y
            scene.bands.append(Band(y, band_h, f"{band_name[1]} ({count})", BAND_FILL[len(scene.bands) % 2]))
            offset = 0
            for width, members, slot in shelf:
                for i, doc in enumerate(members.get(band_index, [])):
                    bx = LEFT + (offset + slot[doc]) * (BOX_W + GAP_X)
                    by = y + BAND_PAD + (i // width) * (BOX_H + GAP_Y)
                    d = G.nodes[doc]
                    placeholder = bool(d.get("placeholder"))
                    scene.boxes.append(Box(
                        doc, bx, by, BOX_W, BOX_H, _box_lines(d),
                        fill="#f2f4f4" if placeholder else "#eaf2f8", stroke="#85929e" if placeholder else "#1f4e79",
                        dashed=placeholder, kind="document placeholder" if placeholder else "document",
                        hover=" ".join(x for x in (d.get("doc_number"), d.get("title")) if x)))
                    widest = max(widest, bx + BOX_W)
                offset += width
            y += band_h + 12
        y += 24                                   # a gap between shelves
    scene.width = max(widest + 40, 640)
    scene.height = y

    boxes = {b.id: b for b in scene.boxes}
    # the ends of the links meeting one edge of a box are spread along it, in the order of the
    # boxes at their other ends; two boxes on one row are joined side to side
    ends: dict[tuple[str, str], list] = defaultdict(list)
    for child, parent, _ in links:
        c, p = boxes[child], boxes[parent]
        if abs(c.y - p.y) < 1:
            sides = ("right", "left") if c.x < p.x else ("left", "right")
        else:
            sides = ("top", "bottom") if c.y > p.y else ("bottom", "top")
        ends[(child, sides[0])].append(((p.x, p.y), (child, parent)))
        ends[(parent, sides[1])].append(((c.x, c.y), (child, parent)))
    anchor: dict[tuple[str, tuple], tuple[float, float, bool]] = {}
    for (node, side), items in ends.items():
        b = boxes[node]
        items.sort()
        for i, (_, key) in enumerate(items):
            f = (i + 1) / (len(items) + 1)
            anchor[(node, key)] = {"top": (b.x + b.w * f, b.y, True), "bottom": (b.x + b.w * f, b.y + b.h, True),
                                   "left": (b.x, b.y + b.h * f, False),
                                   "right": (b.x + b.w, b.y + b.h * f, False)}[side]
    for child, parent, e in links:
        color, line_width, dashed, _ = LINK_STYLE.get(e.get("method") or "", ("#7f8c8d", 1.4, True, ""))
        x1, y1, vertical = anchor[(child, (child, parent))]
        x2, y2, _ = anchor[(parent, (child, parent))]
        label = f"{e.get('method')} {e['score']:.2f}" if e.get("method") != "stated" and e.get("score") is not None else ""
        via = _detour(scene.boxes, boxes[child], boxes[parent], x1, y1, x2, y2) if vertical else []
        scene.links.append(Link(child, parent, (x1, y1, x2, y2), vertical, color, line_width, dashed, label,
                                f"{document_name(G, child)} → {document_name(G, parent)}\n"
                                + details.evidence_text(e), f"implements {e.get('method')}", via))
    for doc in docs:
        scene.details[doc] = details.document(G, doc)
        if task_details:
            for t, _ in scene.details[doc]["tasks"]:
                scene.details[t] = details.task(G, t)
    methods = {e.get("method") for _, _, e in links}
    scene.legend = [("document", "ingested document 已导入文件"), ("placeholder", "cited, not ingested 仅被引用")] + \
        [(f"link-{m}", LINK_STYLE[m][3]) for m in LINK_STYLE if m in methods]
    return scene


def _detour(all_boxes, child: Box, parent: Box, x1, y1, x2, y2) -> list[tuple[float, float]]:
    """Waypoints that keep a link spanning several rows out from behind the boxes between its ends:
    up (or down) the gap between two columns nearest its start. None needed when nothing is in the way."""
    top, bottom = sorted((y1, y2))
    left, right = sorted((x1, x2))
    blocked = any(b is not child and b is not parent and b.y < bottom and b.y + b.h > top
                  and b.x < right + 4 and b.x + b.w > left - 4 for b in all_boxes)
    if not blocked:
        return []
    pitch = BOX_W + GAP_X
    gutters = [LEFT - GAP_X / 2 + k * pitch for k in range(PER_ROW + 1)]
    gutter = min(gutters, key=lambda g: (abs(g - x1) + abs(g - x2), g))
    step = 36 if y2 < y1 else -36            # into the free space above (or below) each end
    return [(gutter, y1 - step), (gutter, y2 + step)]
