"""GeoWebNews and ReLocaR targets through scripts/eval_countries.py (skipped when ../shared is absent)."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "eval" / "countries"


@pytest.mark.skipif(not (SHARED / "gwn.jsonl").exists(), reason="../shared is absent")
def test_country_targets(tmp_path):
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "eval_countries.py"), "--out", str(tmp_path)],
                         capture_output=True, text=True, timeout=600)
    out = run.stdout
    p, r = map(float, re.search(r"document level: P=([\d.]+) R=([\d.]+)", out).groups())
    acc, coverage = map(float, re.search(r"accuracy ([\d.]+) .* coverage ([\d.]+)", out).groups())
    assert p >= 0.95 and r >= 0.97, out
    assert acc >= 0.80, out
    assert coverage >= 0.9, out
    # the language spans GWN marks as negatives ("speaks Spanish") must mostly be left alone
    lang_found, lang_total = map(int, re.search(r"Language \(negative\)\s+found\s+(\d+)/\s*(\d+)", out).groups())
    assert lang_found <= lang_total * 0.2, out
    assert run.returncode == 0, out + run.stderr
    lines = (tmp_path / "gwn_out.jsonl").read_text().splitlines()
    assert len(lines) == 200
