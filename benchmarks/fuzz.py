"""Fuzz the extractor with mutated seeds: every call must return records or raise ReadError (never
another exception), and none may take long. Writes its figures to benchmarks/fuzz.md.

    python benchmarks/fuzz.py --runs 2000 --seed 1

The mutations are the shapes hostile or broken input takes: bytes flipped, spans deleted or
repeated, lines glued or split, brackets left open, control characters, very long lines and
numbers, the extractor's own cue words repeated many times, mixed scripts. Each mutant goes
through the whole path a file takes (read: decoding and cleaning; then extraction) as .txt, and
one in ten as an HTML page.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from policykg.api import sample_paths
from policykg.loaders import ReadError, extract

ROOT = Path(__file__).resolve().parent.parent

CUES = ["牵头单位：", "责任单位：", "（市卫生健康委牵头，市医保局配合）", "〔2024〕", "号", "一、", "（一）", "1.",
        "达到", "%以上", "年底前", "根据《", "》", "关于印发", "的通知", "\t", "｜", "附件", "为贯彻落实"]
NOISE = ["\x00", "\x1b[31m", "\ufeff", "\u200b", "\r", "\x0c", "&#x1b;", "<", ">", "&", "（", "〔", "《", "【",
         "\ud7ff", "𠀀", "國辦發", "①", "Ⅲ", "　"]


def mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(10)
        i = rng.randrange(len(text) + 1)
        j = min(len(text), i + rng.randint(1, 400))
        if kind == 0:                                   # delete a span
            text = text[:i] + text[j:]
        elif kind == 1:                                 # repeat a span
            text = text[:j] + text[i:j] * rng.randint(2, 50) + text[j:]
        elif kind == 2:                                 # glue lines together
            text = text[:i] + text[i:j].replace("\n", "") + text[j:]
        elif kind == 3:                                 # split lines at random
            text = text[:i] + "\n".join(text[i:j]) + text[j:]
        elif kind == 4:                                 # a cue word many times, with or without spaces
            cue = rng.choice(CUES)
            text = text[:i] + (cue + rng.choice(["", " ", "\n"])) * rng.randint(1, 20000) + text[i:]
        elif kind == 5:                                 # noise characters
            text = text[:i] + "".join(rng.choice(NOISE) for _ in range(rng.randint(1, 50))) + text[i:]
        elif kind == 6:                                 # one very long line
            text = text[:i] + rng.choice(["中", "中 ", "1", "、", "（"]) * rng.randint(10_000, 300_000) + text[i:]
        elif kind == 7:                                 # a long number
            text = text[:i] + "".join(rng.choice("0123456789.") for _ in range(rng.randint(20, 5000))) + "%" + text[i:]
        elif kind == 8:                                 # shuffle lines
            lines = text.split("\n")
            rng.shuffle(lines)
            text = "\n".join(lines)
        else:                                           # flip characters
            chars = list(text)
            for _ in range(rng.randint(1, 100)):
                if chars:
                    chars[rng.randrange(len(chars))] = chr(rng.randint(0x20, 0x9FFF))
            text = "".join(chars)
    return text


def run(runs: int, seed: int) -> dict:
    rng = random.Random(seed)
    seeds = [p.read_text(encoding="utf-8") for p in sample_paths()]
    times, failures, refused = [], [], 0
    slowest = (0.0, None)
    with tempfile.TemporaryDirectory(prefix="policykg-fuzz-") as folder:
        for n in range(runs):
            text = mutate(rng.choice(seeds), rng)
            html = rng.random() < 0.1
            path = Path(folder) / (f"{n}.html" if html else f"{n}.txt")
            body = f"<html><body><article>{text}</article></body></html>" if html else text
            # surrogates cannot be written as UTF-8: a file holds what the mutant can
            path.write_bytes(body.encode("utf-8", "replace"))
            started = time.perf_counter()
            try:
                extract(path)
            except ReadError:
                refused += 1
            except Exception:       # the bug this script is for: recorded, never raised
                failures.append((n, traceback.format_exc(limit=3).strip().splitlines()[-1]))
            took = time.perf_counter() - started
            times.append(took)
            if took > slowest[0]:
                slowest = (took, n, len(body))
            path.unlink()
            if (n + 1) % 200 == 0:
                print(f"{n + 1}/{runs} mutants, slowest {slowest[0]:.2f} s", file=sys.stderr)
    times.sort()
    return {"runs": runs, "seed": seed, "failures": failures, "refused": refused,
            "p50": times[len(times) // 2], "p99": times[int(len(times) * 0.99)], "max": times[-1],
            "slowest": slowest, "over_2s": sum(t > 2 for t in times)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "fuzz.md")
    args = ap.parse_args()
    r = run(args.runs, args.seed)
    lines = [
        "# Fuzzing the extractor (benchmarks/fuzz.py)", "",
        f"`python benchmarks/fuzz.py --runs {r['runs']} --seed {r['seed']}`, "
        f"{time.strftime('%Y-%m-%d')}, on this machine.", "",
        f"- mutants: {r['runs']} (one in ten as HTML); refused with a ReadError: {r['refused']}",
        f"- other exceptions: {len(r['failures'])}",
        f"- seconds per file: p50 {r['p50']:.3f}, p99 {r['p99']:.3f}, max {r['max']:.3f} "
        f"(mutant {r['slowest'][1]}, {r['slowest'][2]:,} characters); over 2 s: {r['over_2s']}",
    ]
    lines += [f"  - mutant {n}: {line}" for n, line in r["failures"][:20]]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    if r["failures"] or r["over_2s"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
