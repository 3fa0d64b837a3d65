"""A few files into a store read only their neighbourhood (graph/local.py). After every single-file
ingest, in three orders of a folder, the store must equal the store the same ingests make when they
read the whole store, node for node and edge for edge; and the neighbourhood must really be what
was read, most of the time (else this compares the whole-store path with itself)."""
import random
import shutil

import policykg
import pytest
from policykg.graph import local
from policykg.graph.check import fingerprint

from tests.conftest import SAMPLES
from tests.test_cascades import TEXTS


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)        # sources are named relative to here, the same for both stores
    src = tmp_path / "files"
    src.mkdir()
    for name, text in TEXTS.items():
        (src / name).write_text(text, "utf-8")
    for sample in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(sample, src / sample.name)
    # a plan reworded and a 文号 corrected, read after the first versions
    (src / "zz_shanxi_reworded.txt").write_text(TEXTS["shanxi.txt"].replace("推进数字乡村建设", "加强农田水利建设"), "utf-8")
    return sorted(src.iterdir())


def _grow(files, db, monkeypatch, neighbourhood: bool):
    monkeypatch.setattr(local, "MAX_FILES", 50 if neighbourhood else -1)
    monkeypatch.setattr(local, "MAX_SHARE", 1.0)      # small stores: the neighbourhood is much of them
    prints, used = [], 0
    for path in files:
        report = policykg.ingest([path], db=db)
        assert report.failed == []
        used += "read neighbourhood" in report.timings and report.fallback is None
        prints.append(fingerprint(policykg.read_graph(db)))
    return prints, used


@pytest.mark.parametrize("order", ["sorted", "reversed", "shuffled"])
def test_each_file_read_by_its_neighbourhood_gives_the_store_the_whole_read_gives(files, tmp_path, monkeypatch, order):
    files = {"sorted": files, "reversed": files[::-1], "shuffled": random.Random(7).sample(files, len(files))}[order]
    near, used = _grow(files, tmp_path / "near.lbug", monkeypatch, neighbourhood=True)
    whole, _ = _grow(files, tmp_path / "whole.lbug", monkeypatch, neighbourhood=False)
    for i, (a, b) in enumerate(zip(near, whole)):
        assert a == b, f"after {files[i].name}"
    assert used >= len(files) - 4, used       # the first file goes into an empty store


def test_a_decision_past_the_neighbourhood_reads_the_whole_store(files, tmp_path, monkeypatch):
    monkeypatch.setattr(local, "MAX_SHARE", 1.0)
    monkeypatch.setattr(local, "check", lambda nb, new, relinked: "forced")
    db = tmp_path / "g.lbug"
    for path in files[:4]:
        report = policykg.ingest([path], db=db)
    assert report.fallback == "forced" and "read store" in report.timings
    scratch = tmp_path / "scratch.lbug"
    policykg.ingest(files[:4], db=scratch)
    assert fingerprint(policykg.read_graph(db)) == fingerprint(policykg.read_graph(scratch))


def test_a_document_cited_from_outside_the_neighbourhood_is_kept_when_the_file_read_drops_it(tmp_path, monkeypatch):
    """兰州 and 太原 both cite the national opinion, which is not in the store (a placeholder). 兰州's
    file is edited to cite nothing: the placeholder is one of 兰州's parents, read without the
    edges pointing at it, and 太原's citation of it (not read: 太原 is neither below 兰州 nor
    the same document) must keep it."""
    from tests.test_cascades import TASKS
    monkeypatch.chdir(tmp_path)
    cite = "为贯彻落实《国务院关于推进数字乡村建设的指导意见》（国发〔2031〕3号），制定本方案。\n"
    texts = {"lanzhou.txt": "兰州市人民政府关于推进数字乡村建设的实施方案\n兰政发〔2031〕11号\n各县、区人民政府：\n"
                            + cite + TASKS + "兰州市人民政府\n2031年7月1日\n",
             "taiyuan.txt": "太原市人民政府关于推进数字乡村建设的实施方案\n并政发〔2031〕12号\n各县（市、区）人民政府：\n"
                            + cite + TASKS + "太原市人民政府\n2031年8月1日\n"}
    src = tmp_path / "files"
    src.mkdir()
    stores = {}
    for name, neighbourhood in (("near", True), ("whole", False)):
        for file, text in texts.items():
            (src / file).write_text(text, "utf-8")
        prints, used = _grow(sorted(src.iterdir()), tmp_path / f"{name}.lbug", monkeypatch, neighbourhood)
        (src / "lanzhou.txt").write_text(texts["lanzhou.txt"].replace(cite, "为推进数字乡村建设，制定本方案。\n"), "utf-8")
        prints, used = _grow([src / "lanzhou.txt"], tmp_path / f"{name}.lbug", monkeypatch, neighbourhood)
        stores[name] = prints[-1]
        assert used == neighbourhood
    assert stores["near"] == stores["whole"]
    G = policykg.read_graph(tmp_path / "near.lbug")
    assert any(d.get("doc_number") == "国发〔2031〕3号" and d.get("placeholder") for _, d in G.nodes(data=True))


def test_a_citation_that_describes_a_placeholder_anew_reads_the_whole_store(tmp_path, monkeypatch):
    """兰州 cites the national opinion by its 文号 alone; 太原 then cites it with its title too, which
    describes the placeholder anew. The documents citing a placeholder are not read with it, so
    the change sends the ingest to the whole store, and the store is what the whole read gives."""
    from tests.test_cascades import TASKS
    monkeypatch.chdir(tmp_path)
    number_only = "为贯彻落实国发〔2031〕3号文件精神，制定本方案。\n"
    with_title = "为贯彻落实《国务院关于推进数字乡村建设的指导意见》（国发〔2031〕3号），制定本方案。\n"
    src = tmp_path / "files"
    src.mkdir()
    (src / "a_lanzhou.txt").write_text("兰州市人民政府关于推进数字乡村建设的实施方案\n兰政发〔2031〕11号\n各县、区人民政府：\n"
                                       + number_only + TASKS + "兰州市人民政府\n2031年7月1日\n", "utf-8")
    (src / "b_taiyuan.txt").write_text("太原市人民政府关于推进数字乡村建设的实施方案\n并政发〔2031〕12号\n各县（市、区）人民政府：\n"
                                       + with_title + TASKS + "太原市人民政府\n2031年8月1日\n", "utf-8")
    monkeypatch.setattr(local, "MAX_SHARE", 1.0)
    db = tmp_path / "near.lbug"
    policykg.ingest([src / "a_lanzhou.txt"], db=db)
    report = policykg.ingest([src / "b_taiyuan.txt"], db=db)
    assert report.fallback == "doc:n:国发〔2031〕3号 would change"
    scratch = tmp_path / "scratch.lbug"
    policykg.ingest([src], db=scratch)
    assert fingerprint(policykg.read_graph(db)) == fingerprint(policykg.read_graph(scratch))
