"""Time extraction of the bundled samples, per file, and write the figures to a file.

    python benchmarks/extract_speed.py --out benchmarks/extract_speed.md
"""
from __future__ import annotations

import argparse
import platform
import resource
import time
from pathlib import Path

import policykg
from policykg.api import sample_paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("extract_speed.md"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    t0 = time.perf_counter()
    policykg.extract(sample_paths()[0])           # first call loads jionlp's gazetteer and OpenCC
    warmup = time.perf_counter() - t0
    rows = []
    for path in sample_paths():
        size = Path(str(path)).stat().st_size
        best = min(_timed(path) for _ in range(args.repeat))
        rows.append((path.name, size, best))
    total_bytes = sum(r[1] for r in rows)
    total_s = sum(r[2] for r in rows)
    lines = [
        "# Extraction speed on the bundled samples",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{__import__('os').cpu_count()} cores. Best of {args.repeat} runs per file, one process.",
        f"First call (loads jionlp gazetteer, OpenCC): {warmup:.2f} s.",
        "",
        "| file | bytes | ms | MB/s |",
        "|---|---:|---:|---:|",
    ]
    for name, size, sec in rows:
        lines.append(f"| {name} | {size} | {sec * 1000:.1f} | {size / sec / 1e6:.2f} |")
    lines.append(f"| **all** | {total_bytes} | {total_s * 1000:.1f} | {total_bytes / total_s / 1e6:.2f} |")
    lines.append("")
    lines.append(f"Peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _timed(path) -> float:
    t = time.perf_counter()
    policykg.extract(path)
    return time.perf_counter() - t


if __name__ == "__main__":
    main()
