"""Peer mock interviews: a session's life — a time proposed and confirmed, a no-show
reported, the reminder before the start, quiet closing, and the member's own lists.

Each state change is one conditional UPDATE (``open``/``proposed`` → ``confirmed`` →
``done``), so a double click or two members pressing at once change it once; the reminder is
claimed the same way and sent exactly once. Feedback (which closes a session as ``done``) is
:mod:`bot.mocks.feedback`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.mocks.models import MockProfile, MockSession, SessionStatus
from bot.models import Member

STALE_CLAIM = timedelta(minutes=10)  # a claim whose sender vanished is taken over after this
CLOSE_AFTER = timedelta(days=7)  # a session with no result closes quietly after this
REMINDER_BEFORE = timedelta(minutes=15)
NO_SHOWS_TO_SIT_OUT = 2
GHOSTED_AFTER = timedelta(hours=72)  # an unanswered pairing may be reported after this
NO_SHOW_GRACE = timedelta(minutes=10)  # a confirmed session may be reported this long after
MAX_AHEAD = timedelta(days=14)  # the latest a session may be proposed
ACTIVE = (SessionStatus.OPEN, SessionStatus.PROPOSED, SessionStatus.CONFIRMED)


@dataclass(frozen=True)
class Outcome:
    """A member-facing answer to a button press."""

    ok: bool
    message: str
    closed: bool = False  # not ok, but settled: the buttons can go away


# -- state changes -------------------------------------------------------------------------
# What a session's card and controls read (bot.mocks.ui.card), loaded with the session.
CARD_RELATIONS = ("interviewer__guild", "interviewee__guild", "pair__round__cohort")


async def load_session(session_id: int) -> MockSession | None:
    return await MockSession.get_or_none(id=session_id).select_related(*CARD_RELATIONS)


def _role(session: MockSession, user_id: int) -> Member | None:
    for m in (session.interviewer, session.interviewee):
        if m.user_id == user_id:
            return m
    return None


def _other(session: MockSession, member: Member) -> Member:
    return session.interviewee if member.id == session.interviewer.id else session.interviewer


NOT_YOURS = "This peer mock belongs to two other members."
GONE = "That session no longer exists."


def settled(session: MockSession) -> Outcome | None:
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
    if (done := settled(session)) is not None:
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
    if (done := settled(session)) is not None:
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


@dataclass(frozen=True)
class Reopened:
    outcome: Outcome
    session: MockSession | None = None
    event_id: int | None = None  # the scheduled event of the time given up, to delete


async def reschedule(session_id: int, user_id: int, now: datetime) -> Reopened:
    """Give up a confirmed time before it starts (either partner): the session is open
    again for a new proposal, its reminder is off and its scheduled event is to be deleted.
    The packet already sent stays valid (the same problem)."""
    session = await load_session(session_id)
    if session is None:
        return Reopened(Outcome(False, GONE, closed=True))
    me = _role(session, user_id)
    if me is None:
        return Reopened(Outcome(False, NOT_YOURS))
    if (done := settled(session)) is not None:
        return Reopened(done)
    if session.status != SessionStatus.CONFIRMED or session.starts_at is None:
        return Reopened(Outcome(False, "No time is confirmed yet — propose one on the card."))
    if now >= session.starts_at:
        return Reopened(
            Outcome(
                False,
                "This session has started — give feedback after it, or report a no-show "
                "if your partner didn't come.",
            )
        )
    changed = await MockSession.filter(
        id=session.id, status=SessionStatus.CONFIRMED, starts_at=session.starts_at
    ).update(
        status=SessionStatus.OPEN,
        proposed_at=None,
        proposed_by=None,
        starts_at=None,
        reminder_at=None,
        reminder_status=None,
        reminder_claimed_at=None,
        event_id=None,
    )
    if not changed:
        return Reopened(Outcome(False, "This session changed meanwhile — look again."))
    fresh = await load_session(session.id)
    return Reopened(Outcome(True, "reopened"), fresh, session.event_id)


async def set_event(session_id: int, event_id: int) -> None:
    await MockSession.filter(id=session_id).update(event_id=event_id)


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
    if (done := settled(session)) is not None:
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
    """The member's sessions still waiting for a time, a confirmation or feedback (with
    what their cards read)."""
    return (
        await MockSession.filter(
            Q(interviewer_id=member_id) | Q(interviewee_id=member_id),
            status__in=list(ACTIVE),
        )
        .order_by("-id")
        .limit(limit)
        .select_related(*CARD_RELATIONS)
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
