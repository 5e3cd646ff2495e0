"""Fixtures shared by the cog tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.core.clock import FixedClock
from tests.helpers import join, make_cohort


@pytest.fixture
async def room(simcord_env: Any, clock: FixedClock) -> Any:
    """(guild, channel, alice, alice's member row): alice in the Berlin cohort, Wed of week 5."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    cohort = await make_cohort(guild.id, channel.id)
    member = await join(cohort, alice.id)
    clock.set(datetime(2027, 2, 3, 18, 0, tzinfo=UTC))  # Wed of week 5, 19:00 Berlin
    return guild, channel, alice, member
