"""A Scene as SVG with real <text> elements: searchable, selectable and editable in a paper's
figure, and the picture inside the interactive page. Every text from a document is escaped."""
from __future__ import annotations

from html import escape

from .scene import FONT, Box, Line, Link, Scene

PAD = 8              # inner margin of a box


def _attr(value) -> str:
    return escape(str(value), quote=True)


def line_baselines(box: Box) -> list[float]:
    """The baseline of each line of a box (shared with the PNG writer, so both place text alike)."""
    out, y = [], box.y + PAD
    for ln in box.lines:
        y += ln.size * 1.05
        out.append(y)
        y += ln.size * 0.35
    return out


def segments(link: Link) -> list[tuple[float, float, float, float, float, float, float, float]]:
    """The cubic Bézier segments of a link (start, two control points, end), through its waypoints;
    each leaves and enters vertically (between layers) or horizontally (between columns)."""
    x1, y1, x2, y2 = link.points
    points = [(x1, y1), *link.via, (x2, y2)]
    out = []
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        if link.vertical:
            my = (ay + by) / 2
            out.append((ax, ay, ax, my, bx, my, bx, by))
        else:
            mx = (ax + bx) / 2
            out.append((ax, ay, mx, ay, mx, by, bx, by))
    return out


def midpoint(link: Link) -> tuple[float, float]:
    """Where a link's label goes: the middle of its middle segment."""
    segs = segments(link)
    x1, y1, c1x, c1y, c2x, c2y, x2, y2 = segs[len(segs) // 2]
    return (x1 + 3 * c1x + 3 * c2x + x2) / 8, (y1 + 3 * c1y + 3 * c2y + y2) / 8


def _text(x: float, y: float, ln: Line, anchor: str = "start", css: str = "") -> str:
    weight = ' font-weight="bold"' if ln.bold else ""
    klass = f' class="{css}"' if css else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{ln.size}" fill="{_attr(ln.color)}"{weight}'
            f' text-anchor="{anchor}"{klass}>{escape(ln.text)}</text>')


def _link(link: Link) -> str:
    segs = segments(link)
    d = f"M{segs[0][0]:.1f},{segs[0][1]:.1f}" + "".join(
        f" C{c1x:.1f},{c1y:.1f} {c2x:.1f},{c2y:.1f} {x2:.1f},{y2:.1f}" for _, _, c1x, c1y, c2x, c2y, x2, y2 in segs)
    dash = ' stroke-dasharray="6 4"' if link.dashed else ""
    out = [f'<g class="link {_attr(link.kind)}" data-source="{_attr(link.source)}" data-target="{_attr(link.target)}">',
           f'<title>{escape(link.hover)}</title>' if link.hover else "",
           f'<path d="{d}" fill="none" stroke="{_attr(link.color)}" stroke-width="{link.width}"{dash}'
           ' marker-end="url(#arrow)"/>']
    if link.label:
        mx, my = midpoint(link)
        out.append(f'<text x="{mx:.1f}" y="{my + 4:.1f}" font-size="12" fill="{_attr(link.color)}" text-anchor="middle"'
                   f' class="halo">{escape(link.label)}</text>')
    out.append("</g>")
    return "".join(out)


def _box(box: Box) -> str:
    dash = ' stroke-dasharray="5 4"' if box.dashed else ""
    x = box.x + box.w / 2 if box.align == "middle" else box.x + PAD
    out = [f'<g class="box {_attr(box.kind)}" data-id="{_attr(box.id)}">',
           f'<title>{escape(box.hover)}</title>' if box.hover else "",
           f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" height="{box.h:.1f}" rx="5"'
           f' fill="{_attr(box.fill)}" stroke="{_attr(box.stroke)}"{dash}/>']
    out += [_text(x, y, ln, box.align) for ln, y in zip(box.lines, line_baselines(box))]
    out.append("</g>")
    return "".join(out)


def render_svg(scene: Scene, standalone: bool = True) -> str:
    """The SVG of a scene; standalone adds the XML declaration a file on its own wants."""
    w, h = round(scene.width), round(scene.height)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n' if standalone else "",
             f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
             f' font-family="{_attr(FONT)}" id="picture">',
             f'<title>{escape(scene.title)}</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11"'
             ' orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#566573"/></marker>'
             '<style>.halo { paint-order: stroke; stroke: #ffffff; stroke-width: 4px; }</style></defs>',
             f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>']
    for band in scene.bands:
        parts.append(f'<g class="band"><rect x="0" y="{band.y:.1f}" width="{w}" height="{band.h:.1f}"'
                     f' fill="{_attr(band.fill)}"/>' + _text(12, band.y + 24, Line(band.label, 15, True, "#34495e"))
                     + "</g>")
    parts += [_link(link) for link in scene.links]
    parts += [_box(box) for box in scene.boxes]
    parts += [_text(x, y, ln, css="note") for x, y, ln in scene.notes]
    parts.append("</svg>")
    return "".join(parts)
