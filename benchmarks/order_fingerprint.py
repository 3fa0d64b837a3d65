"""Ingest one synthetic folder in one run, in ten batches, in reverse order and in reverse order
in ten batches, and compare the stored graphs by fingerprint (every node and edge with its
properties). They must be identical: a graph that depends on batches or order is a graph whose
answers depend on how the researcher happened to collect the files. Writes its figures to
benchmarks/order_fingerprint.md and exits 1 if any graph differs.

    python benchmarks/order_fingerprint.py --shape 31,6,30,2 --seed 5
"""
from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

import make_corpus
import policykg
from policykg.graph.check import fingerprint


def ingest_in(batches: list[list[Path]], db: Path, workers: int | None) -> tuple[str, float, int, int]:
    started = time.perf_counter()
    for batch in batches:
        report = policykg.ingest(batch, db=db, workers=workers)
        if report.failed:
            raise SystemExit(f"{db}: {report.failed[0]}")
    G = policykg.read_graph(db)
    return fingerprint(G), time.perf_counter() - started, G.number_of_nodes(), G.number_of_edges()


def tenths(files: list[Path]) -> list[list[Path]]:
    size = len(files) // 10 + 1
    return [files[i:i + size] for i in range(0, len(files), size)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shape", default="31,6,30,2", help="provinces,cities,counties,years (make_corpus.py)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--workers", type=int, default=None, help="processes per ingest (default: one per core)")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("order_fingerprint.md"))
    args = ap.parse_args()
    shape = tuple(int(x) for x in args.shape.split(","))
    with tempfile.TemporaryDirectory(prefix="policykg-order-") as tmp:
        folder = Path(tmp) / "corpus"
        make_corpus.make(*shape, seed=args.seed, out=folder)
        files = sorted(folder.rglob("*.txt"))
        backwards = files[::-1]
        runs = {"one run": [files], "ten batches": tenths(files), "reverse order": [backwards],
                "reverse order, ten batches": tenths(backwards)}
        results = {}
        for name, batches in runs.items():
            results[name] = ingest_in(batches, Path(tmp) / f"{len(results)}.lbug", args.workers)
            print(f"{name}: {results[name][0][:16]} in {results[name][1]:.0f} s", file=sys.stderr)
    clean = results["one run"][0]
    lines = ["# The same files in any batches and order give the same graph", "",
             f"`python benchmarks/order_fingerprint.py --shape {args.shape} --seed {args.seed}"
             f"{f' --workers {args.workers}' if args.workers else ''}`, "
             f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {len(files)} documents.", "",
             "| ingest | fingerprint | nodes | edges | seconds | same as one run |", "|---|---|---:|---:|---:|---|"]
    for name, (digest, seconds, nodes, edges) in results.items():
        lines.append(f"| {name} | `{digest[:16]}` | {nodes:,} | {edges:,} | {seconds:.0f} | "
                     f"{'yes' if digest == clean else '**no**'} |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    if any(digest != clean for digest, *_ in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
