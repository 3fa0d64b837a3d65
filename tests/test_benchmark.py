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


def _date_tests_per_notice(monkeypatch, n: int) -> tuple[float, list]:
    from policykg.graph import link as L
    from policykg.graph.build import build
    from policykg.loaders import extract_text
    texts = make_corpus.same_subject_notices(n)
    G = build(extract_text(text, source=name) for name, text in texts.items())
    calls = []
    real = L._years_apart
    monkeypatch.setattr(L, "_years_apart", lambda a, b: calls.append(1) or real(a, b))
    links = L.find_links(G, workers=1)
    monkeypatch.setattr(L, "_years_apart", real)
    return len(calls) / n, links


def test_same_subject_notices_of_one_region_are_weighed_a_bounded_number_at_a_time(monkeypatch):
    # every county notice had every city notice of its years as a candidate: the date tests per
    # notice grew with the corpus (quadratic linking); blocked and bounded, they do not
    small, small_links = _date_tests_per_notice(monkeypatch, 300)
    large, large_links = _date_tests_per_notice(monkeypatch, 1200)
    assert large <= small * 1.25, (small, large)
    inferred = [u for u, v, k, a in large_links if k == "IMPLEMENTS" and a["method"] == "inferred"]
    assert len(inferred) == 800      # every county notice (two in three) still finds its city parent


def test_the_bound_on_candidates_changes_no_link_where_the_nearest_win(monkeypatch):
    from policykg.graph import link as L
    _, bounded = _date_tests_per_notice(monkeypatch, 400)
    monkeypatch.setattr(L, "CANDIDATES_PER_BLOCK", 10 ** 9)
    _, unbounded = _date_tests_per_notice(monkeypatch, 400)
    key = lambda e: (e[0], e[1], e[2], sorted(e[3].items()))
    assert sorted(map(key, bounded)) == sorted(map(key, unbounded))
