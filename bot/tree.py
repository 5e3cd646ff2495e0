"""The one place that turns app-command errors into kind, private replies."""

from __future__ import annotations

import logging
import time

import discord
from discord import app_commands

from bot.errors import StorageError, UserFacingError
from bot.failures import STORAGE_ERRORS
from bot.metrics import METRICS
from bot.render.fit import CONTENT_MAX, shorten

log = logging.getLogger(__name__)

GENERIC = "Something went wrong on our side and nothing was changed. It has been logged."


def error_message(error: app_commands.AppCommandError) -> str:
    """The user-facing text for an app-command error (no tracebacks, no internals)."""
    if isinstance(error, app_commands.CommandInvokeError):
        original = error.original
        if isinstance(original, UserFacingError):
            return str(original)
        if isinstance(original, STORAGE_ERRORS):
            return str(StorageError())
        return GENERIC
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        perms = ", ".join(
            p.replace("_", " ").replace("guild", "server").title()
            for p in error.missing_permissions
        )
        return f"You need the **{perms}** permission to use this command."
    if isinstance(error, app_commands.BotMissingPermissions):
        perms = ", ".join(p.replace("_", " ").title() for p in error.missing_permissions)
        return f"I'm missing the **{perms}** permission here."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works inside a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little — try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError):
        return f"`{error.value}` isn't a valid value for that option."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    return GENERIC


class CoachTree(app_commands.CommandTree[discord.Client]):
    async def _call(self, interaction: discord.Interaction[discord.Client]) -> None:
        started = time.perf_counter()  # command latency for /metrics (bot.metrics)
        try:
            await super()._call(interaction)
        finally:
            if interaction.type is discord.InteractionType.application_command:
                name = interaction.command.qualified_name if interaction.command else "unknown"
                METRICS.observe_command(name, time.perf_counter() - started)

    async def on_error(
        self, interaction: discord.Interaction[discord.Client], error: app_commands.AppCommandError
    ) -> None:
        message = error_message(error)
        if message == str(StorageError()):
            METRICS.database_errors.labels("command").inc()
        if message == GENERIC or message == str(StorageError()):
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("app command /%s failed", command, exc_info=error)
        await send_private(interaction, message)


async def send_private(interaction: discord.Interaction[discord.Client], message: str) -> None:
    """Reply ephemerally, as a follow-up when the interaction was already answered."""
    allowed = discord.AllowedMentions.none()
    message = shorten(message, CONTENT_MAX)  # an error may quote what the user typed
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=allowed)
        else:
            await interaction.response.send_message(
                message, ephemeral=True, allowed_mentions=allowed
            )
    except discord.HTTPException:
        log.warning("could not deliver an error reply", exc_info=True)
