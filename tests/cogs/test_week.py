"""/week — the week at a glance."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.clock import FixedClock
from bot.core.posts import week_targets
from bot.render.fit import FIELD_VALUE_MAX, FIELDS_MAX
from bot.render.fit import MESSAGE_EMBED_TOTAL as EMBED_TOTAL_MAX
from bot.render.week import task_label, week_messages
from curriculum.loader import Curriculum
from curriculum.week_schema import Task, TaskKind
from tests.helpers import join, make_cohort, reply_text


async def test_week_5_at_a_glance(simcord_env: Any, curriculum: Curriculum) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    carol = guild.add_member(simcord_env.create_user("carol"))  # no cohort needed with a number

    result = await carol.slash(channel, "week", number=5)

    assert result.ephemeral
    text = reply_text(result)
    assert result.response.embeds[0].title == "📅 Week 5 · Arrays & Hashing"
    assert "Patterns: Arrays & Hashing" in text
    assert "Phase 2 · " in text
    targets = week_targets(curriculum, 5)
    assert targets
    for line in targets:
        assert line in text
    assert "Tue · A: Guided LC (LC-217, LC-242) · B: Copy solutions into" in text
    assert "Wed · A: Timed mediums (LC-347, LC-49) · B: Self-review…" in text
    assert "Sat · Session: Timed set (LC-1, LC-36, LC-295)" in text
    assert "Week 5 of 16" in text


async def test_week_ml_topic(simcord_env: Any) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    carol = guild.add_member(simcord_env.create_user("carol"))

    result = await carol.slash(channel, "week", number=9)

    assert "ML topic: Linear vs Logistic Regression" in reply_text(result)


async def test_week_defaults_to_the_members_current_week(
    simcord_env: Any, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await join(await make_cohort(guild.id, channel.id), alice.id)

    result = await alice.slash(channel, "week")  # Wed 3 Feb 2027: week 5

    assert result.response.embeds[0].title == "📅 Week 5 · Arrays & Hashing"
    assert "your current week (main)" in reply_text(result)

    clock.set(datetime(2026, 12, 30, tzinfo=UTC))
    early = await alice.slash(channel, "week")
    assert early.response.embeds[0].title.startswith("📅 Week 1 · ")
    assert "main starts Mon 4 Jan 2027" in reply_text(early)


@pytest.mark.parametrize("week", range(1, 17))
def test_every_week_fits_discord_limits(curriculum: Curriculum, week: int) -> None:
    messages = week_messages(curriculum, week, "x" * 100)
    days = [f.value for m in messages for e in m for f in e.fields if f.name.startswith("Days")]
    assert sum(v.count("\n") + 1 for v in days) == 7
    for message in messages:
        assert sum(len(e) for e in message) <= EMBED_TOTAL_MAX
        for embed in message:
            assert len(embed.fields) <= FIELDS_MAX
            assert all(len(f.value) <= FIELD_VALUE_MAX for f in embed.fields)


def test_task_label_shortens() -> None:
    def label(text: str, problems: list[int] | None = None) -> str:
        return task_label(Task(text=text, kind=TaskKind.READ, problems=problems or []))

    assert label("Self-review: identify the root cause.") == "Self-review…"
    assert label("Guided LC: LC-1 Two Sum", [1]) == "Guided LC (LC-1)"
    assert label("Read the guide, e.g. chapter 2. Then rest.") == "Read the guide, e.g. chapter 2…"
    assert label("Short task.") == "Short task"
    long = label("word " * 40)
    assert len(long) <= 60 and long.endswith("…")
