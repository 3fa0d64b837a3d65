"""The coverage matrix of one directive: its tasks as rows, every document carrying it down as a
column (grouped by level, then region), each cell carried (with the score of the link, or of the
weakest link of a chain through an intermediate document) or not — the picture of selective
implementation. A cell is carried exactly when `policykg query gaps` does not list the task for
that document: some task of the document reaches it through one to three task links."""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..errors import ViewError
from ..graph.build import tasks_of
from ..graph.lineage import descendants, document_name
from . import details
from .scene import Box, Line, Scene, fit

HEAD_W = 400
CELL_W, CELL_H = 150, 34
TOP = 176
LEVEL_ORDER = {"national": 0, "province": 1, "city": 2, "county": 3}
MAX_HOPS = 3                # as the gaps query: IMPLEMENTS*1..3


@dataclass
class Coverage:
    directive: str
    tasks: list[str]
    documents: list[str]
    cells: dict[tuple[str, str], tuple[float, int]]   # (task, document) -> (score, hops) where carried


def coverage(G: nx.MultiDiGraph, directive: str, depth: int = 3) -> Coverage:
    tasks = tasks_of(G, directive)
    if not tasks:
        raise ViewError(f"{document_name(G, directive)} has no tasks to follow down")
    docs = [d for d in descendants(G, directive, depth) if not G.nodes[d].get("placeholder")]
    docs.sort(key=lambda n: (LEVEL_ORDER.get(G.nodes[n].get("level"), 4), G.nodes[n].get("region") or "",
                             G.nodes[n].get("date") or "", n))
    wanted = set(tasks)
    cells: dict[tuple[str, str], tuple[float, int]] = {}
    for doc in docs:
        # best score reaching each task: a chain counts as its weakest link
        best: dict[str, tuple[float, int]] = {}
        frontier = {t: 1.0 for t in tasks_of(G, doc)}
        for hops in range(1, MAX_HOPS + 1):
            nxt: dict[str, float] = {}
            for u, s in frontier.items():
                for _, v, k, e in G.out_edges(u, keys=True, data=True):
                    if k != "IMPLEMENTS" or G.nodes[v]["label"] != "Task":
                        continue
                    score = min(s, e.get("score") or 0.0)
                    if v in wanted and (v not in best or score > best[v][0]):
                        best[v] = (score, hops)
                    nxt[v] = max(nxt.get(v, 0.0), score)
            frontier = nxt
        for t, value in best.items():
            cells[(t, doc)] = value
    return Coverage(directive, tasks, docs, cells)


def _shade(score: float) -> str:
    # pale to deep green with the score
    g = int(235 - 120 * min(max(score, 0), 1))
    return f"#{int(g * 0.55):02x}{min(g + 20, 255):02x}{int(g * 0.6):02x}"


def coverage_scene(G: nx.MultiDiGraph, directive: str, depth: int = 3) -> Scene:
    cov = coverage(G, directive, depth)
    d0 = G.nodes[directive]
    scene = Scene(title=f"{document_name(G, directive)} · coverage 承接矩阵",
                  width=20 + HEAD_W + max(len(cov.documents), 1) * CELL_W + 170,
                  height=TOP + (len(cov.tasks) + 1) * CELL_H + 40)
    scene.notes.append((20, 30, Line(fit(d0.get("attachment_title") or d0.get("title"), HEAD_W + 600, 15), 15, True)))
    scene.notes.append((20, 56, Line(f"{len(cov.tasks)} tasks × {len(cov.documents)} document{'' if len(cov.documents) == 1 else 's'} carrying it down; "
                                     "a cell: carried (score; via: through an intermediate document) or not", 13,
                                     False, "#34495e")))
    if not cov.documents:
        scene.notes.append((20, TOP, Line("no ingested document carries this directive down", 14, True, "#c0392b")))
    for j, doc in enumerate(cov.documents):
        d = G.nodes[doc]
        x = 20 + HEAD_W + j * CELL_W
        share = sum(1 for t in cov.tasks if (t, doc) in cov.cells)
        scene.boxes.append(Box(doc, x, 70, CELL_W - 4, TOP - 76, [
            Line(fit(d.get("region") or "?", CELL_W - 20, 13), 13, True),
            Line(fit(d.get("doc_number") or "无文号", CELL_W - 20, 12), 12),
            Line(f"{d.get('level') or '?'} · {(d.get('date') or '')[:7]}", 12, False, "#5d6d7e"),
            Line(f"{share}/{len(cov.tasks)} carried", 12, True, "#1e8449")],
            fill="#eaf2f8", stroke="#1f4e79", kind="document", hover=d.get("title") or ""))
    for i, t in enumerate(cov.tasks):
        y = TOP + i * CELL_H
        dt = G.nodes[t]
        carried = sum(1 for doc in cov.documents if (t, doc) in cov.cells)
        gap = carried == 0 and bool(cov.documents)
        scene.boxes.append(Box(t, 20, y, HEAD_W - 4, CELL_H - 4,
                               [Line(fit(f"{dt.get('path')} {dt.get('title') or ''}", HEAD_W - 20, 13), 13)],
                               fill="#fdedec" if gap else "#fef5e7", stroke="#c0392b" if gap else "#b9770e",
                               kind="task gap" if gap else "task", hover=dt.get("text") or ""))
        for j, doc in enumerate(cov.documents):
            x = 20 + HEAD_W + j * CELL_W
            cell = cov.cells.get((t, doc))
            name = f"{dt.get('path')} × {document_name(G, doc)}"
            if cell:
                score, hops = cell
                scene.boxes.append(Box(f"cell:{t}|{doc}", x, y, CELL_W - 4, CELL_H - 4,
                                       [Line(f"{score:.2f}" + (" via" if hops > 1 else ""), 13, True,
                                             "#ffffff" if score > 0.5 else "#145a32")],
                                       fill=_shade(score), stroke="#1e8449", kind="cell carried", align="middle",
                                       hover=f"{name}: carried, score {score:.2f}"
                                             + (f" through {hops} task links" if hops > 1 else "")))
            else:
                scene.boxes.append(Box(f"cell:{t}|{doc}", x, y, CELL_W - 4, CELL_H - 4,
                                       [Line("—", 13, False, "#c0392b")], fill="#fdf2f0", stroke="#e6b0aa",
                                       kind="cell not-carried", align="middle", hover=f"{name}: not carried 未承接"))
        x = 20 + HEAD_W + len(cov.documents) * CELL_W + 8
        scene.notes.append((x, y + 21, Line(f"{carried}/{len(cov.documents)}", 13, carried == 0,
                                            "#c0392b" if gap else "#34495e")))
    for doc in [directive] + cov.documents:
        scene.details[doc] = details.document(G, doc)
    for t in cov.tasks:
        scene.details[t] = details.task(G, t)
    scene.legend = [("carried", "carried 已承接 (score; via: through an intermediate document)"),
                    ("not-carried", "not carried 未承接"), ("gap", "a task no document carries down")]
    return scene
