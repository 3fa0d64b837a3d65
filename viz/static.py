"""The static picture for papers and slides: the same layered cascade drawn with matplotlib, with
Chinese labels in a CJK font (never boxes: without such a font it stops and says what to install)."""
from __future__ import annotations

import os
from pathlib import Path

import networkx as nx

from .html import EDGE_STYLE, KINDS, node_view
from .layout import BAND, LEVEL_NAMES, ROW, UNKNOWN_LEVEL, document_level, layered_positions

CJK_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "Arial Unicode MS")


class FontError(Exception):
    pass


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
    for rel in ("PART_OF", "HAS_TARGET", "DERIVED_FROM", "IMPLEMENTS"):
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
        else:
            ax.scatter([x], [y], s=30, marker="^", color=kind.color, zorder=3)
            ax.text(x + 10, y, view["label"], fontsize=7, ha="left", va="center", color="#1d6b62", zorder=3)
    ax.set_title(heading, fontsize=13)
    ax.axis("off")
    ax.margins(0.03)
    fig.tight_layout()
    path = Path(path)
    tmp = path.with_name(path.stem + ".part" + path.suffix)
    fig.savefig(tmp, format=path.suffix.lstrip(".").lower() or "png")
    plt.close(fig)
    tmp.replace(path)
    return path


def _wrap(text: str | None, width: int) -> str:
    text = text or ""
    return "\n".join(text[i:i + width] for i in range(0, min(len(text), width * 3), width))
