"""Text from scanned pages: PDFs without a text layer (or pages of one without), and page images.

The engine is RapidOCR (`rapidocr-onnxruntime`), which ships PaddleOCR's PP-OCRv4 Chinese detection
and recognition models inside its wheel and runs them with onnxruntime: offline, from what the
package registry gives, no model download and no system package. Pages of a PDF are rendered by
pypdfium2 (PDFium, the renderer of Chrome). Both are the optional extra `policykg[ocr]`.

What is done here that no library does: red ink is removed before recognition (the red-head
banner of a 红头文件 and the round seal over the signature are red; neither is the document's text),
page numbers alone on a line (- 3 -) are dropped, lines are put in reading order (a two-column
gazette page is read column by column), and each line keeps its page and box, so a fact's span can
be found on the page image (SourceText.layout).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

RENDER_SCALE = 2.0          # PDF points → pixels (2 ≈ 144 dpi: PP-OCRv4 reads 10-pt Chinese well)
MAX_IMAGE_PIXELS = 60_000_000
INSTALL = "pip install 'policykg[ocr]'"
# a line that is only a page number: 3, - 3 -, — 3 —, 第3页, 3/12
_PAGE_NUMBER = re.compile(r"^[\s\-—–－·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[\s\-—–－·•]*$")
# OCR reads the hollow brackets of a 文号 year as a square one now and then: 〔2023]
_YEAR_BRACKETS = re.compile(r"[〔［\[【(（](\d{4})[〕］\]】)）](?=\s*第?\s*\d{1,5}\s*号)")


@dataclass
class OcrLine:
    page: int                                   # from 1
    box: tuple[float, float, float, float]      # x0, y0, x1, y1 in the page image's pixels
    text: str
    offset: int = 0                             # where the line starts in the text read


def available() -> bool:
    try:
        import pypdfium2  # noqa: F401
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR
    return RapidOCR()


def without_red(image):
    """The page with red ink (seals, the red-head banner, red stamps) turned to paper white."""
    import numpy as np
    a = np.asarray(image.convert("RGB")).astype(np.int16)
    r, g, b = a[..., 0], a[..., 1], a[..., 2]
    # red where red leads both other channels clearly; the pale pink at the edges of red strokes
    # (antialiasing, scanner blur) counts too, or OCR reads the seal's outline
    red = (r > 100) & (r - np.maximum(g, b) > 25)
    a[red] = 255
    return a.astype(np.uint8)


def reading_order(lines: list[OcrLine], width: float) -> list[OcrLine]:
    """Top to bottom; where the page runs in two columns (lines that each stay in one half, between
    lines across the page), the left column before the right."""
    mid = width / 2
    lines = sorted(lines, key=lambda ln: (ln.box[1], ln.box[0]))
    out: list[OcrLine] = []
    run: list[OcrLine] = []

    def flush():
        left = [ln for ln in run if ln.box[2] <= mid + width * 0.02]
        right = [ln for ln in run if ln not in left]
        two_columns = len(left) >= 3 and len(right) >= 3
        out.extend(left + right if two_columns else sorted(run, key=lambda ln: (ln.box[1], ln.box[0])))
        run.clear()

    for ln in lines:
        across = ln.box[0] < mid - width * 0.02 and ln.box[2] > mid + width * 0.02
        if across:
            flush()
            out.append(ln)
        else:
            run.append(ln)
    flush()
    # words of one printed line come back as pieces side by side: join them
    merged: list[OcrLine] = []
    for ln in out:
        last = merged[-1] if merged else None
        if last and last.page == ln.page and abs(last.box[1] - ln.box[1]) < (ln.box[3] - ln.box[1]) * 0.5 \
                and ln.box[0] >= last.box[2] - 2 and (ln.box[0] - last.box[2]) < (ln.box[3] - ln.box[1]) * 3:
            merged[-1] = OcrLine(ln.page, (last.box[0], min(last.box[1], ln.box[1]), ln.box[2],
                                           max(last.box[3], ln.box[3])), last.text + ln.text)
        else:
            merged.append(ln)
    return merged


def page_lines(image, page: int) -> list[OcrLine]:
    """The lines of one page image, in reading order, without page numbers."""
    result, _ = _engine()(without_red(image))
    lines = []
    for box, text, _score in result or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        text = text.strip()
        if text and not _PAGE_NUMBER.match(text):
            lines.append(OcrLine(page, (min(xs), min(ys), max(xs), max(ys)), text))
    return reading_order(lines, image.width)


def assemble(lines: list[OcrLine]) -> str:
    """The text of the lines, one a line, with each line's offset recorded."""
    parts, pos, page = [], 0, None
    for ln in lines:
        if page is not None and ln.page != page:
            parts.append("\n")
            pos += 1
        page = ln.page
        text = _YEAR_BRACKETS.sub(r"〔\1〕", ln.text)
        ln.offset, ln.text = pos, text
        parts.append(text + "\n")
        pos += len(text) + 1
    return "".join(parts)


def pdf_page_images(path: Path, pages: list[int] | None = None):
    """(page number from 1, PIL image) of the PDF's pages (all, or those listed)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    try:
        for i in pages if pages is not None else range(len(pdf)):
            yield i + 1, pdf[i].render(scale=RENDER_SCALE).to_pil()
    finally:
        pdf.close()


def ocr_pdf(path: Path, pages: list[int] | None = None) -> list[OcrLine]:
    return [ln for number, image in pdf_page_images(path, pages) for ln in page_lines(image, number)]


def ocr_image(path: Path) -> list[OcrLine]:
    """The lines of an image file (every frame of a multi-page TIFF)."""
    from PIL import Image, ImageSequence
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with Image.open(path) as im:
        return [ln for n, frame in enumerate(ImageSequence.Iterator(im), 1)
                for ln in page_lines(frame.convert("RGB"), n)]
