"""The quick benchmark runs end to end and reports every figure with numbers.

Never asserts on timing: the machines are shared and noisy. Only that each figure was
measured (or is a marked pending slot) and that its values are numbers.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

from bench.report import INFO, MISS, PASS, PENDING
from bench.worker import FIGURES

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"

    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    figures = {f["name"]: f for f in report["figures"]}
    assert set(figures) == set(FIGURES)
    for name, figure in figures.items():
        assert figure["status"] in ("ok", "pending"), (name, figure["summary"])
        assert figure["metrics"], name
        assert any(m["verdict"] in (PASS, MISS, PENDING) for m in figure["metrics"]), name
        for metric in figure["metrics"]:
            assert metric["verdict"] in (PASS, MISS, INFO, PENDING), metric
            if metric["verdict"] == PENDING:
                assert figure["status"] == "pending" and metric["value"] is None, metric
                continue
            value = metric["value"]
            assert isinstance(value, int | float) and math.isfinite(value), (name, metric)
        assert figure["summary"].split(":")[0] in (name, "fan-out"), figure["summary"]
    table = done.stdout
    assert "figure" in table and "verdict" in table
    for figure in figures.values():
        assert figure["summary"] in table  # one line per figure, with its targets
