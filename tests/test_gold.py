"""The extractor against the hand-made gold annotations, scored by ../shared/tools/score.py."""
import json
import subprocess
import sys

import pytest

from tests.conftest import SAMPLES, SHARED

BARS = {"metadata_accuracy": 0.95, "tasks": 0.97, "departments": 0.95, "departments_with_role": 0.90,
        "targets": 0.85, "citations": 0.95, "repeals": 1.0, "ledger_lead": 0.85, "ledger_cooperate": 0.85}
GOLD = sorted((SHARED / "gold").glob("0*.json")) if (SHARED / "gold").exists() else []


@pytest.mark.skipif(not GOLD, reason="../shared/gold is not beside the project")
@pytest.mark.parametrize("gold", GOLD, ids=lambda p: p.stem[:3])
def test_scores_meet_bars(gold, tmp_path):
    import policykg
    pred = tmp_path / "pred.json"
    pred.write_text(json.dumps(policykg.extract(SAMPLES / (gold.stem + ".txt")).to_dict(), ensure_ascii=False),
                    encoding="utf-8")
    out = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "extract", str(pred), str(gold),
                          "--json"], capture_output=True, text=True, check=True)
    result = json.loads(out.stdout)
    for key, bar in BARS.items():
        value = result[key] if key == "metadata_accuracy" else result[key]["f1"]
        assert value >= bar, f"{key} {value} < {bar}: {result['misses'][:5]}"
