"""/coach export — a cohort's entries as CSV and JSON (added to the /coach group).

Once per server every :data:`cogs.export.COHORT_EXPORT_COOLDOWN`; built in bounded memory
and sent within Discord's upload limit like ``/export`` (see :mod:`cogs.export`).
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any, Protocol, cast

import discord
from discord import app_commands
from discord.app_commands import Choice

from bot.app import CoachBot
from bot.core.ratelimit import RateLimiter
from bot.core.text import plural
from bot.errors import UserFacingError
from bot.services.export_files import cohort_file_stem, write_cohort_files
from bot.services.setup import resolve_cohort
from cogs._common import coach_group, cohort_choices
from cogs.export import COHORT_EXPORT_COOLDOWN, send_export


class _ExportCog(Protocol):
    """What /coach export shares with the Export cog: its cooldown, slots and limit."""

    cohort_limiter: RateLimiter
    slots: asyncio.Semaphore

    def upload_limit(self, interaction: discord.Interaction[Any]) -> int: ...


def _export_cog(interaction: discord.Interaction[Any]) -> _ExportCog:
    # Not an isinstance check: loading an extension imports its module afresh.
    cog = interaction.client.get_cog("Export")
    if cog is None or not hasattr(cog, "cohort_limiter"):
        raise RuntimeError("cogs.export must be loaded for /coach export")
    return cast(_ExportCog, cog)


@app_commands.command(name="export")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(cohort="Which cohort (needed only when the server has several)")
async def export_cohort(
    interaction: discord.Interaction[Any], cohort: app_commands.Range[str, 1, 64] | None = None
) -> None:
    """Download a cohort's entries (every member's logs) as CSV and JSON."""
    assert interaction.guild_id is not None
    found = await resolve_cohort(interaction.guild_id, cohort)
    cog = _export_cog(interaction)
    wait = cog.cohort_limiter.hit(interaction.guild_id)
    if wait is not None:
        minutes = max(1, round(wait / 60))
        raise UserFacingError(
            "A cohort export was made in this server less than "
            f"{plural(COHORT_EXPORT_COOLDOWN.seconds // 60, 'minute')} ago — try again in "
            f"{plural(minutes, 'minute')}."
        )
    await interaction.response.defer(ephemeral=True, thinking=True)
    async with cog.slots:
        with tempfile.TemporaryDirectory(prefix="studycoach-cohort-export-") as tmp:
            written = await write_cohort_files(found, interaction.client.curriculum, Path(tmp))
            name = discord.utils.escape_markdown(found.name)
            text = (
                f"📦 **{name}** — {plural(written.entries, 'entry', 'entries')} from "
                f"{plural(written.members, 'member')}. The CSV opens in a spreadsheet (times "
                f"in {found.timezone}); the JSON keeps every field."
            )
            await send_export(
                interaction,
                text,
                written.files,
                Path(tmp),
                limit=cog.upload_limit(interaction),
                zip_name=f"{cohort_file_stem(found)}.zip",
                too_large="`coach db copy` copies the whole database instead.",
            )


@export_cohort.autocomplete("cohort")
async def _cohort(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    return await cohort_choices(interaction, current)


async def setup(bot: CoachBot) -> None:
    coach_group(bot).add_command(export_cohort)


async def teardown(bot: CoachBot) -> None:
    coach_group(bot).remove_command("export")
