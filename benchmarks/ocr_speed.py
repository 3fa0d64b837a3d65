"""OCR on scanned samples: render seeds 000 and 001 to image-only PDFs (tests/scans.py: a CJK font,
a red seal, page numbers), read them back, and write benchmarks/ocr.md with the character error
rate against the text drawn, tasks and departments F1 against the gold (../shared/tools/score.py,
when ../shared is beside the project), and pages per second. RapidOCR (the engine policykg uses)
and, when `tesseract` with `chi_sim` is installed, Tesseract on the same page images.

    python benchmarks/ocr_speed.py
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))         # tests/scans.py draws the pages
SHARED = ROOT.parent / "shared"
SEEDS = ["000_688cda0958d2e220", "001_2134d2f2c0bab840"]


def cer(got: str, want: str) -> float:
    """Character error rate: edit distance over the reference's length, whitespace ignored."""
    from rapidfuzz.distance import Levenshtein
    a, b = "".join(got.split()), "".join(want.split())
    return Levenshtein.distance(a, b) / max(len(b), 1)


def tesseract_text(images, folder: Path) -> str:
    out = []
    for i, im in enumerate(images):
        page = folder / f"page{i}.png"
        im.save(page)
        run = subprocess.run(["tesseract", str(page), "-", "-l", "chi_sim", "--psm", "6"],
                             capture_output=True, text=True, check=True)
        out.append(run.stdout)
    return "\n".join(out)


def f1s(extraction, seed: str, folder: Path) -> tuple[str, str]:
    score = SHARED / "tools" / "score.py"
    if not score.exists():
        return "–", "–"
    pred = folder / f"{seed}.json"
    pred.write_text(json.dumps(extraction.to_dict(), ensure_ascii=False), "utf-8")
    text = subprocess.run([sys.executable, str(score), "extract", str(pred), str(SHARED / "gold" / f"{seed}.json")],
                          capture_output=True, text=True, check=True).stdout
    f1 = {ln.split()[0]: ln.split("F1=")[1].split()[0] for ln in text.splitlines() if "F1=" in ln}
    return f1["tasks"], f1["departments"]


def main() -> None:
    from policykg.loaders import extract_text, ocr
    from policykg.loaders.readers import read

    from tests.scans import page_images

    rows = []
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for seed in SEEDS:
            text = (ROOT / "samples" / f"{seed}.txt").read_text("utf-8")
            images = page_images(text)
            pdf = folder / f"{seed}.pdf"
            images[0].save(pdf, save_all=True, append_images=images[1:], resolution=150)
            ocr._engine()                                  # the models load once per process
            t = time.perf_counter()
            source = read(pdf)
            seconds = time.perf_counter() - t
            extraction = extract_text(source.text, str(pdf))
            tasks, departments = f1s(extraction, seed, folder)
            rows.append((seed[:3], "RapidOCR 1.4.4 (PP-OCRv4)", len(images), f"{cer(source.text, text):.3f}",
                         tasks, departments, f"{len(images) / seconds:.2f}"))
            if shutil.which("tesseract"):
                t = time.perf_counter()
                got = tesseract_text(images, folder)
                seconds = time.perf_counter() - t
                tasks, departments = f1s(extract_text(got, str(pdf)), seed, folder)
                version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split()[1]
                rows.append((seed[:3], f"Tesseract {version} chi_sim", len(images), f"{cer(got, text):.3f}",
                             tasks, departments, f"{len(images) / seconds:.2f}"))
    lines = ["# OCR of scanned samples", "",
             f"`python benchmarks/ocr_speed.py` on {platform.machine()}, {os.cpu_count()} cores, Python "
             f"{platform.python_version()}. Seeds 000 and 001 drawn onto A4 page images at 150 dpi "
             "(Noto Sans CJK, 10.5 pt, a red seal on page 1, page numbers), saved as an image-only PDF, "
             "read back. CER: character error rate against the text drawn (whitespace ignored). F1: "
             "the shared scorer against the gold. Pages/s: OCR only, models loaded.", "",
             "| seed | engine | pages | CER | tasks F1 | departments F1 | pages/s |",
             "|---|---|---:|---:|---:|---:|---:|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    (ROOT / "benchmarks" / "ocr.md").write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
