"""Linking where thousands of documents of one region share a subject: short notices of one city
and its counties (benchmarks/make_corpus.same_subject_notices), each county notice a candidate
child of every city notice of its years. Times extraction + build and linking (one process) at each
size, and checks the links against linking with no bound on the candidates weighed
(CANDIDATES_PER_BLOCK), so the bound is shown to change nothing here. Writes
benchmarks/same_subject.md.

    python benchmarks/same_subject.py --sizes 1000,5000
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import make_corpus
from policykg.graph import link as linking
from policykg.graph.build import build
from policykg.loaders import extract_text


def _links(G) -> list:
    return sorted((u, v, k, sorted(a.items())) for u, v, k, a in linking.find_links(G, workers=1))


def run_size(n: int) -> dict:
    texts = make_corpus.same_subject_notices(n)
    t = time.perf_counter()
    G = build(extract_text(text, source=name) for name, text in texts.items())
    built = time.perf_counter() - t
    t = time.perf_counter()
    links = _links(G)
    linked = time.perf_counter() - t
    bound = linking.CANDIDATES_PER_BLOCK
    linking.CANDIDATES_PER_BLOCK = 10 ** 9
    try:
        t = time.perf_counter()
        unbounded = _links(G)
        unbounded_s = time.perf_counter() - t
    finally:
        linking.CANDIDATES_PER_BLOCK = bound
    inferred = sum(1 for _, _, k, a in links if k == "IMPLEMENTS" and dict(a)["method"] == "inferred")
    return {"size": n, "build_s": built, "link_s": linked, "unbounded_s": unbounded_s,
            "links": len(links), "inferred": inferred, "same": links == unbounded}


def markdown(results: list[dict], command: str) -> str:
    lines = ["# Linking many documents of one subject and region", "",
             f"`{command}` on {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
             "Short notices of 三明市 and ten of its counties, one subject, three years, every second one with "
             "two tasks (`make_corpus.same_subject_notices`). Linking runs in one process. \"No bound\" links "
             f"again weighing every candidate of a block instead of the nearest {linking.CANDIDATES_PER_BLOCK}.", "",
             "| notices | extract + build s | link s | derived links | inferred document links | "
             "link s, no bound | same links |",
             "|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['size']:,} | {r['build_s']:.1f} | {r['link_s']:.2f} | {r['links']:,} | "
                     f"{r['inferred']:,} | {r['unbounded_s']:.2f} | {'yes' if r['same'] else '**no**'} |")
    big = [r for r in results if r["size"] >= 5000]
    if big:
        verdict = "met" if all(r["link_s"] <= 20 for r in big) else "**missed**"
        sizes = ", ".join(f"{r['size']:,}" for r in big)
        lines += ["", f"Bar: 5,000 same-subject notices link in ≤ 20 s: {verdict} ({sizes} notices)"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,5000")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("same_subject.md"))
    args = ap.parse_args(argv)
    results = [run_size(int(s)) for s in args.sizes.split(",")]
    text = markdown(results, "python benchmarks/same_subject.py --sizes " + args.sizes)
    args.out.write_text(text, "utf-8")
    print(text)
    return results


if __name__ == "__main__":
    sys.exit(0 if all(r["same"] for r in main()) else 1)
