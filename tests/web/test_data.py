"""The progress pages' aggregates on the real database (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

from datetime import timedelta

from bot.services.cohorts import cohort_calendar
from bot.sessions.models import BlockAttendance
from bot.web.data import daily_counts
from curriculum.loader import Curriculum
from tests.web.conftest import NOW, Group, add_solve


async def test_daily_counts_merge_solves_and_blocks_per_day(
    group: Group, curriculum: Curriculum
) -> None:
    calendar = await cohort_calendar(group.cohort, curriculum)
    mon, tue, wed = (calendar.date_of(5, d) for d in ("mon", "tue", "wed"))
    numbers = list(curriculum.problems)[:3]
    for n in numbers[:2]:  # two solves on Tuesday, one on Wednesday
        await add_solve(group.bo, group.cohort, curriculum, n, tue, 5)
    await add_solve(group.bo, group.cohort, curriculum, numbers[2], wed, 5)
    for day, slot, status in (
        (mon, "block_a", "done"),  # a block-only day
        (tue, "block_a", "done"),  # the same day as two solves
        (tue, "block_b", "done"),
        (wed, "block_a", "skipped"),  # not done: no block
    ):
        await BlockAttendance.create(
            member=group.bo,
            cohort=group.cohort,
            local_date=day,
            slot=slot,
            week=5,
            status=status,
            updated_at=NOW,
        )

    found = await daily_counts([group.ada.id, group.bo.id], calendar.program_start)
    bo = found[group.bo.id]
    assert bo[mon] == (0, 1)
    assert bo[tue] == (2, 2)
    assert bo[wed] == (1, 0)
    assert sum(s for s, _ in bo.values()) == group.solved[group.bo.id] + 3
    assert sum(b for _, b in bo.values()) == 3
    assert all(b == 0 for _, b in found[group.ada.id].values())
    assert sum(s for s, _ in found[group.ada.id].values()) == group.solved[group.ada.id]
    # only days from ``since`` on
    later = await daily_counts([group.bo.id], tue)
    assert set(later[group.bo.id]) == {tue, wed}
    assert await daily_counts([], mon - timedelta(days=1)) == {}
