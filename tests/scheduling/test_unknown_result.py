"""A sender that dies after sending (result unknown) is resolved from the channel's recent
messages on retry — never sent again blindly."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest

from bot.core.clock import FixedClock
from bot.models import Cohort, Post, PostStatus
from bot.render.fit import OutMessage
from bot.scheduling.compose import Composed
from bot.scheduling.pipeline import PostPipeline
from bot.scheduling.sender import DiscordSender
from tests.helpers import bot_posts, make_cohort, pipeline_for

WED_A = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)


class DiesAfterSending(DiscordSender):
    """Sends the first ``parts`` messages, then the process "dies" (before marking)."""

    def __init__(self, client: discord.Client, parts: int) -> None:
        super().__init__(client)
        self.parts = parts

    async def send(
        self,
        cohort: Cohort,
        messages: Sequence[OutMessage],
        nonces: Sequence[str],
        **kw: Any,
    ) -> list[int]:
        await super().send(cohort, messages[: self.parts], nonces[: self.parts], **kw)
        raise KeyboardInterrupt("the process died after sending")


def three_part_post(*args: Any, **kw: Any) -> Any:
    async def compose() -> Composed:
        return Composed(
            [OutMessage(embeds=[discord.Embed(title=f"Long post · part {i}")]) for i in (1, 2, 3)]
        )

    return compose()


@pytest.mark.parametrize("parts", [1, 2, 3])
async def test_retry_finds_sent_messages_and_sends_only_the_rest(
    simcord_env: Any, clock: FixedClock, parts: int
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    monday = datetime(2027, 2, 1, 6, 0, tzinfo=UTC)
    cohort = await make_cohort(guild.id, channel.id, schedule_from=monday - timedelta(hours=1))
    clock.set(monday)
    dying = PostPipeline(
        simcord_env.bot.curriculum,
        DiesAfterSending(simcord_env.bot, parts),
        grace=timedelta(hours=6),
    )
    dying.composer.compose = three_part_post  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        await dying.run_cohort(cohort, clock())
    row = await Post.get(slot="block_a")
    assert row.status == PostStatus.CLAIMED
    sent_before = len(bot_posts(channel))

    clock.set(monday + timedelta(minutes=3))  # the claim is stale now
    retry = pipeline_for(simcord_env.bot)
    retry.composer.compose = three_part_post  # type: ignore[method-assign]
    (outcome,) = await retry.run_cohort(cohort, clock())

    assert outcome.status == "sent"
    row = await Post.get(slot="block_a")
    assert row.status == PostStatus.SENT
    posts = bot_posts(channel)
    assert sent_before == parts
    assert [m.embeds[0].title for m in posts] == [f"Long post · part {i}" for i in (1, 2, 3)]
    assert row.message_ids.split(",") == [str(m.id) for m in posts]  # nothing sent twice
