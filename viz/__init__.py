"""Pictures of the lineage, from the networkx form of the graph.

Four views: the cascade (documents in level bands, the default, for the whole graph or one
document's lineage), the alignment of one parent → child pair (their tasks side by side), the
coverage matrix of one directive (its tasks × the documents carrying it down), and the network
(every node: tasks, targets, departments; also one department's portfolio). The first three are
Scenes (scene.py) written as an interactive page, an SVG with real text, or a PNG; the network is
a vis-network page.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from ..errors import FontError, ViewError
from ..graph.lineage import ancestors, descendants
from .alignment import alignment_scene
from .cascade import cascade_scene
from .coverage import coverage_scene
from .html import render_html, summary, write_html
from .layout import department_view, find_document, layered_positions, trace_view
from .page import render_page, write_page
from .scene import Scene
from .static import draw, draw_scene
from .svg import render_svg

VIEWS = ("cascade", "alignment", "coverage", "network")
# past these a page takes minutes to open, if it opens at all (a 1,224-document network page is
# 220 MB and Chromium had not drawn it after 150 s): refuse and say what to draw instead
MAX_CASCADE_DOCUMENTS = 3000
MAX_NETWORK_NODES = 20000
PROGRESS_FROM = 300          # documents (or 10× as many nodes) from which viz reports its steps


@dataclass
class VizResult:
    heading: str
    written: list[Path] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    description: str = ""    # what was drawn, in words: "15 documents, 7 links"


def lineage_documents(G: nx.MultiDiGraph, root: str, depth: int) -> set[str]:
    """A document's lineage for the cascade view: the documents carrying it down to `depth` levels
    and those it carries down, to `depth` levels up."""
    return {root} | descendants(G, root, depth) | ancestors(G, root, depth)


def view(G: nx.MultiDiGraph, trace: str | None = None, depth: int = 3,
         department: str | None = None) -> tuple[nx.MultiDiGraph, str]:
    """The part of G the network view draws and its heading: one directive's cascade with its
    tasks, one department's portfolio, or the whole graph."""
    if trace:
        root = find_document(G, trace)
        d = G.nodes[root]
        return trace_view(G, root, depth), f"policykg · {d.get('doc_number') or d.get('title')} · cascade"
    if department:
        return department_view(G, department), f"policykg · {department} · portfolio"
    return G, "policykg · lineage graph"


def scene_for(G: nx.MultiDiGraph, view_name: str = "cascade", trace: str | None = None, depth: int = 3,
              align: tuple[str, str] | None = None, directive: str | None = None) -> Scene:
    """The scene of a cascade (whole graph, or one document's lineage), alignment or coverage view."""
    if view_name == "alignment":
        if not align:
            raise ViewError("the alignment view needs a parent and a child document (--align PARENT CHILD)")
        parent, child = (find_document(G, name) for name in align)
        return alignment_scene(G, parent, child)
    if view_name == "coverage":
        if not directive:
            raise ViewError("the coverage view needs a directive (--coverage DOC)")
        return coverage_scene(G, find_document(G, directive), depth)
    if trace:
        root = find_document(G, trace)
        docs = lineage_documents(G, root, depth)
        d = G.nodes[root]
        title = f"policykg · {d.get('doc_number') or d.get('title')} · lineage"
    else:
        docs, title = None, "policykg · lineage of every document"
    scene = cascade_scene(G, docs, title)
    n = sum(1 for b in scene.boxes if b.kind.startswith("document"))
    if n > MAX_CASCADE_DOCUMENTS:
        raise ViewError(f"{n} documents are more than one page can show (at most {MAX_CASCADE_DOCUMENTS}): "
                        "draw one document's lineage with --trace DOC (and a smaller --depth)")
    return scene


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _describe(scene: Scene, view_name: str) -> str:
    docs = sum(1 for b in scene.boxes if b.kind.startswith("document"))
    if view_name == "alignment":
        return (f"{_count(sum(1 for b in scene.boxes if b.kind.startswith('task')), 'task')}, "
                f"{_count(len(scene.links), 'task link')}")
    if view_name == "coverage":
        return (f"{_count(sum(1 for b in scene.boxes if b.kind.startswith('cell')), 'cell')}, "
                f"{_count(docs, 'document')} carrying it down")
    return f"{_count(docs, 'document')}, {_count(len(scene.links), 'link')}"


def make(G: nx.MultiDiGraph, out: str | os.PathLike | None = None, png: str | os.PathLike | None = None,
         svg: str | os.PathLike | None = None, trace: str | None = None, depth: int = 3,
         department: str | None = None, view_name: str | None = None, align: tuple[str, str] | None = None,
         directive: str | None = None, progress: Callable[[str], None] | None = None) -> VizResult:
    """Write the page (out), the picture (png / svg) or all of them for one view of G."""
    view_name = view_name or ("alignment" if align else "coverage" if directive else
                              "network" if department else "cascade")
    if view_name not in VIEWS:
        raise ViewError(f"no view {view_name!r}; the views are {', '.join(VIEWS)}")
    documents = sum(1 for _, d in G.nodes(data=True) if d.get("label") == "Document")
    say = progress if progress and (documents >= PROGRESS_FROM or len(G) >= 10 * PROGRESS_FROM) else None
    pictures = [p for p in (png, svg) if p]
    if view_name == "network":
        part, heading = view(G, trace, depth, department)
        if part.number_of_nodes() > MAX_NETWORK_NODES:
            raise ViewError(f"{part.number_of_nodes()} nodes are more than a network page can show (at most "
                            f"{MAX_NETWORK_NODES}): draw the cascade view, or one document with --trace DOC")
        result = VizResult(heading, counts=summary(part))
        result.description = f"{part.number_of_nodes()} nodes, {part.number_of_edges()} edges"
        if say:
            say(f"drawing {result.description}")
        if out or not pictures:
            result.written.append(write_html(part, out or "lineage.html", heading, full=G))
        kinds = ("Document", "Task", "Department") if department else ("Document", "Task")
        for picture in pictures:
            result.written.append(draw(part, picture, heading, full=G, kinds=kinds))
        return result
    if say:
        say(f"laying out the {view_name} view of {documents} documents")
    scene = scene_for(G, view_name, trace, depth, align, directive)
    result = VizResult(scene.title, description=_describe(scene, view_name))
    result.counts = {"documents": sum(1 for b in scene.boxes if b.kind.startswith("document")),
                     "links": len(scene.links), "boxes": len(scene.boxes)}
    if out or not pictures:
        if say:
            say(f"writing the page ({result.description})")
        result.written.append(write_page(scene, out or "lineage.html", result.description))
    for picture in pictures:
        if say:
            say(f"writing {picture}")
        result.written.append(draw_scene(scene, picture))
    return result


__all__ = [
    "VIEWS",
    "FontError",
    "Scene",
    "ViewError",
    "VizResult",
    "department_view",
    "draw",
    "draw_scene",
    "layered_positions",
    "lineage_documents",
    "make",
    "render_html",
    "render_page",
    "render_svg",
    "scene_for",
    "trace_view",
    "view",
    "write_html",
    "write_page",
]
