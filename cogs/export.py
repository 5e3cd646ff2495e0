"""/export, /card and /forget-me — take your data with you, or have it deleted.

Also keeps track of the guilds the bot is in: when it is removed from one, the guild's data
is kept for 30 days (``bot.services.privacy.RETENTION``) and then purged by
``coach db purge`` (or the scheduler).
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import logging_command
from bot.core.ratelimit import RateLimiter
from bot.errors import UserFacingError
from bot.exports.bundle import DISCORD_LIMIT, bundle_files
from bot.models import Entry
from bot.render.entries import logged_reply
from bot.services import privacy
from bot.services.export import (
    FILE_NAMES,
    Part,
    exporting_member,
    log_card,
    member_export,
    render_member_files,
)
from bot.services.progress import find_member
from bot.ui.views import Confirm
from cogs._common import context_for, reply

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
FILES_PER_MESSAGE = 10
MESSAGE_LIMIT = 2000  # characters of message content
EXPORTS_PER_WINDOW = 5
EXPORT_WINDOW = timedelta(minutes=10)
WHAT = [
    Choice(name="Everything (default)", value=Part.ALL.value),
    Choice(name="Learning Ledger (Markdown)", value=Part.LEDGER.value),
    Choice(name="Solves (CSV)", value=Part.CSV.value),
    Choice(name="Everything (JSON)", value=Part.JSON.value),
    Choice(name="Anki deck: Oops List + Key Insight cards", value=Part.ANKI.value),
    Choice(name="Calendar: your remaining study blocks (.ics)", value=Part.CALENDAR.value),
]
DESCRIPTIONS = {
    Part.LEDGER: "your Learning Ledger: goals, daily log, Oops List, recaps, milestones "
    "(opens as is in Notion or Obsidian)",
    Part.CSV: "every solve, one row each",
    Part.JSON: "everything, machine-readable",
    Part.ANKI: "your Oops List and `/card` Key Insights for Anki (re-importing updates them)",
    Part.CALENDAR: "your remaining study blocks",
}


async def send_files(
    interaction: discord.Interaction[Any],
    text: str,
    files: Sequence[tuple[str, bytes]],
    limit: int = DISCORD_LIMIT,
) -> None:
    """Private follow-ups with ``files`` attached, zipped or split above ``limit`` bytes."""
    attachments, note = bundle_files(files, limit=limit, max_files=FILES_PER_MESSAGE)
    if note:
        text = f"{text}\n📎 {note}"
    batches = [
        attachments[i : i + FILES_PER_MESSAGE]
        for i in range(0, len(attachments), FILES_PER_MESSAGE)
    ] or [[]]
    for i, batch in enumerate(batches):
        await interaction.followup.send(
            text[:MESSAGE_LIMIT] if i == 0 else f"Message {i + 1} of {len(batches)}",
            files=[discord.File(io.BytesIO(data), filename=name) for name, data in batch],
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


def export_text(part: Part, entries: int, zone: str) -> str:
    parts = list(FILE_NAMES) if part is Part.ALL else [part]
    count = f"{entries} {'entry' if entries == 1 else 'entries'}"
    lines = [f"📦 **Your StudyCoach export** — {count}."]
    for p in parts:
        extra = f" (in {zone})" if p is Part.CALENDAR else ""
        lines.append(f"• `{FILE_NAMES[p]}` — {DESCRIPTIONS[p]}{extra}")
    return "\n".join(lines)


def forgotten_text(result: privacy.Forgotten) -> str:
    if not result.counts:
        lines = ["There was nothing stored about you as a member here."]
    else:
        done = " · ".join(privacy.count_text(n, label) for label, n in result.counts.items())
        lines = [
            f"🗑️ Deleted everything about you in this server: {done}.",
            "Messages already posted in channels stay as they are (delete them in Discord "
            "if you like). `/join` starts afresh.",
        ]
    if result.contact_moved:
        lines.append(
            "Failure notices for "
            + ", ".join(f"**{discord.utils.escape_markdown(n)}**" for n in result.contact_moved)
            + " now go to the server owner."
        )
    if result.contact_kept:
        lines.append(
            "You own this server, so you stay the contact for the cohorts you set up "
            "(an admin can take over by running `/coach setup` again)."
        )
    return "\n".join(lines)


class Export(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self.limiter = RateLimiter(EXPORTS_PER_WINDOW, EXPORT_WINDOW, bot.clock)
        self.attachment_limit = DISCORD_LIMIT  # bytes per message (tests lower it)

    @app_commands.command(name="export")
    @app_commands.guild_only()
    @app_commands.describe(what="Which file: everything (default) or just one of them")
    @app_commands.choices(what=WHAT)
    async def export(self, interaction: discord.Interaction, what: str = Part.ALL.value) -> None:
        """Download your data: Learning Ledger, solves CSV, JSON, Anki deck and calendar."""
        assert interaction.guild_id is not None
        try:
            part = Part(what)
        except ValueError:
            names = ", ".join(p.value for p in Part)
            raise UserFacingError(f"`what` must be one of: {names}.") from None
        member, cohort = await exporting_member(interaction.guild_id, interaction.user.id)
        wait = self.limiter.hit((interaction.guild_id, interaction.user.id))
        if wait is not None:
            raise UserFacingError(
                f"Exports take a moment to build — up to {EXPORTS_PER_WINDOW} every "
                f"{EXPORT_WINDOW.seconds // 60} minutes. Try again in {max(1, round(wait))} s."
            )
        await interaction.response.defer(ephemeral=True, thinking=True)
        curriculum = self.bot.curriculum
        bundle = await member_export(
            interaction.guild_id, member, cohort, curriculum, self.bot.clock()
        )
        files = await asyncio.to_thread(render_member_files, bundle, curriculum, part)
        text = export_text(part, len(bundle.data.entries), bundle.zone.key)
        await send_files(interaction, text, files, self.attachment_limit)

    @app_commands.command(name="card")
    @app_commands.guild_only()
    @app_commands.describe(
        front="The question side (up to 500 characters)",
        back="The answer: the insight itself (up to 500 characters)",
    )
    @logging_command()
    async def card(
        self,
        interaction: discord.Interaction,
        front: Range[str, 1, 500],
        back: Range[str, 1, 500],
    ) -> None:
        """Add a 💡 Key Insight flash card (it goes into the Anki deck of /export)."""
        ctx = await context_for(self.bot, interaction)
        result = await log_card(ctx, front, back)
        await reply(interaction, logged_reply(result, "It's in your `/export what:anki` deck."))

    @app_commands.command(name="forget-me")
    @app_commands.guild_only()
    async def forget_me(self, interaction: discord.Interaction) -> None:
        """Delete everything this bot stores about you in this server (asks first)."""
        assert interaction.guild_id is not None
        guild_id, user_id = interaction.guild_id, interaction.user.id
        member = await find_member(guild_id, user_id)
        if member is None:
            raise UserFacingError("I don't store anything about you as a member of this server.")
        entries = await Entry.filter(member_id=member.id).count()
        owner_id = interaction.guild.owner_id if interaction.guild else None

        async def confirm() -> str:
            return forgotten_text(await privacy.forget_member(guild_id, user_id, owner_id=owner_id))

        await reply(
            interaction,
            "⚠️ This deletes **everything** StudyCoach stores about you in this server: your "
            f"membership and settings, all **{entries}** entries (solves, Oops List, ledger, "
            "cards …), Oops re-reviews, buddy pairings and your LeetCode link. It can't be "
            "undone — run `/export` first if you want a copy. Messages already posted in "
            "channels stay.",
            Confirm(user_id, confirm, "Delete everything"),
        )

    # -- guilds joined and left -----------------------------------------------------------
    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        if await privacy.mark_left(guild.id, self.bot.clock()):
            log.info("left guild %s: its data is purged in %s", guild.id, privacy.RETENTION)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        if await privacy.mark_joined(guild.id):
            log.info("back in guild %s: its data is kept", guild.id)

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Catch up on guilds joined or left while the bot was offline."""
        gone, back = await privacy.sync_guilds([g.id for g in self.bot.guilds], self.bot.clock())
        if gone or back:
            log.info("guilds left while offline: %d, rejoined: %d", gone, back)


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Export(bot))
