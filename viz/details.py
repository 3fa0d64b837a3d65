"""What a click on a document or a task shows, as plain data the page renders with textContent
(document text never becomes markup)."""
from __future__ import annotations

import json

import networkx as nx

from ..graph.build import tasks_of
from ..graph.lineage import document_name


def out_of(G, node, rel):
    return [v for _, v, k in G.out_edges(node, keys=True) if k == rel]


def departments(G: nx.MultiDiGraph, task: str) -> list[str]:
    """The task's departments with their place and role: 海东市卫生健康委员会 (lead)."""
    out = []
    for u, _, k, e in G.in_edges(task, keys=True, data=True):
        if k == "RESPONSIBLE_FOR":
            out.append(f"{G.nodes[u].get('full_name') or G.nodes[u]['name']} ({e.get('role')})")
    return sorted(out)


def source(d: dict) -> str | None:
    if not d.get("source"):
        return None
    return f"{d['source']} [{d.get('span_start')}:{d.get('span_end')}]"


def evidence_text(e: dict) -> str:
    """A link's method, score and evidence in one readable paragraph (the tooltip of a link)."""
    lines = [f"{e.get('method')} · score {e.get('score'):.2f}" if e.get("score") is not None else str(e.get("method"))]
    try:
        evidence = json.loads(e.get("evidence") or "{}")
    except ValueError:
        evidence = {}
    for key, value in evidence.items():
        if isinstance(value, list):
            value = " | ".join(str(v) for v in value)
        lines.append(f"{key}: {value}")
    return "\n".join(lines)


def document(G: nx.MultiDiGraph, doc: str) -> dict:
    d = G.nodes[doc]
    return {"kind": "document", "heading": " ".join(x for x in (d.get("doc_number"), d.get("title")) if x),
            "fields": [("文号 number", d.get("doc_number")), ("标题 title", d.get("title")),
                       ("附件 attachment", d.get("attachment_title")), ("发文机关 issuer", d.get("issuer")),
                       ("日期 date", d.get("date")), ("层级 level", d.get("level")), ("地区 region", d.get("region")),
                       ("状态 status", "cited, not ingested 仅被引用" if d.get("placeholder") else "ingested 已导入"),
                       ("来源 source", source(d))],
            "tasks": [[t, f"{G.nodes[t].get('path')} {G.nodes[t].get('title') or ''}".strip()]
                      for t in tasks_of(G, doc)],
            "parents": [[v, document_name(G, v)] for _, v, k in G.out_edges(doc, keys=True)
                        if k == "IMPLEMENTS" and G.nodes[v]["label"] == "Document"],
            "search": " ".join(str(x) for x in (d.get("doc_number"), d.get("title"), d.get("attachment_title"),
                                                d.get("issuer"), d.get("region")) if x)}


def task(G: nx.MultiDiGraph, t: str) -> dict:
    d = G.nodes[t]
    return {"kind": "task", "heading": f"{d.get('path')} {d.get('title') or ''}".strip(),
            "fields": [("文件 document", document_name(G, d["document"]) if d.get("document") in G else None), ("任务 task", d.get("title")), ("内容 text", d.get("text")),
                       ("时限 deadline", d.get("deadline")),
                       ("指标 targets", [G.nodes[x]["text"] for x in out_of(G, t, "HAS_TARGET")]),
                       ("责任单位 departments (role)", departments(G, t)), ("来源 source", source(d))],
            "search": " ".join(str(x) for x in (d.get("path"), d.get("title")) if x)}
