"""App-command checks shared by the cogs."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.core.ratelimit import RateLimiter
from bot.errors import UserFacingError

T = TypeVar("T")


class SlowDown(UserFacingError):
    def __init__(self, limit: int, retry_after: float) -> None:
        super().__init__(
            f"You're logging very fast — up to {limit} entries a minute. "
            f"Try again in {max(1, round(retry_after))} s; nothing was saved this time."
        )


def spend_log_budget(interaction: discord.Interaction[Any]) -> None:
    """Count one logging action against the member's ``LOG_RATE_LIMIT`` (slash commands,
    forms and buttons that log alike); :class:`SlowDown` when it is spent."""
    limiter = getattr(interaction.client, "log_limiter", None)
    if limiter is None:
        return
    wait = limiter.hit((interaction.guild_id, interaction.user.id))
    if wait is not None:
        raise SlowDown(limiter.limit, wait)


def logging_command() -> Callable[[T], T]:
    """Per-member rate limit on logging commands (``LOG_RATE_LIMIT`` per minute)."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        spend_log_budget(interaction)
        return True

    return app_commands.check(predicate)


# Per bot: {command name: limiter}; a new bot (a test, a restart) starts with fresh budgets.
_cooldowns: weakref.WeakKeyDictionary[Any, dict[str, RateLimiter]] = weakref.WeakKeyDictionary()


def member_cooldown(rate: int, per: float) -> Callable[[T], T]:
    """At most ``rate`` uses of the command per ``per`` seconds for each member of a server.

    On the bot's injected clock (``RateLimiter``); the tree answers the refusal kindly
    (``CommandOnCooldown``: "try again in N s").
    """
    window = timedelta(seconds=per)

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        client = interaction.client
        name = interaction.command.qualified_name if interaction.command else ""
        limiters = _cooldowns.setdefault(client, {})
        limiter = limiters.get(name)
        if limiter is None:
            limiter = limiters[name] = RateLimiter(rate, window, client.clock)
        wait = limiter.hit((interaction.guild_id, interaction.user.id))
        if wait is not None:
            raise app_commands.CommandOnCooldown(app_commands.Cooldown(rate, per), wait)
        return True

    return app_commands.check(predicate)
