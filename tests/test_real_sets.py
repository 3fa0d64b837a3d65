"""The extractor on the real sets in ../shared/corpus (pages and plans the rules were not written
from), scored with the project's own scorer, ../shared/tools/score.py. Skipped, with the reason
printed, where ../shared is not beside the project.

FLOORS are the bars of the real-documents issue, which the extractor meets on these sets: a
change that loses ground below them fails."""
import importlib.util
import json

import pytest

from tests.conftest import SHARED

TOOLS = SHARED / "tools" / "score.py"
FLOORS = {
    "web": {"doc_number": .95, "date": .90, "level": .95, "region": .90, "issuer": .85, "title": .85,
            "tasks": .85, "departments": .85, "citations": .90, "basis": .85},
    # full-length plans
    "full": {"tasks": .90, "departments": .90, "departments_with_role": .85, "targets": .75,
             "citations": .90},
}
FIELDS = ("doc_number", "title", "issuer", "date", "level", "region")


def _scorer():
    spec = importlib.util.spec_from_file_location("score", TOOLS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _basis_keys(score, items):
    out = []
    for x in items or []:
        if isinstance(x, dict):
            x = x.get("doc_number") or x.get("title")
        if x:
            out.append(score.norm_docno(x) if ("〔" in x or "[" in x or "号" in x) else score.norm_title(x))
    return out


def _score_set(folder):
    """Micro-averaged figures over a folder of gold files, as ../shared/tools/score_set.py counts them."""
    import policykg
    score = _scorer()
    counts = {k: [0, 0, 0] for k in ("documents", "tasks", "departments", "departments_with_role",
                                     "targets", "citations")}
    basis, fields, empty = [0, 0, 0], {f: [0, 0] for f in FIELDS}, []
    for gold_path in sorted(folder.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or "source" not in gold:
            continue
        pred = policykg.extract(folder / gold["source"]).to_dict()
        if not pred["documents"]:
            empty.append(gold["source"])
        result = score.score_extract(pred, gold)
        for key in counts:
            for i, part in enumerate(("tp", "pred", "gold")):
                counts[key][i] += result[key][part]
        for g, p in score.match_documents(pred["documents"], gold["documents"]):
            p = p or {}
            for f in FIELDS:
                norm = score.norm_docno if f == "doc_number" else score.norm_title
                fields[f][1] += 1
                fields[f][0] += norm(str(p.get(f) or "")) == norm(str(g.get(f) or ""))
            if "basis" in g:
                gb = _basis_keys(score, g["basis"])
                pb = _basis_keys(score, [c for c in p.get("citations") or [] if c.get("basis")])
                basis[0] += score.multiset_tp(pb, gb)
                basis[1] += len(pb)
                basis[2] += len(gb)
    figures = {k: score.prf(*v)["f1"] for k, v in counts.items()}
    figures["basis"] = score.prf(*basis)["f1"]
    figures.update({f: v[0] / v[1] for f, v in fields.items() if v[1]})
    return figures, empty


@pytest.mark.skipif(not TOOLS.exists(), reason="../shared (real sets and scorer) is not beside the project")
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_real_set_keeps_its_floors(name):
    folder = SHARED / "corpus" / name
    if not folder.exists():
        pytest.skip(f"../shared/corpus/{name} is not there")
    figures, empty = _score_set(folder)
    assert not empty, f"files with no document: {empty}"
    low = {k: round(figures[k], 3) for k, floor in FLOORS[name].items() if figures[k] < floor}
    assert not low, f"{name}: below the floor: {low} (all: { {k: round(v, 3) for k, v in figures.items()} })"
