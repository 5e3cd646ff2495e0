"""50 members × 100 concurrent log commands → exactly 5,000 rows (SQLite and PostgreSQL).

simcord runs one interaction at a time, so the concurrency is driven through the commands'
own service path (membership context → validation → insert → totals), below the adapter.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.models import Entry, EntryKind
from bot.services import logbook
from bot.services.progress import member_context
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort


async def test_50_members_x_100_concurrent_log_commands(db: str, curriculum: Curriculum) -> None:
    cohort = await make_cohort(1, 2)
    users = list(range(1000, 1050))
    for user in users:
        await join(cohort, user)
    now = datetime(2027, 2, 3, 18, 0, tzinfo=UTC)
    numbers = sorted(curriculum.problems)

    async def one(user: int, n: int) -> None:
        ctx = await member_context(1, user, curriculum, now)
        if n % 4 == 0:
            await logbook.log_text(ctx, EntryKind.LEDGER, f"note {n}")
        elif n % 4 == 1:
            await logbook.log_oops(ctx, curriculum, f"mistake {n}", "lesson")
        else:
            data = logbook.SolveInput(problem=str(numbers[n % len(numbers)]), minutes=n + 1)
            await logbook.log_solve(ctx, curriculum, data)

    await asyncio.gather(*(one(u, n) for u in users for n in range(100)))

    assert await Entry.all().count() == 5000
    per_member = await Entry.filter(member__user_id=users[0]).values_list("kind", flat=True)
    assert sorted(per_member).count("solve") == 50 and len(per_member) == 100
    assert await Entry.filter(kind="oops").count() == 50 * 25
