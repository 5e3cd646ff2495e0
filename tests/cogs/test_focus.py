"""/focus through simcord: each phase change announced exactly once (across restarts and a
crash between claiming and sending), stop/status, custom routines, a study room's shared
timer, the ledger button at the end, and the loop from a block post without a command."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.db import close_db
from bot.errors import UserFacingError
from bot.models import Entry, Member
from bot.services import focus as svc
from bot.services.study_rooms import add_room
from bot.sessions.focus_runner import focus_runner
from bot.sessions.models import BlockAttendance, FocusPhase, FocusTimer
from bot.sessions.tracker import voice_tracker
from tests.helpers import bot_posts, expect_errors, join, make_cohort, pipeline_for

T0 = datetime(2027, 2, 3, 6, 5, tzinfo=UTC)  # Wed of week 5, 07:05 Berlin (Block-A running)


@pytest.fixture
async def world(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Any:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    room = guild.create_voice_channel("Focus Room")
    cohort = await make_cohort(guild.id, channel.id)
    clock.set(T0)
    await add_room(guild.id, cohort, room.id, 1, clock())
    voice_tracker(simcord_bot).forget_rooms(guild.id)
    people = {}
    for name in ("alice", "bob"):
        actor = guild.add_member(simcord_env.create_user(name))
        member = await join(cohort, actor.id)
        member.display_name = name
        await member.save()
        people[name] = actor
    return {"guild": guild, "channel": channel, "room": room, "cohort": cohort, **people}


def _dms(actor: Any) -> list[Any]:
    channel = actor.user.dm_channel
    return [m for m in channel.history() if m.author.bot] if channel is not None else []


async def _run(bot: CoachBot, clock: FixedClock, moment: datetime) -> int:
    clock.set(moment)
    return await focus_runner(bot).run_due()


async def _restart(env: Any, clock: FixedClock) -> CoachBot:
    old = env.bot
    await close_db()
    new = CoachBot(old.settings, old.curriculum, clock=clock, start_scheduler=False)
    await env.restart_bot(new)
    return new


async def test_each_phase_is_announced_once_at_its_time(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    started = await alice.slash(channel, "focus start")
    text = started.response.content
    assert started.ephemeral
    assert "**Focus timer started** — the roadmap's micro-routine (1 h 10 min)" in text
    assert "Now: 🗂️ **10 min** Review Anki" in text and "Then: ⌨️ 50 min → 📓 10 min" in text

    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=9, seconds=59)) == 0
    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=10)) == 1
    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=10, seconds=30)) == 0
    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=60)) == 1
    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=70)) == 1
    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=90)) == 0

    dms = [m.content for m in _dms(alice)]
    assert len(dms) == 3
    assert "phase 2 of 3: ⌨️ **50 min** Primary coding task" in dms[0]
    assert "phase 3 of 3: 📓 **10 min**" in dms[1] and "ledger" in dms[1]
    assert "routine done" in dms[2] and "1 h 10 min" in dms[2]
    assert all("late" not in d for d in dms)
    assert (await FocusTimer.get()).status == "finished"


async def test_a_restart_and_a_crash_after_claiming_announce_once(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    await alice.slash(channel, "focus start")
    await _run(simcord_bot, clock, T0 + timedelta(minutes=10))
    bot = await _restart(simcord_env, clock)
    assert await _run(bot, clock, T0 + timedelta(minutes=10, seconds=5)) == 0  # already sent

    clock.set(T0 + timedelta(minutes=60))
    (claimed,) = await svc.claim_due(clock())  # the reflection is claimed … and the bot dies
    bot = await _restart(simcord_env, clock)
    assert await _run(bot, clock, T0 + timedelta(minutes=61)) == 0  # a fresh claim: wait
    assert await _run(bot, clock, T0 + timedelta(minutes=62, seconds=1)) == 1  # stale: retried
    assert await _run(bot, clock, T0 + timedelta(minutes=70)) == 1

    dms = [m.content for m in _dms(alice)]
    assert [("phase 2" in d, "phase 3" in d, "routine done" in d) for d in dms] == [
        (True, False, False),
        (False, True, False),
        (False, False, True),
    ]
    statuses = [
        p.status for p in await FocusPhase.filter(timer_id=claimed.timer_id).order_by("position")
    ]  # type: ignore[attr-defined]
    assert statuses == ["sent", "sent", "sent", "sent"]


async def test_back_after_downtime_only_the_current_phase_is_announced(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    await alice.slash(channel, "focus start")
    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=65)) == 1
    (dm,) = [m.content for m in _dms(alice)]
    assert "phase 3 of 3" in dm and "this is 5 minutes late" in dm
    phases = await FocusPhase.all().order_by("position")
    assert [p.status for p in phases] == ["sent", "skipped", "sent", "scheduled"]


async def test_status_stop_and_one_timer_at_a_time(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    none = await alice.slash(channel, "focus status")
    assert "No focus timer running" in none.response.content
    await alice.slash(channel, "focus start", routine="25/5 x2")
    twice = await alice.slash(channel, "focus start")
    assert "already have a focus timer running" in twice.response.content

    clock.set(T0 + timedelta(minutes=27))
    status = await alice.slash(channel, "focus status")
    lines = status.response.content.splitlines()
    assert lines[1].startswith("✅ ⌨️ **25 min** Focus 1 of 2")
    assert lines[2].startswith("▶ ☕ **5 min** Break") and lines[3].startswith("· ⌨️")

    stopped = await alice.slash(channel, "focus stop")
    assert "Stopped your focus timer" in stopped.response.content
    assert await _run(simcord_bot, clock, T0 + timedelta(minutes=30)) == 0
    assert _dms(alice) == []
    again = await alice.slash(channel, "focus stop")
    assert "no focus timer running" in again.response.content
    expect_errors(simcord_env, UserFacingError)
    restarted = await alice.slash(channel, "focus start", routine="50")
    assert "Focus timer started" in restarted.response.content


async def test_bad_routines_change_nothing(world: Any, simcord_env: Any) -> None:
    alice, channel = world["alice"], world["channel"]
    for routine, needle in (("forever", "`routine` must be"), ("50/10 x40", "rounds must be")):
        result = await alice.slash(channel, "focus start", routine=routine)
        assert result.ephemeral and needle in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await FocusTimer.all().count() == 0
    choices = await alice.autocomplete(channel, "focus start", "routine", "40/5x2")
    assert (
        choices[0]["value"] == "40/5x2" and "40 min focus / 5 min break × 2" in choices[0]["name"]
    )


async def test_a_group_timer_runs_in_the_rooms_chat(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, bob, channel, room = world["alice"], world["bob"], world["channel"], world["room"]
    outside = await alice.slash(channel, "focus group")
    assert "Join one of your cohort's study rooms first" in outside.response.content
    expect_errors(simcord_env, UserFacingError)

    await alice.join_voice(room)
    await bob.join_voice(room)
    started = await alice.slash(channel, "focus group", routine="25/5 x2")
    assert "announced in the room's chat" in started.response.content
    taken = await bob.slash(channel, "focus group")
    assert "This room already has a focus timer running" in taken.response.content
    expect_errors(simcord_env, UserFacingError)
    stop = await bob.slash(channel, "focus stop")
    assert "Only whoever started the room's timer" in stop.response.content
    expect_errors(simcord_env, UserFacingError)
    shown = await bob.slash(channel, "focus status")
    assert "This room's focus timer" in shown.response.content

    for minutes in (25, 30, 55, 56):
        await _run(simcord_bot, clock, T0 + timedelta(minutes=minutes))
    chat = [m.content for m in room.history() if m.author.bot]
    assert "**alice** started a shared timer for this room." in chat[0]
    assert ["Focus room · phase 2 of 3" in c for c in chat[1:]] == [True, False, False]
    assert "phase 3 of 3" in chat[2] and "routine done" in chat[3]
    assert _dms(alice) == [] and _dms(bob) == []
    end = [m for m in room.history() if m.author.bot][-1]
    form = await bob.click(end, label="📓 Write my ledger line")  # everyone writes their own
    saved = await bob.submit_modal(form, {"text": "two pointers, finally"})
    assert "📓 Ledger line saved" in saved.response.content
    bob_row = await Member.get(display_name="bob")
    assert [e.member_id for e in await Entry.filter(kind="ledger")] == [bob_row.id]  # type: ignore[attr-defined]


async def test_a_moderator_may_stop_a_room_timer_someone_else_started(
    world: Any, simcord_env: Any, clock: FixedClock
) -> None:
    """The room's timer stops for its starter or a moderator (Manage Channels), nobody else."""
    alice, bob, channel, room = world["alice"], world["bob"], world["channel"], world["room"]
    mods = world["guild"].create_role("Mods", permissions=discord.Permissions(manage_channels=True))
    mod = world["guild"].add_member(simcord_env.create_user("mod"), roles=[mods])
    await join(world["cohort"], mod.id)
    for who in (alice, bob, mod):
        await who.join_voice(room)
    await alice.slash(channel, "focus group", routine="25/5 x2")

    refused = await bob.slash(channel, "focus stop")
    assert "Only whoever started the room's timer" in refused.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await svc.running(svc.room_key(room.id), clock()) is not None

    stopped = await mod.slash(channel, "focus stop")
    assert "Stopped this room's focus timer" in stopped.response.content
    assert await svc.running(svc.room_key(room.id), clock()) is None


async def test_the_ledger_button_at_the_end(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    await alice.slash(channel, "focus start", routine="25")
    await _run(simcord_bot, clock, T0 + timedelta(minutes=25))
    (end,) = _dms(alice)
    assert [c.label for row in end.components for c in row.children] == ["📓 Write my ledger line"]

    form = await alice.user.click(end, label="📓 Write my ledger line")
    saved = await alice.user.submit_modal(form, {"text": "Sliding window <@&1> **clicked**"})
    assert "📓 Ledger line saved" in saved.response.content
    (entry,) = await Entry.filter(kind="ledger")
    assert entry.text == "Sliding window <@&1> **clicked**" and entry.dedupe_key is not None

    second = await alice.user.submit_modal(
        await alice.user.click(end, label="📓 Write my ledger line"), {"text": "again"}
    )
    assert "already wrote this routine's ledger line" in second.response.content
    assert await Entry.filter(kind="ledger").count() == 1


async def test_the_ledger_line_checks_reward_roles_at_once_like_ledger(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    checked: list[int] = []

    async def on_entry_logged(member_id: int) -> None:
        checked.append(member_id)

    simcord_bot.add_listener(on_entry_logged)
    await alice.slash(channel, "focus start", routine="25")
    await _run(simcord_bot, clock, T0 + timedelta(minutes=25))
    (end,) = _dms(alice)
    form = await alice.user.click(end, label="📓 Write my ledger line")
    await alice.user.submit_modal(form, {"text": "two pointers"})
    assert checked == [(await Member.get(display_name="alice")).id]


async def test_a_closed_dm_falls_back_to_the_channel(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    await alice.slash(channel, "focus start", routine="30")
    simcord_env.inject_error("POST", "/users/@me/channels", status=403, code=50007, times=None)
    await _run(simcord_bot, clock, T0 + timedelta(minutes=30))
    posted = [m for m in bot_posts(channel) if "routine done" in m.content]
    assert len(posted) == 1 and posted[0].content.startswith(f"<@{alice.id}>")
    assert [u.id for u in posted[0].mentions] == [alice.id]


async def test_from_the_post_to_a_logged_timed_block_without_a_command(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    """▶ Starting → ⏱️ the micro-routine → DMs → ✅ Done at the end → the form → solves."""
    alice, channel, cohort = world["alice"], world["channel"], world["cohort"]
    clock.set(datetime(2027, 2, 3, 6, 0, tzinfo=UTC))
    await pipeline_for(simcord_bot).run_cohort(cohort, clock())
    post = [m for m in bot_posts(channel) if m.components][-1]
    clock.set(T0)

    started = await alice.click(post, label="▶ Starting")
    go = await alice.click(started.response, label="⏱️ Start the micro-routine")
    assert "Focus timer started" in go.response.content
    timer = await FocusTimer.get()
    assert (timer.block_slot, timer.block_date.isoformat()) == ("block_a", "2027-02-03")  # type: ignore[union-attr]

    for minutes in (10, 60, 70):
        await _run(simcord_bot, clock, T0 + timedelta(minutes=minutes))
    end = _dms(alice)[-1]
    assert [c.label for row in end.components for c in row.children] == [
        "📓 Write my ledger line",
        "✅ Done",
    ]
    form = await alice.user.click(end, label="✅ Done")
    done = await alice.user.submit_modal(form, {"problems": ["347"], "minutes": "45"})
    assert "logged 1 solve" in done.response.content
    row = await BlockAttendance.get()
    assert (row.status, row.started_at is not None, row.solve_count) == ("done", True, 1)


async def test_the_runner_is_armed_for_the_next_announcement(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    """The scheduler gets an exact one-off job at the next phase (and a sweep as a net)."""
    from bot.scheduling.runner import PostScheduler
    from bot.sessions.focus_runner import EXACT_JOB, FocusRunner

    posts = PostScheduler(simcord_bot)
    posts.scheduler.start()
    runner = FocusRunner(simcord_bot, posts)
    try:
        await runner.start()
        assert posts.scheduler.get_job(EXACT_JOB) is None  # nothing is due yet
        assert posts.scheduler.get_job("focus-sweep") is not None
        await start_focus_via(world, simcord_bot)
        await runner.arm()
        job = posts.scheduler.get_job(EXACT_JOB)
        assert job is not None and job.trigger.run_date == T0 + timedelta(minutes=10)
        await svc.stop_timer(await FocusTimer.get(), clock())
        await runner.arm()
        assert posts.scheduler.get_job(EXACT_JOB) is None
    finally:
        await runner.stop()
        posts.scheduler.shutdown(wait=False)


async def test_an_announcement_of_another_shard_never_rearms_the_trigger_in_the_past(
    world: Any, simcord_bot: CoachBot, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A due phase this process doesn't own stays unclaimed (its shard's process is down):
    after a run the exact trigger goes to the next later announcement, not back to that one
    (a trigger in the past fires at once: a busy loop); the sweep keeps looking."""
    from bot.scheduling.runner import PostScheduler
    from bot.sessions.focus_runner import EXACT_JOB, FocusRunner
    from bot.shards import shard_of

    posts = PostScheduler(simcord_bot)
    posts.scheduler.start()
    runner = FocusRunner(simcord_bot, posts)
    try:
        await start_focus_via(world, simcord_bot)  # 10 min Anki, 50 min coding, 10 reflection
        theirs = shard_of(world["guild"].id, 2)
        sharded = simcord_bot.settings.model_copy(
            update={"shard_count": 2, "shard_ids": [1 - theirs]}
        )
        monkeypatch.setattr(simcord_bot, "settings", sharded)
        clock.set(T0 + timedelta(minutes=15))
        assert await runner.run_due() == 0  # not ours
        job = posts.scheduler.get_job(EXACT_JOB)
        assert job is not None and job.trigger.run_date == T0 + timedelta(minutes=60)
        assert await FocusPhase.filter(status="scheduled").count() == 3  # left to its owner
    finally:
        await runner.stop()
        posts.scheduler.shutdown(wait=False)


async def start_focus_via(world: Any, bot: CoachBot) -> None:
    await world["alice"].slash(world["channel"], "focus start")
