"""A test per CLI command, each against its Python twin."""
import json
import shutil

from click.testing import CliRunner

import policykg
from policykg.cli import main
from tests.conftest import SAMPLES

SEED = SAMPLES / "001_2134d2f2c0bab840.txt"


def test_extract_json_one_file_matches_python_api():
    result = CliRunner().invoke(main, ["extract", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == json.loads(json.dumps(policykg.extract(SEED).to_dict()))
    doc = printed["documents"][0]
    assert set(doc) >= {"doc_number", "title", "attachment_title", "issuer", "date", "level", "region",
                        "citations", "repeals", "tasks", "ledger"}
    assert set(doc["tasks"][0]) >= {"path", "title", "departments", "targets", "deadline", "span"}


def test_extract_folder_with_a_bad_file(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    (folder / "b.txt").write_bytes(b"")
    shutil.copy(SAMPLES / "003_4483c7e244990de6.txt", folder / "c.txt")
    result = CliRunner().invoke(main, ["extract", str(folder), "--json"])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [r["source"] for r in records] == ["a.txt", "c.txt"]     # the bad file did not stop the rest
    assert f"{folder / 'b.txt'}: empty file" in result.stderr
    assert "1 of 3 file(s) failed" in result.stderr


def test_extract_out_dir_writes_one_file_each(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(SEED), str(SAMPLES / "002_80a544ba8699e234.txt"),
                                       "--out", str(out)])
    assert result.exit_code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["001_2134d2f2c0bab840.json", "002_80a544ba8699e234.json"]
    assert len(json.loads((out / "002_80a544ba8699e234.json").read_text("utf-8"))["documents"]) == 5


def test_extract_summary_is_readable():
    result = CliRunner().invoke(main, ["extract", str(SEED)])
    assert result.exit_code == 0
    assert "24 tasks" in result.output and "青海省人民政府办公厅" in result.output


def test_demo_matches_python_api():
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0
    assert result.output.splitlines() == policykg.demo()
    assert "东政办〔2023〕47号" in result.output and "明医改组〔2024〕4号" in result.output
