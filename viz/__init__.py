"""Pictures of the lineage: interactive, self-contained HTML pages (pyvis / vis-network) and static
PNG or SVG cascades (matplotlib), from the networkx form of the graph."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .html import render_html, summary, write_html
from .layout import ViewError, department_view, find_document, layered_positions, trace_view
from .static import FontError, draw


@dataclass
class VizResult:
    heading: str
    written: list[Path] = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def view(G: nx.MultiDiGraph, trace: str | None = None, depth: int = 3,
         department: str | None = None) -> tuple[nx.MultiDiGraph, str]:
    """The part of G to draw and its heading: one directive's cascade, one department's portfolio,
    or the whole graph."""
    if trace:
        root = find_document(G, trace)
        d = G.nodes[root]
        return trace_view(G, root, depth), f"policykg · {d.get('doc_number') or d.get('title')} · cascade"
    if department:
        return department_view(G, department), f"policykg · {department} · portfolio"
    return G, "policykg · lineage graph"


def make(G: nx.MultiDiGraph, out: str | os.PathLike | None = None, png: str | os.PathLike | None = None,
         svg: str | os.PathLike | None = None, trace: str | None = None, depth: int = 3,
         department: str | None = None) -> VizResult:
    """Write the page (out), the picture (png / svg) or both for a view of G."""
    part, heading = view(G, trace, depth, department)
    result = VizResult(heading, counts=summary(part))
    if out or not (png or svg):
        result.written.append(write_html(part, out or "lineage.html", heading, full=G))
    for picture in (png, svg):
        if picture:
            result.written.append(draw(part, picture, heading, full=G))
    return result


__all__ = ["make", "view", "render_html", "write_html", "draw", "layered_positions", "trace_view",
           "department_view", "ViewError", "FontError", "VizResult"]
