"""OFD files made in the tests: a text laid out as an agency's OFD writer lays out a 公文 (GB/T 33190
package; GB/T 9704 page: A4, a type area of 156 × 225 mm, 28 characters a line and 22 lines a
page in 三号 type), each printed line one TextObject whose glyphs are placed by DeltaX, a table's
cells side by side on one line, and the page number (— 1 —) below the type area."""
from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://www.ofdspec.org/2016"
LEFT, TOP, WIDTH, HEIGHT = 28.0, 37.0, 156.0, 225.0    # the type area, mm from the page's corner
SIZE = 5.64                                            # 三号: 16 pt
PER_LINE, PER_PAGE = 28, 22
PITCH = HEIGHT / PER_PAGE


def _text_object(unit: int, x: float, y: float, text: str, size: float = SIZE) -> str:
    width = size * len(text)
    deltas = f' DeltaX="g {len(text) - 1} {size:g}"' if len(text) > 1 else ""
    return (f'<ofd:TextObject ID="{unit}" Boundary="{x:.2f} {y:.2f} {width:.2f} {size * 1.2:.2f}" Font="2" '
            f'Size="{size:g}"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{size:.2f}"{deltas}>'
            f'{escape(text)}</ofd:TextCode></ofd:TextObject>')


def lines_of(text: str) -> list[list[tuple[float, str]]]:
    """The printed lines, each a list of (x, text): a paragraph wrapped at 28 characters; a run of
    lines holding tabs is a table, each row's cells set at its columns (as wide as the column's
    longest cell and two characters of padding)."""
    out: list[list[tuple[float, str]]] = []
    table: list[list[str]] = []

    def set_table() -> None:
        widths = [max(len(row[c]) if c < len(row) else 0 for row in table) + 2 for c in range(max(map(len, table)))]
        starts = [LEFT + SIZE * sum(widths[:c]) for c in range(len(widths))]
        out.extend([(starts[c], cell) for c, cell in enumerate(row) if cell] for row in table)
        table.clear()

    for paragraph in text.splitlines():
        if "\t" in paragraph:
            table.append(paragraph.split("\t"))
            continue
        if table:
            set_table()
        while paragraph.strip():
            out.append([(LEFT, paragraph[:PER_LINE])])
            paragraph = paragraph[PER_LINE:]
    if table:
        set_table()
    return out


def write_ofd(text: str, path: Path) -> Path:
    lines = lines_of(text)
    pages = [lines[i:i + PER_PAGE] for i in range(0, len(lines), PER_PAGE)]
    unit = 10
    contents = []
    for number, page in enumerate(pages, 1):
        objects = []
        for row, cells in enumerate(page):
            for x, cell in cells:
                unit += 1
                objects.append(_text_object(unit, x, TOP + row * PITCH, cell))
        unit += 1
        folio = f"— {number} —"
        objects.append(_text_object(unit, LEFT + WIDTH / 2 - 2.5 * 4.94, TOP + HEIGHT + 7, folio, 4.94))
        contents.append(f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}"><ofd:Content>'
                        f'<ofd:Layer ID="{unit + 1}">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>')
        unit += 1
    page_refs = "".join(f'<ofd:Page ID="{1000 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" Version="1.0" '
                              f'DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>policykg-test</ofd:DocID>'
                              f'<ofd:Creator>policykg tests</ofd:Creator></ofd:DocInfo>'
                              f'<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        z.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{NS}">'
                                         f'<ofd:CommonData><ofd:MaxUnitID>{unit + 1}</ofd:MaxUnitID><ofd:PageArea>'
                                         f'<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                                         f'<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
                                         f'<ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>')
        z.writestr("Doc_0/PublicRes.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{NS}" '
                                          f'BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="仿宋" '
                                          f'FamilyName="仿宋"/></ofd:Fonts></ofd:Res>')
        for i, content in enumerate(contents):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml", content)
    return path
