"""Lineage over the networkx form of the graph, as plain functions (the networkx way): who carries a
document down, and the links in the format the alignment gold is scored in."""
from __future__ import annotations

import json

import networkx as nx

from ..loaders.citations import display_doc_number
from .build import tasks_of


def document_name(G: nx.MultiDiGraph, doc: str) -> str:
    """The 文号 where there is one, else the title: how the gold files and users name a document."""
    d = G.nodes[doc]
    return display_doc_number(d.get("doc_number")) or d.get("title") or d.get("attachment_title") or doc


def implemented_by(G: nx.MultiDiGraph, node: str) -> list[tuple[str, dict]]:
    """Nodes that IMPLEMENT this one, with the link's attributes, strongest first."""
    found = [(u, data) for u, _, rel, data in G.in_edges(node, keys=True, data=True) if rel == "IMPLEMENTS"]
    return sorted(found, key=lambda x: (-(x[1].get("score") or 0), x[0]))


def implements(G: nx.MultiDiGraph, node: str) -> list[tuple[str, dict]]:
    found = [(v, data) for _, v, rel, data in G.out_edges(node, keys=True, data=True) if rel == "IMPLEMENTS"]
    return sorted(found, key=lambda x: (-(x[1].get("score") or 0), x[0]))


def _linked(G: nx.MultiDiGraph, doc: str, step, depth: int | None) -> set[str]:
    """The documents reached from doc by `step` links, to `depth` levels (all: None): networkx's
    breadth-first search, told the neighbours by `step`. (Over nx.subgraph_view of the document
    links the same search took 200 ms a call on the 10k store, sizing the filtered view, against
    under 1 ms.)"""
    nodes = G._node

    def linked(node):
        return [u for u, _ in step(G, node) if nodes[u]["label"] == "Document"]

    return {v for _, v in nx.generic_bfs_edges(G, doc, neighbors=linked, depth_limit=depth)} - {doc}


def descendants(G: nx.MultiDiGraph, doc: str, depth: int | None = None) -> set[str]:
    """Every document that carries this one down, to `depth` levels (any depth: None)."""
    return _linked(G, doc, implemented_by, depth)


def ancestors(G: nx.MultiDiGraph, doc: str, depth: int | None = None) -> set[str]:
    """Every document this one carries down, to `depth` levels up (any depth: None)."""
    return _linked(G, doc, implements, depth)


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


def transitive_links(G: nx.MultiDiGraph) -> list[dict]:
    """Documents a document carries down through the documents it carries down, with no link of its
    own to them: a city plan that names only its province's plan carries the national plan through
    it. Each with the chain it holds by (`via`, nearest first)."""
    out = []
    for doc, d in G.nodes(data=True):
        if d.get("label") != "Document" or d.get("placeholder"):
            continue
        direct = {v for v, _ in implements(G, doc) if G.nodes[v]["label"] == "Document"}
        seen = set(direct) | {doc}
        todo = [(v, [v]) for v in sorted(direct)]
        while todo:
            node, chain = todo.pop(0)
            for parent, _ in implements(G, node):
                if G.nodes[parent]["label"] != "Document" or parent in seen:
                    continue
                seen.add(parent)
                out.append({"child": document_name(G, doc), "parent": document_name(G, parent),
                            "parent_placeholder": bool(G.nodes[parent].get("placeholder")),
                            "method": "transitive", "score": None,
                            "via": [document_name(G, x) for x in chain]})
                todo.append((parent, chain + [parent]))
    return sorted(out, key=lambda x: (x["child"], x["parent"]))
