"""An ingest relinks only the documents whose links can have changed (graph.link.affected_documents);
after every step of a folder's life — files added in batches, a plan reworded, a 文号 corrected, a
file deleted from the folder and read again elsewhere, a yearless citation answered — the store
must equal a store built from scratch from the same files, node for node and edge for edge."""
import shutil
import sys

import policykg
import pytest
from policykg.graph.check import fingerprint

from tests.conftest import SAMPLES
from tests.test_cascades import TEXTS


def _scratch(folder, tmp_path, name):
    db = tmp_path / f"{name}.lbug"
    policykg.ingest([folder], db=db)
    return fingerprint(policykg.read_graph(db))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)        # sources are named relative to here, the same for both stores
    docs = tmp_path / "docs"
    docs.mkdir()
    return docs


def test_every_step_of_a_folder_gives_the_store_a_scratch_ingest_gives(folder, tmp_path):
    db = tmp_path / "grown.lbug"
    names = sorted(TEXTS)
    steps = []

    def step(label, change):
        change()
        report = policykg.ingest([folder], db=db)
        assert report.failed == []
        steps.append((label, report.relinked, report.documents))
        assert fingerprint(policykg.read_graph(db)) == _scratch(folder, tmp_path, f"s{len(steps)}"), label
        return report

    def add(keys):
        for k in keys:
            (folder / k).write_text(TEXTS[k], "utf-8")

    parents = ("national.txt", "reprint.txt", "gansu.txt", "older.txt", "shanxi.txt")  # shanxi: 太原's unstated parent
    step("the lower half first", lambda: add(n for n in names if n not in parents))
    step("then the parents", lambda: add(parents))
    for sample in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(sample, folder / sample.name)
    step("an unrelated cascade", lambda: None)
    # a province rewords its plan: its children may now carry it down or not
    step("a plan reworded", lambda: (folder / "shanxi.txt").write_text(
        TEXTS["shanxi.txt"].replace("推进数字乡村建设", "加强农田水利建设"), "utf-8"))
    # the office corrects a 文号: the document is renamed, and who cites it changes
    step("a 文号 corrected", lambda: (folder / "lanzhou.txt").write_text(
        TEXTS["lanzhou.txt"].replace("兰政发〔2031〕11号", "兰政发〔2031〕12号"), "utf-8"))
    # the 2029 namesake of the national opinion is renumbered 2030: the yearless 国发3号 of a 2031
    # plan still answers 2031, and the plan citing it is among those relinked
    step("a namesake renumbered", lambda: (folder / "older.txt").write_text(
        TEXTS["older.txt"].replace("2029", "2030"), "utf-8"))
    relinked = {label: n for label, n, _ in steps}
    every = sum(1 for _, d in policykg.read_graph(db).nodes(data=True) if d["label"] == "Document")
    # the incremental steps relinked fewer than all documents, so the equality above is not the
    # equality of relinking everything
    assert all(n is not None and n < every for label, n in relinked.items() if label != "the lower half first"), \
        (relinked, every)
    assert relinked["a plan reworded"] <= 6, relinked


def test_links_of_documents_nothing_touched_are_kept_not_recomputed(folder, tmp_path, monkeypatch):
    db = tmp_path / "g.lbug"
    for k in ("national.txt", "gansu.txt", "lanzhou.txt"):
        (folder / k).write_text(TEXTS[k], "utf-8")
    policykg.ingest([folder], db=db)
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], folder / "haidong.txt")
    L = sys.modules["policykg.graph.link"]
    seen = []
    real = L._Linker.links_of
    monkeypatch.setattr(L._Linker, "links_of", lambda self, child: seen.append(child) or real(self, child))
    policykg.ingest([folder], db=db, workers=1)
    assert seen and not any("甘政" in c or "兰政" in c or "国发〔2031〕3号" in c for c in seen), seen


def test_a_document_read_again_from_a_file_sorting_first_leaves_no_stale_placeholder(folder, tmp_path):
    # the same 文号 in a later file: the read of the file sorting first stands; the placeholder only
    # the other read cited must go at once (its stale link kept it until some later ingest)
    db = tmp_path / "g.lbug"
    (folder / "zz_reworded.txt").write_text(TEXTS["shanxi.txt"].replace("推进数字乡村建设", "加强农田水利建设"), "utf-8")
    policykg.ingest([folder], db=db)
    (folder / "shanxi.txt").write_text(TEXTS["shanxi.txt"], "utf-8")
    policykg.ingest([folder], db=db)
    assert fingerprint(policykg.read_graph(db)) == _scratch(folder, tmp_path, "both")


def test_an_ingest_links_in_workers_forked_before_it_reads_the_store(folder, tmp_path, monkeypatch):
    # workers forked from a process holding the graph keep every page it writes afterwards (4.8 GB
    # at 30k documents): ingest starts them first, and their links are those of one process
    from policykg.graph import embedded
    L = sys.modules["policykg.graph.link"]
    for k in TEXTS:
        (folder / k).write_text(TEXTS[k], "utf-8")
    one = _scratch(folder, tmp_path, "one")
    monkeypatch.setattr(L, "_MIN_PER_WORKER", 1)      # fork for these few documents
    monkeypatch.setattr(L, "_CHUNK", 1)
    events = []
    real_init, real_map, real_read = L.LinkWorkers.__init__, L.LinkWorkers.map, embedded.EmbeddedStore.read_graph
    monkeypatch.setattr(L.LinkWorkers, "__init__", lambda self, w: events.append("fork") or real_init(self, w))
    monkeypatch.setattr(L.LinkWorkers, "map", lambda self, chunks: events.append("map") or real_map(self, chunks))
    monkeypatch.setattr(embedded.EmbeddedStore, "read_graph",
                        lambda self, *a, **k: events.append("read store") or real_read(self, *a, **k))
    db = tmp_path / "pooled.lbug"
    policykg.ingest([folder], db=db, workers=2)
    assert events[:3] == ["fork", "read store", "map"], events
    assert fingerprint(policykg.read_graph(db)) == one
