"""Task alignment on every real document pair with hand-made task links, for a range of the
settings that decide a link, so a threshold is chosen on more than one pair:

- Qinghai 2022 → Haidong 2023 (../shared/gold/alignment_000_001.json: two full plans, 60+ tasks);
- 国办发〔2024〕1号 → 云政办发〔2024〕40号 and → 粤府办〔2025〕4号
  (../shared/corpus/cascade/tasks.json: page excerpts, two tasks a side or fewer).

A link counts when the child and parent task paths match a hand-made link (strong or partial).
Writes benchmarks/alignment_pairs.md. Needs ../shared (the real pages are not shipped).

    python benchmarks/alignment_pairs.py
"""
from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

from policykg.graph.build import build, documents
from policykg.graph.link import DEFAULTS, TaskAligner
from policykg.loaders import extract

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"


def _norm(path) -> tuple:
    return tuple(str(p).replace("(", "（").replace(")", "）") for p in path)


def pairs() -> list[tuple[str, Path, Path, set]]:
    out = []
    gold = json.loads((SHARED / "gold" / "alignment_000_001.json").read_text("utf-8"))
    links = {(_norm(l["child"]), _norm(l["parent"])) for l in gold["links"]}
    out.append(("青海 2022 → 海东 2023", SHARED / "seeds" / "001_2134d2f2c0bab840.txt",
                SHARED / "seeds" / "000_688cda0958d2e220.txt", links))
    cascade = SHARED / "corpus" / "cascade"
    for pair in json.loads((cascade / "tasks.json").read_text("utf-8"))["pairs"]:
        links = {(_norm(l["child_path"]), _norm(l["parent_path"])) for l in pair["links"]}
        out.append((f"{pair['parent_doc'][:12]} → {pair['child_doc'][:14]}", cascade / pair["parent_doc"],
                    cascade / pair["child_doc"], links))
    return out


def aligned(parent: Path, child: Path, settings) -> set:
    G = build([extract(parent), extract(child)])
    by_source = {G.nodes[d]["source"]: d for d in documents(G)}
    p = next(d for s, d in by_source.items() if s.endswith(parent.name))
    c = next(d for s, d in by_source.items() if s.endswith(child.name))
    found = TaskAligner(G, settings).align(c, p)
    return {(tuple(G.nodes[a.id]["path"].split("/")), tuple(G.nodes[b.id]["path"].split("/"))) for a, b, _, _ in found}


def main() -> int:
    if not SHARED.exists():
        print(f"needs {SHARED} (the real pages are not shipped)")
        return 1
    grid = [("task_mutual_min", v) for v in (None, 0.1, 0.15, 0.175, 0.2, 0.25, 0.3, 0.4)]
    rows = []
    the_pairs = pairs()
    for name, value in grid:
        settings = replace(DEFAULTS, task_mutual_min=9.9 if value is None else value)
        cells = []
        for label, parent, child, gold in the_pairs:
            got = aligned(parent, child, settings)
            tp = len(got & gold)
            cells.append(f"{tp}/{len(got)} found, {tp}/{len(gold)} of gold")
        rows.append((("off" if value is None else value), cells))
    lines = ["# Task alignment on the real pairs with hand-made task links", "",
             "`python benchmarks/alignment_pairs.py` (task_best_sd 1.5, task_also_sd 4.0; "
             "`task_mutual_min` links two tasks that are each other's best match at that similarity "
             "or more, whatever the pair's bar). Cells: correct/predicted, correct/gold.", "",
             "| task_mutual_min | " + " | ".join(label for label, *_ in the_pairs) + " |",
             "|---|" + "---|" * len(the_pairs)]
    lines += [f"| {value} | " + " | ".join(cells) + " |" for value, cells in rows]
    lines += ["", "The gold links never found at any value link group headings (二 → 二 of the 云南 pair, "
              "一 → 二 of the 广东 pair, and the Qinghai pair's group-level links): policykg holds a group "
              "heading as part of its tasks' paths, not as a task of its own.", "",
              "One more pair was measured by hand and is not shipped (a public web excerpt of the "
              "国办发〔2024〕29号 page, 3 tasks, against seed 004, Sanming's 24-task table): its two strong "
              "links score 1.00 (一/1 ↔ 一/（一）, above the pair's bar) and 0.17 (三/6 推进药品耗材集中采购扩面 ↔ "
              "二/（三）, each other's best match, below the bar 0.21). With the 0.139 wrong link above, the "
              "values right on all four pairs lie in (0.139, 0.17]; the default is 0.15. The margin is narrow: "
              "more real pairs with hand-made links would tell whether it holds."]
    (HERE / "alignment_pairs.md").write_text("\n".join(lines) + "\n", "utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
