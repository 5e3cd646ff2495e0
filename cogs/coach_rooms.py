"""/coach rooms add|remove|list|settings — voice channels whose time counts as study time.

Added to the ``/coach`` group (Manage Server; checked on the server too). Time in a study
room is recorded for the members of its cohort; ``/studytime``, the recap and the
leaderboard's ``time`` metric read it.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.utils import escape_markdown

from bot.app import CoachBot
from bot.core.text import plural
from bot.core.voice import Mode
from bot.errors import UserFacingError
from bot.render.fit import Report, Section
from bot.render.replies import send_report, send_text
from bot.render.sessions import rooms_lines
from bot.services import study_rooms as svc
from bot.services.setup import resolve_cohort
from bot.sessions.tracker import voice_tracker
from cogs._common import coach_group, cohort_choices

COHORT_HELP = "Which cohort (needed only when the server has several)"
VoiceLike = discord.VoiceChannel | discord.StageChannel

rooms = app_commands.Group(
    name="rooms", description="Voice channels whose time counts as study time for a cohort."
)


@rooms.command(name="add")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(channel="The voice channel to count", cohort=COHORT_HELP)
async def add(
    interaction: discord.Interaction[Any],
    channel: VoiceLike,
    cohort: app_commands.Range[str, 1, 64] | None = None,
) -> None:
    """Count time in a voice channel as study time for a cohort."""
    assert interaction.guild is not None
    bot: CoachBot = interaction.client  # type: ignore[assignment]
    found = await resolve_cohort(interaction.guild.id, cohort)
    added = await svc.add_room(
        interaction.guild.id, found, channel.id, interaction.user.id, bot.clock()
    )
    tracker = voice_tracker(bot)
    tracker.forget_rooms(interaction.guild.id)
    await tracker.reconcile_guild(interaction.guild, Mode.HEARTBEAT)  # who is there counts from now
    name = escape_markdown(found.name)
    if not added:
        await send_text(interaction, f"<#{channel.id}> already counts for **{name}**.")
        return
    await send_text(
        interaction,
        f"🎧 <#{channel.id}> is now a study room of **{name}**: members' time there counts from "
        "now on (`/studytime`, the weekly recap, `/leaderboard metric:time`); 60 of a block's "
        "90 minutes in a room mark the block done.",
    )


@rooms.command(name="remove")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(channel="The study room to stop counting")
async def remove(interaction: discord.Interaction[Any], channel: VoiceLike) -> None:
    """Stop counting a voice channel (time already recorded stays)."""
    assert interaction.guild is not None
    removed = await voice_tracker(interaction.client).remove_room(  # type: ignore[arg-type]
        interaction.guild, channel.id
    )
    if removed is None:
        raise UserFacingError(
            f"<#{channel.id}> isn't a study room — `/coach rooms list` shows them."
        )
    await send_text(
        interaction,
        f"<#{channel.id}> no longer counts as a study room (time already recorded stays).",
    )


@rooms.command(name="list")
@app_commands.checks.has_permissions(manage_guild=True)
async def list_rooms(interaction: discord.Interaction[Any]) -> None:
    """The server's study rooms and their cohorts."""
    assert interaction.guild_id is not None
    found = await svc.rooms_in_guild(interaction.guild_id)
    ignore = {r.cohort_id: await svc.ignores_deafened(r.cohort_id) for r in found}
    lines = rooms_lines(found, ignore) or ["None yet — `/coach rooms add` makes one."]
    title = f"🎧 Study rooms · {plural(len(found), 'room')} of {svc.MAX_ROOMS}"
    await send_report(interaction, Report(title, [Section("Rooms", lines)]))


@rooms.command(name="settings")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(
    cohort=COHORT_HELP,
    ignore_deafened="Don't count time while a member is self-deafened",
)
async def settings(
    interaction: discord.Interaction[Any],
    cohort: app_commands.Range[str, 1, 64] | None = None,
    ignore_deafened: bool | None = None,
) -> None:
    """See or change how a cohort's study-room time counts."""
    assert interaction.guild_id is not None
    bot: CoachBot = interaction.client  # type: ignore[assignment]
    found = await resolve_cohort(interaction.guild_id, cohort)
    if ignore_deafened is not None:
        await svc.set_ignore_deafened(found, ignore_deafened, bot.clock())
        voice_tracker(bot).forget_cohort(found.id)
    value = await svc.ignores_deafened(found.id)
    how = "is **not** counted" if value else "counts like any other"
    await send_text(
        interaction,
        f"**{escape_markdown(found.name)}** · time while self-deafened {how} "
        "(applies to totals shown from now on, including time already recorded).",
    )


@add.autocomplete("cohort")
@settings.autocomplete("cohort")
async def _cohort(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    return await cohort_choices(interaction, current)


async def setup(bot: CoachBot) -> None:
    coach_group(bot).add_command(rooms)


async def teardown(bot: CoachBot) -> None:
    coach_group(bot).remove_command("rooms")
