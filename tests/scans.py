"""Scanned pages made in the tests: a text's lines drawn onto page images with a CJK font, as a
scanner would give them (a red seal and page numbers included), saved as an image-only PDF."""
from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
W, H, MARGIN, SIZE, LEADING = 1240, 1754, 100, 28, 42      # A4 at 150 dpi, 10.5-pt type
SEAL_TEXT = "测试专用印章"


def font(size: int = SIZE):
    return ImageFont.truetype(CJK_FONT, size)


def page_images(text: str, seal: bool = True) -> list[Image.Image]:
    per_line = (W - 2 * MARGIN) // SIZE
    lines = []
    for para in text.splitlines():
        while para.strip():
            lines.append(para[:per_line])
            para = para[per_line:]
    per_page = (H - 2 * MARGIN) // LEADING
    pages = []
    for i in range(0, len(lines), per_page):
        im = Image.new("RGB", (W, H), "white")
        d = ImageDraw.Draw(im)
        for j, line in enumerate(lines[i:i + per_page]):
            d.text((MARGIN, MARGIN + j * LEADING), line, font=font(), fill="black")
        d.text((W // 2 - 30, H - 70), f"- {len(pages) + 1} -", font=font(), fill="black")
        if seal and not pages:
            # a round red seal over the text, as over a signature
            d.ellipse((700, 300, 1000, 600), outline=(220, 30, 30), width=8)
            d.text((735, 430), SEAL_TEXT, font=font(36), fill=(220, 30, 30))
        pages.append(im)
    return pages


def image_pdf(text: str, path: Path, seal: bool = True) -> Path:
    pages = page_images(text, seal)
    pages[0].save(path, save_all=True, append_images=pages[1:], resolution=150)
    return path
