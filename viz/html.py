"""The interactive page: a pyvis network with computed positions, rendered into a self-contained
HTML page (vis-network inlined from pyvis's own copy; no CDN, since government intranets have no
network). pyvis's stock template fetches Bootstrap from a CDN and pastes node data into a script
without escaping, so the page uses its own template, which embeds data as escaped JSON and shows
document text only through textContent."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import jinja2
import networkx as nx
import pyvis

from .details import departments, out_of, source
from .layout import LEVEL_NAMES, UNKNOWN_LEVEL, document_level, layered_positions
from .page import write_atomic


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    color: str
    shape: str
    size: int
    border: str = ""


KINDS = {
    "Document": Kind("Document", "Document 文件", "#1f4e79", "box", 25),
    "Task": Kind("Task", "Task 任务", "#f4a261", "dot", 10),
    "Target": Kind("Target", "Target 指标", "#2a9d8f", "triangle", 8),
    "Department": Kind("Department", "Department 部门", "#8e44ad", "diamond", 10),
    "Region": Kind("Region", "Region 地区", "#6c757d", "hexagon", 14),
}
EDGE_STYLE: dict[str, dict] = {
    "IMPLEMENTS": {"color": "#c0392b", "width": 2},
    "DERIVED_FROM": {"color": "#2a9d8f", "width": 2},
    "CITES": {"color": "#95a5a6", "width": 1, "dashes": [2, 4]},
    "REPEALS": {"color": "#e74c3c", "width": 1},
    "PART_OF": {"color": "#d5d8dc", "width": 1},
    "HAS_TARGET": {"color": "#a3d9d3", "width": 1},
    "RESPONSIBLE_FOR": {"color": "#d7bde2", "width": 1},
    "ISSUED_BY": {"color": "#d7bde2", "width": 1},
    "IN_REGION": {"color": "#e5e7e9", "width": 1},
    "WITHIN": {"color": "#bdc3c7", "width": 1},
}
OPTIONS = {
    "physics": {"enabled": False},          # positions are computed; a big graph stays responsive
    "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True, "navigationButtons": False},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
              "font": {"size": 11, "align": "middle"}},
    "nodes": {"font": {"size": 13, "face": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"}},
}


def _short(text: str | None, n: int) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def node_view(G: nx.MultiDiGraph, full: nx.MultiDiGraph, n: str, level: int) -> dict:
    """Label, heading, details and search text of one node (details come from the full graph, so a
    task in a small view still lists all its departments and targets)."""
    d = G.nodes[n]
    kind = d["label"]
    level_name = LEVEL_NAMES[level] if level < UNKNOWN_LEVEL else "unknown"
    if kind == "Document":
        name = d.get("doc_number") or ""
        label = _short(name or d.get("title"), 18)
        heading = " ".join(x for x in (name, d.get("title")) if x)
        details = [("文号 number", name), ("标题 title", d.get("title")), ("附件 attachment", d.get("attachment_title")),
                   ("发文机关 issuer", d.get("issuer")), ("日期 date", d.get("date")), ("层级 level", d.get("level")),
                   ("地区 region", d.get("region")),
                   ("状态 status", "cited, not ingested 仅被引用" if d.get("placeholder") else "ingested 已导入"),
                   ("来源 source", source(d))]
    elif kind == "Task":
        doc = full.nodes[d["document"]] if d.get("document") in full else {}
        label = _short(f"{d.get('number')} {d.get('title') or ''}", 14)
        heading = f"{d.get('path')} {d.get('title') or ''}"
        details = [("文件 document", doc.get("doc_number") or doc.get("title")), ("任务 task", d.get("title")),
                   ("内容 text", d.get("text")), ("时限 deadline", d.get("deadline")),
                   ("指标 targets", [full.nodes[t]["text"] for t in out_of(full, n, "HAS_TARGET")]),
                   ("责任单位 departments (role)", departments(full, n)), ("来源 source", source(d))]
    elif kind == "Target":
        label = f"{d.get('value'):g}{d.get('unit') or ''}" if d.get("value") is not None else "?"
        heading = d.get("text") or label
        derived = [f"{e.get('change')} ({full.nodes[v].get('text')})" for _, v, k, e in
                   full.out_edges(n, keys=True, data=True) if k == "DERIVED_FROM"]
        details = [("指标 target", d.get("text")), ("数值 value", label), ("比较 comparator", d.get("comparator")),
                   ("时限 by", d.get("by")), ("源自 derived from", derived), ("来源 source", source(d))]
    elif kind == "Department":
        label = _short(d.get("name"), 12)
        heading = d.get("full_name") or d.get("name")
        tasks = [f"{full.nodes[t].get('path')} {full.nodes[t].get('title')}" for t in out_of(full, n, "RESPONSIBLE_FOR")]
        details = [("部门 department", d.get("full_name") or d.get("name")), ("地区 region", d.get("region")),
                   ("集合 collective", "yes: every such body in the region" if d.get("collective") else None),
                   ("任务 tasks", tasks)]
    else:
        label = d.get("name") or n
        heading = d.get("path") or label
        details = [("地区 region", d.get("path")), ("层级 level", d.get("level"))]
    search = " ".join(str(x) for x in (heading, d.get("doc_number"), d.get("title"), d.get("name"),
                                        d.get("full_name"), d.get("text")) if x)
    return {"label": label or n, "heading": heading or n, "details": details, "search": search,
            "level": level_name, "region": d.get("region") or "", "title": _short(heading, 80)}


def network_data(G: nx.MultiDiGraph, full: nx.MultiDiGraph | None = None) -> tuple[list[dict], list[dict]]:
    """vis-network's nodes and edges for G: layered positions, colours, shapes and per-node details.
    Written as the dicts pyvis's Network builds, without it: its add_node and add_edge look each id
    up in a Python list, so building a page cost grew with nodes × edges (90% of a big page's time)."""
    full = full if full is not None else G
    pos = layered_positions(G)
    nodes: list[dict] = []
    edges: list[dict] = []
    doc_level = {n: document_level(G, n) for n, d in G.nodes(data=True) if d["label"] == "Document"}
    for n, d in G.nodes(data=True):
        kind = KINDS[d["label"]]
        if d["label"] == "Document":
            level = doc_level[n]
        elif d.get("document") in doc_level:
            level = doc_level[d["document"]]
        elif d.get("task") in G and G.nodes[d["task"]].get("document") in doc_level:
            level = doc_level[G.nodes[d["task"]]["document"]]
        else:
            level = {"national": 0, "province": 1, "city": 2, "county": 3}.get(d.get("level"), UNKNOWN_LEVEL)
        view = node_view(G, full, n, level)
        style = {"color": kind.color, "shape": kind.shape, "size": kind.size}
        if d["label"] == "Document":
            style["font"] = {"color": "#ffffff", "size": 18}
            if d.get("placeholder"):
                style = {"shape": "box", "color": {"background": "#eceff1", "border": "#90a4ae"},
                         "shapeProperties": {"borderDashes": [5, 5]}, "font": {"color": "#37474f"}}
        x, y = pos[n]
        style.setdefault("color", "#97c2fc")
        nodes.append({"id": n, "label": view["label"] or n, "x": x, "y": y, "physics": False, "kind": d["label"],
                      "heading": view["heading"], "details": view["details"], "search": view["search"],
                      "level": view["level"], "region": view["region"], "title": view["title"], **style})
    for i, (u, v, rel, e) in enumerate(G.edges(keys=True, data=True)):
        style = dict(EDGE_STYLE[rel])
        method = e.get("method") if rel in ("IMPLEMENTS", "DERIVED_FROM") else None
        label = ""
        if rel == "IMPLEMENTS" and method in ("inferred", "aligned"):
            style["dashes"] = True
            label = f"{e.get('score'):.2f}" if e.get("score") is not None else ""
        if rel == "DERIVED_FROM":
            label = e.get("change") or ""
        title = rel if not method else f"{rel} ({method}{', ' + format(e['score'], '.2f') if e.get('score') is not None else ''})"
        if rel == "RESPONSIBLE_FOR":
            title = f"{rel} ({e.get('role')})"
        edges.append({"from": u, "to": v, "arrows": "to", "id": f"e{i}", "rel": rel, "method": method,
                      "label": label, "title": title, **style})
    return nodes, edges


def _environment() -> jinja2.Environment:
    # our template first; pyvis's folder for the vis-network files it includes inline
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        jinja2.FileSystemLoader(os.path.join(os.path.dirname(pyvis.__file__), "templates")),
    ])
    return jinja2.Environment(loader=loader, autoescape=True)


def render_html(G: nx.MultiDiGraph, heading: str, full: nx.MultiDiGraph | None = None) -> str:
    nodes, edges = network_data(G, full)
    levels = sorted({n["level"] for n in nodes}, key=lambda s: (LEVEL_NAMES + ["unknown"]).index(s))
    regions = sorted({n["region"] for n in nodes if n["region"]})
    methods = sorted({e["method"] for e in edges if e.get("method")})
    kinds = [KINDS[k] for k in KINDS if any(n["kind"] == k for n in nodes)]
    return _environment().get_template("lineage.html").render(
        heading=heading, nodes=nodes, edges=edges, options=OPTIONS, kinds=kinds, levels=levels,
        regions=regions, methods=methods)


def write_html(G: nx.MultiDiGraph, path: str | os.PathLike, heading: str,
               full: nx.MultiDiGraph | None = None) -> Path:
    return write_atomic(path, render_html(G, heading, full))


def summary(G: nx.MultiDiGraph) -> dict:
    """What a page shows: node and edge counts, nodes by type."""
    return {"nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "by_type": {k: sum(1 for _, d in G.nodes(data=True) if d["label"] == k) for k in KINDS}}
