"""Time members spend in study rooms (voice sessions): the database side.

Sessions are opened and closed by :class:`bot.sessions.tracker.VoiceTracker` (voice events,
reconciliation, the heartbeat); this module does each step as a few statements. Closing a
session is one transaction: the session row, its per-day totals (split at the member's
local midnight) and the block attendance it earns (:mod:`bot.services.room_attendance`)
land together or not at all. The rooms themselves are :mod:`bot.services.study_rooms`;
reading the time back is :mod:`bot.services.study_time`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.core.calendar import CohortCalendar
from bot.core.schedule import PostTimes
from bot.core.voice import (
    MIN_SESSION,
    BlockWindow,
    Span,
    block_windows,
    close_at,
    day_times,
    deaf_within,
    decode_spans,
    encode_spans,
    window_seconds,
)
from bot.models import Cohort, Member
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.room_attendance import add_block_time, attendance_row, mark_attended
from bot.services.sql import query
from bot.services.study_rooms import Room, ignores_deafened
from bot.sessions.models import BlockAttendance, BlockStatus, VoiceSession
from curriculum.loader import Curriculum


# -- what a cohort's sessions need to know ------------------------------------------------
@dataclass(frozen=True)
class CohortClock:
    """A cohort's calendar, post times and room setting (cached by the tracker)."""

    cohort_id: int
    zone: ZoneInfo
    calendar: CohortCalendar
    times: PostTimes
    ignore_deafened: bool


async def cohort_clock(cohort_id: int, curriculum: Curriculum) -> CohortClock | None:
    cohort = await Cohort.get_or_none(id=cohort_id)
    if cohort is None:
        return None
    return CohortClock(
        cohort_id,
        ZoneInfo(cohort.timezone),
        await cohort_calendar(cohort, curriculum),
        post_times(cohort),
        await ignores_deafened(cohort_id),
    )


# -- sessions -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Studier:
    """A member whose room time counts: active in the room's cohort."""

    member_id: int
    user_id: int
    zone: ZoneInfo


async def studiers(guild_config_id: int, cohort_id: int, user_ids: list[int]) -> dict[int, Studier]:
    """The given users who are active members of ``cohort_id`` (one statement)."""
    if not user_ids:
        return {}
    marks = ", ".join(["{p}"] * len(user_ids))
    rows = await query(
        "SELECT m.id AS id, m.user_id AS user_id, m.timezone AS tz, c.timezone AS ctz"
        " FROM member m JOIN cohort c ON c.id = m.cohort_id"
        " WHERE m.guild_id = {p} AND m.cohort_id = {p} AND m.left_at IS NULL"
        f" AND m.user_id IN ({marks})",
        guild_config_id,
        cohort_id,
        *user_ids,
    )
    return {
        int(r["user_id"]): Studier(int(r["id"]), int(r["user_id"]), ZoneInfo(r["tz"] or r["ctz"]))
        for r in rows
    }


async def open_sessions(guild_config_ids: list[int]) -> list[VoiceSession]:
    """Every open session in these servers, with its member."""
    if not guild_config_ids:
        return []
    return await VoiceSession.filter(
        open_for__not_isnull=True, guild_id__in=guild_config_ids
    ).select_related("member")


async def open_session_of_user(guild_config_id: int, user_id: int) -> list[VoiceSession]:
    """The user's open session in this server, if any: one statement on two unique indexes
    (the hot path of every voice event, so plain SQL rather than an ORM query)."""
    rows = await query(
        "SELECT s.*, m.user_id AS m_user_id, m.timezone AS m_timezone FROM member m"
        " JOIN voice_session s ON s.open_for = m.id WHERE m.guild_id = {p} AND m.user_id = {p}",
        guild_config_id,
        user_id,
    )
    out = []
    for row in rows:
        session = VoiceSession._init_from_db(
            **{k: v for k, v in row.items() if not k.startswith("m_")}
        )
        session.member = Member._init_from_db(
            id=row["member_id"], user_id=row["m_user_id"], timezone=row["m_timezone"]
        )
        out.append(session)
    return out


async def start_session(
    studier: Studier, room: Room, deaf: bool, now: datetime
) -> VoiceSession | None:
    """Open a session from ``now``; ``None`` when the member already has an open one."""
    try:
        return await VoiceSession.create(
            member_id=studier.member_id,
            guild_id=room.guild_config_id,
            cohort_id=room.cohort_id,
            channel_id=room.channel_id,
            started_at=now,
            last_seen_at=now,
            deaf_since=now if deaf else None,
            open_for=studier.member_id,
        )
    except IntegrityError:
        return None


async def touch(session_ids: list[int], now: datetime) -> int:
    """The bot saw these members in their rooms at ``now``."""
    if not session_ids:
        return 0
    return await VoiceSession.filter(id__in=session_ids, open_for__not_isnull=True).update(
        last_seen_at=now
    )


async def set_deaf(session: VoiceSession, deaf: bool, now: datetime) -> None:
    """Self-deafened from ``now`` on (or no longer: the span is kept)."""
    if deaf and session.deaf_since is None:
        await VoiceSession.filter(id=session.id, open_for__not_isnull=True).update(
            deaf_since=now, last_seen_at=now
        )
    elif not deaf and session.deaf_since is not None:
        spans = deaf_spans_until(session, now)
        await VoiceSession.filter(id=session.id, open_for__not_isnull=True).update(
            deaf_since=None, deaf_spans=encode_spans(spans), last_seen_at=now
        )


def deaf_spans_until(session: VoiceSession, end: datetime) -> list[Span]:
    """The session's self-deafened spans, the one still open cut at ``end``."""
    spans = decode_spans(session.deaf_spans)
    if session.deaf_since is not None and end > session.deaf_since:
        spans.append((session.deaf_since, end))
    return spans


@dataclass(frozen=True)
class Closed:
    session_id: int
    seconds: int
    deaf_seconds: int
    counted: bool
    attended: tuple[BlockWindow, ...]  # blocks this session completed


def member_zone_of(session: VoiceSession, fallback: ZoneInfo) -> ZoneInfo:
    member = session.member
    return ZoneInfo(member.timezone) if member.timezone else fallback


async def close_session(
    session: VoiceSession,
    at: datetime,
    reason: str,
    clock: CohortClock | None,
    curriculum: Curriculum,
    now: datetime,
) -> Closed | None:
    """End a session at ``at`` (never before it began); ``None`` if it was already closed.

    Sessions under :data:`MIN_SESSION` are kept but not counted. The day totals and the
    attendance are written in the same transaction as the session itself.
    """
    end = close_at(session.started_at, at)
    spans = deaf_spans_until(session, end)
    seconds = int((end - session.started_at).total_seconds())
    deaf_seconds = int(deaf_within(spans, session.started_at, end))
    counted = end - session.started_at >= MIN_SESSION
    attended: list[BlockWindow] = []
    async with in_transaction():
        changed = await query(
            "UPDATE voice_session SET ended_at = {p}, open_for = NULL, deaf_since = NULL,"
            " deaf_spans = {p}, seconds = {p}, deaf_seconds = {p}, counted = {p},"
            " end_reason = {p} WHERE id = {p} AND open_for IS NOT NULL RETURNING id",
            end,
            encode_spans(spans),
            seconds,
            deaf_seconds,
            counted,
            reason,
            session.id,
        )
        if not changed:
            return None
        if counted and clock is not None:
            member_id: int = session.member_id  # type: ignore[attr-defined]
            zone = member_zone_of(session, clock.zone)
            for piece in day_times(session.started_at, end, spans, zone):
                await _add_day(member_id, clock, piece.day, piece.seconds, piece.deaf_seconds)
            windows = block_windows(
                clock.calendar, curriculum, clock.times, session.started_at, end
            )
            for window in windows:
                got = window_seconds(window, session.started_at, end, spans, clock.ignore_deafened)
                if got and await add_block_time(member_id, clock.cohort_id, window, got, now):
                    attended.append(window)
    return Closed(session.id, seconds, deaf_seconds, counted, tuple(attended))


async def _add_day(
    member_id: int, clock: CohortClock, day: date, seconds: int, deaf_seconds: int
) -> None:
    week = clock.calendar.counting_week(day)
    await query(
        "INSERT INTO voice_day (member_id, cohort_id, local_date, week, seconds, deaf_seconds)"
        " VALUES ({p}, {p}, {p}, {p}, {p}, {p})"
        " ON CONFLICT (member_id, local_date) DO UPDATE SET"
        " seconds = voice_day.seconds + excluded.seconds,"
        " deaf_seconds = voice_day.deaf_seconds + excluded.deaf_seconds",
        member_id,
        clock.cohort_id,
        day,
        week,
        seconds,
        deaf_seconds,
    )


async def check_running(
    running: list[tuple[VoiceSession, CohortClock]], curriculum: Curriculum, now: datetime
) -> list[tuple[int, BlockWindow]]:
    """Blocks that open sessions have already earned, so a long stay is marked before it
    ends: (member id, block) for each newly attended one. One query for all sessions."""
    candidates: list[tuple[int, int, BlockWindow, int]] = []
    for session, clock in running:
        member_id: int = session.member_id  # type: ignore[attr-defined]
        spans = deaf_spans_until(session, now)
        windows = block_windows(clock.calendar, curriculum, clock.times, session.started_at, now)
        for window in windows:
            seconds = window_seconds(window, session.started_at, now, spans, clock.ignore_deafened)
            if seconds > 0:
                candidates.append((member_id, clock.cohort_id, window, seconds))
    if not candidates:
        return []
    rows = await BlockAttendance.filter(
        member_id__in=sorted({c[0] for c in candidates}),
        local_date__in=sorted({c[2].local_date for c in candidates}),
    )
    stored = {
        (r.member_id, r.cohort_id, r.local_date, r.slot): r  # type: ignore[attr-defined]
        for r in rows
    }
    done = []
    for member_id, cohort_id, window, seconds in candidates:
        row = stored.get((member_id, cohort_id, window.local_date, window.slot))
        if row is not None and row.status == BlockStatus.DONE:
            continue
        if (row.voice_seconds if row is not None else 0) + seconds < window.needed:
            continue
        if row is None:
            row = await attendance_row(
                member_id, cohort_id, window.local_date, window.slot, window.week, now
            )
        if await mark_attended(row.id, window.needed, now, extra=seconds):
            done.append((member_id, window))
    return done
