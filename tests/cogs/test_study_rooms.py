"""Voice study rooms through simcord's voice states: join/leave/move/deafen sequences give the
right minutes; restarts and reconnects neither lose nor invent time; presence marks blocks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import discord
import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.core.voice import HEARTBEAT
from bot.db import close_db
from bot.errors import UserFacingError
from bot.models import Member
from bot.services.study_rooms import add_room, set_ignore_deafened
from bot.sessions.models import BlockAttendance, StudyRoom, VoiceDay, VoiceSession
from bot.sessions.tracker import voice_tracker
from tests.helpers import expect_errors, join, make_cohort, reply_text

WED = datetime(2027, 2, 3, 10, 0, tzinfo=UTC)  # Wed of week 5, 11:00 Berlin: between blocks
BLOCK_A = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)  # 07:00 Berlin, 90 minutes


@pytest.fixture
async def world(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Any:
    """Cohort "main" (alice, bob) with two study rooms; dave in "evening"; zoe never joined."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    room = guild.create_voice_channel("Focus Room")
    quiet = guild.create_voice_channel("Quiet Room")
    lounge = guild.create_voice_channel("Lounge")
    main = await make_cohort(guild.id, channel.id)
    evening = await make_cohort(guild.id, guild.create_text_channel("evening").id, name="evening")
    clock.set(WED)
    for voice in (room, quiet):
        await add_room(guild.id, main, voice.id, 1, clock())
    voice_tracker(simcord_bot).forget_rooms(guild.id)  # added behind the command's back
    people: dict[str, Any] = {}
    for name in ("alice", "bob", "dave", "zoe"):
        actor = guild.add_member(simcord_env.create_user(name))
        people[name] = actor
        if name != "zoe":
            member = await join(evening if name == "dave" else main, actor.id)
            member.display_name = name
            await member.save()
    return {
        "guild": guild,
        "channel": channel,
        "room": room,
        "quiet": quiet,
        "lounge": lounge,
        "main": main,
        **people,
    }


async def _at(clock: FixedClock, moment: datetime) -> None:
    clock.set(moment)


async def _sessions(name: str) -> list[tuple[int, bool, str | None]]:
    member = await Member.get(display_name=name)
    rows = await VoiceSession.filter(member_id=member.id).order_by("id")
    return [
        (r.seconds // 60 if r.seconds is not None else -1, r.counted, r.end_reason) for r in rows
    ]


async def _day_minutes(name: str) -> dict[date, int]:
    member = await Member.get(display_name=name)
    return {d.local_date: d.seconds // 60 for d in await VoiceDay.filter(member_id=member.id)}


async def _gateway(bot: CoachBot, event: str) -> None:
    """The voice cog's handler of a gateway life-cycle event (awaited to the end)."""
    await getattr(bot.get_cog("Sessions"), f"on_{event}")()


async def _restart(env: Any, clock: FixedClock) -> CoachBot:
    old = env.bot
    await close_db()
    new = CoachBot(old.settings, old.curriculum, clock=clock, start_scheduler=False)
    await env.restart_bot(new)
    return new


async def test_join_and_leave_record_the_minutes(world: Any, clock: FixedClock) -> None:
    alice = world["alice"]
    await alice.join_voice(world["room"])
    await _at(clock, WED + timedelta(minutes=45))
    await alice.leave_voice()

    assert await _sessions("alice") == [(45, True, "left")]
    assert await _day_minutes("alice") == {date(2027, 2, 3): 45}
    today = await alice.slash(world["channel"], "studytime", period="today")
    assert "**45 min** in study rooms" in reply_text(today)
    assert "Planned so far: 3 h" in reply_text(today)  # two 90-minute blocks


async def test_moves_between_rooms_and_out(world: Any, clock: FixedClock) -> None:
    alice = world["alice"]
    await alice.join_voice(world["room"])
    await _at(clock, WED + timedelta(minutes=20))
    await alice.join_voice(world["quiet"])  # a move: one session ends, the next begins
    await _at(clock, WED + timedelta(minutes=50))
    await alice.join_voice(world["lounge"])  # not a study room
    await _at(clock, WED + timedelta(minutes=90))
    await alice.leave_voice()

    assert await _sessions("alice") == [(20, True, "moved"), (30, True, "left")]
    assert await _day_minutes("alice") == {date(2027, 2, 3): 50}


async def test_short_stays_are_ignored(world: Any, clock: FixedClock) -> None:
    bob = world["bob"]
    await bob.join_voice(world["room"])
    await _at(clock, WED + timedelta(seconds=40))
    await bob.leave_voice()

    assert await _sessions("bob") == [(0, False, "left")]
    assert await _day_minutes("bob") == {}


async def test_deafened_time_counts_unless_the_cohort_says_no(
    world: Any, clock: FixedClock
) -> None:
    alice, channel = world["alice"], world["channel"]
    await alice.join_voice(world["room"])
    await _at(clock, WED + timedelta(minutes=10))
    await alice.set_voice(self_deaf=True)
    await _at(clock, WED + timedelta(minutes=30))
    await alice.set_voice(self_deaf=False)
    await _at(clock, WED + timedelta(minutes=40))
    await alice.set_voice(self_deaf=True)
    await _at(clock, WED + timedelta(minutes=60))
    await alice.leave_voice()  # still deafened when leaving

    session = await VoiceSession.get()
    assert (session.seconds, session.deaf_seconds) == (3600, 2400)
    counted = await alice.slash(channel, "studytime", period="today")
    assert "**1 h** in study rooms" in reply_text(counted)

    await set_ignore_deafened(world["main"], True, clock())
    ignored = await alice.slash(channel, "studytime", period="today")
    assert "**20 min** in study rooms" in reply_text(ignored)


async def test_only_members_of_the_rooms_cohort_are_counted(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    for name in ("dave", "zoe"):  # another cohort's member, and someone who never joined
        await world[name].join_voice(world["room"])
    await _at(clock, WED + timedelta(minutes=30))
    await voice_tracker(simcord_bot).heartbeat()
    for name in ("dave", "zoe"):
        await world[name].leave_voice()
    assert await VoiceSession.all().count() == 0


async def test_presence_marks_a_block_attended_once(world: Any, clock: FixedClock) -> None:
    alice, bob, room = world["alice"], world["bob"], world["room"]
    await _at(clock, BLOCK_A + timedelta(minutes=25))
    await alice.join_voice(room)  # 65 of the block's 90 minutes
    await _at(clock, BLOCK_A + timedelta(minutes=35))
    await bob.join_voice(room)  # 55 minutes: not enough
    await _at(clock, BLOCK_A + timedelta(minutes=120))
    await alice.leave_voice()
    await bob.leave_voice()

    rows = {
        (await r.member).display_name: r
        for r in await BlockAttendance.all().prefetch_related("member")
    }
    assert (rows["alice"].status, rows["alice"].done_by, rows["alice"].voice_seconds) == (
        "done",
        "voice",
        65 * 60,
    )
    assert (rows["bob"].status, rows["bob"].voice_seconds) == (None, 55 * 60)

    # bob comes back for 10 more minutes of the same block window? It is over: nothing changes.
    await _at(clock, BLOCK_A + timedelta(minutes=130))
    await bob.join_voice(room)
    await _at(clock, BLOCK_A + timedelta(minutes=150))
    await bob.leave_voice()
    assert (await BlockAttendance.get(member__display_name="bob")).status is None


async def test_two_stays_add_up_for_a_block(world: Any, clock: FixedClock) -> None:
    bob, room = world["bob"], world["room"]
    await _at(clock, BLOCK_A)
    await bob.join_voice(room)
    await _at(clock, BLOCK_A + timedelta(minutes=30))
    await bob.leave_voice()
    await _at(clock, BLOCK_A + timedelta(minutes=50))
    await bob.join_voice(room)
    await _at(clock, BLOCK_A + timedelta(minutes=80))
    await bob.leave_voice()
    row = await BlockAttendance.get()
    assert (row.status, row.voice_seconds) == ("done", 3600)


async def test_a_long_stay_marks_the_block_before_leaving(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice = world["alice"]
    await _at(clock, BLOCK_A)
    await alice.join_voice(world["room"])
    tracker = voice_tracker(simcord_bot)
    await _at(clock, BLOCK_A + timedelta(minutes=59))
    await tracker.heartbeat()
    assert await BlockAttendance.filter(status="done").count() == 0
    await _at(clock, BLOCK_A + timedelta(minutes=60))
    await tracker.heartbeat()
    row = await BlockAttendance.get()
    assert (row.status, row.done_by, row.voice_seconds) == ("done", "voice", 0)  # still there
    await _at(clock, BLOCK_A + timedelta(minutes=100))
    await alice.leave_voice()
    row = await BlockAttendance.get()
    assert (row.status, row.voice_seconds) == ("done", 90 * 60)
    done = await alice.slash(world["channel"], "studytime", period="today")
    assert "Blocks done: **1 / 2**" in reply_text(done)


async def test_a_quick_restart_loses_no_time(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    alice = world["alice"]
    await alice.join_voice(world["room"])
    await _at(clock, WED + timedelta(minutes=30))
    await voice_tracker(simcord_bot).heartbeat()
    await _at(clock, WED + timedelta(minutes=30, seconds=40))

    await _restart(simcord_env, clock)  # alice stays in the room all along

    await _at(clock, WED + timedelta(minutes=60))
    await alice.leave_voice()
    assert await _sessions("alice") == [(60, True, "left")]


async def test_down_two_hours_while_a_member_leaves(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    """bob leaves while the bot is down: his time ends where the bot last saw him; alice,
    who stayed, gets a new session from the moment the bot is back (the gap is unknown)."""
    alice, bob, guild = world["alice"], world["bob"], world["guild"]
    await alice.join_voice(world["room"])
    await bob.join_voice(world["room"])
    await _at(clock, WED + timedelta(minutes=30))
    await voice_tracker(simcord_bot).heartbeat()  # the last moment the bot saw them

    # bob leaves at 11:00 while the bot is down: the state changes, no event is delivered
    simcord_env.backend.get_guild(guild.id).voice_states.pop(bob.id)
    await _at(clock, WED + timedelta(hours=2, minutes=30))
    await _restart(simcord_env, clock)

    assert await _sessions("bob") == [(30, True, "lost")]
    assert (await _sessions("alice"))[0] == (30, True, "lost")
    await _at(clock, WED + timedelta(hours=3))
    await alice.leave_voice()
    assert await _sessions("alice") == [(30, True, "lost"), (30, True, "left")]
    assert await _day_minutes("alice") == {date(2027, 2, 3): 60}


async def test_a_reconnect_never_counts_the_time_away(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    """Disconnected at 10:20: the heartbeat stops vouching; bob's leave replayed on resume
    ends his stay where he was last seen, and alice (still there) starts afresh."""
    alice, bob = world["alice"], world["bob"]
    await alice.join_voice(world["room"])
    await bob.join_voice(world["room"])
    tracker = voice_tracker(simcord_bot)
    await _at(clock, WED + timedelta(minutes=20))
    await tracker.heartbeat()
    await _gateway(simcord_bot, "disconnect")
    await _at(clock, WED + timedelta(minutes=40))
    await tracker.heartbeat()  # while disconnected the heartbeat vouches for nobody
    assert {s.last_seen_at for s in await VoiceSession.all()} == {WED + timedelta(minutes=20)}

    await _at(clock, WED + timedelta(minutes=45))
    await bob.leave_voice()  # replayed by the resumed gateway session
    await _gateway(simcord_bot, "resumed")

    assert await _sessions("bob") == [(20, True, "lost")]
    assert await _sessions("alice") == [(20, True, "lost"), (-1, True, None)]
    await _at(clock, WED + timedelta(minutes=55))
    await alice.leave_voice()
    assert await _day_minutes("alice") == {date(2027, 2, 3): 30}


async def test_coach_rooms_commands(world: Any, simcord_env: Any, clock: FixedClock) -> None:
    guild, channel, alice, lounge = (
        world["guild"],
        world["channel"],
        world["alice"],
        world["lounge"],
    )
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    ada = guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    await alice.join_voice(lounge)

    added = await ada.slash(channel, "coach rooms add", channel=lounge, cohort="main")
    assert added.ephemeral and "is now a study room of **main**" in added.response.content
    assert await VoiceSession.filter(channel_id=lounge.id, ended_at=None).count() == 1  # from now
    again = await ada.slash(channel, "coach rooms add", channel=lounge, cohort="main")
    assert "already counts for **main**" in again.response.content

    listed = await ada.slash(channel, "coach rooms list")
    text = reply_text(listed)
    assert "3 rooms of 25" in text and f"<#{lounge.id}>" in text and "all time counted" in text

    settings = await ada.slash(channel, "coach rooms settings", cohort="main", ignore_deafened=True)
    assert "is **not** counted" in settings.response.content
    assert "not counted" in reply_text(await ada.slash(channel, "coach rooms list"))

    await _at(clock, WED + timedelta(minutes=25))
    removed = await ada.slash(channel, "coach rooms remove", channel=lounge)
    assert "no longer counts" in removed.response.content
    assert await _sessions("alice") == [(25, True, "removed")]
    assert await StudyRoom.filter(channel_id=lounge.id).count() == 0
    gone = await ada.slash(channel, "coach rooms remove", channel=lounge)
    assert "isn't a study room" in gone.response.content
    expect_errors(simcord_env, UserFacingError)


async def test_days_split_at_the_members_own_midnight(world: Any, clock: FixedClock) -> None:
    member = await Member.get(display_name="alice")
    member.timezone = "America/New_York"
    await member.save()
    alice = world["alice"]
    await _at(clock, datetime(2027, 2, 4, 4, 30, tzinfo=UTC))  # 23:30 in New York
    await alice.join_voice(world["room"])
    await _at(clock, datetime(2027, 2, 4, 6, 0, tzinfo=UTC))  # 01:00 in New York
    await alice.leave_voice()
    assert await _day_minutes("alice") == {date(2027, 2, 3): 30, date(2027, 2, 4): 60}


async def test_the_heartbeat_is_a_minute() -> None:
    assert timedelta(minutes=1) == HEARTBEAT


async def test_the_spring_forward_night_in_berlin(world: Any, clock: FixedClock) -> None:
    """Sat 27 → Sun 28 March 2027: 23:30 CET to 03:30 CEST is 3 real hours, not 4."""
    alice = world["alice"]
    await _at(clock, datetime(2027, 3, 27, 22, 30, tzinfo=UTC))  # 23:30 CET
    await alice.join_voice(world["room"])
    await _at(clock, datetime(2027, 3, 28, 1, 30, tzinfo=UTC))  # 03:30 CEST
    await alice.leave_voice()
    assert await _day_minutes("alice") == {date(2027, 3, 27): 30, date(2027, 3, 28): 150}
