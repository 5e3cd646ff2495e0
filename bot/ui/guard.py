"""Buttons, selects and forms answer their own errors the way commands do.

discord.py sends app-command errors to the ``CoachTree``, but a failing component callback is
only logged: the member sees "This interaction failed". Every view subclasses
:class:`GuardedView`, every form :class:`GuardedModal`, and every persistent
(``DynamicItem``) callback is wrapped with :func:`guarded`, so a bad press gets the same kind,
private line as a bad command (``UserFacingError`` text, "couldn't save" for database trouble,
a generic apology otherwise — never a traceback). ``tests/ui/test_guard.py`` checks that every
component class of the project does one of these.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import discord

from bot.errors import StorageError, UserFacingError
from bot.failures import STORAGE_ERRORS
from bot.tree import GENERIC, send_private

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


def component_error_message(error: BaseException) -> str:
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, STORAGE_ERRORS):
        return str(StorageError())
    return GENERIC


async def answer_error(interaction: discord.Interaction[Any], error: Exception, what: str) -> None:
    """Log unexpected failures and tell the member privately."""
    if not isinstance(error, UserFacingError):
        log.error("component %s failed", what, exc_info=error)
    await send_private(interaction, component_error_message(error))


def guarded(callback: F) -> F:
    """Wrap a component callback ``(self, interaction, ...)`` so its errors are answered."""

    @functools.wraps(callback)
    async def wrapper(self: Any, interaction: discord.Interaction[Any], *args: Any) -> Any:
        try:
            return await callback(self, interaction, *args)
        except Exception as error:  # noqa: BLE001 - answered and logged, never swallowed
            await answer_error(interaction, error, type(self).__name__)
            return None

    wrapper.__guarded__ = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


class GuardedView(discord.ui.View):
    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        await answer_error(interaction, error, f"{type(self).__name__}/{type(item).__name__}")


class GuardedModal(discord.ui.Modal):
    async def on_error(  # type: ignore[override]  # Modal's own signature has no item
        self, interaction: discord.Interaction[Any], error: Exception, /
    ) -> None:
        await answer_error(interaction, error, type(self).__name__)
