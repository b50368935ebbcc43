"""PolNeAR attribution targets through scripts/eval_claims.py and the set's own scorer (skips without ../shared)."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "eval" / "claims" / "polnear_train_sample.jsonl"


def _load_script():
    spec = importlib.util.spec_from_file_location("eval_claims", ROOT / "scripts" / "eval_claims.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.skipif(not GOLD.exists(), reason="../shared/eval absent")
def test_polnear_targets(tmp_path):
    mod = _load_script()
    rc, line, ms = mod.run_polnear(SHARED, tmp_path / "out.jsonl")
    print(line, f"{ms:.1f} ms/article")
    # the scorer exits 0 only when direct quotes P>=0.85 R>=0.80 speaker>=0.93 and all P>=0.80 R>=0.55
    assert rc == 0, line
    # the gains of issue 9's attribution work, guarded to four places (the scorer prints two): just under the
    # figures measured when they landed (attr9: direct P 0.9766 R 0.8803 speaker 0.9515, all P 0.9590 R 0.6223
    # speaker 0.8516; attr10: all P 0.9631 R 0.6506 speaker 0.8606); issue 9's direct-quote targets (P 0.90,
    # R 0.85, speaker 0.93) and its all-attribution speaker target (0.85) are met on this set, and its all-attribution
    # recall target (0.65) only just (0.6506: 391 of 601)
    exact = mod.polnear_exact(SHARED, tmp_path / "out.jsonl")
    assert exact["direct"]["P"] >= 0.90 and exact["direct"]["R"] >= 0.85 and exact["direct"]["speaker"] >= 0.93, exact
    assert exact["direct"]["P"] >= 0.97 and exact["direct"]["R"] >= 0.875 and exact["direct"]["speaker"] >= 0.945, exact
    assert exact["all"]["R"] >= 0.648 and exact["all"]["P"] >= 0.96 and exact["all"]["speaker"] >= 0.858, exact
