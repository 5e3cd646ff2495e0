"""The coach's database side: the recap's extras cost the same number of statements for 5 or
50 members, a member's outlook and patterns read their own rows and the cohort's medians."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bench.queries import count_queries
from bot.coaching.models import CoachPlan
from bot.models import Entry, Member
from bot.services.coach import member_outlook, patterns_for
from bot.services.coach_history import TIMES_TTL
from bot.services.coach_recap import recap_coaching
from bot.services.progress import member_context
from bot.services.recap import cohort_week_report
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

SUNDAY_W5 = datetime(2027, 2, 7, 19, tzinfo=UTC)  # the week-5 recap (20:00 in Berlin)


async def _solve(member: Member, key: str, day: date, minutes: int, mode: str = "unguided") -> None:
    await Entry.create(
        member=member,
        cohort_id=member.cohort_id,  # type: ignore[attr-defined]
        kind="solve",
        local_date=day,
        week=(day - date(2027, 1, 4)).days // 7 + 1,
        created_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        problem_key=key,
        problem_number=int(key),
        difficulty="medium",
        minutes=minutes,
        mode=mode,
        pattern="Arrays & Hashing",
    )


@pytest.mark.parametrize("size", [5, 50])
async def test_the_recap_extras_cost_a_fixed_number_of_statements(
    db: str, curriculum: Curriculum, size: int
) -> None:
    cohort = await make_cohort(1, 2)
    for i in range(size):
        m = await join(cohort, 500 + i)
        await _solve(m, "347", date(2027, 2, 2), 20 + i % 7)
        await Entry.create(
            member=m, cohort=cohort, kind="oops", local_date=date(2027, 2, 3), week=5,
            created_at=SUNDAY_W5, text="x", lesson="bounds", pattern="Arrays & Hashing",
        )  # fmt: skip
        if i == 0:
            await CoachPlan.create(
                member=m, cohort=cohort, week=5, created_at=SUNDAY_W5,
                starts_on=date(2027, 2, 1), ends_on=date(2027, 2, 7), unique_before=0,
                pace_target=24, items={"items": [{"day": "2027-02-02", "slot": "block_a",
                "key": "347", "difficulty": "medium", "minutes": 30}]},
            )  # fmt: skip
    report = await cohort_week_report(cohort, 5, curriculum, SUNDAY_W5)

    with count_queries() as counted:
        coaching = await recap_coaching(cohort, report, curriculum, detailed=False)

    # pauses, the counts before the window, two pattern aggregates, plans and their solves
    assert counted.total == 6  # the same for 5 and 50 members
    with count_queries() as counted:
        await recap_coaching(cohort, report, curriculum, detailed=True)
    assert counted.total == 8  # and the solve times per pattern, and the members' own rows
    first = coaching.members[report.members[0].stats.member_id]
    assert first.plan is not None and (first.plan.planned, first.plan.done) == (1, 1)
    assert (first.plan.gap_before, first.plan.gap_now) == (24, 23)
    assert coaching.milestone is not None and coaching.milestone.id == "eow-8"
    assert coaching.group_weakest is not None
    # weeks 1–4's problems: nobody solved them, and Array/String names the most
    assert coaching.group_weakest.pattern == "Array/String"


async def test_patterns_compare_with_the_cohorts_medians(db: str, curriculum: Curriculum) -> None:
    cohort = await make_cohort(1, 2)
    alice = await join(cohort, 10)
    bob = await join(cohort, 11)
    for key, minutes in (("347", 40), ("49", 38)):
        await _solve(alice, key, date(2027, 2, 2), minutes)
    for key in ("347", "49", "36"):
        await _solve(bob, key, date(2027, 2, 2), 18)
    ctx = await member_context(1, 10, curriculum, SUNDAY_W5)

    report = await patterns_for(ctx, curriculum)

    row: Any = next(r for r in report.rows if r.pattern == "Arrays & Hashing")
    (timing,) = row.timings
    assert (timing.mine, timing.overall, timing.group) == (39.0, 39.0, 18.0)
    assert "median 39 min vs 18 for the group (medium)" in row.reasons


async def test_a_members_outlook_covers_every_milestone_ahead(
    db: str, curriculum: Curriculum
) -> None:
    cohort = await make_cohort(1, 2)
    alice = await join(cohort, 10)
    for key, day in (
        ("347", date(2027, 1, 20)),
        ("49", date(2027, 2, 2)),
        ("36", date(2027, 2, 3)),
    ):
        await _solve(alice, key, day, 20)

    outlook = await member_outlook(alice, cohort, curriculum, SUNDAY_W5)

    assert [f.milestone.id for f in outlook.forecasts] == [
        "eow-8",
        "eow-12",
        "phase-4-exit",
        "final",
    ]
    solves = next(c for c in outlook.forecasts[0].criteria if c.criterion.id == "eow8-solves")
    assert (solves.current, solves.rate) == (3, pytest.approx(2 / 14))  # two in the window


async def test_the_cohorts_solve_times_are_reused_for_ten_minutes(
    db: str, curriculum: Curriculum
) -> None:
    cohort = await make_cohort(1, 2)
    alice = await join(cohort, 10)
    await _solve(alice, "347", date(2027, 2, 2), 30)
    ctx = await member_context(1, 10, curriculum, SUNDAY_W5)
    with count_queries() as first:
        await patterns_for(ctx, curriculum)
    with count_queries() as again:
        await patterns_for(ctx, curriculum)
    assert again.total == first.total - 1  # the cohort's aggregate is not read again

    later = await member_context(1, 10, curriculum, SUNDAY_W5 + TIMES_TTL)
    with count_queries() as expired:
        await patterns_for(later, curriculum)
    assert expired.total == first.total
