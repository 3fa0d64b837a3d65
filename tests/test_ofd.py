"""OFD files (GB/T 33190), read by ofdkit: an OFD laid out as agencies' writers lay out a 公文
(tests/ofd_pages.py: wrapped lines, a table, page numbers) gives the records its .docx gives; what
is not a readable OFD gets one line naming the file and why."""
import re
import zipfile

import pytest
from policykg.errors import ReadError
from policykg.loaders import extract, read
from policykg.loaders.readers import CELL_SEP

from tests.conftest import SAMPLES
from tests.ofd_pages import write_ofd
from tests.test_office import _docx, _records

SAMPLE = SAMPLES / "001_2134d2f2c0bab840.txt"
TABLE = ["序号\t工作任务\t牵头单位", "1\t完善医改推进机制\t省卫生健康委"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ofd")
    text = SAMPLE.read_text("utf-8")
    lines = text.splitlines()
    # the table where _docx puts it: before the last six lines
    ofd = write_ofd("\n".join(lines[:-6] + TABLE + lines[-6:]), folder / "plan.ofd")
    return {"ofd": ofd, "docx": _docx(text, folder / "plan.docx")}


def test_an_ofd_gives_the_records_of_its_docx(files):
    source = read(files["ofd"])
    assert source.kind == "ofd"
    assert f"1{CELL_SEP}完善医改推进机制{CELL_SEP}省卫生健康委" in source.text.splitlines()   # a table row is one line of cells
    assert "— 2 —" in source.text                                          # page numbers are the cleaning's to drop
    assert _records(extract(files["ofd"])) == _records(extract(files["docx"]))


def test_what_is_not_a_readable_ofd_gets_one_line(files, tmp_path):
    data = files["ofd"].read_bytes()
    cases = {
        "truncated.ofd": data[:len(data) // 2],
        "renamed.ofd": "青海省人民政府办公厅关于印发的通知".encode(),
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    with zipfile.ZipFile(tmp_path / "no_ofd_xml.ofd", "w") as z:      # a zip, but not an OFD package
        z.writestr("Doc_0/Document.xml", "<Document/>")
    with zipfile.ZipFile(tmp_path / "no_text.ofd", "w") as z:        # an OFD whose page draws no text
        with zipfile.ZipFile(files["ofd"]) as source:
            for part in source.namelist():
                content = source.read(part)
                if part.endswith("Content.xml"):
                    content = b'<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content/></ofd:Page>'
                z.writestr(part, content)
    with zipfile.ZipFile(tmp_path / "encrypted.ofd", "w") as z:      # GB/T 33190 encryption: Encryptions.xml beside OFD.xml
        with zipfile.ZipFile(files["ofd"]) as source:
            for part in source.namelist():
                z.writestr(part, source.read(part))
        z.writestr("Encryptions.xml", '<ofd:Encryptions xmlns:ofd="http://www.ofdspec.org/2016"/>')
    expected = {
        "encrypted.ofd": r"encrypted OFD: it opens only with its key$",
        "truncated.ofd": r"not a readable OFD file \(",
        "renamed.ofd": r"not an OFD file \(an OFD is a zip package",
        "no_ofd_xml.ofd": r"not a readable OFD file \(not an OFD file: OFD.xml is missing\)",
        "no_text.ofd": r"no text in file",
    }
    for name, reason in expected.items():
        with pytest.raises(ReadError) as caught:
            read(tmp_path / name)
        line = str(caught.value)
        assert "\n" not in line and line.startswith(str(tmp_path / name) + ": "), line
        assert re.search(reason, line), line
