"""Peer mocks end to end through simcord: opt in → weekly matching → private thread →
propose and confirm → packet → reminder → feedback form → mock entry → /milestones."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.core.clock import FixedClock
from bot.mocks.models import MockPair, MockProfile, MockRound, MockSession
from bot.models import Entry
from tests.helpers import reply_text
from tests.mocks.conftest import MONDAY_W6, MONDAY_W16, World


def _card(world: World, number: int) -> Any:
    return next(
        m for m in world.thread().history() if f"**Session {number} of 2" in (m.content or "")
    )


def _now(channel: Any, message: Any) -> Any:
    return next(m for m in channel.history() if m.id == message.id)


async def test_opt_in_saves_kinds_and_windows(pair_world: World) -> None:
    profile = await MockProfile.get(member_id=pair_world.member("bob").id)
    assert profile.kinds == "dsa,behavioral" and profile.windows == "wd-lunch"
    assert profile.status == "active"


async def test_matching_waits_for_its_time_then_runs_once(
    pair_world: World, clock: FixedClock
) -> None:
    report = await pair_world.runner().run_due()  # Monday 07:00 Berlin: not yet
    assert report.rounds == 0 and await MockRound.all().count() == 0

    clock.set(MONDAY_W6)
    first = await pair_world.runner().run_due()
    second = await pair_world.runner().run_due()

    assert (first.rounds, first.pairs_posted, first.threads) == (1, 1, 1)
    assert (second.rounds, second.pairs_posted) == (0, 0)
    pair = await MockPair.get()
    assert pair.kind == "dsa"  # the one kind they share
    assert await MockSession.filter(pair=pair).count() == 2


async def test_the_thread_shows_both_zones_and_mentions_both(
    pair_world: World, clock: FixedClock
) -> None:
    clock.set(MONDAY_W6)
    await pair_world.runner().run_due()

    thread = pair_world.thread()
    intro = thread.history()[0]
    alice, bob = pair_world.actor("alice"), pair_world.actor("bob")
    assert f"<@{alice.id}>" in intro.content and f"<@{bob.id}>" in intro.content
    # the same instants, each in their own zone: 18:00–20:00 Berlin, 12:00–14:00 New York
    assert "alice (Europe/Berlin): Mon 8 Feb 18:00–20:00" in intro.content
    assert "bob (America/New_York): Mon 8 Feb 12:00–14:00" in intro.content
    announce = [m for m in pair_world.channel.history() if "Peer mocks this week" in m.content]
    assert len(announce) == 1 and "1 pair matched" in announce[0].content


async def test_full_session_to_milestones(pair_world: World, clock: FixedClock) -> None:
    world = pair_world
    alice, bob = world.actor("alice"), world.actor("bob")
    channel = world.channel
    clock.set(MONDAY_W16 - timedelta(hours=1))
    for number in ("133", "547", "200"):  # bob solved three week-12 problems
        await bob.slash(channel, "solve", problem=number, minutes=20)
    clock.set(MONDAY_W16)
    await world.runner().run_due()
    session = await MockSession.get(number=1).select_related("interviewer", "interviewee")
    interviewer = alice if session.interviewer.user_id == alice.id else bob
    interviewee = bob if interviewer is alice else alice

    # propose Tuesday 16:00 UTC (18:00 Berlin, 12:00 New York), then the other confirms
    card = _card(world, 1)
    options = card.components[0].children[0].options
    tuesday = next(o for o in options if o.label.startswith("Tue 20 Apr · 18:00"))
    assert "12:00 New York" in tuesday.label
    await interviewer.select(card, [tuesday.value])
    card = _now(world.thread(), card)
    assert "proposed" in card.content
    await interviewee.click(card, label="Confirm ✅")

    session = await MockSession.get(id=session.id)
    assert session.status == "confirmed" and session.starts_at is not None
    assert session.starts_at.isoformat() == "2027-04-20T16:00:00+00:00"
    assert session.event_id is not None  # a scheduled event in the server
    packets = world.dms("alice" if interviewer is alice else "bob", "interviewer packet")
    assert len(packets) == 1
    packet = "\n".join(f"{f.name}: {f.value}" for e in packets[0].embeds for f in e.fields)
    assert "Hints if they're stuck" in packet and "Follow-up question" in packet
    assert "Problem solving" in packet and "Strong Hire" in packet
    # the interviewee's latest pattern (week 12 graphs), never one they solved
    assert session.topic not in (None, "133", "547", "200")

    # the reminder, 15 minutes before, exactly once
    clock.set(session.starts_at - timedelta(minutes=14))
    assert (await world.runner().run_due()).reminders == 1
    assert (await world.runner().run_due()).reminders == 0
    for who in ("alice", "bob"):
        assert len(world.dms(who, "⏰ Your peer mock")) == 1

    # after the session: the feedback form
    clock.set(session.starts_at + timedelta(minutes=50))
    card = _now(world.thread(), _card(world, 1))
    shown = await interviewer.click(card, label="Give feedback")
    assert shown.modal is not None and len(shown.modal["components"]) == 5
    await interviewer.submit_modal(
        shown,
        {
            "scores": "4 3 3 4",
            "verdict": ["strong_hire"],
            "notes": "Clear plan, clean code.",
            "mistakes": "Forgot the empty input at first",
            "advice": "Say the edge cases before coding",
        },
    )
    entry = await Entry.get(kind="mock")
    assert entry.member_id == session.interviewee_id  # type: ignore[attr-defined]
    assert (entry.mock_kind, entry.rating, entry.platform) == ("dsa", "strong_hire", "peer")
    assert entry.text == "Clear plan, clean code."
    assert (await MockSession.get(id=session.id)).status == "done"

    # the interviewee's DM, and the Oops List in one click
    name = "bob" if interviewee is bob else "alice"
    (feedback,) = world.dms(name, "Feedback from")
    await interviewee.user.click(feedback, label="Add the mistakes to my Oops List")
    oops = await Entry.get(kind="oops")
    assert "Forgot the empty input" in (oops.text or "")
    assert oops.lesson == "Say the edge cases before coding"

    # /milestones counts it like a typed /mock
    result = await interviewee.slash(channel, "milestones")
    assert "≥ 5 mock interviews total — **1**" in reply_text(result)
