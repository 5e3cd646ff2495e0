from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.clock import FixedClock
from bot.errors import NotAMember
from bot.models import Cohort, GuildConfig, Member
from tests.cogs.conftest import expect_errors


async def _cohort(guild_id: int, channel_id: int, **kw: object) -> Cohort:
    config, _ = await GuildConfig.get_or_create(guild_id=guild_id)
    return await Cohort.create(
        guild=config,
        name=kw.pop("name", "main"),
        channel_id=channel_id,
        timezone=kw.pop("timezone", "Europe/Berlin"),
        start_date=kw.pop("start_date", date(2027, 1, 4)),
        schedule_from=datetime(2027, 1, 1, tzinfo=UTC),
        setup_user_id=1,
        **kw,
    )


async def test_today_shows_week5_wednesday(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    cohort = await _cohort(guild.id, channel.id)
    config = await GuildConfig.get(guild_id=guild.id)
    await Member.create(guild=config, user_id=alice.id, cohort=cohort)
    clock.set(datetime(2027, 2, 3, 6, 0, tzinfo=UTC))  # Wed 07:00 in Berlin

    result = await alice.slash(channel, "today")

    assert result.ephemeral
    embeds = result.response.embeds
    titles = [e.title for e in embeds]
    assert titles[0] == "Week 5 · Arrays & Hashing — Wed · Block-A (90 min)"
    body = "\n".join(f.value for e in embeds for f in e.fields)
    assert "https://leetcode.com/problems/top-k-frequent-elements/" in body
    assert "LC 49 · Group Anagrams" in body


async def test_today_without_cohort_says_how_to_join(simcord_env) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    bob = guild.add_member(simcord_env.create_user("bob"))

    result = await bob.slash(channel, "today")

    assert result.ephemeral
    assert "/join" in result.response.content
    expect_errors(simcord_env, NotAMember)
