"""/coach remove and /coach accountability (added to the /coach group)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.utils import escape_markdown

from bot.app import CoachBot
from bot.errors import UserFacingError
from bot.render.entries import entry_line
from bot.services.progress import delete_entry, guild_entry, item_titles
from bot.services.setup import resolve_cohort
from cogs._common import coach_group

NO_MENTIONS = discord.AllowedMentions.none()


@app_commands.command(name="remove")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(entry="The entry's number (members see it in /log)")
async def remove(interaction: discord.Interaction[Any], entry: app_commands.Range[int, 1]) -> None:
    """Remove any member's entry in this server (spam, mistakes)."""
    assert interaction.guild_id is not None
    found = await guild_entry(interaction.guild_id, entry)
    line = entry_line(found, item_titles(interaction.client.curriculum))
    removed = await delete_entry(found)
    if removed:  # rewards earned with it are checked again (cogs.coach_plans)
        interaction.client.dispatch("entry_removed", found.member.id)
    owner = f"<@{found.member.user_id}>"
    text = f"Removed {owner}'s entry: {line}" if removed else "That entry was already gone."
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


@app_commands.command(name="accountability")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(
    cohort="Which cohort (needed only when the server has several)",
    nudges="Mention members in the Block-A post after two days without a log",
    rest_days="Days off per week a streak survives (0–3)",
    points_easy="Leaderboard points for an easy problem",
    points_medium="Leaderboard points for a medium problem",
    points_hard="Leaderboard points for a hard problem",
)
async def accountability(
    interaction: discord.Interaction[Any],
    cohort: app_commands.Range[str, 1, 64] | None = None,
    nudges: bool | None = None,
    rest_days: app_commands.Range[int, 0, 3] | None = None,
    points_easy: app_commands.Range[int, 0, 100] | None = None,
    points_medium: app_commands.Range[int, 0, 100] | None = None,
    points_hard: app_commands.Range[int, 0, 100] | None = None,
) -> None:
    """See or change a cohort's nudges, streak rest days and leaderboard points."""
    assert interaction.guild_id is not None
    found = await resolve_cohort(interaction.guild_id, cohort)
    changes = {
        "nudges_enabled": nudges,
        "rest_days_per_week": rest_days,
        "points_easy": points_easy,
        "points_medium": points_medium,
        "points_hard": points_hard,
    }
    for name, value in changes.items():
        if value is not None:
            if name != "nudges_enabled" and not 0 <= int(value) <= (
                3 if name.startswith("rest") else 100
            ):
                raise UserFacingError(f"`{name}` is out of range.")
            setattr(found, name, value)
    if any(v is not None for v in changes.values()):
        await found.save()
    text = (
        f"**{escape_markdown(found.name)}** · nudges **{'on' if found.nudges_enabled else 'off'}**"
        f" · {found.rest_days_per_week} rest day(s) a week · points easy {found.points_easy},"
        f" medium {found.points_medium}, hard {found.points_hard}"
    )
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: CoachBot) -> None:
    group = coach_group(bot)
    group.add_command(remove)
    group.add_command(accountability)


async def teardown(bot: CoachBot) -> None:
    group = coach_group(bot)
    group.remove_command("remove")
    group.remove_command("accountability")
