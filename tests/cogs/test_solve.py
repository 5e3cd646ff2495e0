"""/solve: replies, stored rows, public line, revisits, autocomplete, invalid input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.errors import NotAMember, UserFacingError
from bot.models import Entry
from tests.helpers import bot_posts, expect_errors


async def test_solve_from_catalogue_logs_and_posts_public_line(room: Any) -> None:
    guild, channel, alice, member = room

    result = await alice.slash(channel, "solve", problem="347", minutes=24)

    assert result.ephemeral
    text = result.response.content
    assert "#347 Top K Frequent Elements" in text
    assert "Week 5: **1/12** new problems" in text
    assert "Total: **1** unique problems" in text
    assert "🔥 Streak: 1 day" in text
    row = await Entry.get(member_id=member.id)
    assert (row.kind, row.problem_number, row.difficulty, row.minutes) == (
        "solve",
        347,
        "medium",
        24,
    )
    assert (row.language, row.mode, row.week, row.local_date) == (
        "python",
        "unguided",
        5,
        date(2027, 2, 3),
    )
    assert row.created_at == datetime(2027, 2, 3, 18, 0, tzinfo=UTC)
    public = bot_posts(channel)
    assert [m.content for m in public] == [
        "**alice** solved #347 Top K Frequent Elements · medium · 24 min — 1 this week"
    ]


REVISIT_LINE = (
    "↺ A revisit: you've solved this problem before, so it counts as practice, "
    "not as a new unique problem."
)


async def test_second_solve_of_same_problem_is_a_revisit(room: Any) -> None:
    guild, channel, alice, member = room
    first = await alice.slash(channel, "solve", problem="top-k-frequent-elements", minutes=30)
    assert REVISIT_LINE not in first.response.content

    # The default mode (unguided): it is a revisit because of the history, not the option.
    result = await alice.slash(channel, "solve", problem="#347", minutes=12)

    lines = result.response.content.splitlines()
    assert lines[1] == REVISIT_LINE
    assert "Total: **1** unique problems" in result.response.content
    assert "Week 5: **1/12** new problems (2 solves with revisits)" in result.response.content
    assert [m.content for m in bot_posts(channel)][-1] == (
        "**alice** revisited #347 Top K Frequent Elements · medium · 12 min — 2 this week"
    )
    rows = await Entry.filter(member_id=member.id).order_by("id")
    assert [r.mode for r in rows] == ["unguided", "unguided"]


async def test_unknown_problem_needs_difficulty(room: Any, simcord_env: Any) -> None:
    guild, channel, alice, member = room

    result = await alice.slash(channel, "solve", problem="2999", minutes=10)

    assert result.ephemeral and "difficulty" in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await Entry.all().count() == 0
    ok = await alice.slash(channel, "solve", problem="2999", minutes=10, difficulty="hard")
    assert "#2999" in ok.response.content
    assert (await Entry.get()).difficulty == "hard"


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"problem": "abc def"}, "`problem`"),
        ({"problem": "4001"}, "`problem`"),
        ({"when": "2027-01-20"}, "`when`"),
        ({"when": "tomorrow"}, "`when`"),
        ({"when": "2027-02-04"}, "future"),
    ],
)
async def test_invalid_options_answer_privately_and_save_nothing(
    room: Any, simcord_env: Any, options: dict[str, Any], needle: str
) -> None:
    guild, channel, alice, member = room
    values = {"problem": "1", "minutes": 5, **options}

    result = await alice.slash(channel, "solve", **values)

    assert result.ephemeral and needle in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await Entry.all().count() == 0
    assert bot_posts(channel) == []


async def test_backdated_solve_counts_for_that_day(room: Any) -> None:
    guild, channel, alice, member = room

    result = await alice.slash(channel, "solve", problem="1", minutes=5, when="yesterday")

    assert "(for Tue 2 Feb)" in result.response.content
    assert (await Entry.get()).local_date == date(2027, 2, 2)


async def test_mentions_in_notes_are_not_pinged(room: Any) -> None:
    guild, channel, alice, member = room

    result = await alice.slash(channel, "solve", problem="1", minutes=5, notes="@everyone look")

    assert (await Entry.get()).text == "@everyone look"
    assert result.response.message.mention_everyone is False


async def test_non_member_is_told_how_to_join(simcord_env: Any) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    bob = guild.add_member(simcord_env.create_user("bob"))

    result = await bob.slash(channel, "solve", problem="1", minutes=5)

    assert result.ephemeral and "/join" in result.response.content
    expect_errors(simcord_env, NotAMember)


async def test_public_line_can_be_turned_off(room: Any) -> None:
    guild, channel, alice, member = room
    member.public_lines = False
    await member.save()

    await alice.slash(channel, "solve", problem="1", minutes=5)

    assert bot_posts(channel) == []


async def test_problem_autocomplete_lists_this_week_first(room: Any) -> None:
    guild, channel, alice, member = room

    everything = await alice.autocomplete(channel, "solve", "problem", "")
    by_title = await alice.autocomplete(channel, "solve", "problem", "anagram")
    by_number = await alice.autocomplete(channel, "solve", "problem", "34")

    assert len(everything) == 25
    assert everything[0]["name"].startswith("★ ")  # week 5 problems come first
    assert all("anagram" in c["name"].lower() for c in by_title) and by_title
    assert all(c["value"].startswith("34") for c in by_number)
