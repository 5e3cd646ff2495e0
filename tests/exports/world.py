"""A cohort with two members whose logs are written through the slash commands.

Alice lives in New York (the cohort is in Berlin) and logs every kind of entry over weeks
1 and 2; her first Oops comes back by DM and she answers it. Bob logs one solve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.models import Cohort, Member
from bot.scheduling.reviews import ReviewRunner
from tests.helpers import join, make_cohort

MONDAY_W1 = datetime(2027, 1, 4, 17, 0, tzinfo=UTC)  # 12:00 in New York, 18:00 in Berlin
EXPORT_AT = datetime(2027, 1, 20, 18, 0, tzinfo=UTC)  # Wed of week 3, 13:00 in New York
ALICE_ZONE = "America/New_York"


@dataclass
class Room:
    guild: Any
    channel: Any
    cohort: Cohort
    alice: Any  # simcord member actors
    bob: Any
    alice_member: Member
    bob_member: Member


async def make_room(env: Any, bot: CoachBot) -> Room:
    guild = env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, name="Spring 2027")
    actors, members = [], []
    for name, zone in (("alice", ALICE_ZONE), ("bob", None)):
        actor = guild.add_member(env.create_user(name))
        member = await join(cohort, actor.id)
        member.display_name, member.timezone = name, zone
        await member.save()
        actors.append(actor)
        members.append(member)
    bot.log_limiter.limit = 1000
    return Room(guild, channel, cohort, actors[0], actors[1], members[0], members[1])


async def log_two_weeks(env: Any, room: Room, clock: FixedClock) -> None:
    alice, bob, ch = room.alice, room.bob, room.channel
    clock.set(MONDAY_W1)
    await alice.slash(ch, "solve", problem="1", minutes=12, notes="=SUM(A1) | one pass")
    await alice.slash(
        ch, "oops", what="Forgot the empty input", lesson="Check n == 0 first", problem="1"
    )
    await alice.slash(ch, "ledger", text="Set up *everything* | first day")
    await alice.slash(
        ch, "card", front="Why is dict lookup O(1)?", back="Hashing <buckets> & probes"
    )
    await bob.slash(ch, "solve", problem="9", minutes=20)

    clock.set(MONDAY_W1 + timedelta(days=1))
    await alice.slash(
        ch, "solve", problem="3001", minutes=50, difficulty="hard", language="cpp", mode="timed"
    )
    await alice.slash(ch, "anki", reviewed=30, new_cards=5, mature_total=2)
    await alice.slash(ch, "done", item="w1-anki-5")
    assert await ReviewRunner(env.bot).run_due() == 1  # step 1 of the Oops ladder
    (dm,) = [m for m in alice.user.dm_channel.history() if "Oops re-review" in m.content]
    await alice.user.click(dm, label="Reviewed ✅")

    clock.set(datetime(2027, 1, 16, 17, 0, tzinfo=UTC))  # Saturday of week 2
    await alice.slash(ch, "mock", kind="dsa", rating="hire", platform="pramp")
    await alice.slash(ch, "contest", percentile=22.5, name="Weekly Contest 432", rank=4100)
    await alice.slash(ch, "win", text="First hard problem!")
    await alice.slash(ch, "solve", problem="1", minutes=6, mode="revisit")
    clock.set(EXPORT_AT)
