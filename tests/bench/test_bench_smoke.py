"""The quick benchmark runs end to end and reports every figure with numbers.

Never asserts on timing: the machines are shared and noisy. Only that each figure was
measured and that its values are numbers. The PostgreSQL figures run on the suite's server
(``COACH_TEST_POSTGRES_URL``, as every PostgreSQL test does) and must then be measured;
without one the benchmark is told so and must report them as skipped, not as passed.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

from bench.report import INFO, MISS, PASS, SKIPPED
from bench.worker import FIGURES

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    server = os.environ.get("COACH_TEST_POSTGRES_URL")
    postgres = ["--postgres", server] if server else ["--no-postgres"]

    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out), *postgres],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=400,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text())
    figures = {f["name"]: f for f in report["figures"]}
    assert set(figures) == set(FIGURES)
    for name, figure in figures.items():
        if name.startswith("pg-") and not server:
            assert figure["status"] == SKIPPED and not figure["metrics"], figure
            assert "no PostgreSQL server given" in figure["summary"]
            continue
        assert figure["status"] == "ok", (name, figure["summary"])
        assert figure["metrics"], name
        assert any(m["verdict"] in (PASS, MISS) for m in figure["metrics"]), name
        for metric in figure["metrics"]:
            assert metric["verdict"] in (PASS, MISS, INFO), metric
            value = metric["value"]
            assert isinstance(value, int | float) and math.isfinite(value), (name, metric)
        assert figure["summary"].split(":")[0] in (name, "fan-out"), figure["summary"]
    if server:
        assert figures["pg-logging"]["details"]["database"] == "PostgreSQL"
    table = done.stdout
    assert "figure" in table and "verdict" in table
    for figure in figures.values():
        assert figure["summary"] in table  # one line per figure, with its targets
