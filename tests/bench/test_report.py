"""bench.report and bench.common helpers; PostgreSQL figures without a server."""

from __future__ import annotations

import pytest

from bench import fig_pg
from bench.common import percentile
from bench.pg import ENV
from bench.report import (
    MISS,
    PASS,
    SKIPPED,
    Figure,
    Metric,
    at_least,
    at_most,
    render_summaries,
    render_table,
)


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


async def test_postgres_figures_without_a_server_are_skipped_saying_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ENV, "")
    unset = await fig_pg.logging(quick=True)
    monkeypatch.setenv(ENV, "postgres://postgres@127.0.0.1:1/test")  # nothing listens there
    closed = await fig_pg.recap(quick=True)

    for figure in (unset, closed):
        assert figure.status == SKIPPED and figure.verdict == SKIPPED  # never a pass
        assert not figure.metrics
    assert unset.summary == f"pg-logging: skipped — no PostgreSQL server given ({ENV} is empty)"
    assert closed.summary.startswith("pg-recap: skipped — PostgreSQL at 127.0.0.1:1 does not")
    assert "[skipped] pg-recap: skipped" in render_summaries([closed])
