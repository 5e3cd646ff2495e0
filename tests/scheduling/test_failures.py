"""Failures are recorded, told once, and never stop the next slot; crashes never double-post."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot.core.clock import FixedClock
from bot.core.schedule import post_nonce
from bot.models import Cohort, Post, PostStatus
from bot.scheduling.sender import ATTEMPTS
from tests.helpers import WAITS, bot_posts, make_cohort, pipeline_for

WED_A = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)
WED_B = datetime(2027, 2, 3, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "code", "reason"),
    [
        (403, 50013, "missing permissions"),
        (404, 10003, "channel was deleted"),
        (503, 0, "Discord error 503"),
    ],
)
async def test_send_failure_is_recorded_and_next_slot_tries_again(
    simcord_env, clock: FixedClock, status: int, code: int, reason: str
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    admin = guild.add_member(simcord_env.create_user("admin"))
    cohort = await make_cohort(
        guild.id, channel.id, setup_user_id=admin.id, schedule_from=WED_A - timedelta(hours=1)
    )
    # 5xx is retried within the send: fail every attempt to get it recorded
    times = ATTEMPTS if status >= 500 else 1
    simcord_env.inject_error("POST", "/channels/*/messages", status=status, code=code, times=times)
    pipeline = pipeline_for(simcord_env.bot)
    clock.set(WED_A)
    (outcome,) = await pipeline.run_cohort(cohort, clock())
    assert outcome.status == "failed" and reason in (outcome.error or "")
    row = await Post.get(local_date=WED_A.date(), slot="block_a")
    assert row.status == PostStatus.FAILED and reason in (row.error or "")
    assert (await Cohort.get(id=cohort.id)).failure_notified
    assert await pipeline.run_cohort(cohort, clock()) == []  # a failed slot is not re-sent
    clock.set(WED_B)
    (outcome,) = await pipeline.run_cohort(cohort, clock())
    assert outcome.status == "sent"
    assert not (await Cohort.get(id=cohort.id)).failure_notified
    assert len(bot_posts(channel)) == 1


@pytest.mark.parametrize("status", [429, 500, 503])
async def test_rate_limits_and_hiccups_are_retried_with_the_same_nonce(
    simcord_env, clock: FixedClock, status: int
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, schedule_from=WED_A - timedelta(hours=1))
    simcord_env.inject_error("POST", "/channels/*/messages", status=status, times=ATTEMPTS - 1)
    clock.set(WED_A)
    WAITS.clear()

    (outcome,) = await pipeline_for(simcord_env.bot).run_cohort(cohort, clock())

    assert outcome.status == "sent"
    assert ([1.0, 1.0] if status == 429 else [2.0, 4.0]) == WAITS
    assert len(bot_posts(channel)) == 1
    assert not (await Cohort.get(id=cohort.id)).failure_notified


async def test_admin_is_told_once(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, schedule_from=WED_A - timedelta(hours=1))
    told: list[str] = []
    pipeline = pipeline_for(simcord_env.bot)

    async def notify(_c: Cohort, reason: str) -> None:
        told.append(reason)

    pipeline.sender.notify_failure = notify  # type: ignore[method-assign]
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=50013, times=None)
    for instant in (WED_A, WED_B):
        clock.set(instant)
        await pipeline.run_cohort(cohort, clock())
    assert len(told) == 1 and "missing permissions" in told[0]


async def test_crash_between_claim_and_send_retries_with_same_nonce(
    simcord_env, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, schedule_from=WED_A - timedelta(hours=1))
    pipeline = pipeline_for(simcord_env.bot)

    class Crash(Exception):
        pass

    async def crash(_row: Post) -> None:
        raise Crash

    pipeline.before_send = crash
    clock.set(WED_A)
    with pytest.raises(Crash):
        await pipeline.run_cohort(cohort, clock())
    row = await Post.get(slot="block_a")
    assert row.status == PostStatus.CLAIMED and row.nonce == post_nonce(
        cohort.id, WED_A.date(), "block_a"
    )
    assert bot_posts(channel) == []
    pipeline = pipeline_for(simcord_env.bot)
    assert await pipeline.run_cohort(cohort, clock()) == []  # a fresh claim is left alone
    clock.set(WED_A + timedelta(minutes=3))
    (outcome,) = await pipeline.run_cohort(cohort, clock())
    assert outcome.status == "sent"
    row = await Post.get(slot="block_a")
    assert row.attempts == 2 and row.status == PostStatus.SENT
    assert len(bot_posts(channel)) == 1


async def test_sends_carry_the_slot_nonce(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, schedule_from=WED_A - timedelta(hours=1))
    clock.set(WED_A)
    await pipeline_for(simcord_env.bot).run_cohort(cohort, clock())
    posts = [e for e in simcord_env.http_requests if e.method == "POST" and "/messages" in e.path]
    assert posts and all(
        p.json.get("nonce") == post_nonce(cohort.id, WED_A.date(), "block_a", 0)
        and p.json.get("enforce_nonce") is True
        for p in posts
    )


async def test_spring_forward_missing_time_posts_once_at_next_valid_minute(
    simcord_env, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    # Berlin jumps 02:00 → 03:00 on Sunday 2027-03-28; the weekend session is set for 02:30.
    cohort = await make_cohort(
        guild.id,
        channel.id,
        weekend_time="02:30",
        schedule_from=datetime(2027, 3, 27, 12, tzinfo=UTC),
    )
    pipeline = pipeline_for(simcord_env.bot)
    clock.set(datetime(2027, 3, 28, 0, 59, tzinfo=UTC))  # 01:59 CET
    assert await pipeline.run_cohort(cohort, clock()) == []
    clock.set(datetime(2027, 3, 28, 1, 0, tzinfo=UTC))  # 03:00 CEST
    (outcome,) = await pipeline.run_cohort(cohort, clock())
    assert outcome.key == "2027-03-28/session" and not outcome.late
    clock.set(datetime(2027, 3, 28, 1, 30, tzinfo=UTC))  # when a naive cron would fire
    assert await pipeline.run_cohort(cohort, clock()) == []
    assert len(bot_posts(channel)) == 1
    assert isinstance(bot_posts(channel)[0], discord.Message)
