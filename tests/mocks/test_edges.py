"""Peer mocks when things go sideways: a restart in between, a member who left the server,
closed DMs, no permission to open private threads or create events, no-shows, stale
sessions, the wrong member pressing a button, and the admin setting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import discord
import pytest

from bot.core.clock import FixedClock
from bot.mocks.models import MockPair, MockProfile, MockRound, MockSession, MockSettings
from bot.mocks.sessions import NOT_YOURS
from bot.models import Entry
from tests.helpers import expect_errors, join, make_cohort
from tests.mocks.conftest import MONDAY_W6, World, make_world, opt_in, restart


def _card(messages: list[Any], number: int) -> Any:
    return next(m for m in messages if f"**Session {number} of 2" in (m.content or ""))


def _fresh(channel: Any, message: Any) -> Any:
    return next(m for m in channel.history() if m.id == message.id)


def _first_option(card: Any) -> str:
    value: str = card.components[0].children[0].options[0].value
    return value


async def _roles(world: World, number: int = 1) -> tuple[Any, Any, MockSession]:
    session = await MockSession.get(number=number).select_related("interviewer")
    alice, bob = world.actor("alice"), world.actor("bob")
    er = alice if session.interviewer.user_id == alice.id else bob
    return er, (bob if er is alice else alice), session


async def _confirmed(world: World, clock: FixedClock) -> tuple[Any, Any, MockSession]:
    """Matched, session 1 proposed by its interviewer and confirmed by the other."""
    clock.set(MONDAY_W6)
    await world.runner().run_due()
    er, ee, session = await _roles(world)
    card = _card(world.thread().history(), 1)
    await er.select(card, [_first_option(card)])
    await ee.click(_fresh(world.thread(), card), label="Confirm ✅")
    return er, ee, await MockSession.get(id=session.id)


async def test_a_restart_between_steps_keeps_buttons_working_and_sends_nothing_twice(
    pair_world: World, simcord_env: Any, clock: FixedClock
) -> None:
    world = pair_world
    clock.set(MONDAY_W6)
    await world.runner().run_due()
    er, ee, session = await _roles(world)
    card = _card(world.thread().history(), 1)
    await er.select(card, [_first_option(card)])

    await restart(simcord_env, clock)
    again = await world.runner().run_due()  # a new process: the round is claimed already
    assert (again.rounds, again.pairs_posted) == (0, 0)
    await ee.click(_fresh(world.thread(), card), label="Confirm ✅")
    session = await MockSession.get(id=session.id)
    assert session.status == "confirmed"

    await restart(simcord_env, clock)
    assert session.starts_at is not None
    clock.set(session.starts_at - timedelta(minutes=10))
    assert (await world.runner().run_due()).reminders == 1
    await restart(simcord_env, clock)
    assert (await world.runner().run_due()).reminders == 0
    clock.set(session.starts_at + timedelta(hours=1))
    shown = await er.click(_fresh(world.thread(), card), label="Give feedback")
    await er.submit_modal(shown, {"scores": "3333", "verdict": ["hire"], "notes": "Solid."})
    assert await Entry.filter(kind="mock").count() == 1
    assert len(world.channel.threads) == 1
    assert len([m for m in world.channel.history() if "Peer mocks this week" in m.content]) == 1
    name = "alice" if er is world.actor("alice") else "bob"
    assert len(world.dms(name, "interviewer packet")) == 1
    for who in ("alice", "bob"):
        assert len(world.dms(who, "⏰ Your peer mock")) == 1


async def test_a_feedback_form_opened_before_a_restart_still_counts(
    pair_world: World, simcord_env: Any, clock: FixedClock
) -> None:
    """discord.py forgets open forms when the bot restarts; the feedback form (up to 1,400
    characters typed) is answered from its custom id, so it still counts, once."""
    world = pair_world
    er, ee, session = await _confirmed(world, clock)
    assert session.starts_at is not None
    clock.set(session.starts_at + timedelta(hours=1))
    card = _fresh(world.thread(), _card(world.thread().history(), 1))
    shown = await er.click(card, label="Give feedback")
    await restart(simcord_env, clock)
    values = {"scores": "3 4 3 4", "verdict": ["hire"], "notes": "Good pace.", "mistakes": "x"}
    sent = await er.submit_modal(shown, values)
    assert "Thanks! ✅ Logged" in sent.followups[0].content
    entry = await Entry.get(kind="mock")
    interviewee: int = session.interviewee_id  # type: ignore[attr-defined]
    assert (entry.member_id, entry.rating) == (interviewee, "hire")  # type: ignore[attr-defined]
    assert "🏁 Done" in _fresh(world.thread(), card).content
    assert await Entry.filter(kind="mock").count() == 1


async def test_a_member_who_left_the_server_cancels_the_pair(
    pair_world: World, clock: FixedClock
) -> None:
    world = pair_world
    world.guild.remove_member(world.actor("bob"))
    clock.set(MONDAY_W6)

    report = await world.runner().run_due()

    assert report.cancelled == 1 and world.channel.threads == []
    assert (await MockPair.get()).status == "cancelled"
    assert {s.status for s in await MockSession.all()} == {"expired"}
    (note,) = world.dms("alice", "has left the server")
    assert "first in line" in note.content
    alice = await MockProfile.get(member_id=world.member("alice").id)
    bob = await MockProfile.get(member_id=world.member("bob").id)
    assert (alice.waited, bob.status) == (1, "left")


async def test_closed_dms_fall_back_to_the_thread(
    pair_world: World, simcord_env: Any, clock: FixedClock
) -> None:
    world = pair_world
    clock.set(MONDAY_W6)
    await world.runner().run_due()
    er, ee, session = await _roles(world)
    dm = er.user.dm_channel
    simcord_env.inject_error(
        "POST", f"/channels/{dm.id}/messages", status=403, code=50007, times=None
    )
    card = _card(world.thread().history(), 1)
    await er.select(card, [_first_option(card)])
    await ee.click(_fresh(world.thread(), card), label="Confirm ✅")

    notes = [m for m in world.thread().history() if "couldn't DM you your interviewer" in m.content]
    assert len(notes) == 1 and f"<@{er.id}>" in notes[0].content
    assert (await MockSession.get(id=session.id)).packet_status == "failed"
    pressed = await er.click(_fresh(world.thread(), card), label="My packet 📬")
    assert "couldn't DM you" in pressed.response.content
    session = await MockSession.get(id=session.id)
    assert session.starts_at is not None
    clock.set(session.starts_at - timedelta(minutes=14))
    await world.runner().run_due()
    reminders = [m for m in world.thread().history() if "⏰ Your peer mock" in m.content]
    assert len(reminders) == 1 and f"<@{er.id}>" in reminders[0].content
    assert len(world.dms("alice" if ee is world.actor("alice") else "bob", "⏰")) == 1


async def test_without_private_thread_permission_the_pair_meets_in_dms(
    simcord_env: Any, simcord_bot: Any, clock: FixedClock
) -> None:
    world = await make_world(
        simcord_env,
        clock,
        {"alice": None, "bob": "America/New_York"},
        bot_denied=discord.PermissionOverwrite(create_private_threads=False),
    )
    await opt_in(world.actor("alice"), world.channel, ["wd-evening"], ["dsa"])
    await opt_in(world.actor("bob"), world.channel, ["wd-lunch"], ["dsa"])
    clock.set(MONDAY_W6)

    report = await world.runner().run_due()

    assert (report.threads, report.dm_pairs) == (0, 1) and world.channel.threads == []
    (announce,) = [m for m in world.channel.history() if "Peer mocks this week" in m.content]
    assert "Create Private Threads" in announce.content
    intros = world.dms("alice", "Peer mock interviews this week")
    assert len(intros) == 1 and "Create Private Threads" in intros[0].content
    assert "bob (America/New_York): Mon 8 Feb 12:00–14:00" in intros[0].content
    # the controls work in DMs: alice proposes in hers, bob confirms from his
    er, ee, session = await _roles(world)
    er_dms, ee_dms = er.user.dm_channel, ee.user.dm_channel
    card = _card(er_dms.history(), 1)
    await er.user.select(card, [_first_option(card)])
    proposal = [m for m in ee_dms.history() if "proposed" in m.content][-1]
    await ee.user.click(proposal, label="Confirm ✅")
    assert (await MockSession.get(id=session.id)).status == "confirmed"


async def test_without_event_permission_the_reminder_still_comes(
    pair_world: World, simcord_env: Any, clock: FixedClock
) -> None:
    simcord_env.inject_error(
        "POST", "/guilds/*/scheduled-events", status=403, code=50013, times=None
    )
    _, _, session = await _confirmed(pair_world, clock)
    assert session.status == "confirmed" and session.event_id is None
    assert session.starts_at is not None
    clock.set(session.starts_at - timedelta(minutes=15))
    assert (await pair_world.runner().run_due()).reminders == 1


async def test_confirm_answers_before_the_slow_scheduled_event(
    pair_world: World, simcord_env: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Creating the scheduled event is an HTTP call that may be slow (rate limits): the
    press is answered first, within Discord's 3 seconds, and the card updated after."""
    create = discord.Guild.create_scheduled_event

    async def slow(self: discord.Guild, **kwargs: Any) -> Any:
        simcord_env.backend.clock.advance(4)  # Discord's clock moves on meanwhile
        return await create(self, **kwargs)

    monkeypatch.setattr(discord.Guild, "create_scheduled_event", slow)
    _, _, session = await _confirmed(pair_world, clock)
    assert session.status == "confirmed" and session.event_id is not None
    card = _card(pair_world.thread().history(), 1)
    assert "✅ Confirmed for" in card.content and "in the server's events too" in card.content


async def test_only_the_interviewer_gives_feedback_and_sees_the_packet(
    pair_world: World, clock: FixedClock
) -> None:
    er, ee, session = await _confirmed(pair_world, clock)
    card = _fresh(pair_world.thread(), _card(pair_world.thread().history(), 1))
    assert session.starts_at is not None
    early = await er.click(card, label="Give feedback")
    assert early.modal is None and "feedback opens then" in early.response.content
    clock.set(session.starts_at + timedelta(minutes=45))
    refused = await ee.click(card, label="Give feedback")
    assert (
        refused.modal is None and "Your interviewer gives the feedback" in refused.response.content
    )
    peek = await ee.click(card, label="My packet 📬")
    assert "no peeking" in peek.response.content
    # a bad score keeps what was typed for a retry, and saves nothing
    shown = await er.click(card, label="Give feedback")
    bad = await er.submit_modal(shown, {"scores": "5 5", "verdict": ["hire"], "notes": "ok"})
    assert "give 4 numbers from 1 to 4" in bad.response.content
    assert await Entry.filter(kind="mock").count() == 0
    again = await er.click(bad.response, label="Try again")
    assert again.modal is not None
    await er.submit_modal(again, {"scores": "2 3 2 3", "verdict": ["lean_hire"], "notes": "ok"})
    assert (await Entry.get(kind="mock")).rating == "lean_hire"


async def test_feedback_checks_reward_roles_at_once_like_a_typed_mock(
    pair_world: World, simcord_bot: Any, clock: FixedClock
) -> None:
    er, _, session = await _confirmed(pair_world, clock)
    checked: list[int] = []

    async def on_entry_logged(member_id: int) -> None:
        checked.append(member_id)

    simcord_bot.add_listener(on_entry_logged)
    assert session.starts_at is not None
    clock.set(session.starts_at + timedelta(hours=1))
    card = _fresh(pair_world.thread(), _card(pair_world.thread().history(), 1))
    shown = await er.click(card, label="Give feedback")
    await er.submit_modal(shown, {"scores": "3333", "verdict": ["hire"], "notes": "Solid."})
    assert checked == [session.interviewee_id]  # type: ignore[attr-defined]


async def test_two_no_shows_in_a_row_sit_out_the_next_matching(
    pair_world: World, clock: FixedClock
) -> None:
    world = pair_world
    er, ee, session = await _confirmed(world, clock)
    assert session.starts_at is not None
    clock.set(session.starts_at + timedelta(minutes=20))
    card = _fresh(world.thread(), _card(world.thread().history(), 1))
    asked = await er.click(card, label="Report no-show")
    await er.click(asked.response, label="Report no-show")
    # session 2 was never answered: reported once its 72 hours are up
    card2 = _card(world.thread().history(), 2)
    await er.click(card2, label="Report no-show")  # too early: only explained
    clock.set(session.created_at + timedelta(hours=73))
    asked = await er.click(_fresh(world.thread(), card2), label="Report no-show")
    await er.click(asked.response, label="Report no-show")
    absent = await MockProfile.get(member__user_id=ee.id)
    assert (absent.no_show_streak, absent.sit_out) == (2, True)
    name = "alice" if ee is world.actor("alice") else "bob"
    told = world.dms(name, "reported as a no-show")
    assert len(told) == 2 and "sit out the next weekly matching" in told[1].content

    clock.set(MONDAY_W6 + timedelta(days=7))  # next Monday: only the other one is eligible
    await world.runner().run_due()
    assert await MockRound.filter().count() == 2 and await MockPair.all().count() == 1
    (why,) = world.dms(name, "sitting out this week's")
    assert "no-show twice in a row" in why.content
    absent = await MockProfile.get(id=absent.id)
    assert (absent.sit_out, absent.no_show_streak) == (False, 0)


async def test_a_no_show_report_is_answered_before_the_dm_goes_out(
    pair_world: World, simcord_env: Any, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telling the absent member (a DM, an edit of the card) may be slow: the confirmation
    is answered first, then they are told."""
    world = pair_world
    er, ee, session = await _confirmed(world, clock)
    assert session.starts_at is not None
    clock.set(session.starts_at + timedelta(minutes=20))
    send = discord.User.send

    async def slow(self: discord.User, *args: Any, **kwargs: Any) -> Any:
        simcord_env.backend.clock.advance(4)  # Discord's clock moves on meanwhile
        return await send(self, *args, **kwargs)

    monkeypatch.setattr(discord.User, "send", slow)
    card = _fresh(world.thread(), _card(world.thread().history(), 1))
    asked = await er.click(card, label="Report no-show")
    done = await er.click(asked.response, label="Report no-show")
    assert "Reported — thanks" in done.response.content
    name = "alice" if ee is world.actor("alice") else "bob"
    assert len(world.dms(name, "reported as a no-show")) == 1
    assert "a no-show was reported" in _fresh(world.thread(), card).content


async def test_unfinished_sessions_close_quietly_after_a_week(
    pair_world: World, clock: FixedClock
) -> None:
    world = pair_world
    clock.set(MONDAY_W6)
    await world.runner().run_due()
    before = len(world.thread().history())
    clock.set(MONDAY_W6 + timedelta(days=7, minutes=1))
    first_week = await MockSession.all().values_list("id", flat=True)
    report = await world.runner().run_due()  # also next week's matching: new sessions
    assert report.closed == 2
    closed = await MockSession.filter(id__in=list(first_week)).values_list("status", flat=True)
    assert set(closed) == {"expired"}
    (first_thread, _) = world.channel.threads
    assert len(first_thread.history()) == before  # quietly


async def test_one_cohorts_failing_matching_stops_nothing_else(
    pair_world: World, clock: FixedClock
) -> None:
    """A cohort whose matching fails (here a member's stored zone that no longer exists)
    is logged and retried later; the other cohorts are matched and posted all the same."""
    broken = await make_cohort(999_001, 999_002, name="broken")
    member = await join(broken, 999_003)
    member.timezone = "Mars/Olympus_Mons"
    await member.save()
    await MockProfile.create(member=member, kinds="dsa", windows="wd-evening", updated_at=clock())
    clock.set(MONDAY_W6)

    report = await pair_world.runner().run_due()

    assert (report.rounds, report.pairs_posted, report.threads) == (1, 1, 1)
    assert len(pair_world.channel.threads) == 1
    stuck = await MockRound.get(cohort_id=broken.id)
    assert stuck.status == "claimed"  # taken over once the claim is stale


async def test_status_pause_leave_and_history(pair_world: World, clock: FixedClock) -> None:
    world = pair_world
    alice = world.actor("alice")
    status = await alice.slash(world.channel, "mocks status")
    assert "Weekday evenings" in status.response.content
    assert "Next matching:" in status.response.content
    clock.set(MONDAY_W6)
    await world.runner().run_due()
    status = await alice.slash(world.channel, "mocks status")
    assert "**Open sessions:** 2" in status.response.content
    assert len(status.followups) == 2  # the cards, with their controls
    await alice.slash(world.channel, "mocks pause")
    assert (await MockProfile.get(member_id=world.member("alice").id)).status == "paused"
    await alice.slash(world.channel, "mocks leave")
    history = await alice.slash(world.channel, "mocks history")
    text = "\n".join(f.value for e in history.response.embeds for f in e.fields)
    assert "Given: **0** · received: **0**" in text


async def test_coach_mocks_needs_manage_server_and_moves_the_matching(
    pair_world: World, simcord_env: Any, clock: FixedClock
) -> None:
    world = pair_world
    synced = await simcord_env.bot.tree.fetch_commands()
    bob = world.actor("bob")
    world.guild.set_command_permissions(next(c for c in synced if c.name == "coach"), {bob: True})
    refused = await bob.slash(world.channel, "coach mocks", weekday="tue")
    assert "Manage Server" in refused.response.content
    expect_errors(simcord_env, discord.app_commands.MissingPermissions)
    assert await MockSettings.all().count() == 0

    admins = world.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    ada = world.guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    done = await ada.slash(world.channel, "coach mocks", weekday="tue", time="19:00")
    assert "Tuesdays at 19:00" in done.response.content
    clock.set(MONDAY_W6)
    assert (await world.runner().run_due()).rounds == 0  # not Monday any more
    clock.set(MONDAY_W6 + timedelta(days=1, hours=12))  # Tue 19:31 Berlin
    assert (await world.runner().run_due()).rounds == 1


async def test_a_confirmed_time_can_be_changed_before_it_starts(
    pair_world: World, simcord_env: Any, clock: FixedClock
) -> None:
    """Either partner may give up a confirmed time (after a confirmation step): the event is
    deleted, no reminder comes for the old time, the partner is told, and the card takes a
    new proposal that is confirmed as before — with a new event and its own reminder."""
    world = pair_world
    er, ee, session = await _confirmed(world, clock)
    old_start, old_event = session.starts_at, session.event_id
    assert old_start is not None and old_event is not None
    guild = simcord_env.backend.get_guild(world.channel.guild.id)
    assert old_event in guild.scheduled_events

    card = _fresh(world.thread(), _card(world.thread().history(), 1))
    asked = await ee.click(card, label="Change time 🔁")
    assert asked.ephemeral and "Give up the confirmed time" in asked.response.content
    assert (await MockSession.get(id=session.id)).status == "confirmed"  # not before yes
    done = await ee.click(asked.response, label="Change time")
    assert "is off" in done.response.content

    reopened = await MockSession.get(id=session.id)
    assert (reopened.status, reopened.starts_at, reopened.event_id) == ("open", None, None)
    assert reopened.reminder_status is None
    assert old_event not in guild.scheduled_events
    told = [m for m in world.thread().history() if "can't make" in (m.content or "")]
    assert len(told) == 1 and f"<@{er.id}>" in told[0].content
    card = _fresh(world.thread(), card)
    assert "Change time 🔁" not in str(card.components)

    clock.set(old_start - timedelta(minutes=15))  # the old reminder never comes
    assert (await world.runner().run_due()).reminders == 0

    await er.select(card, [_first_option(card)])
    await ee.click(_fresh(world.thread(), card), label="Confirm ✅")
    again = await MockSession.get(id=session.id)
    assert again.status == "confirmed" and again.event_id not in (None, old_event)
    assert len([m for m in world.thread().history() if "confirmed session 1" in m.content]) == 2
    assert again.starts_at is not None
    clock.set(again.starts_at - timedelta(minutes=15))
    assert (await world.runner().run_due()).reminders == 1


async def test_a_started_session_keeps_its_time(pair_world: World, clock: FixedClock) -> None:
    world = pair_world
    er, ee, session = await _confirmed(world, clock)
    card = _fresh(world.thread(), _card(world.thread().history(), 1))
    assert session.starts_at is not None
    clock.set(session.starts_at + timedelta(minutes=1))
    asked = await er.click(card, label="Change time 🔁")  # the card still has the button
    done = await er.click(asked.response, label="Change time")
    assert "has started" in done.response.content
    assert (await MockSession.get(id=session.id)).status == "confirmed"


async def test_a_third_member_can_press_nothing_on_a_pairs_card(
    simcord_env: Any, pair_world: World, clock: FixedClock
) -> None:
    """Someone who can see the pair's thread (a moderator) is not part of the session: every
    button refuses them and nothing changes."""
    world = pair_world
    mods = world.guild.create_role(
        "Mods", permissions=discord.Permissions(manage_threads=True, manage_guild=True)
    )
    carol = world.guild.add_member(simcord_env.create_user("carol"), roles=[mods])
    await join(world.cohort, carol.id)
    clock.set(MONDAY_W6)
    await world.runner().run_due()
    er, ee, session = await _roles(world)
    card = _card(world.thread().history(), 1)

    proposed = await carol.select(card, [_first_option(card)])  # propose a time
    (answer,) = proposed.followups  # the card is redrawn, the refusal comes privately
    assert answer.ephemeral and NOT_YOURS in answer.content
    assert (await MockSession.get(id=session.id)).status == "open"
    await er.select(card, [_first_option(card)])
    card = _fresh(world.thread(), card)
    refused = await carol.click(card, label="Confirm ✅")
    assert refused.ephemeral and NOT_YOURS in refused.response.content
    assert (await MockSession.get(id=session.id)).status == "proposed"

    await ee.click(card, label="Confirm ✅")
    confirmed = await MockSession.get(id=session.id)
    assert confirmed.status == "confirmed" and confirmed.starts_at is not None
    card = _fresh(world.thread(), card)
    for label in ("Change time 🔁", "My packet 📬"):
        pressed = await carol.click(card, label=label)
        assert pressed.ephemeral and NOT_YOURS in pressed.response.content, label
    clock.set(confirmed.starts_at + timedelta(minutes=45))
    feedback = await carol.click(_fresh(world.thread(), card), label="Give feedback")
    assert feedback.modal is None and NOT_YOURS in feedback.response.content
    after = await MockSession.get(id=session.id)
    assert (after.status, after.starts_at) == ("confirmed", confirmed.starts_at)
    assert await Entry.filter(kind="mock").count() == 0
