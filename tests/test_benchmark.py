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


def _linked_corpus(tmp_path):
    from policykg.graph.build import build
    from policykg.graph.link import link
    from policykg.loaders import extract_text
    make_corpus.make(*SHAPE, seed=3, out=tmp_path / "c")
    G = build(extract_text(p.read_text("utf-8"), source=p.name) for p in sorted((tmp_path / "c").rglob("*.txt")))
    link(G, workers=1)
    return G


def test_reingest_compares_the_grown_store_with_one_from_scratch_link_by_link(tmp_path):
    import reingest
    from policykg.graph.build import copy_graph
    from policykg.graph.schema import DERIVED_RELS
    G = _linked_corpus(tmp_path)
    same = reingest.compare(copy_graph(G), G)
    assert same["links"] > 0 and same["only_grown"] == same["only_scratch"] == 0 and same["same_store"]
    u, v, k = next((u, v, k) for u, v, k in G.edges(keys=True) if k in DERIVED_RELS)
    missing = copy_graph(G)
    missing.remove_edge(u, v, key=k)
    assert reingest.compare(missing, G) == {"links": same["links"], "only_grown": 0, "only_scratch": 1,
                                            "same_store": False}
    rescored = copy_graph(G)
    rescored.edges[u, v, k]["score"] = -1.0      # the same link with another field is another link
    assert reingest.compare(rescored, G)["only_grown"] == reingest.compare(rescored, G)["only_scratch"] == 1


def test_reingest_bars_follow_the_figures():
    import reingest

    def result(one_file_s, peak_mb, empty_s, unchanged_s, only_scratch=0):
        return {"size": 10000, "files": 9852, "fresh": (100.0, 3000, ""), "unchanged": (unchanged_s, 150, ""),
                "one_file": (one_file_s, peak_mb, ""), "empty": (empty_s, 220, ""),
                "scratch": {"links": 10, "only_grown": 0, "only_scratch": only_scratch, "same_store": not only_scratch}}

    def verdicts(r):
        return [line.rsplit(": ", 1)[1].split(" (")[0] for line in reingest.bars([r])]

    assert verdicts(result(1.9, 400, 1.0, 2.0)) == ["met"] * 5
    assert verdicts(result(2.1, 1100, 1.0, 11.0, only_scratch=1)) == ["**missed**"] * 5
    assert verdicts(result(1.9, 400, 0.9, 2.0)) == ["met", "met", "**missed**", "met", "met"]   # 1.9 > 2 × 0.9
    assert reingest.bars([dict(result(1.9, 400, 1.0, 2.0), size=1000, files=796)])[0].startswith(
        "- the unchanged folder")     # the 10k bars are for the 10k store only


def test_same_subject_bar_is_for_the_5000_notices():
    import same_subject
    row = {"build_s": 1.0, "unbounded_s": 5.0, "links": 10, "inferred": 5, "same": True}
    small, big = dict(row, size=1000, link_s=30.0), dict(row, size=5000, link_s=0.8)
    assert "Bar" not in same_subject.markdown([small], "x")
    assert "≤ 20 s: met (5,000 notices)" in same_subject.markdown([small, big], "x")
    assert "≤ 20 s: **missed**" in same_subject.markdown([dict(big, link_s=21.0)], "x")


def test_memory_rerun_rewrites_its_tables_and_keeps_the_written_findings(tmp_path):
    import memory
    out = tmp_path / "memory.md"
    result = {"documents": 10, "wall_s": 1.0, "peak_pss_mb": 100.0, "main_pss_at_peak_mb": 90.0,
              "processes_at_peak": 3, "peak_phase": "link and store", "peak_rss_sum_mb": 120.0,
              "phase_peaks_mb": {"extract and build": 80.0, "link and store": 100.0}}
    out.write_text(memory.markdown([result], "first") + "\n## What it shows\n\nwritten by hand\n", "utf-8")
    rerun = memory.markdown([{**result, "peak_pss_mb": 200.0}], "second") + memory.findings_of(out)
    assert "second" in rerun and "| 200 |" in rerun and "first" not in rerun
    assert rerun.endswith("\n## What it shows\n\nwritten by hand\n")
    assert memory.findings_of(tmp_path / "absent.md") == ""
