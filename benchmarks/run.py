"""Measure speed and scale on synthetic cascades: extraction, linking, the embedded store's load
path against LadybugDB's own COPY FROM of the same rows, query latency, end to end and peak memory.

    python benchmarks/run.py --sizes 1000,10000 --out benchmarks/results.md [--json results.json]

Each size is a corpus from make_corpus.py (real places, tasks drawn from the samples) with its
ground truth, so task-link precision and recall are measured too. With NEO4J_URI set it also loads
Neo4j. Results go to a Markdown file with the machine noted; nothing here is asserted.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_corpus
from policykg.api import ingest
from policykg.graph import EmbeddedStore
from policykg.graph import cypher as C
from policykg.graph.build import new_graph
from policykg.graph.embedded import copy_statements
from policykg.graph.lineage import descendants, task_links
from policykg.graph.sync import ChangeSet, apply, edge_row, node_row
from policykg.loaders import extract_many
from policykg.queries import get

# corpus shape per size: (provinces, cities per province, counties per city, years)
SHAPES = {100: (3, 2, 4, 1), 1000: (31, 4, 7, 1), 10000: (31, 99, 99, 3), 30000: (31, 99, 99, 9)}


def shape_for(size: int) -> tuple[int, int, int, int]:
    if size in SHAPES:
        return SHAPES[size]
    years = max(1, round(size / 3200))
    return (31, 99, 99, years) if size >= 3000 else (max(1, size // 30), 3, 8, 1)


def run_policykg(args: list[str]) -> tuple[float, float, str]:
    """One whole `policykg ARGS` process timed from outside: wall seconds, its peak RSS in MB
    (the kernel's accounting of that process), and what it printed. Exits on a failed command."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as figures:
        proc = subprocess.Popen([sys.executable, "-c", _MEASURE, str(figures.fileno()),
                                 str(Path(sys.executable).with_name("policykg")), *args],
                                stdout=out, stderr=subprocess.STDOUT, pass_fds=(figures.fileno(),), text=True)
        proc.wait()
        out.seek(0)
        text = out.read()
        figures.seek(0)
        status, wall, peak_kb = figures.read().split()
    if int(status) != 0:
        raise SystemExit(f"policykg {' '.join(args)} failed: {text.strip().splitlines()[-1:]}")
    return float(wall), int(peak_kb) / 1024, text


# Runs policykg as its own child and reports its wall time and peak RSS. Not run from this process
# directly: Linux counts into a child's ru_maxrss the resident size of the process it was forked
# from, and this one holds a corpus's truth (425 MB at 10k), which floored every figure at that.
_MEASURE = """
import os, subprocess, sys, time
started = time.perf_counter()
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
wall = time.perf_counter() - started
with os.fdopen(int(sys.argv[1]), "w") as f:
    f.write(f"{os.waitstatus_to_exitcode(status)} {wall} {usage.ru_maxrss}")
"""


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mb() -> float:
    """The largest finished child process's high-water mark (an extraction or linking worker)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def corpus(size: int, root: Path, seed: int = 1, shape: tuple | None = None) -> tuple[Path, dict]:
    p, c, k, y = shape or shape_for(size)
    folder = root / f"corpus-{p}-{c}-{k}-{y}-{seed}"
    truth_file = folder / "truth.json"
    if not truth_file.exists():
        make_corpus.make(p, c, k, y, seed, folder)
    return folder, json.loads(truth_file.read_text("utf-8"))


def files_of(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.txt"))


def measure_extraction(files: list[Path], sample: int = 300) -> dict:
    subset = files[:sample]
    mb = sum(p.stat().st_size for p in subset) / 1e6
    list(extract_many(subset[:2], workers=1))               # load the gazetteer and OpenCC first
    t = time.perf_counter()
    for _ in extract_many(subset, workers=1):
        pass
    single = time.perf_counter() - t
    return {"extract_docs_per_s_1": len(subset) / single, "extract_mb_per_s_1": mb / single}


def score_links(G, truth: dict) -> dict:
    predicted = {(x["child"]["doc"], tuple(x["child"]["path"]), x["parent"]["doc"], tuple(x["parent"]["path"]))
                 for x in task_links(G)}
    gold = {(x["child"]["doc"], tuple(x["child"]["path"]), x["parent"]["doc"], tuple(x["parent"]["path"]))
            for x in truth["task_links"]}
    tp = len(predicted & gold)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(gold) if gold else 0.0
    return {"task_link_precision": p, "task_link_recall": r, "task_link_f1": 2 * p * r / (p + r) if p + r else 0.0}


def copy_from(G, folder: Path) -> tuple[float, int]:
    """LadybugDB's own bulk path: COPY FROM CSV files holding exactly the rows of G into an empty
    database, written as the project's bulk path writes them (before the clock starts). Like the
    project's path it commits to the log and checkpoints once at the end, which is timed too.
    Returns the seconds (NaN if every attempt stalled) and how many attempts stalled."""
    everything = ChangeSet("COPY FROM baseline")
    for n, data in G.nodes(data=True):
        everything.create_nodes[data["label"]].append(node_row(data))
    for u, v, rel, data in G.edges(keys=True, data=True):
        everything.create_edges[(rel, G.nodes[u]["label"], G.nodes[v]["label"])].append(edge_row(u, v, rel, data))
    statements = ["CALL auto_checkpoint=false", *copy_statements(everything, folder), "CHECKPOINT"]
    job = folder / "copy-job.json"
    job.write_text(json.dumps({"statements": statements}), encoding="utf-8")
    # In a fresh process, watched: LadybugDB 0.22 was seen to stall in a large COPY (a thread
    # waiting on a futex, no CPU, no I/O). A job that uses no CPU for COPY_IDLE_S is killed and
    # run again on a fresh database, up to COPY_ATTEMPTS times.
    for attempt in range(COPY_ATTEMPTS):
        db = folder / f"copy-{attempt}.lbug"
        proc = subprocess.Popen([sys.executable, __file__, "--copy-job", str(job), str(db)],
                                stdout=subprocess.PIPE, text=True)
        if _finished(proc):
            return float(proc.stdout.read().strip().splitlines()[-1]), attempt
        shutil.rmtree(db, ignore_errors=True)
    return float("nan"), COPY_ATTEMPTS


COPY_ATTEMPTS = 3
COPY_IDLE_S = 30


def proc_stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, …), or None if the
    process is gone or this is not Linux. The name is cut off at its last ")": it may hold spaces."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _cpu_seconds(pid: int) -> float | None:
    fields = proc_stat(pid)
    if fields is None:
        return None       # not Linux, or gone: fall back to the wall clock alone
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _finished(proc: subprocess.Popen, limit_s: float = 1800) -> bool:
    """Wait for the job; False (and the job killed) if it stalls or runs past limit_s."""
    started = last_busy = time.monotonic()
    last_cpu = -1.0
    while proc.poll() is None:
        time.sleep(1)
        now, cpu = time.monotonic(), _cpu_seconds(proc.pid)
        if cpu is not None and cpu > last_cpu + 0.05:
            last_cpu, last_busy = cpu, now
        if now - last_busy > COPY_IDLE_S or now - started > limit_s:
            proc.kill()
            proc.wait()
            return False
    return proc.returncode == 0


def run_copy_job(job: Path, db: Path) -> None:
    spec = json.loads(job.read_text("utf-8"))
    store = EmbeddedStore(db)
    t = time.perf_counter()
    for statement in spec["statements"]:
        store._conn.execute(statement)
    print(time.perf_counter() - t)
    store.close()


def latencies(run, cases: list, repeat: int = 1) -> tuple[float, float]:
    if not cases:
        return float("nan"), float("nan")
    times = []
    for case in cases:
        for _ in range(repeat):
            t = time.perf_counter()
            run(case)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def measure_queries(store: EmbeddedStore, G, truth: dict, rng: random.Random) -> dict:
    docs = [d for d in truth["documents"] if d["level"] in ("national", "province")]
    roots = rng.sample(docs, min(20, len(docs)))
    id_of = {d.get("doc_number"): n for n, d in G.nodes(data=True) if d["label"] == "Document"}
    trace, owners, gaps = get("trace-down"), get("owners"), get("gaps")
    out = {}
    out["trace_p50_ms"], out["trace_p95_ms"] = latencies(
        lambda d: store.run(trace.text, {"doc": id_of[d["doc_number"]], "depth": 4}), roots)
    phrases = [title[:4] for title, _ in rng.sample(make_corpus.task_pool()[0], 10)]
    out["owners_p50_ms"], out["owners_p95_ms"] = latencies(
        lambda p: store.run(owners.text, {"phrase": p}), phrases)
    pairs = [(d, c) for d in truth["documents"] if d["level"] == "province"
             for c in truth["documents"] if c["parent"] == d["doc_number"]]
    pairs = rng.sample(pairs, min(20, len(pairs)))
    out["gaps_p50_ms"], out["gaps_p95_ms"] = latencies(
        lambda pc: store.run(gaps.text, {"parent": id_of[pc[0]["doc_number"]], "child": id_of[pc[1]["doc_number"]]}),
        pairs)

    def nx_trace(d):
        root = id_of[d["doc_number"]]
        below = descendants(G, root)
        return [(c, p) for doc in below for c in G.predecessors(doc) if G.nodes[c]["label"] == "Task"
                for p in G.successors(c) if G.nodes[p]["label"] == "Task"]

    out["nx_trace_p50_ms"], out["nx_trace_p95_ms"] = latencies(nx_trace, roots)
    return out


def measure_neo4j(G, uri: str) -> dict:
    from policykg.graph import Neo4jStore
    with Neo4jStore(uri) as store:
        store.clear()
        t = time.perf_counter()
        apply(store, new_graph(), G)
        elapsed = time.perf_counter() - t
    return {"neo4j_load_s": elapsed, "neo4j_nodes_per_s": G.number_of_nodes() / elapsed, "neo4j_batch": C.BATCH}


def run_size(size: int, root: Path, seed: int = 1, log=print, shape: tuple | None = None) -> dict:
    folder, truth = corpus(size, root, seed, shape)
    files = files_of(folder)
    result = {"size": len(files), "requested_size": size, "cores": os.cpu_count()}
    log(f"[{size}] {len(files)} documents in {folder}")
    result.update(measure_extraction(files))
    mb = sum(p.stat().st_size for p in files) / 1e6

    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        tmp = Path(tmp)
        # end to end is what a user runs: `policykg ingest FOLDER` into an empty store
        t = time.perf_counter()
        report = ingest([folder], db=tmp / "project.lbug", workers=None)
        result["end_to_end_s"] = time.perf_counter() - t
        phases = report.timings
        G = report.graph
        unread = [f for f, reason in report.failed if not reason.startswith("not stored")]
        # files are extracted in worker processes while this one builds the graph from them
        extract_s = phases["extract and build"]
        result.update(extract_s=extract_s, extract_docs_per_s=len(files) / extract_s,
                      extract_mb_per_s=mb / extract_s, extract_failed=len(unread),
                      finish_s=phases["finish"], link_s=phases["link"],
                      link_and_store_s=phases["link and store"], ingest_failed=len(report.failed) - len(unread),
                      nodes=G.number_of_nodes(), edges=G.number_of_edges(),
                      workers_peak_rss_mb=children_peak_rss_mb())
        result.update(score_links(G, truth))
        log(f"[{size}] ingested in {result['end_to_end_s']:.1f} s: "
            + ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
            + f"; task-link F1 {result['task_link_f1']:.3f}")
        store = EmbeddedStore(tmp / "project.lbug", read_only=True)
        result.update(measure_queries(store, G, truth, random.Random(seed)))
        store.close()    # one database open at a time: two default buffer pools ask for the same memory
        result["peak_rss_mb"] = peak_rss_mb()
        # the load path on its own (in the ingest it overlaps linking), for the ratio to COPY FROM
        store = EmbeddedStore(tmp / "load-only.lbug")
        t = time.perf_counter()
        loaded = apply(store, new_graph(), G)
        result.update(load_s=time.perf_counter() - t, load_failed=len(loaded.failed))
        store.close()
        log(f"[{size}] the load path alone: {result['load_s']:.1f} s")
        result["copy_from_s"], result["copy_from_stalls"] = copy_from(G, tmp)
        result["load_vs_copy"] = result["load_s"] / result["copy_from_s"]
        log(f"[{size}] COPY FROM of the same rows into an empty database: {result['copy_from_s']:.1f} s"
            f" ({result['copy_from_stalls']} stalled attempt(s) killed and rerun)")
    if os.environ.get("NEO4J_URI"):
        result.update(measure_neo4j(G, os.environ["NEO4J_URI"]))
    log(f"[{size}] end to end {result['end_to_end_s']:.1f} s, peak RSS {result['peak_rss_mb']:.0f} MB "
        f"(largest child process {result['workers_peak_rss_mb']:.0f} MB)")
    return result


def _ten_thousand(r: dict) -> bool:
    return 9000 <= r["size"] < 15000


BARS = [
    ("10,000 documents end to end ≤ 100 s", _ten_thousand, lambda r: r["end_to_end_s"] <= 100),
    ("peak RSS ≤ 4 GB at 10,000 documents", _ten_thousand, lambda r: r["peak_rss_mb"] <= 4096),
    ("load path within 3× of COPY FROM", lambda r: r["load_vs_copy"] == r["load_vs_copy"],   # not NaN
     lambda r: r["load_vs_copy"] <= 3),
    ("trace-down p50 ≤ 100 ms on the 10,000-document store", _ten_thousand, lambda r: r["trace_p50_ms"] <= 100),
    ("task-link F1 ≥ 0.9", lambda r: True, lambda r: r["task_link_f1"] >= 0.9),
]


def markdown(results: list[dict], command: str) -> str:
    cols = [("documents", "size", "{:,}"), ("nodes", "nodes", "{:,}"), ("edges", "edges", "{:,}"),
            ("extract docs/s, 1 core", "extract_docs_per_s_1", "{:.0f}"),
            ("extract MB/s, 1 core", "extract_mb_per_s_1", "{:.2f}"),
            ("extract + build docs/s, all cores", "extract_docs_per_s", "{:.0f}"),
            ("extract + build s", "extract_s", "{:.1f}"), ("finish s", "finish_s", "{:.1f}"),
            ("link s", "link_s", "{:.1f}"),
            ("link + store s (overlapped)", "link_and_store_s", "{:.1f}"),
            ("task-link P", "task_link_precision", "{:.3f}"), ("task-link R", "task_link_recall", "{:.3f}"),
            ("task-link F1", "task_link_f1", "{:.3f}"),
            ("load s (project path alone)", "load_s", "{:.1f}"), ("COPY FROM s", "copy_from_s", "{:.1f}"),
            ("COPY FROM attempts that stalled", "copy_from_stalls", "{}"),
            ("load / COPY", "load_vs_copy", "{:.2f}"),
            ("trace-down p50 / p95 ms", ("trace_p50_ms", "trace_p95_ms"), "{:.0f} / {:.0f}"),
            ("owners p50 / p95 ms", ("owners_p50_ms", "owners_p95_ms"), "{:.0f} / {:.0f}"),
            ("gaps p50 / p95 ms", ("gaps_p50_ms", "gaps_p95_ms"), "{:.0f} / {:.0f}"),
            ("networkx trace p50 / p95 ms", ("nx_trace_p50_ms", "nx_trace_p95_ms"), "{:.1f} / {:.1f}"),
            ("end to end s", "end_to_end_s", "{:.1f}"), ("peak RSS MB", "peak_rss_mb", "{:.0f}"),
            ("largest child process RSS MB", "workers_peak_rss_mb", "{:.0f}")]
    if any("neo4j_load_s" in r for r in results):
        cols.append(("Neo4j nodes/s (batch)", ("neo4j_nodes_per_s", "neo4j_batch"), "{:.0f} ({})"))
    lines = ["# Speed and scale", "",
             f"`{command}` on {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
             "Synthetic cascades from `benchmarks/make_corpus.py` (real places; tasks reworded, split, merged and",
             "dropped on the way down). End to end = the wall clock of `policykg.ingest(folder)` into an empty",
             "embedded store: files are extracted in one process per core while the main process builds the",
             "graph from them (extract + build), then finish (ids, pruning), then linking while the facts are",
             "written to the store, then the links. The load path is also timed alone on the same graph, for",
             "its ratio to LadybugDB's own COPY FROM of the same rows.",
             "Peak RSS is the main process's high-water mark; the largest child process (an extraction or linking",
             "worker, whose pages are partly shared with the main process, or an earlier size's COPY job) is listed apart.", "",
             "| measure | " + " | ".join(f"{r['size']:,} docs" for r in results) + " |",
             "|---|" + "---|" * len(results)]
    for title, key, fmt in cols:
        cells = []
        for r in results:
            if isinstance(key, tuple):
                cells.append(fmt.format(*(r.get(k, float("nan")) for k in key)) if all(k in r for k in key) else "–")
            else:
                cells.append(fmt.format(r[key]) if key in r else "–")
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += ["", "## Bars", ""]
    for title, applies, passes in BARS:
        rows = [r for r in results if applies(r)]
        if rows:
            verdict = "met" if all(passes(r) for r in rows) else "**missed**"
            lines.append(f"- {title}: {verdict} ({', '.join(str(r['size']) for r in rows)} docs)")
    big = sorted((r for r in results if r["size"] >= 9000), key=lambda r: r["size"])
    if len(big) >= 2:
        ratio = big[-1]["link_s"] / big[0]["link_s"]
        size_ratio = big[-1]["size"] / big[0]["size"]
        verdict = "met" if ratio <= 3.5 else "**missed**"
        lines.append(f"- linking at 30k ≤ 3.5× linking at 10k: {verdict} ({big[-1]['size']:,} docs take "
                     f"{ratio:.2f}× the time of {big[0]['size']:,}, {size_ratio:.1f}× the documents)")
    # the figures of the benchmarks run apart (a file into a grown store, many notices of one
    # subject), as they last wrote them, and what profiling found, written by hand
    for name, shift in (("reingest.md", True), ("same_subject.md", True), ("findings.md", False)):
        part = Path(__file__).with_name(name)
        if part.exists():
            text = part.read_text("utf-8").strip()
            lines += ["", "#" + text if shift and text.startswith("# ") else text]
    return "\n".join(lines) + "\n"


def main(argv=None) -> list[dict]:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--copy-job"]:
        run_copy_job(Path(argv[1]), Path(argv[2]))
        return []
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("results.md"))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--corpora", type=Path, default=Path(tempfile.gettempdir()) / "policykg-corpora",
                    help="where generated corpora are kept between runs")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shape", help="provinces,cities,counties,years for every size (default: by size)")
    ap.add_argument("--from-json", type=Path,
                    help="write the tables again from the figures of an earlier run (no benchmark is run)")
    args = ap.parse_args(argv)
    if args.from_json:
        earlier = json.loads(args.from_json.read_text("utf-8"))
        command = f"python benchmarks/run.py --sizes {','.join(str(r['requested_size']) for r in earlier)}"
        args.out.write_text(markdown(earlier, command + f" (figures from {args.from_json.name})"), encoding="utf-8")
        return earlier
    shape = tuple(int(x) for x in args.shape.split(",")) if args.shape else None
    results = [run_size(int(s), args.corpora, args.seed, shape=shape) for s in args.sizes.split(",")]
    command = "python benchmarks/run.py " + " ".join(argv)
    args.out.write_text(markdown(results, command), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
