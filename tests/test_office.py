"""Word 97 (.doc), WPS (.wps), RTF and OpenDocument files, read through LibreOffice: each gives the
records its .docx gives (the files are written here from a generated .docx by LibreOffice itself);
what cannot be read gets one line; a folder mixing every format ingests every readable file."""
import shutil
import subprocess

import docx
import policykg
import pytest
from policykg.errors import ReadError
from policykg.loaders import extract, ocr, read

from tests.conftest import SAMPLES
from tests.ofd_pages import write_ofd
from tests.scans import image_pdf

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed (apt install libreoffice-writer-nogui)")
SAMPLE = SAMPLES / "001_2134d2f2c0bab840.txt"


def _docx(text: str, path):
    d = docx.Document()
    lines = text.splitlines()
    for line in lines[:-6]:
        d.add_paragraph(line)
    # a responsibility table, as plans attach them
    table = d.add_table(rows=1, cols=3)
    for cell, head in zip(table.rows[0].cells, ("序号", "工作任务", "牵头单位")):
        cell.text = head
    row = table.add_row().cells
    row[0].text, row[1].text, row[2].text = "1", "完善医改推进机制", "省卫生健康委"
    for line in lines[-6:]:
        d.add_paragraph(line)
    d.save(path)
    return path


def _convert(source, fmt: str, folder):
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to",
                    fmt, "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return folder / f"{source.stem}.{fmt}"


def _records(extraction):
    doc = extraction.documents[0]
    return ((doc.doc_number, doc.title, doc.issuer, doc.date, doc.level, doc.region),
            [("/".join(t.path), t.title, t.text, [(d.name, d.role) for d in t.departments],
              [(x.value, x.unit) for x in t.targets]) for t in doc.tasks],
            [(c.doc_number, c.title, c.basis) for c in doc.citations])


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    source = _docx(SAMPLE.read_text("utf-8"), folder / "plan.docx")
    files = {"docx": source}
    for fmt in ("doc", "odt", "rtf"):
        files[fmt] = _convert(source, fmt, folder)
    files["wps"] = folder / "plan.wps"           # WPS Office writes Word's binary format under .wps
    shutil.copyfile(files["doc"], files["wps"])
    return files


@pytest.mark.parametrize("fmt", ["doc", "wps", "odt", "rtf"])
def test_a_legacy_office_file_gives_the_records_of_its_docx(fmt, office_files):
    source = read(office_files[fmt])
    assert source.kind == fmt and "牵头单位" in source.text
    assert _records(extract(office_files[fmt])) == _records(extract(office_files["docx"]))


def test_what_libreoffice_cannot_read_gets_one_line(tmp_path, monkeypatch):
    broken = tmp_path / "broken.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)     # an OLE header and nothing else
    with pytest.raises(ReadError, match=r"broken.doc: not a readable .doc file \(LibreOffice could not open it\)$"):
        read(broken)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReadError, match=r"needs LibreOffice to be read: apt install libreoffice-writer-nogui"):
        read(broken)


@pytest.mark.skipif(not ocr.available(), reason="OCR is not installed (pip install 'policykg[ocr]')")
def test_a_folder_of_every_format_ingests_every_readable_file_and_names_the_others(office_files, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copyfile(SAMPLES / "000_688cda0958d2e220.txt", folder / "a_haidong.txt")
    shutil.copyfile(office_files["doc"], folder / "b_qinghai.doc")
    notice = (SAMPLES / "003_4483c7e244990de6.txt").read_text("utf-8").splitlines()[:40]
    image_pdf("\n".join(notice), folder / "c_huzhu_scan.pdf")
    (folder / "d_broken.wps").write_bytes(b"not a document at all")
    (folder / "e_truncated.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    write_ofd((SAMPLES / "004_c18c4e8f45edc89e.txt").read_text("utf-8"), folder / "f_sanming.ofd")
    (folder / "g_truncated.ofd").write_bytes((folder / "f_sanming.ofd").read_bytes()[:900])
    errors = []
    report = policykg.ingest([folder], db=tmp_path / "g.lbug", on_error=errors.append)
    assert report.files == 7 and len(report.failed) == 3
    assert sorted(f.rsplit("/", 1)[-1] for f, _ in report.failed) == ["d_broken.wps", "e_truncated.png", "g_truncated.ofd"]
    assert dict((f.rsplit("/", 1)[-1], why) for f, why in report.failed)["d_broken.wps"] == \
        "not a .wps file (its first bytes are not that format's)"
    assert all(": " in line and "\n" not in line for line in errors) and len(errors) == 3
    G = policykg.read_graph(tmp_path / "g.lbug")
    ingested = {d["doc_number"] for _, d in G.nodes(data=True) if d["label"] == "Document" and not d["placeholder"]}
    assert {"东政办〔2023〕47号", "互政办〔2025〕67号", "明医改组〔2024〕4号"} <= ingested
    assert any(d.get("title", "").startswith("青海省人民政府办公厅关于印发青海省2022年")
               for _, d in G.nodes(data=True) if d["label"] == "Document" and not d["placeholder"])
