"""/log pages, /undo, /delete and /coach remove: only your own entries, admins any."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import discord
import pytest
from simcord.backend.errors import SetupError

from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.models import Entry
from tests.helpers import expect_errors, join, make_cohort


@pytest.fixture
async def room(simcord_env: Any, clock: FixedClock) -> Any:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    bob = guild.add_member(simcord_env.create_user("bob"))
    cohort = await make_cohort(guild.id, channel.id)
    await join(cohort, alice.id)
    await join(cohort, bob.id)
    clock.set(datetime(2027, 2, 3, 18, 0, tzinfo=UTC))
    return guild, channel, alice, bob


async def test_log_pages_newest_first_and_only_the_caller_turns_pages(
    room: Any, simcord_bot: Any
) -> None:
    _, channel, alice, bob = room
    simcord_bot.log_limiter.limit = 100
    for i in range(23):
        await alice.slash(channel, "ledger", text=f"note {i:02d}")

    first = await alice.slash(channel, "log")
    text = first.response.content
    assert "23 entries · page 1/3" in text
    assert text.index("note 22") < text.index("note 13") and "note 12" not in text

    with pytest.raises(SetupError):  # the pages are private: nobody else can press them
        await bob.click(first.response, label="Older ▶")

    await alice.click(first.response, label="Older ▶")
    assert "page 2/3" in first.response.content and "note 12" in first.response.content
    await alice.click(first.response, label="◀ Newer")
    assert "page 1/3" in first.response.content


async def test_log_of_another_member_and_kind_filter(room: Any) -> None:
    _, channel, alice, bob = room
    await bob.slash(channel, "solve", problem="1", minutes=9)
    await bob.slash(channel, "ledger", text="bob's note")

    result = await alice.slash(channel, "log", member=bob, kind="solve")

    assert "bob's solve log" in result.response.content
    assert "#1 Two Sum" in result.response.content and "bob's note" not in result.response.content
    assert result.response.components == []  # one page: no buttons


async def test_undo_asks_then_removes_the_last_entry(room: Any) -> None:
    _, channel, alice, _bob = room
    await alice.slash(channel, "ledger", text="keep me")
    await alice.slash(channel, "ledger", text="oops, typo")

    asked = await alice.slash(channel, "undo")
    assert "Remove this entry?" in asked.response.content and "typo" in asked.response.content
    assert await Entry.all().count() == 2
    await alice.click(asked.response, label="Remove")

    assert "Removed" in asked.response.content
    assert await Entry.all().values_list("text", flat=True) == ["keep me"]


async def test_undo_keep_changes_nothing(room: Any) -> None:
    _, channel, alice, _bob = room
    await alice.slash(channel, "ledger", text="keep me")
    asked = await alice.slash(channel, "undo")
    await alice.click(asked.response, label="Keep it")
    assert "Nothing was changed" in asked.response.content
    assert await Entry.all().count() == 1


async def test_delete_only_own_entries(room: Any, simcord_env: Any) -> None:
    _, channel, alice, bob = room
    await bob.slash(channel, "ledger", text="bob's")
    await alice.slash(channel, "ledger", text="alice's")
    bobs = await Entry.get(text="bob's")
    alices = await Entry.get(text="alice's")

    refused = await alice.slash(channel, "delete", entry=bobs.id)
    assert refused.ephemeral and f"no entry #{bobs.id}" in refused.response.content
    expect_errors(simcord_env, UserFacingError)
    choices = await alice.autocomplete(channel, "delete", "entry", "")
    assert [c["value"] for c in choices] == [alices.id]

    done = await alice.slash(channel, "delete", entry=alices.id)
    assert "Removed" in done.response.content
    assert await Entry.all().values_list("text", flat=True) == ["bob's"]


async def test_coach_remove_needs_manage_server(room: Any, simcord_env: Any) -> None:
    guild, channel, alice, bob = room
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    ada = guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    await bob.slash(channel, "ledger", text="spam @everyone")
    entry = await Entry.get()

    result = await ada.slash(channel, "coach remove", entry=entry.id)

    assert result.ephemeral and "Removed" in result.response.content
    assert result.response.message.mention_everyone is False
    assert await Entry.all().count() == 0
    assert "coach remove" not in alice.available_commands(channel)


async def test_coach_remove_reaches_no_other_server(
    room: Any, simcord_env: Any, clock: FixedClock
) -> None:
    """Manage Server in one server removes nothing of another's members."""
    _, channel, _alice, bob = room
    await bob.slash(channel, "ledger", text="bob's, in the first server")
    entry = await Entry.get()
    other = simcord_env.create_guild()
    other_channel = other.create_text_channel("study")
    admins = other.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    ada = other.add_member(simcord_env.create_user("ada"), roles=[admins])
    await make_cohort(other.id, other_channel.id)

    refused = await ada.slash(other_channel, "coach remove", entry=entry.id)

    assert refused.ephemeral and f"no entry #{entry.id} in this server" in refused.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await Entry.all().values_list("text", flat=True) == ["bob's, in the first server"]
