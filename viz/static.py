"""The static picture for papers and slides: the same layered cascade drawn with matplotlib, with
Chinese labels in a CJK font (never boxes: without such a font it stops and says what to install)."""
from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from ..errors import FontError
from .html import EDGE_STYLE, KINDS, node_view
from .layout import (
    BAND,
    LEVEL_NAMES,
    ROW,
    UNKNOWN_LEVEL,
    document_level,
    layered_positions,
)

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Arial Unicode MS")


def cjk_font() -> str:
    from matplotlib import font_manager
    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    raise FontError("no Chinese font found for the picture; install one "
                    "(Debian/Ubuntu: apt install fonts-noto-cjk; macOS and Windows have one)")


def draw(G: nx.MultiDiGraph, path: str | os.PathLike, heading: str, full: nx.MultiDiGraph | None = None,
         kinds: tuple[str, ...] = ("Document", "Task")) -> Path:
    """Write a PNG or SVG (by the file's suffix) of the layered cascade of G."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    full = full if full is not None else G
    font = cjk_font()
    plt.rcParams["font.family"] = [font]
    plt.rcParams["axes.unicode_minus"] = False
    plt.rcParams["svg.fonttype"] = "none"      # SVG text as <text>, searchable and editable, not outlines
    H = G.subgraph(n for n, d in G.nodes(data=True) if d["label"] in kinds).copy()
    # no stagger here: task labels are written vertically
    pos = {n: (x, -(y - 40 if H.nodes[n]["label"] == "Task" and y % BAND == ROW["Task"] + 40 else y))
           for n, (x, y) in layered_positions(H).items()}
    xs = [p[0] for p in pos.values()] or [0]
    width_in = min(max((max(xs) - min(xs)) / 180, 8), 60)
    levels = sorted({document_level(H, n) for n, d in H.nodes(data=True) if d["label"] == "Document"})
    height_in = max(3.6 * len(levels), 4)
    fig, ax = plt.subplots(figsize=(width_in, height_in), dpi=110)
    for level in levels:
        name = LEVEL_NAMES[level] if level < UNKNOWN_LEVEL else "unknown"
        ax.text(min(xs) - 260, -level * BAND, name, fontsize=12, color="#555", ha="right", va="center")
        ax.axhline(-level * BAND + 120, color="#eeeeee", lw=0.8, zorder=0)
    for rel in ("PART_OF", "HAS_TARGET", "RESPONSIBLE_FOR", "DERIVED_FROM", "IMPLEMENTS"):
        for u, v, k, e in H.edges(keys=True, data=True):
            if k != rel:
                continue
            inferred = e.get("method") in ("inferred", "aligned")
            style = EDGE_STYLE[rel]
            ax.annotate("", xy=pos[v], xytext=pos[u],
                        arrowprops={"arrowstyle": "-|>", "color": style["color"], "lw": style["width"] * 0.8,
                                    "linestyle": "--" if inferred else "-", "shrinkA": 6, "shrinkB": 6,
                                    "alpha": 0.9 if rel in ("IMPLEMENTS", "DERIVED_FROM") else 0.5})
            if rel == "IMPLEMENTS" and G.nodes[u]["label"] == "Document":
                mx, my = (pos[u][0] + pos[v][0]) / 2, (pos[u][1] + pos[v][1]) / 2
                ax.text(mx, my, f"{e.get('method')} {e.get('score'):.2f}", fontsize=9, color=style["color"],
                        ha="center", bbox={"fc": "white", "ec": "none", "pad": 1})
    for n, d in H.nodes(data=True):
        kind = KINDS[d["label"]]
        x, y = pos[n]
        view = node_view(H, full, n, UNKNOWN_LEVEL)
        if d["label"] == "Document":
            placeholder = d.get("placeholder")
            ax.text(x, y, view["label"] if placeholder else _wrap(d.get("doc_number") or d.get("title"), 16),
                    fontsize=10, ha="center", va="center", color="#37474f" if placeholder else "white",
                    bbox={"boxstyle": "round,pad=0.4", "fc": "#eceff1" if placeholder else kind.color,
                          "ec": "#90a4ae", "ls": "--" if placeholder else "-"}, zorder=3)
        elif d["label"] == "Task":
            ax.scatter([x], [y], s=40, color=kind.color, zorder=3)
            # Chinese reads well top to bottom: one character a line keeps neighbours apart
            ax.text(x, y - 30, "\n".join((d.get("title") or "")[:10]), fontsize=7, ha="center", va="top",
                    linespacing=0.95, zorder=3)
        elif d["label"] == "Department":
            ax.scatter([x], [y], s=50, marker="D", color=kind.color, zorder=3)
            ax.text(x, y - 24, d.get("full_name") or d.get("name"), fontsize=10, ha="center", va="top",
                    color=kind.color, zorder=3)
        else:
            ax.scatter([x], [y], s=30, marker="^", color=kind.color, zorder=3)
            ax.text(x + 10, y, view["label"], fontsize=7, ha="left", va="center", color="#1d6b62", zorder=3)
    ax.set_title(heading, fontsize=13)
    ax.axis("off")
    ax.margins(0.03)
    fig.tight_layout()
    path = Path(path)
    return _save(fig, path, path.suffix.lstrip(".").lower())


def _save(fig, path: Path, fmt: str, dpi: float | None = None) -> Path:
    """Write a figure whole or not at all (a .part file renamed into place), then free it."""
    import matplotlib.pyplot as plt
    tmp = path.with_name(path.stem + ".part" + path.suffix)
    fig.savefig(tmp, format=fmt or "png", dpi=dpi or "figure")
    plt.close(fig)
    tmp.replace(path)
    return path


def _wrap(text: str | None, width: int) -> str:
    text = text or ""
    return "\n".join(text[i:i + width] for i in range(0, min(len(text), width * 3), width))


def draw_scene(scene, path: str | os.PathLike) -> Path:
    """Write a scene as SVG (real text, from svg.py) or PNG (matplotlib, the same boxes, lines and
    text at the same pixel sizes), by the file's suffix."""
    from .page import write_atomic
    from .svg import render_svg
    path = Path(path)
    if path.suffix.lower() == ".svg":
        return write_atomic(path, render_svg(scene))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch, PathPatch, Polygon, Rectangle
    from matplotlib.path import Path as CurvePath

    from .svg import PAD, line_baselines, midpoint, segments

    font = cjk_font()
    W, H = max(scene.width, 1), max(scene.height, 1)
    # one scene pixel is 1/100 inch; render at up to twice that, as long as the image stays a size
    # image viewers open (matplotlib refuses more than 2^16 pixels a side)
    dpi = 100 * min(2.0, 30000 / max(W, H))
    fig = plt.figure(figsize=(W / 100, H / 100), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    ax.axis("off")
    pt = 72 / 100            # points per scene pixel

    def text(x, y, ln, ha="left", **kw):
        ax.text(x, y, ln.text, fontsize=ln.size * pt, fontweight="bold" if ln.bold else "normal", color=ln.color,
                ha=ha, va="baseline", family=font, **kw)

    from .scene import Line
    for band in scene.bands:
        ax.add_patch(Rectangle((0, band.y), W, band.h, facecolor=band.fill, edgecolor="none", zorder=0))
        text(12, band.y + 24, Line(band.label, 15, True, "#34495e"))
    for link in scene.links:
        segs = segments(link)
        vertices = [segs[0][:2]] + [pt for seg in segs for pt in (seg[2:4], seg[4:6], seg[6:8])]
        codes = [CurvePath.MOVETO] + [CurvePath.CURVE4] * (3 * len(segs))
        ax.add_patch(PathPatch(CurvePath(vertices, codes), facecolor="none", edgecolor=link.color,
                               lw=link.width * pt, linestyle=(0, (6, 4)) if link.dashed else "-", zorder=1))
        _, _, _, _, c2x, c2y, x2, y2 = segs[-1]
        dx, dy = x2 - c2x, y2 - c2y
        norm = max((dx * dx + dy * dy) ** 0.5, 1e-6)
        ux, uy = dx / norm, dy / norm
        ax.add_patch(Polygon([(x2, y2), (x2 - 9 * ux - 4 * uy, y2 - 9 * uy + 4 * ux),
                              (x2 - 9 * ux + 4 * uy, y2 - 9 * uy - 4 * ux)], color="#566573", zorder=1))
        if link.label:
            mx, my = midpoint(link)
            text(mx, my + 4, Line(link.label, 12, False, link.color), ha="center",
                 bbox={"fc": "white", "ec": "none", "pad": 0.5}, zorder=2)
    for box in scene.boxes:
        ax.add_patch(FancyBboxPatch((box.x, box.y), box.w, box.h, boxstyle="round,pad=0,rounding_size=5",
                                    facecolor=box.fill, edgecolor=box.stroke, lw=1.2,
                                    linestyle=(0, (5, 4)) if box.dashed else "-", zorder=3))
        x = box.x + box.w / 2 if box.align == "middle" else box.x + PAD
        for ln, y in zip(box.lines, line_baselines(box)):
            text(x, y, ln, ha="center" if box.align == "middle" else "left", zorder=4)
    for x, y, ln in scene.notes:
        text(x, y, ln, zorder=4)
    return _save(fig, path, "png", dpi)
