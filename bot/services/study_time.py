"""Reading study time: a member's counted room seconds per local day (the open session
included), the days of a period, and the blocks marked done — for ``/studytime``."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar
from bot.core.voice import MIN_SESSION, counted_seconds, day_times
from bot.services.sql import as_date, query
from bot.services.voice import deaf_spans_until
from bot.sessions.models import VoiceSession
from curriculum.loader import Curriculum


async def seconds_by_day(
    member_id: int, first: date, last: date, zone: ZoneInfo, ignore_deafened: bool, now: datetime
) -> tuple[dict[date, int], bool]:
    """Counted seconds per local day in ``[first, last]``, the open session included."""
    rows = await query(
        "SELECT local_date AS d, seconds AS s, deaf_seconds AS ds FROM voice_day"
        " WHERE member_id = {p} AND local_date >= {p} AND local_date <= {p}",
        member_id,
        first,
        last,
    )
    out: dict[date, int] = {}
    for r in rows:
        day = as_date(r["d"])
        out[day] = counted_seconds(int(r["s"]), int(r["ds"]), ignore_deafened)
    session = await VoiceSession.filter(open_for=member_id).first()
    if session is None:
        return out, False
    spans = deaf_spans_until(session, now)
    if now - session.started_at >= MIN_SESSION:
        for piece in day_times(session.started_at, now, spans, zone):
            if first <= piece.day <= last:
                out[piece.day] = out.get(piece.day, 0) + counted_seconds(
                    piece.seconds, piece.deaf_seconds, ignore_deafened
                )
    return out, True


def period_days(
    calendar: CohortCalendar, curriculum: Curriculum, today: date, period: str
) -> tuple[date, date]:
    """The first and last local date of ``period`` (today / week / phase) around ``today``."""
    if period == "today":
        return today, today
    week = min(calendar.current_week(today), calendar.weeks)
    if period == "week":
        return calendar.date_of(week, "mon"), calendar.date_of(week, "sun")
    phase = curriculum.phase_of_week(week)
    return calendar.date_of(phase.weeks[0], "mon"), calendar.date_of(phase.weeks[-1], "sun")


async def blocks_done(member_id: int, first: date, last: date) -> dict[str, int]:
    """Blocks marked done (button or presence) per slot in ``[first, last]``."""
    rows = await query(
        "SELECT slot, COUNT(*) AS n FROM block_attendance WHERE member_id = {p}"
        " AND status = 'done' AND local_date >= {p} AND local_date <= {p} GROUP BY slot",
        member_id,
        first,
        last,
    )
    return {str(r["slot"]): int(r["n"]) for r in rows}
