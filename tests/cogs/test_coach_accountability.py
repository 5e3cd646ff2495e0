"""/coach accountability through simcord: show, change, and the changes take effect."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord
import pytest
from simcord.backend.errors import SetupError

from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.models import Cohort
from tests.helpers import bot_posts, expect_errors, join, make_cohort, pipeline_for, reply_text


@pytest.fixture
async def world(simcord_env: Any, simcord_bot: Any, clock: FixedClock) -> Any:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    ada = guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    alice = guild.add_member(simcord_env.create_user("alice"))
    main = await make_cohort(guild.id, channel.id)
    await make_cohort(guild.id, guild.create_text_channel("evening").id, name="evening")
    member = await join(main, alice.id)
    member.display_name = "alice"
    await member.save()
    clock.set(datetime(2027, 1, 4, 12, tzinfo=UTC))  # Monday of week 1
    return channel, ada, alice


async def test_shows_the_settings_without_changing_them(world: Any) -> None:
    channel, ada, _ = world
    shown = await ada.slash(channel, "coach accountability", cohort="main")
    assert shown.ephemeral
    assert shown.response.content == (
        "**main** · nudges **on** · 1 rest day(s) a week · points easy 1, medium 3, hard 7"
    )
    main = await Cohort.get(name="main")
    assert (main.nudges_enabled, main.rest_days_per_week, main.points_hard) == (True, 1, 7)


async def test_changes_apply_to_one_cohort_and_take_effect(
    world: Any, simcord_env: Any, clock: FixedClock
) -> None:
    channel, ada, alice = world
    changed = await ada.slash(
        channel,
        "coach accountability",
        cohort="main",
        nudges=False,
        rest_days=0,
        points_easy=2,
        points_medium=5,
        points_hard=10,
    )
    assert "nudges **off** · 0 rest day(s) a week · points easy 2, medium 5, hard 10" in (
        changed.response.content
    )
    main, evening = await Cohort.get(name="main"), await Cohort.get(name="evening")
    assert (main.nudges_enabled, main.rest_days_per_week) == (False, 0)
    assert (main.points_easy, main.points_medium, main.points_hard) == (2, 5, 10)
    assert (evening.nudges_enabled, evening.points_hard) == (True, 7)  # untouched

    await alice.slash(channel, "solve", problem="1", minutes=5)  # easy
    board = await alice.slash(channel, "leaderboard", period="all", metric="points")
    assert "alice — 2 points" in reply_text(board)

    clock.set(datetime(2027, 1, 8, 6, tzinfo=UTC))  # Fri Block-A: alice quiet since Monday
    await pipeline_for(simcord_env.bot).run_cohort(main, clock())
    block_a = [m for m in bot_posts(channel) if m.embeds and "Block-A" in m.embeds[0].title]
    assert block_a and all(f"<@{alice.id}>" not in (m.content or "") for m in block_a)


async def test_needs_a_cohort_when_there_are_several(world: Any, simcord_env: Any) -> None:
    channel, ada, _ = world
    result = await ada.slash(channel, "coach accountability", nudges=False)
    assert result.ephemeral and "cohort" in result.response.content.lower()
    expect_errors(simcord_env, UserFacingError)
    assert all(c.nudges_enabled for c in await Cohort.all())


async def test_out_of_range_values_never_reach_the_bot(world: Any) -> None:
    channel, ada, _ = world
    with pytest.raises(SetupError):  # Discord itself refuses values outside the option's range
        await ada.slash(channel, "coach accountability", cohort="main", rest_days=9)
    assert (await Cohort.get(name="main")).rest_days_per_week == 1
