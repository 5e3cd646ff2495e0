"""A cohort with two members in different zones who opted in to peer mocks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.db import close_db
from bot.mocks.runner import MockRunner
from bot.models import Cohort, Member
from tests.helpers import join, make_cohort

# Monday of week 6 (the cohort starts Mon 2027-01-04 in Berlin), 07:31 Berlin: one minute
# after the default matching time (Block-A 07:00 + 30 min).
MONDAY_W6 = datetime(2027, 2, 8, 6, 31, tzinfo=UTC)
BEFORE_MATCHING = datetime(2027, 2, 8, 6, 0, tzinfo=UTC)
# Monday of week 16, the roadmap's mock-loop week (summer time on both sides), 07:31 Berlin:
# the final milestone, with the roadmap's mock criteria, is the one /milestones judges next.
MONDAY_W16 = datetime(2027, 4, 19, 5, 31, tzinfo=UTC)


async def opt_in(actor: Any, channel: Any, windows: list[str], kinds: list[str]) -> Any:
    """``/mocks join`` as a member would: the form, both selects, Save."""
    form = await actor.slash(channel, "mocks join")
    await actor.select(form.response, kinds, custom_id="mocks:join:kinds")
    await actor.select(form.response, windows, custom_id="mocks:join:windows")
    return await actor.click(form.response, label="Save")


async def restart(env: Any, clock: FixedClock) -> CoachBot:
    old = env.bot
    await close_db()
    new = CoachBot(old.settings, old.curriculum, clock=clock, start_scheduler=False)
    await env.restart_bot(new)
    return new


class World:
    def __init__(
        self, env: Any, guild: Any, channel: Any, cohort: Cohort, people: dict[str, Any]
    ) -> None:
        self.env = env
        self.guild = guild
        self.channel = channel
        self.cohort = cohort
        self.people = people  # name → (actor, member row)

    def actor(self, who: str) -> Any:
        return self.people[who][0]

    def member(self, who: str) -> Member:
        return self.people[who][1]

    def runner(self) -> MockRunner:
        return MockRunner(self.env.bot)

    def thread(self) -> Any:
        (thread,) = self.channel.threads
        return thread

    def dms(self, who: str, needle: str = "") -> list[Any]:
        history = self.actor(who).user.dm_channel.history()
        return [
            m
            for m in history
            if needle in (m.content or "") or any(needle in (e.title or "") for e in m.embeds)
        ]


async def make_world(
    env: Any, clock: FixedClock, zones: dict[str, str | None], bot_denied: Any = None
) -> World:
    """A Berlin cohort with these members (zone ``None``: the cohort's); ``bot_denied``: a
    permission overwrite for the bot in the cohort channel."""
    guild = env.create_guild()
    overwrites = {guild.me: bot_denied} if bot_denied is not None else None
    channel = guild.create_text_channel("study", overwrites=overwrites)
    cohort = await make_cohort(guild.id, channel.id)
    people = {}
    for who, zone in zones.items():
        actor = guild.add_member(env.create_user(who))
        member = await join(cohort, actor.id)
        member.display_name = who
        member.timezone = zone
        await member.save()
        people[who] = (actor, member)
    clock.set(BEFORE_MATCHING)
    return World(env, guild, channel, cohort, people)


@pytest.fixture
async def pair_world(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> World:
    """alice in Berlin (weekday evenings) and bob in New York (weekday lunchtimes): the same
    instants in UTC (17:00–19:00 in February)."""
    world = await make_world(simcord_env, clock, {"alice": None, "bob": "America/New_York"})
    simcord_bot.log_limiter.limit = 1000
    await opt_in(world.actor("alice"), world.channel, ["wd-evening"], ["dsa"])
    await opt_in(world.actor("bob"), world.channel, ["wd-lunch"], ["dsa", "behavioral"])
    return world
