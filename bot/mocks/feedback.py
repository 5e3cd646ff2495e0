"""Peer mock interviews: the interviewer's feedback and what it becomes.

Feedback is written through :func:`bot.services.logbook.log_mock` for the interviewee
(platform "peer"), together with the session's ``done``: it counts for the milestones
exactly like a typed ``/mock``. The interviewer's mistakes become an Oops entry in one click
of the interviewee.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core import entries as rules
from bot.core.calendar import local_date
from bot.errors import UserFacingError
from bot.mocks.models import MockProfile, MockSession, SessionStatus
from bot.mocks.profiles import KINDS
from bot.mocks.sessions import GONE, NOT_YOURS, Outcome, load_session, settled
from bot.models import Entry
from bot.services.logbook import log_mock, log_oops
from bot.services.progress import MemberContext, member_context
from curriculum.loader import Curriculum


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
    if (done := settled(session)) is not None:
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
