"""Week 16's weekend is two blocks a day (Block-A | Block-B): the pipeline posts both, at the
cohort's weekend and Block-B times, exactly once (real pipeline, simcord, injected clock)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.clock import FixedClock
from bot.core.schedule import slots_between
from bot.services.cohorts import cohort_calendar, post_times
from tests.helpers import bot_posts, make_cohort, pipeline_for

BERLIN = ZoneInfo("Europe/Berlin")
WEEK16 = "Week 16 · Mock Interviews, Resume Polish, Outreach"


async def test_week16_weekend_posts_block_a_and_block_b(
    simcord_env: Any, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    since = datetime(2027, 4, 23, 22, 0, tzinfo=UTC)  # Sat 24 Apr 00:00 Berlin (CEST)
    cohort = await make_cohort(guild.id, channel.id, schedule_from=since)
    bot = simcord_env.bot
    calendar = await cohort_calendar(cohort, bot.curriculum)
    slots = slots_between(
        calendar, bot.curriculum, post_times(cohort), since, datetime(2027, 4, 26, tzinfo=UTC)
    )
    assert [(s.local_date.isoformat(), s.slot) for s in slots] == [
        ("2027-04-24", "block_a"),
        ("2027-04-24", "block_b"),
        ("2027-04-25", "block_a"),
        ("2027-04-25", "block_b"),
        ("2027-04-25", "recap"),
        ("2027-04-25", "finale"),
    ]
    pipeline = pipeline_for(bot)
    sent_at: list[str] = []
    for instant in sorted({s.due_at for s in slots}):
        clock.set(instant)
        outcomes = await pipeline.run_cohort(cohort, clock())
        assert outcomes and {o.status for o in outcomes} == {"sent"}
        assert not any(o.late for o in outcomes)
        sent_at += [f"{o.key}@{instant.astimezone(BERLIN):%H:%M}" for o in outcomes]
        assert await pipeline.run_cohort(cohort, clock()) == []  # once

    assert sent_at == [
        "2027-04-24/block_a@10:00",  # the weekend time
        "2027-04-24/block_b@19:00",  # the Block-B time
        "2027-04-25/block_a@10:00",
        "2027-04-25/block_b@19:00",
        "2027-04-25/recap@20:00",
        "2027-04-25/finale@20:00",
    ]
    titles = [m.embeds[0].title for m in bot_posts(channel)]
    assert titles[:4] == [
        f"{WEEK16} — Sat · Block-A (90 min)",
        f"{WEEK16} — Sat · Block-B (90 min)",
        f"{WEEK16} — Sun · Block-A (90 min)",
        f"{WEEK16} — Sun · Block-B (90 min)",
    ]
    saturday_a = bot_posts(channel)[0]
    text = "\n".join(f"{f.name} {f.value}" for e in saturday_a.embeds for f in e.fields)
    assert "Send referral asks to 5 LinkedIn contacts" in text
    assert "Draft follow-up email templates" not in text  # that is Block-B's
