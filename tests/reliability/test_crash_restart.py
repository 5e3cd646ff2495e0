"""A virtual run in which the bot is torn down and rebuilt at seeded random instants —
including between claiming a post and sending it — posts and Oops re-reviews exactly once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.core.schedule import slots_between
from bot.db import close_db
from bot.models import OopsReview, Post
from bot.scheduling.pipeline import PostPipeline
from bot.scheduling.reviews import ReviewRunner
from bot.scheduling.sender import DiscordSender
from bot.services.cohorts import cohort_calendar, post_times
from tests.helpers import bot_posts, join, make_cohort


class Crash(BaseException):
    """The process dies (not an Exception: nothing may catch it on the way out)."""


async def _restart(env: Any, clock: FixedClock) -> None:
    old = env.bot
    await close_db()
    await env.restart_bot(
        CoachBot(old.settings, old.curriculum, clock=clock, start_scheduler=False)
    )


@pytest.mark.parametrize(
    "weeks",
    [pytest.param(4, id="4-weeks"), pytest.param(16, id="16-weeks", marks=pytest.mark.slow)],
)
async def test_crashes_and_restarts_never_lose_or_double_anything(
    simcord_env: Any, clock: FixedClock, weeks: int
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    start = datetime(2027, 1, 4, 0, tzinfo=UTC)
    cohort = await make_cohort(guild.id, channel.id, schedule_from=start)
    await join(cohort, alice.id)
    clock.set(start + timedelta(hours=12))
    simcord_env.bot.log_limiter.limit = 1000
    for i in range(3):
        await alice.slash(channel, "oops", what=f"mistake {i}", lesson=f"lesson {i}")
    calendar = await cohort_calendar(cohort, simcord_env.bot.curriculum)
    end = start + timedelta(weeks=weeks)
    slots = slots_between(calendar, simcord_env.bot.curriculum, post_times(cohort), start, end)
    rng = random.Random(20270104)
    crash_next_send = False

    async def maybe_crash(row: Post) -> None:
        nonlocal crash_next_send
        if crash_next_send:
            crash_next_send = False
            raise Crash(f"died between claiming {row.slot} and sending it")

    for slot in slots:
        clock.set(slot.due_at + timedelta(minutes=rng.choice([0, 1, 4])))
        if rng.random() < 0.08:
            await _restart(simcord_env, clock)
        crash_next_send = rng.random() < 0.08
        pipeline = PostPipeline(
            simcord_env.bot.curriculum,
            DiscordSender(simcord_env.bot),
            grace=timedelta(hours=6),
            before_send=maybe_crash,
        )
        try:
            await pipeline.run_cohort(cohort, clock())
        except Crash:
            await _restart(simcord_env, clock)
            clock.set(clock() + timedelta(minutes=3))  # back up after the claim went stale
            crash_next_send = False
            await pipeline.run_cohort(cohort, clock())
        await ReviewRunner(simcord_env.bot).run_due()
        if rng.random() < 0.1:
            await ReviewRunner(simcord_env.bot).run_due()  # a racing second runner

    titles = [m.embeds[0].title for m in bot_posts(channel) if m.embeds]
    assert len(titles) == len(set(titles)) == len(slots)
    assert await Post.filter(status="sent").count() == len(slots)
    due = await OopsReview.filter(due_at__lte=clock()).count()
    assert due == 3 * sum(1 for d in (1, 3, 7, 21) if d <= weeks * 7 - 1)
    dms = [m for m in alice.user.dm_channel.history() if "Oops re-review" in m.content]
    assert len(dms) == due == await OopsReview.filter(status="sent").count()
