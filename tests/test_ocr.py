"""Scanned documents read by OCR (loaders.ocr): image-only PDFs of two samples made here, read back
and compared with what the samples' text gives (and with the gold when ../shared is beside the
project); red seals and page numbers kept out of the text; a two-column page read column by
column; page images; each line's page and box; one-line errors for what cannot be read."""
import json
import subprocess
import sys

import pytest
from PIL import Image, ImageDraw
from policykg.errors import ReadError
from policykg.loaders import extract, ocr, read

from tests.conftest import SAMPLES, SHARED
from tests.scans import SEAL_TEXT, font, image_pdf

pytestmark = pytest.mark.skipif(not ocr.available(), reason="OCR is not installed (pip install 'policykg[ocr]')")
SEEDS = ["000_688cda0958d2e220", "001_2134d2f2c0bab840"]


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scans")
    return {seed: image_pdf((SAMPLES / f"{seed}.txt").read_text("utf-8"), folder / f"{seed}.pdf") for seed in SEEDS}


@pytest.fixture(scope="module")
def read_back(scanned):
    return {seed: (read(path), extract(path)) for seed, path in scanned.items()}


def _f1(got: set, want: set) -> float:
    tp = len(got & want)
    return 2 * tp / (len(got) + len(want)) if got or want else 1.0


def _facts(extraction):
    doc = extraction.documents[0]
    tasks = {("/".join(t.path), t.title) for t in doc.tasks}
    departments = {("/".join(t.path), d.canonical or d.name, d.role) for t in doc.tasks for d in t.departments}
    return doc, tasks, departments


@pytest.mark.parametrize("seed", SEEDS)
def test_a_scanned_sample_gives_the_records_of_its_text(seed, read_back):
    source, scanned = read_back[seed]
    assert source.kind == "ocr"
    doc, tasks, departments = _facts(scanned)
    text_doc, text_tasks, text_departments = _facts(extract(SAMPLES / f"{seed}.txt"))
    assert (doc.doc_number, doc.title, doc.date, doc.level, doc.region) == \
           (text_doc.doc_number, text_doc.title, text_doc.date, text_doc.level, text_doc.region)
    assert _f1(tasks, text_tasks) >= 0.95
    assert _f1(departments, text_departments) >= 0.90


@pytest.mark.skipif(not (SHARED / "tools" / "score.py").exists(), reason="../shared (gold and scorer) is not beside the project")
@pytest.mark.parametrize("seed", SEEDS)
def test_a_scanned_sample_scores_against_its_gold(seed, read_back, tmp_path):
    _, scanned = read_back[seed]
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(scanned.to_dict(), ensure_ascii=False), "utf-8")
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "extract", str(pred),
                          str(SHARED / "gold" / f"{seed}.json")], capture_output=True, text=True, check=True).stdout
    f1 = {line.split()[0]: float(line.split("F1=")[1].split()[0]) for line in out.splitlines() if "F1=" in line}
    assert f1["tasks"] >= 0.95 and f1["departments"] >= 0.90, out


def test_seals_and_page_numbers_are_not_text_and_each_line_knows_its_page(read_back):
    source, scanned = read_back[SEEDS[0]]
    assert SEAL_TEXT not in source.text and "- 1 -" not in source.text and "- 2 -" not in source.text
    task = scanned.documents[0].tasks[5]
    line = source.where(task.span.start)
    assert line.page >= 1 and line.box[2] > line.box[0] and task.title[:4] in source.text[line.offset:]
    assert [ln.page for ln in source.layout] == sorted(ln.page for ln in source.layout)


def test_a_two_column_page_is_read_column_by_column(tmp_path):
    im = Image.new("RGB", (1240, 1754), "white")
    d = ImageDraw.Draw(im)
    d.text((100, 100), "关于两栏公报的通知标题横跨全页一行文字", font=font(), fill="black")
    left = [f"左栏第{n}行政策文字内容" for n in "一二三四五"]
    right = [f"右栏第{n}行政策文字内容" for n in "一二三四五"]
    for i, (a, b) in enumerate(zip(left, right)):
        d.text((100, 200 + i * 60), a, font=font(), fill="black")
        d.text((680, 200 + i * 60), b, font=font(), fill="black")
    path = tmp_path / "gazette.png"
    im.save(path)
    lines = [ln for ln in read(path).text.splitlines() if ln.startswith(("左栏", "右栏"))]
    assert [ln[:4] for ln in lines] == [s[:4] for s in left + right]


def test_what_ocr_cannot_read_gets_one_line(tmp_path, monkeypatch):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    with pytest.raises(ReadError, match=r"broken.png: not a readable image \("):
        read(broken)
    blank = tmp_path / "blank.png"
    Image.new("RGB", (400, 300), "white").save(blank)
    with pytest.raises(ReadError, match="blank.png: OCR found no text in the image"):
        read(blank)
    monkeypatch.setattr(ocr, "available", lambda: False)
    with pytest.raises(ReadError, match=r"needs OCR: pip install 'policykg\[ocr\]'"):
        read(blank)
