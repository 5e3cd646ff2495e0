"""A member who does everything the roadmap asks passes every milestone; one who skips a
named deliverable fails exactly the criteria that name it.

Real database, the shipped curriculum, the logging service functions (the ones the slash
commands call) on an injected clock, day by day through all 16 weeks, then the stats service
and the milestone / final-checklist evaluation the bot uses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import time
from typing import Any

import pytest

from bot.core.calendar import CohortCalendar, local_to_utc
from bot.core.checklist import checklist_milestone, final_checklist
from bot.core.clock import FixedClock
from bot.core.stats import MilestoneResult, evaluate
from bot.models import EntryKind, Member
from bot.services import logbook
from bot.services.cohorts import cohort_calendar
from bot.services.progress import (
    Item,
    MemberContext,
    all_items,
    item_count,
    mark_done,
    member_context,
)
from bot.services.stats import Needs, cohort_stats
from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAYS
from curriculum.week_schema import TaskKind
from tests.helpers import join, make_cohort

GUILD, CHANNEL = 7, 70
# Unique problems at the end of each week: the roadmap's solve targets (14 by week 2, 24 by 5,
# 40-45 by 6, 65 by 7, 110 by 8, 140/165/190/220 by 9-12, 300 at the end), filled in between.
CUMULATIVE = {1: 4, 2: 14, 3: 17, 4: 20, 5: 24, 6: 42, 7: 65, 8: 110}
CUMULATIVE |= {9: 140, 10: 165, 11: 190, 12: 220, 13: 240, 14: 260, 15: 280, 16: 300}


@dataclass
class Plan:
    """What a simulated member leaves out of the roadmap."""

    skip: frozenset[str] = frozenset()  # deliverables never ticked
    applications: int = 10  # "≥ 10 applications w/ referrals/contact emails"
    solved: set[str] = field(default_factory=set)
    mix: list[int] = field(default_factory=lambda: [0, 0, 0])  # easy, medium, hard
    next_number: int = 3000


def _scheduled(curriculum: Curriculum) -> dict[tuple[int, str], list[str]]:
    """(week, weekday) → the deliverables that day's tasks produce; unscheduled ones on Sun."""
    out: dict[tuple[int, str], list[str]] = defaultdict(list)
    seen: set[str] = set()
    for n, week in curriculum.weeks.items():
        for key, day in week.days.items():
            for block in (day.block_a, day.block_b, day.session):
                for task in block.tasks if block else []:
                    out[(n, key)] += task.deliverables
                    seen |= set(task.deliverables)
        out[(n, "sun")] += [d.id for d in week.deliverables if d.id not in seen]
    return out


def _day_tasks(
    curriculum: Curriculum, week: int, weekday: str
) -> list[tuple[TaskKind, str, list[int]]]:
    day = curriculum.day(week, weekday)
    return [
        (t.kind, t.text, t.problems)
        for block in (day.block_a, day.block_b, day.session)
        if block is not None
        for t in block.tasks
    ]


def _difficulty(plan: Plan) -> str:
    """Keep the mix at ≥ 60 % medium and ≥ 15 % hard (the final checklist) as solves grow."""
    total = sum(plan.mix) + 1
    if plan.mix[2] < 0.16 * total:
        return "hard"
    if plan.mix[1] < 0.62 * total:
        return "medium"
    return "easy"


async def _solve(ctx: MemberContext, curriculum: Curriculum, plan: Plan, problem: str) -> None:
    difficulty = (
        None if problem.isdigit() and int(problem) in curriculum.problems else _difficulty(plan)
    )
    data = logbook.SolveInput(problem=problem, minutes=12, difficulty=difficulty)
    logged = await logbook.log_solve(ctx, curriculum, data)
    if problem not in plan.solved:
        plan.solved.add(problem)
        diff = logged.entry.difficulty or "easy"
        plan.mix[("easy", "medium", "hard").index(diff)] += 1


def _mock_kind(text: str) -> str:
    if "System-Design" in text:
        return "system_design"
    return "behavioral" if "Behavioral" in text else "dsa"


async def simulate(
    curriculum: Curriculum, clock: FixedClock, calendar: CohortCalendar, user_id: int, plan: Plan
) -> None:
    """Everything the roadmap schedules, day by day, logged through the service functions."""
    items: dict[str, Item] = all_items(curriculum)
    scheduled = _scheduled(curriculum)
    for week in range(1, curriculum.week_count + 1):
        for i, weekday in enumerate(WEEKDAYS):
            day = calendar.date_of(week, weekday)
            clock.set(local_to_utc(day, time(12), calendar.zone))  # noon, the cohort's zone
            ctx = await member_context(GUILD, user_id, curriculum, clock())
            day_number = (day - calendar.program_start).days + 1
            await logbook.log_text(ctx, EntryKind.LEDGER, f"day {day_number}")
            await logbook.log_anki(ctx, 30, new_cards=2, mature_total=2 * day_number)
            tasks = _day_tasks(curriculum, week, weekday)
            for kind, text, problems in tasks:
                for number in problems:
                    await _solve(ctx, curriculum, plan, str(number))
                if kind is TaskKind.MOCK:
                    await logbook.log_mock(ctx, _mock_kind(text), "strong_hire")
                if kind is TaskKind.CONTEST and weekday == "sun":
                    await logbook.log_contest(ctx, 35.0)
            # Fill the week's target evenly over its days with problems beyond the roadmap's.
            goal = CUMULATIVE[week - 1] if week > 1 else 0
            goal += (CUMULATIVE[week] - goal) * (i + 1) // 7
            while len(plan.solved) < goal:
                plan.next_number += 1
                await _solve(ctx, curriculum, plan, str(plan.next_number))
            for ident in scheduled[(week, weekday)]:
                if ident in plan.skip:
                    continue
                item = items[ident]
                if not item.deliverable.countable:
                    assert await mark_done(ctx, item) is not None
                elif ident == "w16-applications":  # in two batches: 4, then the rest
                    await mark_done(ctx, item, 4)
                    if plan.applications > 4:
                        await mark_done(ctx, item, plan.applications - 4)
                else:  # one tick per experiment
                    for _ in range(curriculum.count_goal(ident) or 1):
                        await mark_done(ctx, item)


async def results(curriculum: Curriculum, member: Member) -> dict[str, MilestoneResult]:
    """Every milestone judged at its week's end, as /milestones does."""
    await member.fetch_related("cohort")
    categories = {i: d.category.value for i, (_, d) in curriculum.deliverables.items()}
    out = {}
    for m in curriculum.targets.milestones:
        stats = await cohort_stats(member.cohort, m.week, Needs.for_milestones([m]), [member])
        out[m.id] = evaluate(m, stats[member.id], categories)
    return out


def failed(res: dict[str, MilestoneResult]) -> set[str]:
    return {r.criterion.id for m in res.values() for r in m.results if not r.ok}


def naming(curriculum: Curriculum, item: str) -> set[str]:
    everything = [d for _, d in curriculum.deliverables.values()]
    return {
        c.id
        for m in curriculum.targets.milestones
        for c in m.criteria
        if item in c.counted_items(everything)
    }


PLANS: dict[str, dict[str, Any]] = {  # a fresh Plan(**…) per run
    "everything": {},
    "no-cicd-diagram": {"skip": frozenset({"w15-diagram-cicd"})},
    "no-sentiment": {"skip": frozenset({"w12-ml-project-sentiment"})},
    "nine-applications": {"applications": 9},
}


@pytest.fixture
async def member_who(db: str, curriculum: Curriculum, clock: FixedClock) -> Any:
    """``await member_who("no-sentiment")``: a member of a fresh cohort who followed that plan."""
    cohort = await make_cohort(GUILD, CHANNEL)
    calendar = await cohort_calendar(cohort, curriculum)

    async def run(name: str) -> Member:
        user_id = 500 + list(PLANS).index(name)
        member = await join(cohort, user_id)
        await simulate(curriculum, clock, calendar, user_id, Plan(**PLANS[name]))
        return member

    return run


async def test_doing_everything_passes_every_milestone_and_the_checklist(
    member_who: Any, curriculum: Curriculum
) -> None:
    member = await member_who("everything")
    res = await results(curriculum, member)

    assert failed(res) == set()
    assert all(m.reached for m in res.values())
    values = {r.criterion.id: r.value for m in res.values() for r in m.results}
    assert values["final-solves"] == 300 and values["eow8-solves"] == 110
    assert values["final-outreach"] == 10 and values["p4-mlflow"] == 3
    assert values["final-mind-maps"] == 11 and values["p4-diagrams"] == 11
    assert values["final-articles"] == 3 and values["glance-mocks-strong"] == 5
    assert await item_count(member.id, "w16-applications") == 10

    final = checklist_milestone(curriculum.program, curriculum.targets.milestones)
    assert final is not None and final.id == "final"
    rows = final_checklist(curriculum.program, res[final.id])
    assert [r.section for r in rows] == [r.section for r in curriculum.program.final_checklist]
    assert all(r.done for r in rows)
    outreach = rows[-1]
    assert [(r.criterion.id, r.value, r.ok) for r in outreach.results] == [
        ("final-outreach", 10, True)
    ]


@pytest.mark.parametrize(
    ("name", "item", "expected", "row"),
    [
        (
            "no-cicd-diagram",
            "w15-diagram-cicd",
            {"p4-diagrams", "final-mind-maps", "final-diagrams"},
            "Documentation",
        ),
        (
            "no-sentiment",
            "w12-ml-project-sentiment",
            {"eow12-ml-sentiment", "glance-ml-sentiment"},
            None,
        ),
        ("nine-applications", "w16-applications", {"final-outreach"}, "Job Outreach"),
    ],
)
async def test_skipping_one_named_deliverable_fails_exactly_what_names_it(
    member_who: Any,
    curriculum: Curriculum,
    name: str,
    item: str,
    expected: set[str],
    row: str | None,
) -> None:
    res = await results(curriculum, await member_who(name))

    assert failed(res) == expected == naming(curriculum, item)
    rows = final_checklist(curriculum.program, res["final"])
    assert {r.section for r in rows if not r.done} == ({row} if row else set())
    if name == "nine-applications":
        (outreach,) = [r for r in rows if r.section == "Job Outreach"]
        assert [(r.value, r.ok) for r in outreach.results] == [(9, False)]
