"""How much memory a fresh ingest of a folder takes, workers included: one `policykg.ingest`
process (the CLI's defaults: one worker per core) is watched from outside, and every
SAMPLE_S seconds the proportional set size (PSS, /proc/PID/smaps_rollup) of it and of every
process below it is added up. PSS divides a page shared by n processes among them, so the forked
extraction and linking workers, which read the main process's pages, are counted once, not once
per process as summed RSS would count them. Linux only. Writes benchmarks/memory.md.

    python benchmarks/memory.py --sizes 10000,30000
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import run as bench

SAMPLE_S = 0.25
NESTED = ("find affected", "link")

CHILD = """
import json, sys
from policykg.api import ingest
report = ingest([sys.argv[1]], db=sys.argv[2])
print(json.dumps({"timings": report.timings, "documents": report.documents, "failed": len(report.failed)}))
"""


def _children() -> dict[int, list[int]]:
    below: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := bench.proc_stat(entry)) is not None:   # None: ended while we looked
            below.setdefault(int(fields[1]), []).append(int(entry))
    return below


def _tree(root: int) -> list[int]:
    below, out, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(below.get(pid, []))
    return out


def _pss_rss_kb(pid: int) -> tuple[int, int]:
    """(Pss, Rss) in kB from one read of /proc/PID/smaps_rollup; (0, 0) for a process gone."""
    found = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Pss", "Rss"):
                found[name] = int(rest.split()[0])
    except OSError:
        pass
    return found.get("Pss", 0), found.get("Rss", 0)


def watch(folder: Path, db: Path) -> dict:
    """Run one ingest and sample its process tree; the peak of the summed PSS, the main process's
    share of it then, the peak of the summed RSS, and the phase the peak fell in."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(folder), str(db)],
                            stdout=subprocess.PIPE, text=True)
    samples = []    # (seconds, summed PSS kB, main process's PSS kB, summed RSS kB, processes)
    while proc.poll() is None:
        sizes = {pid: _pss_rss_kb(pid) for pid in _tree(proc.pid)}
        samples.append((time.perf_counter() - started, sum(p for p, _ in sizes.values()),
                        sizes.get(proc.pid, (0, 0))[0], sum(r for _, r in sizes.values()), len(sizes)))
        time.sleep(SAMPLE_S)
    wall = time.perf_counter() - started
    out = proc.stdout.read()
    if proc.returncode != 0:
        raise SystemExit(f"ingest of {folder} failed (exit {proc.returncode})")
    report = json.loads(out.strip().splitlines()[-1])
    # phases end where their cumulative timings end, counted back from the process's end (the
    # interpreter's start and imports come before the first); "find affected" and "link" are
    # laps inside "link and store", which runs them meanwhile
    sequential = {k: v for k, v in report["timings"].items() if k not in NESTED}
    ends, end = {}, wall - sum(sequential.values())
    for name, seconds in sequential.items():
        end += seconds
        ends[name] = end

    def phase_at(seconds: float) -> str:
        return next((name for name, end in ends.items() if seconds <= end), "after the last phase")

    phase_peaks = dict.fromkeys(ends, 0.0)
    for at, total, *_ in samples:
        phase = phase_at(at)
        if phase in phase_peaks:
            phase_peaks[phase] = max(phase_peaks[phase], total / 1024)
    at, total, main, _, processes = max(samples, key=lambda s: s[1])
    return {"wall_s": wall, "peak_pss_mb": total / 1024, "main_pss_at_peak_mb": main / 1024,
            "processes_at_peak": processes, "peak_at_s": at, "peak_phase": phase_at(at),
            "peak_rss_sum_mb": max(s[3] for s in samples) / 1024,
            "documents": report["documents"], "failed": report["failed"], "phase_peaks_mb": phase_peaks}


def markdown(results: list[dict], command: str) -> str:
    lines = ["# Memory of a fresh ingest, workers included", "",
             f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             "One `policykg.ingest(folder, db)` process with the CLI's defaults (one worker per core), its "
             f"process tree sampled every {SAMPLE_S} s: PSS counts a page shared by forked workers once, "
             "summed RSS counts it in every process that touched it.", "",
             "| documents | wall s | peak PSS, all processes, MB | main process's PSS then, MB | processes then "
             "| phase of the peak | peak summed RSS, MB |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['documents']:,} | {r['wall_s']:.1f} | {r['peak_pss_mb']:,.0f} | "
                     f"{r['main_pss_at_peak_mb']:,.0f} | {r['processes_at_peak']} | {r['peak_phase']} | "
                     f"{r['peak_rss_sum_mb']:,.0f} |")
    lines += ["", "Peak PSS of all processes in each phase, MB:", "",
              "| documents | " + " | ".join(results[0]["phase_peaks_mb"]) + " |",
              "|---|" + "---|" * len(results[0]["phase_peaks_mb"])]
    for r in results:
        lines.append(f"| {r['documents']:,} | " + " | ".join(f"{v:,.0f}" for v in r["phase_peaks_mb"].values()) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "policykg-bench")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("memory.md"))
    args = parser.parse_args()
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        folder, _ = bench.corpus(size, args.root)
        work = Path(tempfile.mkdtemp(prefix="memory-", dir=args.root))
        try:
            result = watch(folder, work / "store.lbug")
        finally:
            shutil.rmtree(work)
        print(f"[{size}] {json.dumps(result)}", flush=True)
        results.append(result)
    args.out.write_text(markdown(results, "python benchmarks/memory.py --sizes " + args.sizes)
                        + findings_of(args.out), "utf-8")


def findings_of(out: Path) -> str:
    """The written findings of an earlier memory.md, from its first "## " heading on: the measured
    tables are rewritten by each run, what they show is kept for a person to update."""
    old = out.read_text("utf-8") if out.exists() else ""
    at = old.find("\n## ")
    return old[at:] if at >= 0 else ""


if __name__ == "__main__":
    main()
