from __future__ import annotations

from datetime import UTC, datetime

from bot.core.clock import FixedClock
from tests.helpers import join, make_cohort


async def test_today_shows_week5_wednesday(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await join(await make_cohort(guild.id, channel.id), alice.id)
    clock.set(datetime(2027, 2, 3, 6, 0, tzinfo=UTC))  # Wed 07:00 in Berlin

    result = await alice.slash(channel, "today")

    assert result.ephemeral
    embeds = result.response.embeds
    titles = [e.title for e in embeds]
    assert titles[0] == "Week 5 · Arrays & Hashing — Wed · Block-A (90 min)"
    body = "\n".join(f.value for e in embeds for f in e.fields)
    assert "https://leetcode.com/problems/top-k-frequent-elements/" in body
    assert "LC 49 · Group Anagrams" in body
