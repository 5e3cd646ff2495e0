"""Who went quiet: log entries and blocks marked done both count as activity."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.models import Entry
from bot.services.accountability import due_nudges, lapses
from bot.sessions.models import BlockAttendance
from tests.helpers import join, make_cohort

NOW = datetime(2027, 1, 7, 6, tzinfo=UTC)


async def test_a_block_done_by_button_or_voice_is_not_a_lapse(db: str) -> None:
    cohort = await make_cohort(1 << 22, 5)
    quiet, logger, attender = [await join(cohort, 100 + i) for i in range(3)]
    for m in (quiet, logger, attender):
        m.joined_at = datetime(2027, 1, 1, tzinfo=UTC)
        await m.save()
    await Entry.create(
        member=logger,
        cohort=cohort,
        kind="ledger",
        local_date=date(2027, 1, 6),
        week=1,
        created_at=NOW,
        text="x",
    )
    await BlockAttendance.create(
        member=attender,
        cohort=cohort,
        local_date=date(2027, 1, 6),
        slot="block_b",
        week=1,
        status="done",
        done_at=NOW,
        done_by="voice",
        updated_at=NOW,
    )

    found = await lapses(cohort, date(2027, 1, 7))

    assert [x.member.id for x in found] == [quiet.id]
    assert [x.member.id for x in due_nudges(cohort, found)] == [quiet.id]
