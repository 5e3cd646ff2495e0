"""/done with a quantity: countable deliverables add up, everything else is ticked once."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import UserFacingError
from bot.models import Entry
from bot.services.progress import all_items, item_count, mark_done, member_context
from curriculum.loader import Curriculum
from tests.helpers import expect_errors


async def test_applications_add_up_towards_the_goal(room: Any) -> None:
    _, channel, alice, member = room

    first = await alice.slash(channel, "done", item="w16-applications", quantity=3)
    second = await alice.slash(channel, "done", item="w16-applications", quantity=4)
    third = await alice.slash(channel, "done", item="w16-applications")

    assert first.ephemeral and "+3 · **3 of 10** applications" in first.response.content
    assert "+4 · **7 of 10** applications" in second.response.content
    assert "+1 · **8 of 10** applications" in third.response.content
    assert "goal reached" not in third.response.content
    rows = await Entry.filter(member_id=member.id, kind="done").order_by("id")
    assert [(r.item_id, r.quantity, r.dedupe_key) for r in rows] == [
        ("w16-applications", 3, None),
        ("w16-applications", 4, None),
        ("w16-applications", None, None),  # null means 1
    ]
    last = await alice.slash(channel, "done", item="w16-applications", quantity=2)
    assert "**10 of 10** applications — goal reached 🎉" in last.response.content
    assert await item_count(member.id, "w16-applications") == 10


async def test_a_quantity_on_a_tick_once_item_changes_nothing(room: Any, simcord_env: Any) -> None:
    _, channel, alice, member = room

    result = await alice.slash(channel, "done", item="w5-mindmap-arrays-hashing", quantity=2)

    assert result.ephemeral and "takes no `quantity`" in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await Entry.filter(member_id=member.id).count() == 0
    ticked = await alice.slash(channel, "done", item="w5-mindmap-arrays-hashing")
    again = await alice.slash(channel, "done", item="w5-mindmap-arrays-hashing")
    assert (
        "Logged" in ticked.response.content and "of" not in ticked.response.content.split("\n")[0]
    )
    assert "already ticked off" in again.response.content
    assert await Entry.filter(member_id=member.id).count() == 1


async def test_quantity_out_of_range_is_refused_by_the_service(
    room: Any, curriculum: Curriculum, simcord_env: Any
) -> None:
    guild, _, alice, member = room
    ctx = await member_context(guild.id, alice.id, curriculum, simcord_env.bot.clock())
    item = all_items(curriculum)["w16-applications"]
    for bad in (0, -3, 1001):
        with pytest.raises(UserFacingError, match="`quantity` must be between 1 and 1000"):
            await mark_done(ctx, item, bad)
    assert await Entry.filter(member_id=member.id).count() == 0


async def test_a_countable_item_says_so_in_the_option_help(simcord_env: Any) -> None:
    tree = simcord_env.bot.tree
    (command,) = [c for c in tree.walk_commands() if c.qualified_name == "done"]
    (quantity,) = [p for p in command.parameters if p.name == "quantity"]
    assert not quantity.required and (quantity.min_value, quantity.max_value) == (1, 1000)
    assert "applications" in quantity.description
