"""bench.report and bench.common helpers; the recap figure's pending slot."""

from __future__ import annotations

import sys

import pytest

from bench import fig_recap
from bench.common import percentile
from bench.report import MISS, PASS, PENDING, Figure, Metric, at_least, at_most, render_table


def test_percentile_interpolates_between_ranks() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([0.0, 10.0], 99) == pytest.approx(9.9)
    assert percentile([5.0], 99) == 5.0


def test_targets_judge_both_ways() -> None:
    assert at_most("p99", 19.0, "ms", 20.0).verdict == PASS
    assert at_most("p99", 21.0, "ms", 20.0).verdict == MISS
    assert at_least("share", 30.0, "%", 25.0).verdict == PASS
    assert at_least("share", 20.0, "%", 25.0).target == "≥ 25.0 %"


def test_figure_round_trips_through_json_and_renders() -> None:
    figure = Figure(
        "logging", "ok", "logging: fine", [Metric("rows", 5000), at_most("p99", 3.0, "ms", 20)]
    )

    again = Figure.from_json(figure.to_json())

    assert again == figure and again.verdict == PASS
    table = render_table([again])
    assert "logging · p99" in table and "3.00 ms" in table and "≤ 20.0 ms" in table


async def test_recap_slot_reads_pending_without_the_service(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, fig_recap.MODULE, None)  # the import fails

    figure = await fig_recap.run(quick=True)

    assert figure.status == "pending" and figure.verdict == PENDING
    assert "pending: bot.services.recap not available" in figure.summary
    assert figure.details["rows"]  # the synthetic data was still generated
    pending = [m for m in figure.metrics if m.verdict == PENDING]
    assert len(pending) == 3 and all(m.value is None for m in pending)
