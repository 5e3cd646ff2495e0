"""Peer mock interviews: the database side.

* **Opt in** — a :class:`MockProfile` per member (kinds, windows, place in line).
* **Weekly matching** — a :class:`MockRound` row per cohort and local week, unique, created
  before matching (the claim): two matchers racing for the same week get one row and the
  loser skips. Pairs, both sessions and everyone's place in line are written in one
  transaction, so a crash leaves either nothing (the claim is retried after
  :data:`STALE_CLAIM`) or the whole result. Matching itself is pure
  (:mod:`bot.core.mock_matching`).
* **Sessions** — each state change is one conditional UPDATE (``open``/``proposed`` →
  ``confirmed`` → ``done``), so a double click or two members pressing at once change it
  once; the reminder and the packet are claimed the same way and sent exactly once.
* **Feedback** — written through :func:`bot.services.logbook.log_mock` for the interviewee
  (platform "peer"), in the same transaction as the session's ``done``: it counts for the
  milestones exactly like a typed ``/mock``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.core import entries as rules
from bot.core.calendar import local_date
from bot.core.mock_matching import Candidate, History, Matching, match
from bot.core.mock_packets import Packet, build_packet, packet_for_topic
from bot.core.mock_windows import BY_ID, WEEKDAYS, Interval, decode, encode, free_times
from bot.errors import UserFacingError
from bot.mocks.models import (
    MockPair,
    MockProfile,
    MockRound,
    MockSession,
    MockSettings,
    PairStatus,
    ProfileStatus,
    RoundStatus,
    SessionStatus,
)
from bot.models import Cohort, Entry, Member
from bot.services.cohorts import cohort_calendar, member_zone, post_times
from bot.services.logbook import log_mock, log_oops
from bot.services.progress import MemberContext, member_context
from bot.services.sql import query
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)

KINDS = rules.MOCK_KINDS  # dsa / system_design / behavioral → labels
HORIZON = timedelta(days=7)  # sessions are arranged within the week after matching
LEAD = timedelta(hours=1)  # nothing is proposed sooner than this after matching
STALE_CLAIM = timedelta(minutes=10)
CLOSE_AFTER = timedelta(days=7)  # a session with no result closes quietly after this
REMINDER_BEFORE = timedelta(minutes=15)
NO_SHOWS_TO_SIT_OUT = 2
HISTORY_ROUNDS = 12  # past rounds the matching looks at (who met whom, how long ago)
GHOSTED_AFTER = timedelta(hours=72)  # an unanswered pairing may be reported after this
NO_SHOW_GRACE = timedelta(minutes=10)  # a confirmed session may be reported this long after
MAX_AHEAD = timedelta(days=14)  # the latest a session may be proposed
DEFAULT_DELAY = timedelta(minutes=30)  # default matching time: 30 min after Block-A
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
ACTIVE = (SessionStatus.OPEN, SessionStatus.PROPOSED, SessionStatus.CONFIRMED)


@dataclass(frozen=True)
class Outcome:
    """A member-facing answer to a button press."""

    ok: bool
    message: str
    closed: bool = False  # not ok, but settled: the buttons can go away


# -- profiles ------------------------------------------------------------------------------
def parse_list(text: str | None) -> list[str]:
    return [x for x in (text or "").split(",") if x]


def check_kinds(kinds: Sequence[str]) -> list[str]:
    chosen = [k for k in KINDS if k in set(kinds)]
    if not chosen or len(chosen) != len(set(kinds)):
        raise UserFacingError(
            "Pick at least one kind of interview: " + ", ".join(KINDS.values()) + "."
        )
    return chosen


def check_windows(windows: Sequence[str]) -> list[str]:
    chosen = [w for w in BY_ID if w in set(windows)]
    if not chosen or len(chosen) != len(set(windows)):
        raise UserFacingError("Pick at least one weekly window from the list.")
    return chosen


async def profile_of(member_id: int) -> MockProfile | None:
    return await MockProfile.get_or_none(member_id=member_id)


async def save_profile(
    member: Member, kinds: Sequence[str], windows: Sequence[str], now: datetime
) -> MockProfile:
    """Opt in (or change kinds and windows); a paused or left profile is active again."""
    values = {
        "kinds": ",".join(check_kinds(kinds)),
        "windows": ",".join(check_windows(windows)),
        "status": ProfileStatus.ACTIVE.value,
        "updated_at": now,
    }
    profile, created = await MockProfile.get_or_create(member_id=member.id, defaults=values)
    if not created:
        await MockProfile.filter(id=profile.id).update(**values)
        await profile.refresh_from_db()
    return profile


async def set_status(member: Member, status: ProfileStatus, now: datetime) -> MockProfile:
    profile = await profile_of(member.id)
    left = profile is not None and profile.status == ProfileStatus.LEFT
    if profile is None or (left and status is not ProfileStatus.LEFT):
        raise UserFacingError("You haven't opted in to peer mocks — `/mocks join` does that.")
    await MockProfile.filter(id=profile.id).update(status=status.value, updated_at=now)
    profile.status = status.value
    return profile


# -- cohort settings -----------------------------------------------------------------------
@dataclass(frozen=True)
class MatchTime:
    weekday: str  # mon … sun
    at: time  # local
    default_time: bool  # 30 minutes after Block-A
    enabled: bool


def parse_match_time(value: str) -> time:
    found = _TIME.fullmatch(value.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise UserFacingError("`time` must be 24-hour HH:MM (e.g. 07:30), or `after-block-a`.")
    return time(int(found[1]), int(found[2]))


async def match_time(cohort: Cohort) -> MatchTime:
    row = await MockSettings.get_or_none(cohort_id=cohort.id)
    block_a = post_times(cohort).block_a
    default = (datetime.combine(date(2000, 1, 3), block_a) + DEFAULT_DELAY).time()
    if row is None:
        return MatchTime("mon", default, True, True)
    at = parse_match_time(row.match_time) if row.match_time else default
    return MatchTime(row.weekday, at, row.match_time is None, row.enabled)


async def save_match_time(
    cohort: Cohort, weekday: str | None, at: str | None, enabled: bool | None
) -> MatchTime:
    if weekday is not None and weekday not in WEEKDAYS:
        raise UserFacingError("`weekday` must be one of mon, tue, wed, thu, fri, sat, sun.")
    stored: str | None = None
    if at is not None and at.strip().lower() not in ("after-block-a", "default"):
        stored = f"{parse_match_time(at):%H:%M}"
    row, _ = await MockSettings.get_or_create(cohort_id=cohort.id)
    if weekday is not None:
        row.weekday = weekday
    if at is not None:
        row.match_time = stored
    if enabled is not None:
        row.enabled = enabled
    await row.save()
    return await match_time(cohort)


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def due_instant(when: MatchTime, zone: ZoneInfo, week_start: date) -> datetime:
    """The matching instant of the local week starting ``week_start`` (a Monday), UTC."""
    day = week_start + timedelta(days=WEEKDAYS.index(when.weekday))
    return datetime.combine(day, when.at, tzinfo=zone).astimezone(UTC)


async def next_matching(cohort: Cohort, now: datetime) -> datetime | None:
    """When the cohort's next matching runs (``None``: peer mocks are off there)."""
    when = await match_time(cohort)
    if not when.enabled:
        return None
    zone = ZoneInfo(cohort.timezone)
    monday = week_monday(local_date(now, zone))
    due = due_instant(when, zone, monday)
    claimed = await MockRound.filter(cohort_id=cohort.id, week_start=monday).exists()
    if due <= now and claimed:
        due = due_instant(when, zone, monday + timedelta(days=7))
    return due


# -- rounds --------------------------------------------------------------------------------
async def cohorts_with_opt_ins() -> list[Cohort]:
    """Cohorts (of guilds the bot is in) with at least one member opted in."""
    ids = await MockProfile.filter(status=ProfileStatus.ACTIVE, member__left_at=None).values_list(
        "member__cohort_id", flat=True
    )
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return []
    return await Cohort.filter(id__in=sorted(wanted), guild__left_at=None).select_related("guild")


async def due_weeks(cohorts: Sequence[Cohort], now: datetime) -> list[tuple[Cohort, date]]:
    """The cohorts whose matching of this local week is due and not yet claimed."""
    out = []
    for cohort in cohorts:
        when = await match_time(cohort)
        if not when.enabled:
            continue
        zone = ZoneInfo(cohort.timezone)
        monday = week_monday(local_date(now, zone))
        if due_instant(when, zone, monday) > now:
            continue
        row = await MockRound.get_or_none(cohort_id=cohort.id, week_start=monday)
        if row is None or (
            row.status == RoundStatus.CLAIMED and row.claimed_at < now - STALE_CLAIM
        ):
            out.append((cohort, monday))
    return out


async def claim_round(cohort: Cohort, week_start: date, now: datetime) -> MockRound | None:
    """The week's round for this caller, or ``None`` when another matcher has it."""
    try:
        return await MockRound.create(cohort_id=cohort.id, week_start=week_start, claimed_at=now)
    except IntegrityError:
        pass
    row = await MockRound.get_or_none(cohort_id=cohort.id, week_start=week_start)
    if row is None or row.status != RoundStatus.CLAIMED or row.claimed_at >= now - STALE_CLAIM:
        return None
    taken = await MockRound.filter(
        id=row.id, status=RoundStatus.CLAIMED, claimed_at=row.claimed_at
    ).update(claimed_at=now)
    return row if taken else None


@dataclass
class RoundResult:
    round: MockRound
    matching: Matching
    pairs: list[MockPair] = field(default_factory=list)
    sat_out: list[Member] = field(default_factory=list)  # left out after two no-shows
    waiting: list[Member] = field(default_factory=list)  # no partner: first in line next week


async def _progress(member_ids: Sequence[int]) -> dict[int, int]:
    if not member_ids:
        return {}
    marks = ", ".join(["{p}"] * len(member_ids))
    rows = await query(
        "SELECT member_id, COUNT(DISTINCT problem_key) AS n FROM entry"
        f" WHERE kind = 'solve' AND member_id IN ({marks}) GROUP BY member_id",
        *member_ids,
    )
    return {int(r["member_id"]): int(r["n"]) for r in rows}


async def _history(cohort: Cohort, before: date) -> History:
    rounds = (
        await MockRound.filter(cohort_id=cohort.id, week_start__lt=before)
        .order_by("-week_start")
        .limit(HISTORY_ROUNDS)
        .values_list("id", flat=True)
    )
    ago: dict[tuple[int, int], int] = {}
    for n, round_id in enumerate(rounds, start=1):
        for a, b in await MockPair.filter(round_id=round_id).values_list(
            "member_a_id", "member_b_id"
        ):
            ago.setdefault((min(a, b), max(a, b)), n)
    counts: dict[int, Counter[str]] = {}
    for a, b, kind in await MockPair.filter(
        round__cohort_id=cohort.id, status=PairStatus.OPEN
    ).values_list("member_a_id", "member_b_id", "kind"):
        for m in (a, b):
            counts.setdefault(m, Counter())[kind] += 1
    return History(ago, counts)


async def run_matching(round_: MockRound, cohort: Cohort, now: datetime) -> RoundResult:
    """Match the cohort's opted-in members and write the result (pairs, sessions, line)."""
    profiles = await MockProfile.filter(
        status=ProfileStatus.ACTIVE, member__cohort_id=cohort.id, member__left_at=None
    ).select_related("member")
    sitting = [p for p in profiles if p.sit_out]
    eligible = [p for p in profiles if not p.sit_out]
    start, end = now + LEAD, now + HORIZON
    progress = await _progress([p.member.id for p in eligible])
    candidates = []
    for p in eligible:
        zone = member_zone(p.member, cohort)
        candidates.append(
            Candidate(
                member_id=p.member.id,
                kinds=frozenset(parse_list(p.kinds)),
                free=tuple(free_times(parse_list(p.windows), zone, start, end)),
                progress=progress.get(p.member.id, 0),
                waited=p.waited,
            )
        )
    history = await _history(cohort, round_.week_start)
    # ~2 s for 500 members: off the event loop, so the gateway keeps its heartbeat
    matching = await asyncio.to_thread(match, candidates, history)
    members = {p.member.id: p.member for p in profiles}
    result = RoundResult(round_, matching)
    async with in_transaction():
        for pair in matching.pairs:
            row = await MockPair.create(
                round_id=round_.id,
                member_a_id=pair.first,
                member_b_id=pair.second,
                kind=pair.kind,
                overlap=encode(pair.overlap),
                created_at=now,
            )
            for number, (er, ee) in enumerate(
                ((pair.first, pair.second), (pair.second, pair.first)), start=1
            ):
                await MockSession.create(
                    pair_id=row.id,
                    number=number,
                    interviewer_id=er,
                    interviewee_id=ee,
                    created_at=now,
                )
            result.pairs.append(row)
        paired = [m for p in matching.pairs for m in (p.first, p.second)]
        if paired:
            await MockProfile.filter(member_id__in=paired).update(waited=0)
        for member_id in matching.unmatched:
            waited = next(p.waited for p in eligible if p.member.id == member_id)
            await MockProfile.filter(member_id=member_id).update(waited=waited + 1)
        if sitting:
            await MockProfile.filter(id__in=[p.id for p in sitting]).update(
                sit_out=False, no_show_streak=0
            )
        await MockRound.filter(id=round_.id).update(
            status=RoundStatus.MATCHED, matched_at=now, pair_count=len(matching.pairs)
        )
    result.sat_out = [p.member for p in sitting]
    result.waiting = [members[m] for m in matching.unmatched]
    return result


async def finish_round(round_id: int, delivery: str | None) -> None:
    await MockRound.filter(id=round_id).update(status=RoundStatus.DONE, delivery=delivery)


async def mark_announced(round_id: int) -> bool:
    """Claim the round's channel announcement (True once)."""
    return await MockRound.filter(id=round_id, announced=False).update(announced=True) > 0


# -- pairs ---------------------------------------------------------------------------------
async def claim_pairs(
    now: datetime, owns: Callable[[int], bool] = lambda _: True, limit: int = 50
) -> list[MockPair]:
    """Pairs waiting to be posted (and posts whose sender vanished) in guilds ``owns``
    accepts, each won by one caller."""
    rows = (
        await MockPair.filter(
            Q(status=PairStatus.PENDING)
            | Q(status=PairStatus.POSTING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("id")
        .limit(limit)
        .select_related("round__cohort__guild")
    )
    won = []
    for row in rows:
        if not owns(row.round.cohort.guild.guild_id):
            continue
        if await MockPair.filter(id=row.id, status=row.status, claimed_at=row.claimed_at).update(
            status=PairStatus.POSTING, claimed_at=now
        ):
            won.append(row.id)
    if not won:
        return []
    return (
        await MockPair.filter(id__in=won)
        .select_related("round__cohort__guild", "member_a", "member_b")
        .order_by("id")
    )


async def set_thread(pair_id: int, thread_id: int) -> None:
    await MockPair.filter(id=pair_id).update(thread_id=thread_id)


async def mark_pair(pair_id: int, status: PairStatus) -> None:
    await MockPair.filter(id=pair_id).update(status=status.value)


async def cancel_pair(pair: MockPair, gone: Member, now: datetime) -> None:
    """A member left the server before the pairing went out: close it, the other member
    is first in line next week, the leaver stops being matched."""
    async with in_transaction():
        await MockPair.filter(id=pair.id).update(status=PairStatus.CANCELLED)
        await MockSession.filter(pair_id=pair.id, status__in=list(ACTIVE)).update(
            status=SessionStatus.EXPIRED, closed_at=now
        )
        await MockProfile.filter(member_id=gone.id).update(status=ProfileStatus.LEFT)
        other = pair.member_b_id if pair.member_a_id == gone.id else pair.member_a_id  # type: ignore[attr-defined]
        await MockProfile.filter(member_id=other).update(waited=1)


async def pair_sessions(pair_id: int) -> list[MockSession]:
    return (
        await MockSession.filter(pair_id=pair_id)
        .order_by("number")
        .select_related("interviewer", "interviewee", "pair")
    )


# -- sessions ------------------------------------------------------------------------------
async def load_session(session_id: int) -> MockSession | None:
    return await MockSession.get_or_none(id=session_id).select_related(
        "interviewer__guild", "interviewee__guild", "pair__round__cohort"
    )


def _role(session: MockSession, user_id: int) -> Member | None:
    for m in (session.interviewer, session.interviewee):
        if m.user_id == user_id:
            return m
    return None


def _other(session: MockSession, member: Member) -> Member:
    return session.interviewee if member.id == session.interviewer.id else session.interviewer


NOT_YOURS = "This peer mock belongs to two other members."
GONE = "That session no longer exists."


def _settled(session: MockSession) -> Outcome | None:
    texts = {
        SessionStatus.DONE: "This session is finished — feedback was given.",
        SessionStatus.NO_SHOW: "This session was closed: a no-show was reported.",
        SessionStatus.EXPIRED: "This session closed after a week without a result.",
    }
    text = texts.get(SessionStatus(session.status))
    return Outcome(False, text, closed=True) if text else None


async def propose(session_id: int, user_id: int, start: datetime, now: datetime) -> Outcome:
    session = await load_session(session_id)
    if session is None:
        return Outcome(False, GONE, closed=True)
    me = _role(session, user_id)
    if me is None:
        return Outcome(False, NOT_YOURS)
    if (done := _settled(session)) is not None:
        return done
    if session.status == SessionStatus.CONFIRMED:
        return Outcome(False, "This session's time is already confirmed.")
    if start <= now:
        return Outcome(False, "That time has passed — pick a later one.")
    if start > now + MAX_AHEAD:
        return Outcome(False, "Pick a time within the next two weeks.")
    changed = await MockSession.filter(
        id=session.id, status__in=[SessionStatus.OPEN, SessionStatus.PROPOSED]
    ).update(status=SessionStatus.PROPOSED, proposed_at=start, proposed_by=me.id)
    if not changed:
        return Outcome(False, "This session changed meanwhile — look again.")
    return Outcome(True, "proposed")


@dataclass(frozen=True)
class Confirmed:
    outcome: Outcome
    session: MockSession | None = None


async def confirm(session_id: int, user_id: int, now: datetime) -> Confirmed:
    session = await load_session(session_id)
    if session is None:
        return Confirmed(Outcome(False, GONE, closed=True))
    me = _role(session, user_id)
    if me is None:
        return Confirmed(Outcome(False, NOT_YOURS))
    if (done := _settled(session)) is not None:
        return Confirmed(done)
    if session.status == SessionStatus.CONFIRMED:
        return Confirmed(Outcome(False, "Already confirmed ✅"))
    if session.status != SessionStatus.PROPOSED or session.proposed_at is None:
        return Confirmed(Outcome(False, "Nobody has proposed a time yet — pick one first."))
    if session.proposed_by == me.id:
        return Confirmed(
            Outcome(
                False, "You proposed this time — your partner confirms it (or proposes another)."
            )
        )
    start = session.proposed_at
    if start <= now:
        return Confirmed(Outcome(False, "That time has passed — propose a new one."))
    reminder = max(start - REMINDER_BEFORE, now)
    changed = await MockSession.filter(
        id=session.id, status=SessionStatus.PROPOSED, proposed_at=start
    ).update(
        status=SessionStatus.CONFIRMED,
        starts_at=start,
        reminder_at=reminder,
        reminder_status="scheduled",
    )
    if not changed:
        return Confirmed(Outcome(False, "This session changed meanwhile — look again."))
    session.status = SessionStatus.CONFIRMED.value
    session.starts_at = start
    return Confirmed(Outcome(True, "confirmed"), session)


async def set_event(session_id: int, event_id: int) -> None:
    await MockSession.filter(id=session_id).update(event_id=event_id)


# -- packets -------------------------------------------------------------------------------
async def solved_numbers(member_id: int, curriculum: Curriculum) -> set[int]:
    """Catalogue problems the member logged as solved (by number or by slug)."""
    rows = await Entry.filter(member_id=member_id, kind="solve").values_list(
        "problem_number", "problem_slug"
    )
    by_slug = {p.slug: n for n, p in curriculum.problems.items()}
    out = set()
    for number, slug in rows:
        if number is not None:
            out.add(int(number))
        elif slug in by_slug:
            out.add(by_slug[slug])
    return out


async def given_topics(member_id: int) -> set[str]:
    rows = (
        await MockSession.filter(interviewee_id=member_id)
        .exclude(topic=None)
        .values_list("topic", flat=True)
    )
    return {str(t) for t in rows}


async def interviewee_week(session: MockSession, curriculum: Curriculum, now: datetime) -> int:
    cohort = session.pair.round.cohort
    calendar = await cohort_calendar(cohort, curriculum)
    zone = member_zone(session.interviewee, cohort)
    return calendar.counting_week(local_date(now, zone))


async def packet_for(session: MockSession, curriculum: Curriculum, now: datetime) -> Packet:
    """The session's packet: chosen once (then stored), the same on every resend."""
    if session.topic_week is not None:
        return packet_for_topic(curriculum, session.pair.kind, session.topic_week, session.topic)
    week = await interviewee_week(session, curriculum, now)
    packet = build_packet(
        curriculum,
        session.pair.kind,
        week,
        await solved_numbers(session.interviewee.id, curriculum),
        await given_topics(session.interviewee.id),
    )
    await MockSession.filter(id=session.id, topic_week=None).update(
        topic=packet.topic_id, topic_week=packet.week
    )
    fresh = await MockSession.get(id=session.id)
    session.topic, session.topic_week = fresh.topic, fresh.topic_week
    return packet_for_topic(curriculum, session.pair.kind, packet.week, fresh.topic)


async def claim_packet(session_id: int) -> bool:
    """The automatic packet DM, once per session."""
    return (
        await MockSession.filter(id=session_id, packet_status=None).update(packet_status="claimed")
        > 0
    )


async def mark_packet(session_id: int, status: str) -> None:
    await MockSession.filter(id=session_id).update(packet_status=status)


# -- feedback ------------------------------------------------------------------------------
def parse_scores(text: str, dimensions: int, low: int, high: int) -> list[int]:
    """``"3 4 2 3"``, ``"3,4,2,3"`` or ``"3423"``: one score per rubric dimension."""
    digits = re.findall(r"\d+", text)
    if len(digits) == 1 and len(digits[0]) == dimensions:
        digits = list(digits[0])
    scores = [int(d) for d in digits]
    if len(scores) != dimensions or any(not low <= s <= high for s in scores):
        raise UserFacingError(
            f"Scores: give {dimensions} numbers from {low} to {high}, in the rubric's order "
            f"(e.g. `{' '.join(str(min(high, low + 2)) for _ in range(dimensions))}`)."
        )
    return scores


@dataclass(frozen=True)
class FeedbackInput:
    scores: list[int]
    verdict: str
    notes: str
    mistakes: str | None
    advice: str | None


def check_feedback(
    scores: str,
    verdict: str,
    notes: str,
    mistakes: str | None,
    advice: str | None,
    dimensions: int,
    low: int,
    high: int,
) -> FeedbackInput:
    return FeedbackInput(
        scores=parse_scores(scores, dimensions, low, high),
        verdict=rules.choice("verdict", verdict, rules.RATINGS),
        notes=rules.clean_text("notes", notes, rules.MAX_NOTES, required=True),
        mistakes=rules.clean_text("mistakes", mistakes, rules.MAX_NOTES) or None,
        advice=rules.clean_text("advice", advice, rules.MAX_NOTES) or None,
    )


async def feedback_allowed(session_id: int, user_id: int, now: datetime) -> MockSession:
    """The session, if ``user_id`` may give its feedback now (else a clear error)."""
    session = await load_session(session_id)
    if session is None:
        raise UserFacingError(GONE)
    if session.interviewer.user_id != user_id:
        if session.interviewee.user_id == user_id:
            raise UserFacingError("Your interviewer gives the feedback for this session.")
        raise UserFacingError(NOT_YOURS)
    if (done := _settled(session)) is not None:
        raise UserFacingError(done.message)
    if session.status != SessionStatus.CONFIRMED or session.starts_at is None:
        raise UserFacingError("Confirm a time first — feedback opens when the session starts.")
    if session.starts_at > now:
        raise UserFacingError(
            f"The session starts <t:{int(session.starts_at.timestamp())}:R> — feedback opens then."
        )
    return session


async def interviewee_context(
    session: MockSession, curriculum: Curriculum, now: datetime
) -> MemberContext:
    guild_id = session.interviewee.guild.guild_id
    try:
        return await member_context(guild_id, session.interviewee.user_id, curriculum, now)
    except UserFacingError:
        raise UserFacingError(
            "Your partner has left the cohort, so the feedback can't be logged for them."
        ) from None


async def record_feedback(
    session_id: int, user_id: int, data: FeedbackInput, curriculum: Curriculum, now: datetime
) -> tuple[MockSession, Entry]:
    """Store the feedback as the interviewee's ``/mock`` entry (platform peer) and close
    the session, together; a second submission changes nothing."""
    session = await feedback_allowed(session_id, user_id, now)
    ctx = await interviewee_context(session, curriculum, now)
    assert session.starts_at is not None
    day = local_date(session.starts_at, ctx.zone)
    when = day.isoformat() if ctx.today - day <= timedelta(days=rules.MAX_BACKDATE_DAYS) else None
    # The session is closed first (one conditional UPDATE: a second submission stops here),
    # then the entry is logged; if logging fails the session is opened again.
    changed = await MockSession.filter(id=session.id, status=SessionStatus.CONFIRMED).update(
        status=SessionStatus.DONE,
        scores=",".join(str(s) for s in data.scores),
        verdict=data.verdict,
        mistakes=data.mistakes,
        advice=data.advice,
        closed_at=now,
    )
    if not changed:
        raise UserFacingError("Feedback for this session was already given.")
    try:
        logged = await log_mock(
            ctx, session.pair.kind, data.verdict, platform="peer", notes=data.notes, when=when
        )
    except BaseException:
        await MockSession.filter(id=session.id, status=SessionStatus.DONE, feedback_id=None).update(
            status=SessionStatus.CONFIRMED, scores=None, verdict=None, closed_at=None
        )
        raise
    await MockSession.filter(id=session.id).update(feedback_id=logged.entry.id)
    # Both showed up: their no-show counts start again.
    await MockProfile.filter(member_id__in=[session.interviewer.id, session.interviewee.id]).update(
        no_show_streak=0
    )
    await session.refresh_from_db()
    return session, logged.entry


_oops_locks: dict[int, asyncio.Lock] = {}
OOPS_LESSON = "From peer mock feedback — practise this before the next interview."


async def add_to_oops(
    session_id: int, user_id: int, curriculum: Curriculum, now: datetime
) -> Outcome:
    """The interviewee's one click: the interviewer's mistakes become an Oops entry."""
    session = await load_session(session_id)
    if session is None:
        return Outcome(False, GONE, closed=True)
    if session.interviewee.user_id != user_id:
        return Outcome(
            False, "Only the member who was interviewed can add these to their Oops List."
        )
    if not session.mistakes:
        return Outcome(False, "This feedback names no mistakes to add.", closed=True)
    if session.oops_id is not None:  # type: ignore[attr-defined]
        return Outcome(False, "Already in your Oops List ✅", closed=True)
    ctx = await interviewee_context(session, curriculum, now)
    lock = _oops_locks.setdefault(session.id, asyncio.Lock())
    async with lock:  # a double click adds one entry
        fresh = await MockSession.get_or_none(id=session.id)
        if fresh is None or fresh.oops_id is not None:  # type: ignore[attr-defined]
            return Outcome(False, "Already in your Oops List ✅", closed=True)
        what = f"Peer mock ({KINDS.get(session.pair.kind, '')}): {session.mistakes}"
        logged = await log_oops(
            ctx, curriculum, what[: rules.MAX_NOTES], session.advice or OOPS_LESSON
        )
        await MockSession.filter(id=session.id).update(oops_id=logged.entry.id)
    if len(_oops_locks) > 10_000:
        _oops_locks.clear()
    return Outcome(
        True, "Added to your Oops List 🙈 — it comes back for review in 1, 3, 7 and 21 days."
    )


# -- no-shows ------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoShow:
    outcome: Outcome
    absent: Member | None = None
    sits_out: bool = False  # the absent member is left out of the next matching


async def report_no_show(session_id: int, user_id: int, now: datetime) -> NoShow:
    session = await load_session(session_id)
    if session is None:
        return NoShow(Outcome(False, GONE, closed=True))
    me = _role(session, user_id)
    if me is None:
        return NoShow(Outcome(False, NOT_YOURS))
    if (done := _settled(session)) is not None:
        return NoShow(done)
    if session.status == SessionStatus.CONFIRMED:
        assert session.starts_at is not None
        if now < session.starts_at + NO_SHOW_GRACE:
            return NoShow(
                Outcome(
                    False,
                    "You can report a no-show from 10 minutes after the start "
                    f"(<t:{int((session.starts_at + NO_SHOW_GRACE).timestamp())}:R>).",
                )
            )
    elif now < session.created_at + GHOSTED_AFTER:
        return NoShow(
            Outcome(
                False,
                "Give your partner a few days to answer — you can report them if they haven't "
                f"replied <t:{int((session.created_at + GHOSTED_AFTER).timestamp())}:R>.",
            )
        )
    absent = _other(session, me)
    async with in_transaction():
        changed = await MockSession.filter(id=session.id, status__in=list(ACTIVE)).update(
            status=SessionStatus.NO_SHOW, no_show_id=absent.id, closed_at=now
        )
        if not changed:
            return NoShow(Outcome(False, "This session changed meanwhile — look again."))
        profile = await MockProfile.filter(member_id=absent.id).select_for_update().first()
        sits_out = False
        if profile is not None:
            streak = profile.no_show_streak + 1
            sits_out = streak >= NO_SHOWS_TO_SIT_OUT
            await MockProfile.filter(id=profile.id).update(
                no_show_streak=streak, sit_out=profile.sit_out or sits_out
            )
    return NoShow(Outcome(True, "reported"), absent, sits_out)


# -- reminders and closing -----------------------------------------------------------------
async def claim_reminders(
    now: datetime, owns: Callable[[int], bool] = lambda _: True, limit: int = 100
) -> list[MockSession]:
    """Due reminders (and claims whose sender vanished) in guilds ``owns`` accepts, each
    won by one caller."""
    rows = (
        await MockSession.filter(
            Q(reminder_status="scheduled", reminder_at__lte=now)
            | Q(reminder_status="claimed", reminder_claimed_at__lt=now - STALE_CLAIM),
            status=SessionStatus.CONFIRMED,
        )
        .order_by("reminder_at")
        .limit(limit)
        .select_related("pair__round__cohort__guild")
    )
    won = []
    for row in rows:
        if not owns(row.pair.round.cohort.guild.guild_id):
            continue
        if await MockSession.filter(
            id=row.id,
            reminder_status=row.reminder_status,
            reminder_claimed_at=row.reminder_claimed_at,
        ).update(reminder_status="claimed", reminder_claimed_at=now):
            won.append(row.id)
    if not won:
        return []
    return (
        await MockSession.filter(id__in=won)
        .select_related("interviewer", "interviewee", "pair__round__cohort__guild")
        .order_by("reminder_at")
    )


async def mark_reminded(session_id: int, status: str = "sent") -> None:
    await MockSession.filter(id=session_id).update(reminder_status=status)


async def close_stale(now: datetime) -> int:
    """Close quietly what nobody finished: unconfirmed sessions a week after pairing,
    confirmed ones a week after their start."""
    cutoff = now - CLOSE_AFTER
    unconfirmed = await MockSession.filter(
        status__in=[SessionStatus.OPEN, SessionStatus.PROPOSED], created_at__lte=cutoff
    ).update(status=SessionStatus.EXPIRED, closed_at=now)
    confirmed = await MockSession.filter(
        status=SessionStatus.CONFIRMED, starts_at__lte=cutoff
    ).update(status=SessionStatus.EXPIRED, closed_at=now)
    return unconfirmed + confirmed


# -- reading -------------------------------------------------------------------------------
async def open_sessions(member_id: int, limit: int = 6) -> list[MockSession]:
    """The member's sessions still waiting for a time, a confirmation or feedback."""
    return (
        await MockSession.filter(
            Q(interviewer_id=member_id) | Q(interviewee_id=member_id),
            status__in=list(ACTIVE),
        )
        .order_by("-id")
        .limit(limit)
        .select_related("interviewer", "interviewee", "pair")
    )


@dataclass(frozen=True)
class HistoryView:
    given: int
    received: int
    no_shows: int  # sessions this member was reported absent from
    verdicts: list[str]  # received verdicts, oldest first
    recent: list[MockSession]  # newest first, bounded


async def history_of(member_id: int, limit: int = 10) -> HistoryView:
    mine = Q(interviewer_id=member_id) | Q(interviewee_id=member_id)
    done = (
        await MockSession.filter(status=SessionStatus.DONE)
        .filter(mine)
        .values_list("interviewer_id", "interviewee_id", "verdict", "closed_at")
    )
    given = sum(1 for er, _, _, _ in done if er == member_id)
    received = sorted(
        ((at, v) for _, ee, v, at in done if ee == member_id and v), key=lambda x: x[0]
    )
    no_shows = await MockSession.filter(no_show_id=member_id).count()
    recent = (
        await MockSession.filter(mine)
        .exclude(status__in=list(ACTIVE))
        .order_by("-id")
        .limit(limit)
        .select_related("interviewer", "interviewee", "pair")
    )
    return HistoryView(given, len(received), no_shows, [v for _, v in received], list(recent))


def overlap_of(pair: MockPair) -> list[Interval]:
    return decode(pair.overlap)
