"""The alignment view of one parent → child pair: the parent's tasks in a column on the left and
the child's on the right, each in its own order, joined where a child task carries a parent task
down (thicker for a higher score), with the target drift written on the link (35% → 45%). A parent
task no child task carries is a gap and is marked so; a child task with no parent is its own."""
from __future__ import annotations

import networkx as nx

from ..errors import ViewError
from ..graph.build import tasks_of
from ..graph.lineage import document_name, implements
from . import details
from .scene import Box, Line, Link, Scene, fit

COL_W = 430
GUTTER = 320
TOP = 150
ROW = 58
BOX_H = 50


def task_links(G: nx.MultiDiGraph, parent: str, child: str) -> list[tuple[str, str, dict]]:
    """(child task, parent task, edge) for every task of `child` carrying a task of `parent` down."""
    ptasks = set(tasks_of(G, parent))
    return [(u, v, e) for u in tasks_of(G, child) for _, v, k, e in G.out_edges(u, keys=True, data=True)
            if k == "IMPLEMENTS" and v in ptasks]


def drift(G: nx.MultiDiGraph, child_task: str, parent_task: str) -> list[str]:
    """The target changes between two tasks: '35% → 45%' for each child target derived from one of
    the parent task's."""
    parent_targets = {v for _, v, k in G.out_edges(parent_task, keys=True) if k == "HAS_TARGET"}
    out = []
    for _, t, k in G.out_edges(child_task, keys=True):
        if k != "HAS_TARGET":
            continue
        out += [e.get("change") for _, v, kk, e in G.out_edges(t, keys=True, data=True)
                if kk == "DERIVED_FROM" and v in parent_targets and e.get("change")]
    return out


def _task_box(G, t, x, y, state: str) -> Box:
    d = G.nodes[t]
    head = fit(f"{d.get('path')} {d.get('title') or ''}", COL_W - 16, 13)
    if state == "gap":
        second = Line("未承接 not carried down", 12, True, "#c0392b")
    elif state == "own":
        second = Line("本级新增 no parent task", 12, False, "#7f8c8d")
    else:
        second = Line(fit("；".join(details.departments(G, t)) or "—", COL_W - 16, 12), 12, False, "#5d6d7e")
    fill, stroke = {"gap": ("#fdedec", "#c0392b"), "own": ("#f8f9f9", "#85929e")}.get(state, ("#fef5e7", "#b9770e"))
    return Box(t, x, y, COL_W, BOX_H, [Line(head, 13, True), second], fill=fill, stroke=stroke,
               kind=f"task {state}", hover=f"{d.get('path')} {d.get('title') or ''}\n{(d.get('text') or '')[:300]}")


def alignment_scene(G: nx.MultiDiGraph, parent: str, child: str) -> Scene:
    link = next((e for v, e in implements(G, child) if v == parent), None)
    if link is None:
        raise ViewError(f"{document_name(G, child)} is not linked as carrying down "
                        f"{document_name(G, parent)}; `policykg links --explain` says why")
    pairs = task_links(G, parent, child)
    ptasks, ctasks = tasks_of(G, parent), tasks_of(G, child)
    carried = {v for _, v, _ in pairs}
    with_parent = {u for u, _, _ in pairs}
    pd, cd = G.nodes[parent], G.nodes[child]
    title = f"{document_name(G, parent)} → {document_name(G, child)} · task alignment"
    scene = Scene(title=title, width=20 + 2 * COL_W + GUTTER + 20,
                  height=TOP + max(len(ptasks), len(ctasks), 1) * ROW + 30)
    left, right = 20, 20 + COL_W + GUTTER
    for x, doc, d, role in ((left, parent, pd, "上级 parent"), (right, child, cd, "下级 child")):
        scene.boxes.append(Box(doc, x, 16, COL_W, 70, [
            Line(fit(f"{role} · {d.get('region') or '?'} · {d.get('doc_number') or '无文号'}", COL_W - 16, 14), 14, True),
            Line(fit(d.get("attachment_title") or d.get("title"), COL_W - 16, 13), 13),
            Line(d.get("date") or "日期不详 date unknown", 12, False, "#5d6d7e")],
            fill="#eaf2f8", stroke="#1f4e79", kind="document", hover=d.get("title") or ""))
    gaps = [t for t in ptasks if t not in carried]
    summary = (f"{len(carried)} of {len(ptasks)} parent tasks carried down · {len(gaps)} gaps 未承接 · "
               f"{len(ctasks) - len(with_parent)} of {len(ctasks)} child tasks have no parent task · "
               f"document link: {link.get('method')} {link.get('score', 0):.2f}")
    scene.notes.append((left, 118, Line(summary, 14, False, "#34495e")))
    y_of = {}
    for i, t in enumerate(ptasks):
        y_of[t] = TOP + i * ROW
        scene.boxes.append(_task_box(G, t, left, y_of[t], "carried" if t in carried else "gap"))
    for i, t in enumerate(ctasks):
        y_of[t] = TOP + i * ROW
        scene.boxes.append(_task_box(G, t, right, y_of[t], "carried" if t in with_parent else "own"))
    # weakest first, so the strongest links are drawn on top
    for u, v, e in sorted(pairs, key=lambda p: p[2].get("score") or 0):
        score = e.get("score") or 0
        changes = drift(G, u, v)
        label = "；".join(changes) if changes else f"{score:.2f}"
        hover = (f"{G.nodes[v].get('path')} {G.nodes[v].get('title')} → {G.nodes[u].get('path')} {G.nodes[u].get('title')}\n"
                 + details.evidence_text(e) + ("\n指标 target: " + "；".join(changes) if changes else ""))
        scene.links.append(Link(v, u, (left + COL_W, y_of[v] + BOX_H / 2, right, y_of[u] + BOX_H / 2), False,
                                "#2e86c1" if not changes else "#7d3c98", 1 + 3 * score, False, label, hover,
                                "aligned drift" if changes else "aligned"))
    for doc in (parent, child):
        scene.details[doc] = details.document(G, doc)
    for t in ptasks + ctasks:
        scene.details[t] = details.task(G, t)
    scene.legend = [("task", "task carried down 已承接 (line: score or target drift)"),
                    ("gap", "parent task no child task carries 未承接"), ("own", "child task with no parent task 本级新增"),
                    ("link-aligned", "aligned task link, thicker = higher score")]
    return scene
