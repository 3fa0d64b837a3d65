"""The benchmark's own smoke run at a tiny size, and the corpus generator's promises. No timing is
asserted: only that every figure is produced and the ground truth holds together."""
import hashlib
import json
import sys

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import make_corpus
import run

SHAPE = (2, 1, 2, 1)    # 上海市 (a municipality: no city level) and 云南省 with one city of two counties


def _digest(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.txt"))}


def test_corpus_is_deterministic_and_its_truth_holds_together(tmp_path):
    truth = make_corpus.make(*SHAPE, seed=3, out=tmp_path / "a")
    make_corpus.make(*SHAPE, seed=3, out=tmp_path / "b")
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    docs = {d["doc_number"]: d for d in truth["documents"]}
    assert len(docs) == len(truth["documents"]) == 6          # 文号 are unique
    assert [d["level"] for d in truth["documents"]].count("county") == 2
    for d in truth["documents"]:
        assert (tmp_path / "a" / d["file"]).exists()
        assert d["parent"] is None or docs[d["parent"]]["level"] != d["level"]
    for link in truth["task_links"]:
        assert link["parent"]["doc"] == docs[link["child"]["doc"]]["parent"]
    text = (tmp_path / "a" / truth["documents"][-1]["file"]).read_text("utf-8")
    parent = docs[truth["documents"][-1]["parent"]]
    assert f"（{parent['doc_number']}）" in text                # the child cites its parent's 文号


def test_benchmark_smoke_run_reports_every_figure(tmp_path):
    out, js = tmp_path / "results.md", tmp_path / "results.json"
    results = run.main(["--sizes", "6", "--shape", ",".join(map(str, SHAPE)), "--out", str(out),
                        "--json", str(js), "--corpora", str(tmp_path / "corpora")])
    [r] = json.loads(js.read_text("utf-8"))
    assert r == json.loads(json.dumps(results[0]))
    for key in ("size", "extract_docs_per_s", "link_s", "load_s", "copy_from_s", "trace_p50_ms",
                "end_to_end_s", "peak_rss_mb", "task_link_f1"):
        assert isinstance(r[key], (int, float)), key
    assert r["size"] == 6 and r["load_failed"] == r["ingest_failed"] == r["extract_failed"] == 0
    assert r["task_link_f1"] > 0.5            # the tiny cascade is linked, not just counted
    text = out.read_text("utf-8")
    assert "| task-link F1 |" in text and "## Bars" in text


def test_a_copy_job_that_stops_using_cpu_is_killed_as_stalled(monkeypatch):
    import subprocess
    monkeypatch.setattr(run, "COPY_IDLE_S", 2)
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    assert run._finished(idle) is False and idle.returncode is not None
    done = subprocess.Popen([sys.executable, "-c", "print(1)"], stdout=subprocess.PIPE)
    assert run._finished(done) is True
