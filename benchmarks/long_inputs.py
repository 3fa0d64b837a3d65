"""Time the extractor on inputs that once took quadratic time, and write the figures to a file.

    python benchmarks/long_inputs.py --out benchmarks/long_inputs.md

Each case is text of one awkward shape (a spaced-out PDF text layer, one enormous line, a long last
line under a ledger header, a long run of brackets, a page flattened to one line, responsibility
fields run on inside an open bracket, a long number, header-like lines, a clause of many rates) at
two sizes, so the growth from one size to
the next shows: linear code takes about 2× for 2× the text, quadratic 4×.
"""
from __future__ import annotations

import argparse
import platform
import time
from pathlib import Path

from policykg.loaders.extraction import extract_text

CASES = {
    "spaced characters (中 中 中 …)": lambda n: "中 " * n,
    "one line of sentences": lambda n: "加强工作，推进建设。" * (n // 10),
    "a ledger header, then one long row": lambda n: "关于做好工作的通知\n各县区：\n责任部门 配合部门\n1 " + "市卫健委 " * (n // 5),
    "brackets of bodies": lambda n: "（市财政局负责）" * (n // 8),
    "a page flattened to one line (single spaces)": lambda n: "推进建设。 加强工作 " * (n // 11),
    "run-on fields, one bracket left open": lambda n: "（" + "推进建设。责任单位：市财政局" * (n // 14),
    # found by benchmarks/fuzz.py
    "one long number in a task": lambda n: "一、加强工作\n（一）推进建设，达到" + "1" * n,
    "header-like lines that never make a header": lambda n: "关于做好工作的通知\n" + "牵头单位\n配合单位\n" * (n // 10),
    "a clause of many rates": lambda n: "一、加强工作\n（一）覆盖率分别达到" + "95%、" * (n // 4),
    "a task of many bracketed lists and rates": lambda n: "一、加强工作\n（一）推进建设" + "，达到95%（市财政局负责）" * (n // 15),
    "a ledger row of one endless name": lambda n: "关于做好工作的通知\n各县区：\n责任部门 配合部门\n1 推进工作。" + "卫健 " * (n // 3),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("long_inputs.md"))
    ap.add_argument("--size", type=int, default=200_000, help="characters of the smaller text")
    args = ap.parse_args()
    extract_text("关于做好工作的通知")          # load the gazetteer and OpenCC first
    lines = ["# The extractor on long inputs of awkward shapes", "",
             f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}. "
             f"One run per size, one process.", "",
             f"| shape | {args.size:,} chars (s) | {2 * args.size:,} chars (s) | ratio |", "|---|---:|---:|---:|"]
    for name, make in CASES.items():
        times = []
        for n in (args.size, 2 * args.size):
            text = make(n)
            t0 = time.perf_counter()
            extract_text(text)
            times.append(time.perf_counter() - t0)
        lines.append(f"| {name} | {times[0]:.2f} | {times[1]:.2f} | {times[1] / max(times[0], 1e-9):.1f}× |")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
