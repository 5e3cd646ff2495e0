from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core import entries as rules
from bot.core.clock import FixedClock
from bot.core.progress import SolveRow, solve_summary, target_for
from bot.core.ratelimit import RateLimiter
from bot.errors import UserFacingError
from curriculum.loader import Curriculum

TODAY = date(2027, 2, 3)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, TODAY),
        ("today", TODAY),
        (" Yesterday ", date(2027, 2, 2)),
        ("2027-01-27", date(2027, 1, 27)),
    ],
)
def test_when(value: str | None, expected: date) -> None:
    assert rules.parse_when(value, TODAY) == expected


@pytest.mark.parametrize("value", ["2027-01-26", "2027-02-04", "last week", "3/2/2027"])
def test_when_rejects(value: str) -> None:
    with pytest.raises(UserFacingError, match="`when`"):
        rules.parse_when(value, TODAY)


@pytest.mark.parametrize(
    "value",
    [
        "347",
        "#347",
        "LC347",
        "top-k-frequent-elements",
        "https://leetcode.com/problems/top-k-frequent-elements/description/",
    ],
)
def test_problem_forms(value: str, curriculum: Curriculum) -> None:
    ref = rules.parse_problem(value, curriculum)
    assert (ref.key, ref.number, ref.difficulty) == ("347", 347, "medium")


def test_problem_outside_catalogue(curriculum: Curriculum) -> None:
    assert rules.parse_problem("2999", curriculum).difficulty is None
    assert rules.parse_problem("some-new-problem", curriculum).key == "some-new-problem"
    for bad in ("0", "4001", "not a problem!", "", "²", "٣٤٧"):
        with pytest.raises(UserFacingError, match="`problem`"):
            rules.parse_problem(bad, curriculum)


def test_server_side_limits() -> None:
    with pytest.raises(UserFacingError, match="`minutes` must be between 1 and 600"):
        rules.in_range("minutes", 601, 1, 600)
    with pytest.raises(UserFacingError, match="`mode` must be one of: Guided, Unguided"):
        rules.choice("mode", "lazy", rules.MODES)
    with pytest.raises(UserFacingError, match="at most 500"):
        rules.clean_text("notes", "x" * 501, 500)
    with pytest.raises(UserFacingError, match="can't be empty"):
        rules.clean_text("what", "\u200b \u200e", 500, required=True)
    assert rules.clean_text("notes", "a\u0000b\u202ec\nd", 500) == "abc\nd"


def test_autocomplete_is_bounded_and_this_week_first(curriculum: Curriculum) -> None:
    week5 = {n for n, w in curriculum.problem_weeks.items() if 5 in w}
    choices = rules.problem_choices("", curriculum, 5)
    assert len(choices) == 25
    assert {int(v) for _, v in choices[: len(week5)]} == week5
    assert rules.problem_choices("9999", curriculum, 5) == []
    assert rules.problem_choices("²", curriculum, 5) == []
    assert rules.problem_choices("3999", curriculum, 5)[0][1] == "3999"


def test_solve_summary_counts_unique_problems(curriculum: Curriculum) -> None:
    rows = [
        SolveRow("1", date(2027, 1, 5), 1),
        SolveRow("1", date(2027, 2, 2), 5),  # revisit in week 5
        SolveRow("347", date(2027, 2, 3), 5),
    ]
    summary = solve_summary(rows, 5, curriculum.targets)
    assert (summary.week_new, summary.week_entries, summary.cumulative) == (1, 2, 2)
    assert summary.target is not None and summary.target.week == 5
    assert target_for(curriculum.targets, 13) is not None
    assert target_for(curriculum.targets, 13).week == 16  # type: ignore[union-attr]


def test_rate_limiter_sliding_window() -> None:
    clock = FixedClock(datetime(2027, 1, 1, tzinfo=UTC))
    limiter = RateLimiter(2, timedelta(minutes=1), clock)
    assert limiter.hit("a") is None and limiter.hit("a") is None
    assert limiter.hit("a") == pytest.approx(60)
    assert limiter.hit("b") is None
    clock.set(datetime(2027, 1, 1, 0, 1, tzinfo=UTC))
    assert limiter.hit("a") is None
