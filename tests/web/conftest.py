"""A small seeded cohort and the progress site on aiohttp's test client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.core.clock import FixedClock
from bot.core.roadmap import roadmap_problems
from bot.models import Cohort, Entry, Member
from bot.services.cohorts import cohort_calendar
from bot.web.app import ProgressSite
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

NOW = datetime(2027, 2, 3, 17, 0, tzinfo=UTC)  # Wed of week 5, 18:00 in Berlin
HOSTILE = '<script>alert("x")</script> & <b>Bo</b>'
SECRETS = ("SECRET-NOTE", "SECRET-OOPS", "SECRET-LESSON", "SECRET-LEDGER", "SECRET-WIN")


@dataclass
class Group:
    cohort: Cohort
    ada: Member
    bo: Member  # the hostile display name
    quiet: Member  # shares nothing: never on the cohort page
    solved: dict[int, int]  # member id → unique problems


async def add_solve(
    member: Member, cohort: Cohort, curriculum: Curriculum, number: int, day: date, week: int
) -> Entry:
    p = curriculum.problems[number]
    return await Entry.create(
        member=member,
        cohort=cohort,
        kind="solve",
        local_date=day,
        week=week,
        created_at=NOW,
        problem_key=str(number),
        problem_number=number,
        problem_title=p.title,
        difficulty=p.difficulty.value,
        minutes=25,
        pattern=p.pattern,
        text="SECRET-NOTE in a solve",
    )


async def seed_group(curriculum: Curriculum, guild_id: int = 501) -> Group:
    """Three members in week 5: Ada (many solves), a hostile name, and Quiet (not sharing)."""
    cohort = await make_cohort(guild_id, guild_id + 1)
    ada = await join(cohort, 11)
    bo = await join(cohort, 12)
    quiet = await join(cohort, 13)
    ada.display_name, bo.display_name, quiet.display_name = "Ada", HOSTILE, "Quiet Person"
    quiet.share_progress = False
    for m in (ada, bo, quiet):
        await m.save()
    calendar = await cohort_calendar(cohort, curriculum)
    problems = list(roadmap_problems(curriculum, 5))
    solved = {ada.id: 0, bo.id: 0, quiet.id: 0}
    for i, number in enumerate(problems[:30]):
        day = calendar.date_of(1 + i // 7, ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[i % 7])
        week = calendar.counting_week(day)
        await add_solve(ada, cohort, curriculum, number, day, week)
        solved[ada.id] += 1
        if i % 3 == 0:
            await add_solve(bo, cohort, curriculum, number, day, week)
            solved[bo.id] += 1
        if i % 5 == 0:
            await add_solve(quiet, cohort, curriculum, number, day, week)
    day = calendar.date_of(5, "mon")
    for member in (ada, bo, quiet):
        common: dict[str, Any] = {"member": member, "cohort": cohort, "local_date": day, "week": 5}
        await Entry.create(
            kind="oops", created_at=NOW, text="SECRET-OOPS text", lesson="SECRET-LESSON", **common
        )
        await Entry.create(kind="ledger", created_at=NOW, text="SECRET-LEDGER line", **common)
        await Entry.create(kind="win", created_at=NOW, text="SECRET-WIN", **common)
        await Entry.create(
            kind="mock", created_at=NOW, mock_kind="dsa", rating="hire", platform="peer", **common
        )
    return Group(cohort, ada, bo, quiet, solved)


@pytest.fixture
def web_clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
async def group(db: str, curriculum: Curriculum) -> Group:
    return await seed_group(curriculum)


@pytest.fixture
def site(curriculum: Curriculum, web_clock: FixedClock) -> ProgressSite:
    return ProgressSite(curriculum, web_clock, rate_limit=1000, rebuild_wait=None)


@pytest.fixture
async def client(site: ProgressSite) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(site.app())) as c:
        yield c


def later(clock: FixedClock, **delta: float) -> None:
    clock.set(clock() + timedelta(**delta))
