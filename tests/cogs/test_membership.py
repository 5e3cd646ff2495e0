"""Member commands tell someone who joined no cohort how to join, privately."""

from __future__ import annotations

from typing import Any

import pytest

from bot.errors import NotAMember
from tests.helpers import expect_errors


@pytest.mark.parametrize("command", ["today", "week"])
async def test_without_membership_says_how_to_join(simcord_env: Any, command: str) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    bob = guild.add_member(simcord_env.create_user("bob"))

    result = await bob.slash(channel, command)

    assert result.ephemeral
    assert "/join" in result.response.content
    expect_errors(simcord_env, NotAMember)
