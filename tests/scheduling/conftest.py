"""simcord fixtures: the real bot against a simulated Discord, on a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.settings import Settings
from curriculum.loader import Curriculum


@pytest.fixture
async def simcord_bot(
    settings: Settings, curriculum: Curriculum, clock: FixedClock
) -> AsyncIterator[CoachBot]:
    bot = CoachBot(settings, curriculum, clock=clock, start_scheduler=False)
    yield bot
    # simcord detaches the bot without closing it; close it the way production does.
    await bot.close()


def expect_errors(env: object, *types: type[BaseException]) -> list[BaseException]:
    """Acknowledge the errors the bot handled (simcord records every tree error).

    Asserts each one, unwrapped from CommandInvokeError, is one of ``types``.
    """
    from discord import app_commands

    with pytest.raises(ExceptionGroup) as caught:
        env.raise_errors()  # type: ignore[attr-defined]
    found = [
        e.original if isinstance(e, app_commands.CommandInvokeError) else e
        for e in caught.value.exceptions
    ]
    assert all(isinstance(e, types) for e in found), found
    return found
