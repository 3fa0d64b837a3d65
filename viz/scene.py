"""A picture as plain data: boxes with lines of text, links between them, labelled bands, in pixels.

Each view (cascade, alignment, coverage) lays its graph out into a Scene once; the writers draw
the same Scene as SVG with real text (svg.py, also the heart of the interactive page) and as a PNG
(static.py). So the page, the SVG and the PNG of a view are one picture, and its readability can
be checked in one place: every text is drawn at `Line.size` pixels at the opening zoom.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from wcwidth import wcwidth

FONT = "Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
MIN_TEXT = 12        # no text of a scene is smaller than this many pixels at the opening zoom


@dataclass
class Line:
    text: str
    size: int = 13
    bold: bool = False
    color: str = "#1b2631"


@dataclass
class Box:
    id: str                      # the graph node it draws ("" for decoration)
    x: float
    y: float
    w: float
    h: float
    lines: list[Line] = field(default_factory=list)
    fill: str = "#ffffff"
    stroke: str = "#566573"
    dashed: bool = False
    kind: str = ""               # CSS class: document, placeholder, task, gap, cell…
    hover: str = ""              # the tooltip
    align: str = "start"         # text anchor: start or middle


@dataclass
class Link:
    source: str                  # node ids of the two ends
    target: str
    points: tuple[float, float, float, float]     # x1, y1, x2, y2
    vertical: bool = True        # curve leaves and enters vertically (layers) or horizontally (columns)
    color: str = "#1f4e79"
    width: float = 1.6
    dashed: bool = False
    label: str = ""
    hover: str = ""
    kind: str = ""
    via: list[tuple[float, float]] = field(default_factory=list)   # waypoints between the two ends


@dataclass
class Band:
    y: float
    h: float
    label: str
    fill: str


@dataclass
class Scene:
    title: str
    width: float
    height: float
    bands: list[Band] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    notes: list[tuple[float, float, Line]] = field(default_factory=list)   # free text at x, y (baseline)
    details: dict[str, dict] = field(default_factory=dict)   # node id -> what a click shows
    legend: list[tuple[str, str]] = field(default_factory=list)   # (css-ish style key, text)

    def smallest_text(self) -> int:
        sizes = [ln.size for b in self.boxes for ln in b.lines] + [ln.size for _, _, ln in self.notes]
        return min(sizes, default=MIN_TEXT)


def text_width(text: str, size: float) -> float:
    """Pixels `text` takes at `size`: a wide (CJK) character is one em, a narrow one about 0.6 —
    close enough for Noto Sans CJK to keep a line inside its box."""
    return sum(size if wcwidth(ch) == 2 else size * 0.6 for ch in text)


def fit(text: str | None, width: float, size: float) -> str:
    """`text` cut to `width` pixels, with an ellipsis when cut."""
    text = (text or "").replace("\n", " ")
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


def wrap(text: str | None, width: float, size: float, lines: int) -> list[str]:
    """`text` broken into at most `lines` lines of `width` pixels, the last one cut with an ellipsis."""
    text = (text or "").replace("\n", " ")
    out: list[str] = []
    while text and len(out) < lines - 1:
        n = 0
        while n < len(text) and text_width(text[:n + 1], size) <= width:
            n += 1
        out.append(text[:n])
        text = text[n:]
    if text:
        out.append(fit(text, width, size))
    return out
