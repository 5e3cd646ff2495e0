"""The /solve reply's SQL aggregate agrees with the pure definition on random histories."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from bot.core.progress import solve_summary
from bot.models import Entry
from bot.services.progress import member_context, solve_rows, streak_for, summary_for
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort


async def test_sql_summary_matches_the_pure_one(db: str, curriculum: Curriculum) -> None:
    cohort = await make_cohort(1, 2)
    member = await join(cohort, 10)
    rng = random.Random(7)
    now = datetime(2027, 2, 3, 18, tzinfo=UTC)
    ctx = await member_context(1, 10, curriculum, now)
    for _ in range(300):
        day = date(2027, 1, 1) + timedelta(days=rng.randrange(34))
        await Entry.create(
            member=member,
            cohort=cohort,
            kind=rng.choice(["solve", "solve", "ledger"]),
            local_date=day,
            week=ctx.week_of(day),
            created_at=now,
            problem_key=str(rng.randrange(60)),
            difficulty="easy",
            minutes=5,
        )
    pure = solve_summary(await solve_rows(member.id), ctx.this_week, curriculum.targets)

    assert (await summary_for(ctx, curriculum))[0] == pure
    assert (await streak_for(ctx)).length == 34  # every day from 1 Jan to 3 Feb is logged
