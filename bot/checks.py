"""App-command checks shared by the cogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.errors import UserFacingError

T = TypeVar("T")


class SlowDown(UserFacingError):
    def __init__(self, limit: int, retry_after: float) -> None:
        super().__init__(
            f"You're logging very fast — up to {limit} entries a minute. "
            f"Try again in {max(1, round(retry_after))} s; nothing was saved this time."
        )


def logging_command() -> Callable[[T], T]:
    """Per-member rate limit on logging commands (``LOG_RATE_LIMIT`` per minute)."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        limiter = interaction.client.log_limiter
        wait = limiter.hit((interaction.guild_id, interaction.user.id))
        if wait is not None:
            raise SlowDown(limiter.limit, wait)
        return True

    return app_commands.check(predicate)
