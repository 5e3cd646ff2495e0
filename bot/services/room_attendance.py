"""Block attendance earned by time in a study room: a block is attended (done by presence)
once the member's room time inside its window reaches what the block needs — marked exactly
once, whatever the row's state and however many sessions add to it. The check-in buttons'
side of the same rows is :mod:`bot.services.attendance`."""

from __future__ import annotations

from datetime import date, datetime

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from bot.core.voice import BlockWindow
from bot.services.sql import query
from bot.sessions.models import BlockAttendance, BlockStatus


async def attendance_row(
    member_id: int, cohort_id: int, day: date, slot: str, week: int, now: datetime
) -> BlockAttendance:
    """The member's row for a block, created if missing (unique: a race finds the winner's)."""
    row = await BlockAttendance.get_or_none(
        member_id=member_id, cohort_id=cohort_id, local_date=day, slot=slot
    )
    if row is not None:
        return row
    try:
        return await BlockAttendance.create(
            member_id=member_id,
            cohort_id=cohort_id,
            local_date=day,
            slot=slot,
            week=week,
            updated_at=now,
        )
    except IntegrityError:
        return await BlockAttendance.get(
            member_id=member_id, cohort_id=cohort_id, local_date=day, slot=slot
        )


async def add_block_time(
    member_id: int, cohort_id: int, window: BlockWindow, seconds: int, now: datetime
) -> bool:
    """Add room time to a block; True when this made it attended (exactly once).

    Two statements whatever the row's state: an upsert adding the seconds, then a
    conditional update that only a row reaching the threshold for the first time passes.
    """
    await query(
        "INSERT INTO block_attendance (member_id, cohort_id, local_date, slot, week,"
        " voice_seconds, solve_count, updated_at) VALUES ({p}, {p}, {p}, {p}, {p}, {p}, 0, {p})"
        " ON CONFLICT (member_id, cohort_id, local_date, slot) DO UPDATE SET"
        " voice_seconds = block_attendance.voice_seconds + excluded.voice_seconds,"
        " updated_at = excluded.updated_at",
        member_id,
        cohort_id,
        window.local_date,
        window.slot,
        window.week,
        seconds,
        now,
    )
    changed = await query(
        "UPDATE block_attendance SET status = 'done', done_by = 'voice', done_at = {p},"
        " updated_at = {p} WHERE member_id = {p} AND cohort_id = {p} AND local_date = {p}"
        " AND slot = {p} AND voice_seconds >= {p} AND (status IS NULL OR status <> 'done')"
        " RETURNING id",
        now,
        now,
        member_id,
        cohort_id,
        window.local_date,
        window.slot,
        window.needed,
    )
    return bool(changed)


async def mark_attended(row_id: int, needed: int, now: datetime, extra: int = 0) -> bool:
    """Done by presence once the block's room time (plus ``extra`` still running) is enough."""
    row = await BlockAttendance.get_or_none(id=row_id)
    if row is None or row.status == BlockStatus.DONE or row.voice_seconds + extra < needed:
        return False
    changed = await BlockAttendance.filter(
        Q(status__isnull=True) | ~Q(status=BlockStatus.DONE), id=row_id
    ).update(status=BlockStatus.DONE, done_by="voice", done_at=now, updated_at=now)
    return changed > 0
