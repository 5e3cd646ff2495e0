"""The post pipeline end to end: real bot (simcord), real database, injected clock."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.core.schedule import slots_between
from bot.db import close_db
from bot.models import Cohort, CohortPause, Post, PostStatus
from bot.services.cohorts import cohort_calendar, post_times
from tests.helpers import bot_posts, make_cohort, pipeline_for

T0 = datetime(2027, 1, 1, tzinfo=UTC)
T_END = datetime(2027, 5, 10, tzinfo=UTC)


async def _all_slots(bot, cohort: Cohort):
    calendar = await cohort_calendar(cohort, bot.curriculum)
    times = post_times(cohort)
    return slots_between(calendar, bot.curriculum, times, T0, T_END)


async def test_full_16_week_run_posts_every_slot_once_in_order(
    simcord_env, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id)
    bot = simcord_env.bot
    pipeline = pipeline_for(bot)
    slots = await _all_slots(bot, cohort)
    # 16 weeks: 5 weekdays × 2 blocks + 2 weekend sessions + the Sunday recap = 13 a week,
    # plus kickoff and finale, plus week 16's Sat and Sun as two blocks each instead of one.
    assert len(slots) == 16 * 13 + 2 + 2
    assert sum(s.slot == "recap" for s in slots) == 16
    instants = sorted({s.due_at for s in slots})
    for instant in instants:
        clock.set(instant)
        outcomes = await pipeline.run_cohort(cohort, clock())
        expected = [s.key for s in slots if s.due_at == instant]
        assert [(o.key, o.status) for o in outcomes] == [(k, "sent") for k in expected]
        # Running again at the same instant (a second scheduler, a reconnect) sends nothing.
        assert await pipeline.run_cohort(cohort, clock()) == []
    posts = bot_posts(channel)
    assert len(posts) == len(slots)
    titles = [m.embeds[0].title for m in posts]
    assert titles[0].startswith("🚀")
    assert titles[1] == "Week 1 · Bootstrap & Habits — Mon · Block-A (90 min)"
    assert "Week 5 · Arrays & Hashing — Wed · Block-A (90 min)" in titles
    assert "Week 12 · Graphs (BFS / DFS / Union-Find) — Tue · Block-A (90 min)" in titles
    assert titles[-1].startswith("🎉")
    assert await Post.filter(status=PostStatus.SENT).count() == len(slots)
    # Local times in Berlin stay put across the March and October changes.
    berlin = ZoneInfo("Europe/Berlin")
    for slot in slots:
        local = slot.due_at.astimezone(berlin).strftime("%H:%M")
        assert local in {"07:00", "19:00", "10:00", "20:00"}, slot


async def test_restarts_at_random_points_never_duplicate(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, timezone="America/New_York")
    slots = await _all_slots(simcord_env.bot, cohort)
    rng = random.Random(1234)
    pipeline = pipeline_for(simcord_env.bot)
    for slot in slots:
        clock.set(slot.due_at + timedelta(minutes=rng.choice([0, 1, 3])))
        if rng.random() < 0.1:
            old = simcord_env.bot
            await close_db()  # the process dies: its database connections go with it
            new = CoachBot(old.settings, old.curriculum, clock=clock, start_scheduler=False)
            await simcord_env.restart_bot(new)
            pipeline = pipeline_for(simcord_env.bot)
        await pipeline.run_cohort(cohort, clock())
        if rng.random() < 0.2:
            await pipeline.run_cohort(cohort, clock())  # a racing second pass
    posts = bot_posts(channel)
    assert len(posts) == len(slots)
    assert len({m.embeds[0].title + str(m.created_at.date()) for m in posts}) == len(posts)


async def test_three_hour_outage_posts_late(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(
        guild.id, channel.id, schedule_from=datetime(2027, 2, 3, 0, tzinfo=UTC)
    )
    clock.set(datetime(2027, 2, 3, 9, 0, tzinfo=UTC))  # Block-A was due 06:00 UTC
    outcomes = await pipeline_for(simcord_env.bot).run_cohort(cohort, clock())
    assert [(o.status, o.late) for o in outcomes] == [("sent", True)]
    (message,) = bot_posts(channel)
    assert "Posted late" in (message.embeds[-1].footer.text or "")


async def test_three_day_outage_gives_one_catch_up_message(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(
        guild.id, channel.id, schedule_from=datetime(2027, 2, 1, 0, tzinfo=UTC)
    )
    clock.set(datetime(2027, 2, 4, 8, 0, tzinfo=UTC))  # Thu 09:00 Berlin
    pipeline = pipeline_for(simcord_env.bot)
    outcomes = await pipeline.run_cohort(cohort, clock())
    statuses = [o.status for o in outcomes]
    assert statuses.count("missed") == 6  # Mon–Wed, two blocks each
    assert statuses.count("sent") == 2  # Thursday's Block-A (late) + the catch-up message
    posts = bot_posts(channel)
    assert len(posts) == 2
    assert any("missed 6 posts" in (m.embeds[0].title or "") for m in posts)
    assert await pipeline.run_cohort(cohort, clock()) == []  # summarised once
    assert len(bot_posts(channel)) == 2


async def test_pause_shifts_the_posts(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, schedule_from=datetime(2027, 2, 1, tzinfo=UTC))
    await CohortPause.create(cohort=cohort, start_date=date(2027, 2, 1), end_date=date(2027, 2, 7))
    pipeline = pipeline_for(simcord_env.bot)
    clock.set(datetime(2027, 2, 3, 6, 0, tzinfo=UTC))
    assert await pipeline.run_cohort(cohort, clock()) == []  # paused
    clock.set(datetime(2027, 2, 10, 6, 0, tzinfo=UTC))
    outcomes = await pipeline.run_cohort(cohort, clock())
    assert next(o.key for o in outcomes if o.status == "sent") == "2027-02-10/block_a"
    titles = [m.embeds[0].title for m in bot_posts(channel)]
    assert "Week 5 · Arrays & Hashing — Wed · Block-A (90 min)" in titles


async def test_two_cohorts_in_different_zones(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    india = guild.create_text_channel("india")
    la = guild.create_text_channel("la")
    since = datetime(2027, 2, 2, 20, tzinfo=UTC)
    c1 = await make_cohort(
        guild.id, india.id, name="in", timezone="Asia/Kolkata", schedule_from=since
    )
    c2 = await make_cohort(
        guild.id, la.id, name="la", timezone="America/Los_Angeles", schedule_from=since
    )
    pipeline = pipeline_for(simcord_env.bot)
    clock.set(datetime(2027, 2, 3, 1, 30, tzinfo=UTC))  # 07:00 in Kolkata, Tue 17:30 in LA
    assert [o.key for o in await pipeline.run_cohort(c1, clock())] == ["2027-02-03/block_a"]
    assert [o.key for o in await pipeline.run_cohort(c2, clock())] == []
    clock.set(datetime(2027, 2, 3, 3, 0, tzinfo=UTC))  # 19:00 Tue in LA
    assert [o.key for o in await pipeline.run_cohort(c2, clock())] == ["2027-02-02/block_b"]


async def test_role_mention_is_the_only_allowed_mention(simcord_env, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    role = guild.create_role("Studiers")
    cohort = await make_cohort(
        guild.id, channel.id, role_id=role.id, schedule_from=datetime(2027, 2, 3, tzinfo=UTC)
    )
    clock.set(datetime(2027, 2, 3, 6, 0, tzinfo=UTC))
    await pipeline_for(simcord_env.bot).run_cohort(cohort, clock())
    (message,) = bot_posts(channel)
    assert message.content == f"<@&{role.id}>"
