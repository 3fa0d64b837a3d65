"""What a researcher's daily `policykg ingest docs/` costs once the folder is in the store: the
folder unchanged, and the folder with one new file, against the first ingest of the folder. Each
run is a whole `policykg ingest` process, timed from outside (wall seconds and the process's peak
memory from the kernel's accounting). Writes benchmarks/reingest.md.

After the last of those ingests the same files are ingested once more, from scratch into an empty
store, and the two stores' derived links (and all their nodes and edges) compared: incremental
ingests must give what one ingest of every file gives.

    python benchmarks/reingest.py --sizes 1000,10000
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import tempfile
from pathlib import Path

import run as bench
from policykg.api import read_graph
from policykg.graph.check import derived_links, fingerprint


def timed(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak MB and the first line of what `policykg ARGS` printed."""
    wall, peak, text = bench.run_policykg(args)
    return wall, peak, text.strip().splitlines()[0]


def run_size(size: int, root: Path) -> dict:
    folder, _ = bench.corpus(size, root)
    work = Path(tempfile.mkdtemp(prefix="reingest-", dir=root))
    docs = work / "docs"
    shutil.copytree(folder, docs, ignore=shutil.ignore_patterns("truth.json"))
    db = work / "store.lbug"
    fresh = timed(["ingest", str(docs), "--db", str(db)])
    unchanged = timed(["ingest", str(docs), "--db", str(db)])
    # one new document: a county notice of another year, written as a copy of one of the corpus's
    first = sorted(docs.rglob("*.txt"))[-1]
    new = first.with_name("new_" + first.name)
    new.write_text(first.read_text("utf-8").replace("〕", "〕1", 1), "utf-8")
    one_new = timed(["ingest", str(docs), "--db", str(db)])
    # the same new file alone, into this store and into an empty one
    newer = work / "newer.txt"
    newer.write_text(first.read_text("utf-8").replace("〕", "〕2", 1), "utf-8")
    one_file = timed(["ingest", str(newer), "--db", str(db)])
    empty = timed(["ingest", str(newer), "--db", str(work / "empty.lbug")])
    # a day's work: more new files, one ingest each, into the same store. A few files are written
    # in place under the engine's log, which the engine merges into the file at one of the commits
    # (graph.embedded.InPlaceStore.log_bytes): what that costs shows in the slowest of the series
    series, corpus_files = [], sorted(docs.rglob("*.txt"))
    for k in range(SERIES):
        more = work / f"more_{k}.txt"
        source = corpus_files[-2 - 37 * k]
        more.write_text(source.read_text("utf-8").replace("〕", f"〕7{k}", 1), "utf-8")
        series.append(timed(["ingest", str(more), "--db", str(db)]))
    files = [docs, newer, *(work / f"more_{k}.txt" for k in range(SERIES))]
    scratch = against_scratch(db, files, work / "scratch.lbug")
    shutil.rmtree(work)
    return {"size": size, "files": len(bench.files_of(folder)), "fresh": fresh, "unchanged": unchanged,
            "one_new": one_new, "one_file": one_file, "empty": empty, "series": series, "scratch": scratch}


def against_scratch(grown_db: Path, files: list[Path], scratch_db: Path) -> dict:
    """The store grown by the ingests above against one ingest of the same files into an empty
    store (named by the same paths, so each document's source is the same in both)."""
    timed(["ingest", *map(str, files), "--db", str(scratch_db)])
    return compare(read_graph(grown_db), read_graph(scratch_db))


def compare(grown, scratch) -> dict:
    have, want = derived_links(grown), derived_links(scratch)
    return {"links": len(want), "only_grown": len(have - want), "only_scratch": len(want - have),
            "same_store": fingerprint(grown) == fingerprint(scratch)}


SERIES = 20     # one-file ingests one after another into the store

# issue 15's bars: (what, which sizes, whether a size's figures meet it)
BARS = [
    ("one file into the 10,000-document store ≤ 2 s", bench._ten_thousand, lambda r: r["one_file"][0] <= 2),
    ("one file into the 10,000-document store ≤ 1 GB peak (one process: a few files are extracted "
     "and linked without workers)", bench._ten_thousand, lambda r: r["one_file"][1] <= 1024),
    ("one file into the 10,000-document store within 2× of into an empty store", bench._ten_thousand,
     lambda r: r["one_file"][0] <= 2 * r["empty"][0]),
    ("the unchanged folder again ≤ a tenth of its first ingest", lambda r: True,
     lambda r: r["unchanged"][0] <= r["fresh"][0] / 10),
    ("after the incremental ingests, the derived links equal those of one ingest from scratch",
     lambda r: "scratch" in r, lambda r: r["scratch"]["only_grown"] == r["scratch"]["only_scratch"] == 0),
]


def bars(results: list[dict]) -> list[str]:
    lines = []
    for title, applies, passes in BARS:
        rows = [r for r in results if applies(r)]
        if rows:
            verdict = "met" if all(passes(r) for r in rows) else "**missed**"
            lines.append(f"- {title}: {verdict} ({', '.join(str(r['files']) for r in rows)} docs)")
    return lines


def markdown(results: list[dict], command: str) -> str:
    lines = ["# Re-ingesting a folder already in the store", "",
             f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Each figure is one whole `policykg ingest DIR` process (wall seconds; peak MB of the "
             "policykg process, extraction and linking workers not counted). A file is not read again when the store "
             "holds its content hash (its bytes and the extractor's rules).", "",
             "| documents | first ingest | same folder again | ratio | folder + 1 new file | ratio "
             "| 1 file into the store | 1 file into an empty store "
             f"| {SERIES} more files, one ingest each: median, slowest, mean |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        f, u, o, one, empty = r["fresh"], r["unchanged"], r["one_new"], r["one_file"], r["empty"]
        walls = sorted(w for w, _, _ in r["series"])
        peak = max(m for _, m, _ in r["series"])
        lines.append(f"| {r['files']} | {f[0]:.1f} s, {f[1]:.0f} MB | {u[0]:.1f} s, {u[1]:.0f} MB | "
                     f"{u[0] / f[0]:.3f} | {o[0]:.1f} s, {o[1]:.0f} MB | {o[0] / f[0]:.2f} "
                     f"| {one[0]:.1f} s, {one[1]:.0f} MB | {empty[0]:.1f} s, {empty[1]:.0f} MB "
                     f"| {statistics.median(walls):.1f} s, {walls[-1]:.1f} s, "
                     f"{statistics.mean(walls):.1f} s; {peak:.0f} MB |")
    lines += ["", "A few new or changed files (up to graph.local.MAX_FILES) are built, linked and written on "
              "their neighbourhood in the store (graph/local.py), not on the whole store read into memory, and "
              "written in place: row by row in one engine transaction under its write-ahead log, with no staged "
              "copy of the store and no checkpoint (graph.embedded.in_place, unless a reader has the store open). "
              "The engine merges the log into the file at the commit that takes it past "
              "graph.embedded.InPlaceStore.log_bytes; that ingest is the slowest of the series. Into an empty "
              "store there is nothing to write in place: that write is staged. findings.md has where the "
              "seconds of a one-file ingest go."]
    lines += ["", "After those ingests, against one ingest of the same files from scratch:", "",
              "| documents | derived links from scratch | only in the grown store | only from scratch "
              "| every node and edge the same |", "|---|---|---|---|---|"]
    for r in results:
        c = r["scratch"]
        lines.append(f"| {r['files']} | {c['links']:,} | {c['only_grown']:,} | {c['only_scratch']:,} "
                     f"| {'yes' if c['same_store'] else '**no**'} |")
    lines += ["", "Bars:", "", *bars(results)]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000")
    ap.add_argument("--root", type=Path, default=Path(tempfile.gettempdir()) / "policykg-bench")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("reingest.md"))
    a = ap.parse_args()
    a.root.mkdir(parents=True, exist_ok=True)
    results = [run_size(int(s), a.root) for s in a.sizes.split(",")]
    text = markdown(results, "python benchmarks/reingest.py --sizes " + a.sizes)
    a.out.write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
