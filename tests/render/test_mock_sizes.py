"""Every peer-mock message fits Discord: the pair's intro with the most shared windows and
hostile names in long zone names, every session card, both reminders, the feedback DM with
every field at its form's maximum, and ``/mocks history`` at its bound.

Cards and intros go out as raw message text (threads and DMs), so each must fit one message.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.entries import RATINGS
from bot.core.mock_windows import Interval
from bot.mocks.models import MockPair, MockSession, SessionStatus
from bot.mocks.render import (
    MAX_SPANS,
    feedback_report,
    history_report,
    intro_text,
    reminder_text,
    session_card,
)
from bot.mocks.sessions import HistoryView, history_of
from bot.models import Member
from bot.render.fit import CONTENT_MAX, OutMessage, fit, size, text_messages, violations
from curriculum.loader import Curriculum
from tests.render.test_report_sizes import NOTE, long_name

T0 = datetime(2027, 2, 8, 22, 30, tzinfo=UTC)
ZONES = (ZoneInfo("America/Argentina/ComodRivadavia"), ZoneInfo("Antarctica/DumontDUrville"))
HISTORY_LIMIT = inspect.signature(history_of).parameters["limit"].default


def _one_message(text: str) -> None:
    assert size(text) <= CONTENT_MAX
    (message,) = text_messages(text)
    assert violations(message) == []


def _member(i: int) -> Member:
    return Member(id=i + 1, user_id=2**63 - 1 - i, display_name=long_name(i))


def _session(i: int, status: SessionStatus, kind: str = "system_design") -> MockSession:
    er, ee = _member(2 * i), _member(2 * i + 1)
    session = MockSession(
        id=10**6 + i,
        number=1 + i % 2,
        status=status.value,
        proposed_at=T0,
        proposed_by=ee.id,
        starts_at=T0,
        verdict="strong_hire",
        scores="4,4,4,4,4,4,4,4",
        mistakes=NOTE[:400],
        advice=NOTE,
        created_at=T0,
        event_id=2**63 - 1,
    )
    session.pair = MockPair(id=i + 1, kind=kind)
    session.interviewer, session.interviewee = er, ee
    return session


async def test_the_intro_fits_with_every_window_and_a_dm_note(db: str) -> None:
    overlap = [
        Interval(T0 + timedelta(hours=25 * k), T0 + timedelta(hours=25 * k + 3)) for k in range(60)
    ]
    note = "_(We're meeting in DMs: " + "Discord refused a private thread in #" + "x" * 100 + ")_"
    for kind in ("dsa", "system_design", "behavioral"):
        for mention in (True, False):
            text = intro_text(
                _member(0),
                _member(1),
                ZONES,
                kind,
                overlap,
                mention=mention,
                note=None if mention else note,
            )
            _one_message(text)
            assert f"and {len(overlap) - MAX_SPANS} more" in text  # the windows are bounded


async def test_every_card_and_reminder_fits(db: str) -> None:
    for i, status in enumerate(SessionStatus):
        session = _session(i, status)
        for event in (True, False):
            _one_message(session_card(session, event=event))
        if session.starts_at is not None:
            for for_interviewer in (True, False):
                _one_message(reminder_text(session, for_interviewer))


async def test_feedback_at_the_forms_maximum_fits(db: str, curriculum: Curriculum) -> None:
    for kind in ("dsa", "system_design", "behavioral"):
        session = _session(1, SessionStatus.DONE, kind)
        messages = fit(feedback_report(session, NOTE, curriculum.mocks))
        assert len(messages) == 1 and violations(messages[0]) == []


async def test_mocks_history_at_its_bound_fits(db: str) -> None:
    recent = [_session(i, SessionStatus.DONE) for i in range(HISTORY_LIMIT)]
    verdicts = [list(RATINGS)[i % len(RATINGS)] for i in range(500)]
    seen = HistoryView(500, 500, 99, verdicts, recent)
    messages: list[OutMessage] = fit(history_report(seen, recent[0].interviewer))
    assert len(messages) == 1 and violations(messages[0]) == []
    text = "\n".join(f.value or "" for e in messages[0].embeds for f in e.fields)
    assert text.count("\n") >= HISTORY_LIMIT  # every recent session has its line
    assert "(492 earlier ones)" in text  # the verdict trend is bounded too
