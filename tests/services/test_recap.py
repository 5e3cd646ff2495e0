"""A cohort of four with scripted logs over 12 weeks: recap numbers, milestone verdicts,
streaks with a rest day, leaderboard ties, the DST week, and a fixed query count."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bench.queries import count_queries
from bot.models import Cohort, Entry, Member
from bot.services.cohorts import cohort_calendar
from bot.services.recap import Standing, cohort_week_report
from bot.services.standings import Board, Period, leaderboard, member_milestones
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

START = date(2027, 1, 4)  # Monday of week 1 (Berlin); week 12 ends on the DST change 28 Mar
DIFFS = ("easy", "medium", "hard")


class Script:
    def __init__(self, cohort: Cohort, curriculum: Curriculum) -> None:
        self.cohort = cohort
        self.curriculum = curriculum
        self.next_problem = 1000

    async def add(self, member: Member, kind: str, day: date, **values: Any) -> None:
        calendar = await cohort_calendar(self.cohort, self.curriculum)
        await Entry.create(
            member=member,
            cohort=self.cohort,
            kind=kind,
            local_date=day,
            week=calendar.counting_week(day),
            created_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            **values,
        )

    async def solves(self, member: Member, week: int, n: int, minutes: int = 12) -> None:
        monday = START + timedelta(weeks=week - 1)
        for i in range(n):
            self.next_problem += 1
            await self.add(
                member,
                "solve",
                monday + timedelta(days=i % 7),
                problem_key=str(self.next_problem),
                problem_number=self.next_problem,
                difficulty=DIFFS[[0, 1, 1, 2][i % 4]],
                minutes=minutes,
            )


@pytest.fixture
async def group(db: str, curriculum: Curriculum) -> tuple[Script, dict[str, Member]]:
    cohort = await make_cohort(1, 2)
    members = {}
    for i, name in enumerate(("alice", "bob", "cara", "dan")):
        m = await join(cohort, 100 + i)
        m.display_name = name
        await m.save()
        members[name] = m
    script = Script(cohort, curriculum)
    for week in range(1, 13):
        monday = START + timedelta(weeks=week - 1)
        await script.solves(members["alice"], week, 14)  # 14 a week, logs 6 days of 7
        for d in (0, 1, 3, 4, 5, 6):  # Wednesday off: one rest day a week
            await script.add(members["alice"], "ledger", monday + timedelta(days=d), text="x")
        await script.solves(members["bob"], week, 2 if week != 7 else 0, minutes=30)
        await script.solves(members["cara"], week, 5)
        await script.solves(members["dan"], week, 5)
    alice = members["alice"]
    await script.add(alice, "contest", date(2027, 2, 21), percentile=35.0)
    await script.add(alice, "anki", date(2027, 2, 27), reviewed=50, mature_total=64)
    for item in ("w8-linkedin-halftime", *[f"w{w}-mind-map" for w in (5, 6, 7)]):
        await script.add(alice, "done", date(2027, 2, 26), item_id=item)
    await script.add(alice, "oops", date(2027, 3, 24), text="off by one", lesson="draw it")
    await script.add(alice, "win", date(2027, 3, 25), text="first hard in 25 min")
    await script.add(alice, "mock", date(2027, 3, 26), mock_kind="dsa", rating="hire")
    return script, members


async def test_week_2_recap_and_eow2_milestone(group: Any, curriculum: Curriculum) -> None:
    script, _ = group
    now = datetime(2027, 1, 17, 19, tzinfo=UTC)  # Sun of week 2, 20:00 Berlin

    report = await cohort_week_report(script.cohort, 2, curriculum, now)

    by = {m.name: m for m in report.members}
    alice, bob = by["alice"], by["bob"]
    assert (alice.stats.week_new, alice.stats.unique_total) == (14, 28)
    assert alice.stats.kind_week["ledger"] == 6 and alice.stats.kind_total["ledger"] == 12
    assert alice.streak.length == 14  # the Wednesday rest days do not break it
    assert bob.streak.length == 0  # two solves a week: long gaps
    assert [r.ok for r in alice.milestones[0].results] == [True, True, True]
    assert [r.ok for r in bob.milestones[0].results] == [False, False, False]
    assert bob.milestones[0].results[1].value == 30  # median minutes
    assert alice.standing is Standing.AHEAD and bob.standing is Standing.BEHIND
    # alice 4/7/3 (easy/medium/hard), bob 1/1/0, cara and dan 2/2/1 each
    assert report.week_mix == (9, 12, 5)
    assert report.chart.members[0].cumulative == (14, 28)


async def test_eow8_and_eow12_verdicts(group: Any, curriculum: Curriculum) -> None:
    script, members = group

    week8 = await cohort_week_report(script.cohort, 8, curriculum, datetime(2027, 3, 1, tzinfo=UTC))
    alice8 = next(m for m in week8.members if m.name == "alice")
    verdicts = {r.criterion.id: (r.value, r.ok) for r in alice8.milestones[0].results}
    assert verdicts["eow8-solves"] == (112, True)
    assert verdicts["eow8-contest"] == (35.0, True)
    assert verdicts["eow8-mind-maps"][1] is False  # mind-map ids must exist in the roadmap
    assert verdicts["eow8-anki"] == (64, True)
    assert verdicts["eow8-linkedin"] == (1, True)

    week12 = await cohort_week_report(
        script.cohort, 12, curriculum, datetime(2027, 3, 28, 18, tzinfo=UTC)
    )
    alice12 = next(m for m in week12.members if m.name == "alice")
    v12 = {r.criterion.id: (r.value, r.ok) for r in alice12.milestones[0].results}
    assert v12["eow12-solves"] == (168, False)
    assert v12["eow12-medium"] == (50.0, True)
    assert v12["eow12-hard"] == (pytest.approx(100 * 3 / 14), True)
    # the DST week: Sunday 28 March 20:00 Berlin is 18:00 UTC; the week still has 7 days
    assert alice12.stats.week_new == 14 and alice12.stats.week_oops == ("off by one", "draw it")
    assert alice12.stats.week_win == "first hard in 25 min" and alice12.mock
    assert week12.as_of == date(2027, 3, 28)
    views = await member_milestones(
        members["alice"], script.cohort, curriculum, datetime(2027, 3, 30, tzinfo=UTC)
    )
    assert [v.milestone.id for v in views] == ["eow-2", "eow-8", "eow-12", "phase-4-exit"]
    assert views[-1].upcoming and not views[0].upcoming


async def test_leaderboard_ties_share_a_rank(group: Any, curriculum: Curriculum) -> None:
    script, _ = group
    now = datetime(2027, 3, 25, 12, tzinfo=UTC)  # week 12

    board = await leaderboard(script.cohort, Period.ALL, Board.SOLVES, curriculum, now)

    assert [(r.key.name, r.rank, r.value) for r in board.rows] == [
        ("alice", 1, 168),
        ("cara", 2, 60),
        ("dan", 2, 60),
        ("bob", 4, 22),
    ]
    points = await leaderboard(script.cohort, Period.WEEK, Board.POINTS, curriculum, now)
    assert points.rows[0].value == 4 * 1 + 7 * 3 + 3 * 7  # alice's week: 4 easy, 7 medium, 3 hard


@pytest.mark.parametrize("size", [5, 50])
async def test_recap_query_count_does_not_grow(db: str, curriculum: Curriculum, size: int) -> None:
    cohort = await make_cohort(1, 2)
    for i in range(size):
        m = await join(cohort, 500 + i)
        await Entry.create(
            member=m,
            cohort=cohort,
            kind="solve",
            local_date=START,
            week=1,
            created_at=datetime(2027, 1, 4, tzinfo=UTC),
            problem_key="1",
            difficulty="easy",
            minutes=10,
        )
    with count_queries() as counted:
        await cohort_week_report(cohort, 2, curriculum, datetime(2027, 1, 17, tzinfo=UTC))
    # the same for 5 and for 50 members (+2: block check-ins and study-room time)
    assert counted.total == 12
