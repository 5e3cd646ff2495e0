"""/forget-me leaves no row about the member (every table checked) and touches no one else."""

from __future__ import annotations

from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.fields import BigIntField
from tortoise.models import Model

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.leetcode.models import LeetCodeLink
from bot.models import Buddy, Cohort, Entry, Member, OopsReview
from bot.services.privacy import references
from tests.exports.world import Room, log_two_weeks, make_room
from tests.helpers import expect_errors, make_cohort


def _models() -> list[type[Model]]:
    assert Tortoise.apps is not None
    return list(Tortoise.apps["coach"].values())


async def rows_about(member: Member) -> dict[str, list[int]]:
    """Per table, the ids of rows that point at ``member`` or hold its user id."""
    found: dict[str, list[int]] = {}
    for model in _models():
        ids: set[int] = set()
        if model is Member:
            ids |= set(await Member.filter(id=member.id).values_list("id", flat=True))
        for name in references(model, Member):
            kw = {f"{name}_id": member.id}
            ids |= set(await model.filter(**kw).values_list("id", flat=True))
        for name in references(model, Entry):
            kw = {f"{name}__member_id": member.id}
            ids |= set(await model.filter(**kw).values_list("id", flat=True))
        for name, fld in model._meta.fields_map.items():
            if isinstance(fld, BigIntField) and name.endswith("user_id"):
                kw = {name: member.user_id}
                ids |= set(await model.filter(**kw).values_list("id", flat=True))
        if ids:
            found[model._meta.db_table] = sorted(ids)
    return found


async def _link(member: Member, room: Room, clock: FixedClock) -> None:
    """A LeetCode link for ``member``."""
    await member.fetch_related("guild")
    await LeetCodeLink.create(
        member=member, guild=member.guild, site="leetcode.com", username="x", created_at=clock()
    )


@pytest.fixture
async def room(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Room:
    room = await make_room(simcord_env, simcord_bot)
    await log_two_weeks(simcord_env, room, clock)
    await room.bob.slash(room.channel, "oops", what="bob's oops", lesson="bob's lesson")
    await Buddy.create(
        requester=room.alice_member, partner=room.bob_member, status="active", created_at=clock()
    )
    await make_cohort(room.guild.id, room.channel.id, name="evening", setup_user_id=room.alice.id)
    return room


async def test_forget_me_deletes_every_row_about_the_member(
    room: Room, simcord_env: Any, clock: FixedClock
) -> None:
    await _link(room.alice_member, room, clock)
    before_alice = await rows_about(room.alice_member)
    assert {"member", "entry", "oops_review", "buddy", "cohort"} <= set(before_alice)
    bob_before = await rows_about(room.bob_member)
    bob_row = await Member.get(id=room.bob_member.id).values()

    asked = await room.alice.slash(room.channel, "forget-me")
    assert asked.ephemeral and "**11** entries" in asked.response.content
    assert await Entry.filter(member_id=room.alice_member.id).count() == 11  # not yet
    await room.alice.click(asked.response, label="Delete everything")

    text = asked.response.content
    assert "3 solves" in text and "1 Oops entry ·" in text and "1 Key Insight card ·" in text
    assert "1 buddy pairing ·" in text and "1 member profile" in text
    assert "4 Oops re-review steps" in text
    assert "now go to the server owner" in text
    assert "1 LeetCode account link ·" in text
    assert await rows_about(room.alice_member) == {}
    evening = await Cohort.get(name="evening")
    assert evening.setup_user_id == room.guild.owner.id

    bob_after = await rows_about(room.bob_member)
    bob_before.pop("buddy")  # the pairing involved both of them
    assert bob_after == bob_before
    assert await Member.get(id=room.bob_member.id).values() == bob_row
    assert await OopsReview.filter(member_id=room.bob_member.id).count() == 4


async def test_forget_me_keep_it_changes_nothing(room: Room, simcord_env: Any) -> None:
    before = await rows_about(room.alice_member)
    asked = await room.alice.slash(room.channel, "forget-me")
    await room.alice.click(asked.response, label="Keep it")
    assert "Nothing was changed" in asked.response.content
    assert await rows_about(room.alice_member) == before


async def test_forget_me_without_data(room: Room, simcord_env: Any) -> None:
    stranger = room.guild.add_member(simcord_env.create_user("carol"))
    result = await stranger.slash(room.channel, "forget-me")
    assert "don't store anything about you" in result.response.content
    expect_errors(simcord_env, UserFacingError)
