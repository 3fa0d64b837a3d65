"""What a researcher's daily `policykg ingest docs/` costs once the folder is in the store: the
folder unchanged, and the folder with one new file, against the first ingest of the folder. Each
run is a whole `policykg ingest` process, timed from outside (wall seconds and the process's peak
memory from the kernel's accounting). Writes benchmarks/reingest.md.

    python benchmarks/reingest.py --sizes 1000,10000
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
from pathlib import Path

import run as bench


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
    shutil.rmtree(work)
    return {"size": size, "files": len(bench.files_of(folder)), "fresh": fresh, "unchanged": unchanged,
            "one_new": one_new, "one_file": one_file, "empty": empty}


def markdown(results: list[dict], command: str) -> str:
    lines = ["# Re-ingesting a folder already in the store", "",
             f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Each figure is one whole `policykg ingest DIR` process (wall seconds; peak MB of the "
             "policykg process, extraction and linking workers not counted). A file is not read again when the store "
             "holds its content hash (its bytes and the extractor's rules).", "",
             "| documents | first ingest | same folder again | ratio | folder + 1 new file | ratio "
             "| 1 file into the store | 1 file into an empty store |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        f, u, o, one, empty = r["fresh"], r["unchanged"], r["one_new"], r["one_file"], r["empty"]
        lines.append(f"| {r['files']} | {f[0]:.1f} s, {f[1]:.0f} MB | {u[0]:.1f} s, {u[1]:.0f} MB | "
                     f"{u[0] / f[0]:.3f} | {o[0]:.1f} s, {o[1]:.0f} MB | {o[0] / f[0]:.2f} "
                     f"| {one[0]:.1f} s, {one[1]:.0f} MB | {empty[0]:.1f} s, {empty[1]:.0f} MB |")
    lines += ["", "A few new or changed files (up to graph.local.MAX_FILES) are built, linked and written on "
              "their neighbourhood in the store (graph/local.py), not on the whole store read into memory; "
              "what is left of a one-file ingest at 10k documents is mostly the write's fixed cost: the "
              "engine's checkpoint, which rewrites the node groups the new rows touch (1.0-1.3 s, about 50 MB "
              "written, mostly CPU), the staged copy of the store (0.13 s from the page cache, over 1 s when not "
              "cached), the neighbourhood's queries (0.4-0.5 s) and starting the process; the extraction "
              "itself takes 0.2 s once the place index is in the user's cache folder (regions.py). "
              "findings.md has the checkpoint table by table."]
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
