"""Study-room time and block attendance as pure rules (no database, no Discord).

* A *session* is one stay in a study room, join → leave (or move out), in aware UTC.
  Self-deafened spans inside it are kept, so a cohort can choose not to count them.
* Daily totals split a session at the member's local midnight (:func:`day_times`), so a
  23-hour spring-forward day and a 25-hour autumn day add up exactly.
* A block is *attended* by presence when the member spent at least two thirds of its
  window in a room (60 of Block-A's 90 minutes, 120 of a 3-hour weekend session).
* :func:`reconcile` decides what to do when the bot compares the database with who is
  actually in the rooms (at start-up, after a reconnect, every heartbeat, on each event).
  The rule that never invents time: a session whose member the bot lost sight of is closed
  at ``last_seen_at`` — the last moment the bot saw them — never at the moment it noticed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, InProgram, local_date, local_to_utc
from bot.core.schedule import PostTimes, slots_between
from curriculum.loader import Curriculum

HEARTBEAT = timedelta(seconds=60)  # how often the bot confirms who is still in a room
STALE_AFTER = timedelta(seconds=150)  # no sighting for this long: the bot lost sight of them
MIN_SESSION = timedelta(minutes=1)  # shorter stays are ignored (a misclick, a reconnect)
ATTEND_NUM, ATTEND_DEN = 2, 3  # share of a block's window that marks it attended
BLOCK_SLOTS: tuple[str, ...] = ("block_a", "block_b", "session")
LONGEST_BLOCK = timedelta(hours=6)
MAX_SPANS = 100  # self-deafened spans kept per session (more are merged)

Span = tuple[datetime, datetime]


# -- spans ---------------------------------------------------------------------------------
def encode_spans(spans: Sequence[Span]) -> str:
    """Spans as ``start-end,…`` in epoch seconds (compact, bounded by :data:`MAX_SPANS`)."""
    return ",".join(f"{int(a.timestamp())}-{int(b.timestamp())}" for a, b in bounded(spans))


def decode_spans(text: str | None) -> list[Span]:
    out: list[Span] = []
    for part in (text or "").split(","):
        if "-" not in part:
            continue
        a, b = part.split("-", 1)
        out.append((datetime.fromtimestamp(int(a), UTC), datetime.fromtimestamp(int(b), UTC)))
    return out


def bounded(spans: Sequence[Span]) -> list[Span]:
    """At most :data:`MAX_SPANS` spans: the two closest neighbours are merged until it fits."""
    out = sorted(spans)
    while len(out) > MAX_SPANS:
        gaps = [(out[i + 1][0] - out[i][1], i) for i in range(len(out) - 1)]
        _, i = min(gaps)
        out[i : i + 2] = [(out[i][0], max(out[i][1], out[i + 1][1]))]
    return out


def overlap(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    """Seconds two spans share (0 when they don't)."""
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


def deaf_within(spans: Iterable[Span], start: datetime, end: datetime) -> float:
    return sum(overlap(a, b, start, end) for a, b in spans)


def counted_seconds(seconds: int, deaf_seconds: int, ignore_deafened: bool) -> int:
    """The time that counts: all of it, or without the self-deafened part."""
    return max(0, seconds - deaf_seconds) if ignore_deafened else seconds


# -- days ----------------------------------------------------------------------------------
def split_days(start: datetime, end: datetime, zone: ZoneInfo) -> list[tuple[date, Span]]:
    """``[start, end)`` cut at each local midnight of ``zone``: (local date, piece)."""
    pieces: list[tuple[date, Span]] = []
    current = start
    while current < end:
        day = local_date(current, zone)
        midnight = local_to_utc(day + timedelta(days=1), time(0), zone)
        piece_end = min(end, midnight)
        pieces.append((day, (current, piece_end)))
        current = piece_end
    return pieces


@dataclass(frozen=True)
class DayTime:
    day: date
    seconds: int
    deaf_seconds: int


def day_times(
    start: datetime, end: datetime, deaf: Sequence[Span], zone: ZoneInfo
) -> list[DayTime]:
    """A session's time per local day of ``zone`` (and the self-deafened part of it)."""
    return [
        DayTime(day, int((b - a).total_seconds()), int(deaf_within(deaf, a, b)))
        for day, (a, b) in split_days(start, end, zone)
    ]


# -- blocks --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BlockWindow:
    """When a block runs in the cohort's zone: from its post time for its length."""

    local_date: date
    slot: str
    week: int
    start: datetime
    end: datetime

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def needed(self) -> int:
        """Seconds in a room that mark the block attended (60 of 90 minutes)."""
        return math.ceil(self.minutes * 60 * ATTEND_NUM / ATTEND_DEN)


def block_minutes(curriculum: Curriculum, week: int, weekday: str, slot: str) -> int | None:
    block = getattr(curriculum.day(week, weekday), slot, None)
    return None if block is None else int(block.minutes)


def block_windows(
    calendar: CohortCalendar,
    curriculum: Curriculum,
    times: PostTimes,
    start: datetime,
    end: datetime,
) -> list[BlockWindow]:
    """The block windows that overlap ``[start, end]``, in order."""
    out = []
    for slot in slots_between(calendar, curriculum, times, start - LONGEST_BLOCK, end):
        if slot.slot not in BLOCK_SLOTS:
            continue
        minutes = block_minutes(curriculum, slot.week, slot.weekday, slot.slot)
        if minutes is None:
            continue
        window = BlockWindow(
            slot.local_date,
            slot.slot,
            slot.week,
            slot.due_at,
            slot.due_at + timedelta(minutes=minutes),
        )
        if window.end > start and window.start < end:
            out.append(window)
    return out


def window_seconds(
    window: BlockWindow,
    start: datetime,
    end: datetime,
    deaf: Sequence[Span],
    ignore_deafened: bool,
) -> int:
    """Seconds of ``[start, end]`` inside the block's window that count."""
    a, b = max(start, window.start), min(end, window.end)
    if b <= a:
        return 0
    seconds = (b - a).total_seconds()
    if ignore_deafened:
        seconds -= deaf_within(deaf, a, b)
    return int(max(0.0, seconds))


def planned(
    calendar: CohortCalendar, curriculum: Curriculum, first: date, last: date
) -> tuple[int, int]:
    """The roadmap's block minutes and blocks on the program days in ``[first, last]``
    (weekday blocks 2 × 90 min, weekend sessions 3 h)."""
    minutes = blocks = 0
    day = first
    while day <= last:
        pos = calendar.position(day)
        if isinstance(pos, InProgram):
            for slot in BLOCK_SLOTS:
                length = block_minutes(curriculum, pos.week, pos.weekday, slot)
                if length is not None:
                    minutes += length
                    blocks += 1
        day += timedelta(days=1)
    return minutes, blocks


def planned_blocks(curriculum: Curriculum, week: int) -> dict[str, int]:
    """How many blocks of each slot program ``week`` has (``{"block_a": 5, …}``)."""
    out: dict[str, int] = {}
    for weekday in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        for slot in BLOCK_SLOTS:
            if block_minutes(curriculum, week, weekday, slot) is not None:
                out[slot] = out.get(slot, 0) + 1
    return out


# -- reconciling the database with the rooms -----------------------------------------------
class Mode(StrEnum):
    EVENT = "event"  # a voice state update while connected: it happened now
    REPLAY = "replay"  # an update while the gateway was away (a resume replays them late)
    STARTUP = "startup"  # READY / RESUMED / a guild became available: events may be lost
    HEARTBEAT = "heartbeat"  # the periodic check while connected: events may be in flight


@dataclass(frozen=True)
class Seen:
    """Where the bot sees a member now: a study room, and whether they are self-deafened."""

    channel_id: int
    deaf: bool = False


@dataclass(frozen=True)
class OpenSession:
    id: int
    user_id: int
    channel_id: int
    last_seen_at: datetime
    deaf: bool = False


@dataclass
class Plan:
    close: list[tuple[int, datetime, str]] = field(default_factory=list)  # id, at, reason
    keep: list[int] = field(default_factory=list)  # seen now: last_seen_at = now
    deaf: list[tuple[int, bool]] = field(default_factory=list)  # id, self-deafened from now
    open: list[tuple[int, Seen]] = field(default_factory=list)  # user id, room (from now)

    @property
    def empty(self) -> bool:
        return not (self.close or self.keep or self.deaf or self.open)


def reconcile(
    sessions: Iterable[OpenSession],
    present: Mapping[int, Seen],
    now: datetime,
    mode: Mode,
) -> Plan:
    """What to do so the open sessions match who is in the rooms (``present``, by user id).

    * A live event happened now: a member who left or moved ends their stay now.
    * Otherwise (a replayed event, start-up, the heartbeat) the bot can't know when it
      happened, only that it was after ``last_seen_at``: a stay that ended or moved is
      closed there. After a gap (start-up, a resume) a session not confirmed for
      :data:`STALE_AFTER` is closed there too — the time while the bot was away is unknown,
      so it is not counted — and a member still in a room gets a new session from now.
    * The heartbeat runs only while connected: it confirms who is still there, and leaves a
      fresh session whose member is gone (or elsewhere) alone — the event is probably on its
      way; if it never comes the session goes stale and is closed at ``last_seen_at``.
    * A member in a room without an open session gets one from now.
    """
    plan = Plan()
    has_session: set[int] = set()
    for s in sessions:
        has_session.add(s.user_id)
        seen = present.get(s.user_id)
        here = seen is not None and seen.channel_id == s.channel_id
        stale = now - s.last_seen_at > STALE_AFTER
        # Connected all along (a live event, the heartbeat): presence is simply confirmed.
        if mode is Mode.EVENT or (here and (mode is Mode.HEARTBEAT or not stale)):
            if here and seen is not None:
                plan.keep.append(s.id)
                if seen.deaf != s.deaf:
                    plan.deaf.append((s.id, seen.deaf))
                continue
            plan.close.append((s.id, now, "moved" if seen is not None else "left"))
        elif mode is Mode.HEARTBEAT and not stale:
            continue  # gone or moved: the event is on its way
        else:
            reason = "moved" if seen is not None and not stale and not here else "lost"
            plan.close.append((s.id, s.last_seen_at, reason))
        if seen is not None:
            plan.open.append((s.user_id, seen))
    for user_id, seen in present.items():
        if user_id not in has_session:
            plan.open.append((user_id, seen))
    return plan


def close_at(started_at: datetime, at: datetime) -> datetime:
    """Never before the session began."""
    return max(started_at, at)


# -- check-in buttons ----------------------------------------------------------------------
def next_status(current: str | None, action: str) -> str | None:
    """The block's state after a press, or ``None`` when the press changes nothing.

    Done is final (presence or a press); pressing what is already pressed changes nothing;
    Done or Starting after Skip change your mind; Skip after Starting gives up the block.
    """
    wanted = {"start": "started", "done": "done", "skip": "skipped"}[action]
    if current == "done" or current == wanted:
        return None
    return wanted


def split_minutes(total: int, count: int) -> list[int]:
    """``total`` minutes over ``count`` problems, as evenly as whole minutes go."""
    base, extra = divmod(total, count)
    return [base + (1 if i < extra else 0) for i in range(count)]
