"""Lineage over the networkx form of the graph, as plain functions (the networkx way): who carries a
document down, and a printable tree of it."""
from __future__ import annotations

import json

import networkx as nx

from .build import tasks_of


def document_name(G: nx.MultiDiGraph, doc: str) -> str:
    """The 文号 where there is one, else the title: how the gold files and users name a document."""
    d = G.nodes[doc]
    return d.get("doc_number") or d.get("title") or doc


def implemented_by(G: nx.MultiDiGraph, node: str) -> list[tuple[str, dict]]:
    """Nodes that IMPLEMENT this one, with the link's attributes, strongest first."""
    found = [(u, data) for u, _, rel, data in G.in_edges(node, keys=True, data=True) if rel == "IMPLEMENTS"]
    return sorted(found, key=lambda x: (-(x[1].get("score") or 0), x[0]))


def implements(G: nx.MultiDiGraph, node: str) -> list[tuple[str, dict]]:
    found = [(v, data) for _, v, rel, data in G.out_edges(node, keys=True, data=True) if rel == "IMPLEMENTS"]
    return sorted(found, key=lambda x: (-(x[1].get("score") or 0), x[0]))


def descendants(G: nx.MultiDiGraph, doc: str) -> set[str]:
    """Every document that carries this one down, at any depth."""
    seen, todo = set(), [doc]
    while todo:
        for u, _ in implemented_by(G, todo.pop()):
            if G.nodes[u]["label"] == "Document" and u not in seen:
                seen.add(u)
                todo.append(u)
    return seen


def widest_root(G: nx.MultiDiGraph) -> str | None:
    """The ingested document with the most aligned tasks below it: a good first trace to show."""
    best, best_key = None, None
    for n, d in G.nodes(data=True):
        if d.get("label") != "Document" or d.get("placeholder"):
            continue
        below = descendants(G, n)
        task_links = sum(1 for t in tasks_of(G, n) for _ in implemented_by(G, t))
        key = (task_links, len(below), n)
        if below and (best_key is None or key > best_key):
            best, best_key = n, key
    return best


def _how(data: dict) -> str:
    score = data.get("score")
    return f"{data.get('method')} {score:.2f}" if score is not None else str(data.get("method"))


def _doc_line(G, doc: str) -> str:
    d = G.nodes[doc]
    name = d.get("doc_number")
    title = d.get("title") or ""
    facts = ", ".join(str(x) for x in (d.get("region"), d.get("level"), d.get("date")) if x)
    head = f"{name} {title}" if name else title
    if d.get("placeholder"):
        return f"{head} (cited, not ingested)"
    return f"{head} ({facts}; {len(tasks_of(G, doc))} tasks)"


def _task_line(G, task: str) -> str:
    t = G.nodes[task]
    return f"{t.get('path')} {t.get('title') or ''}".strip()


def trace_down_lines(G: nx.MultiDiGraph, doc: str, depth: int = 3) -> list[str]:
    """The document, the documents carrying it down (to `depth` levels) and, under each, the
    parent's tasks with the child tasks that carry them."""
    lines = [_doc_line(G, doc)]

    def walk(parent: str, prefix: str, level: int) -> None:
        children = [(u, data) for u, data in implemented_by(G, parent) if G.nodes[u]["label"] == "Document"]
        for i, (child, data) in enumerate(children):
            last = i == len(children) - 1
            lines.append(f"{prefix}{'└─' if last else '├─'} {_doc_line(G, child)} ← {_how(data)}")
            inner = prefix + ("   " if last else "│  ")
            pairs = []
            for p_task in tasks_of(G, parent):
                carried = [(c, d) for c, d in implemented_by(G, p_task) if G.nodes[c].get("document") == child]
                if carried:
                    pairs.append((p_task, carried))
            for j, (p_task, carried) in enumerate(pairs):
                more = j < len(pairs) - 1 or level + 1 < depth and any(
                    G.nodes[u]["label"] == "Document" for u, _ in implemented_by(G, child))
                lines.append(f"{inner}{'├─' if more else '└─'} {_task_line(G, p_task)}")
                for k, (c_task, d) in enumerate(carried):
                    lines.append(f"{inner}{'│  ' if more else '   '}{'└─' if k == len(carried) - 1 else '├─'} "
                                 f"{_task_line(G, c_task)} ← {_how(d)}")
            if level + 1 < depth:
                walk(child, inner, level + 1)

    walk(doc, "", 0)
    return lines


def task_links(G: nx.MultiDiGraph) -> list[dict]:
    """Every Task IMPLEMENTS Task link in the alignment format of ../shared/tools/score.py, in
    document order of the child tasks."""
    found = []
    for u, v, rel, data in G.edges(keys=True, data=True):
        if rel != "IMPLEMENTS" or G.nodes[u]["label"] != "Task":
            continue
        c, p = G.nodes[u], G.nodes[v]
        order = (document_name(G, c["document"]), c["ordinal"], document_name(G, p["document"]), p["ordinal"])
        found.append((order, {
            "child": {"doc": document_name(G, c["document"]), "path": c["path"].split("/")},
            "parent": {"doc": document_name(G, p["document"]), "path": p["path"].split("/")},
            "score": data.get("score"), "method": data.get("method"),
            "evidence": json.loads(data["evidence"]) if data.get("evidence") else None,
        }))
    return [link for _, link in sorted(found, key=lambda x: x[0])]


def document_links(G: nx.MultiDiGraph) -> list[dict]:
    out = []
    for u, v, rel, data in G.edges(keys=True, data=True):
        if rel == "IMPLEMENTS" and G.nodes[u]["label"] == "Document":
            out.append({"child": document_name(G, u), "parent": document_name(G, v),
                        "parent_placeholder": bool(G.nodes[v].get("placeholder")),
                        "method": data.get("method"), "score": data.get("score"),
                        "evidence": json.loads(data["evidence"]) if data.get("evidence") else None})
    return sorted(out, key=lambda x: (x["child"], x["parent"]))
