"""/export, /card and /forget-me — take your data with you, or have it deleted.

Exports are built in bounded memory (entries streamed in batches into files on disk), at
most :data:`EXPORT_SLOTS` at a time per process, and sent in as many private messages as
Discord's upload limit needs (see :mod:`bot.exports.bundle`).

Also keeps track of the guilds the bot is in: when it is removed from one, the guild's data
is kept for 30 days (``bot.services.privacy.RETENTION``) and then purged by
``coach db purge`` (or the scheduler).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import logging_command
from bot.coaching import roles as reward_roles
from bot.core.ratelimit import RateLimiter
from bot.core.text import plural
from bot.errors import UserFacingError
from bot.exports.bundle import (
    FILES_PER_MESSAGE,
    MAX_MESSAGES,
    UPLOAD_LIMIT,
    ExportFile,
    ExportTooLarge,
    Packed,
    pack,
    size_text,
)
from bot.models import Entry
from bot.render.entries import logged_reply
from bot.render.fit import CONTENT_MAX, shorten
from bot.services import privacy
from bot.services.cards import log_card
from bot.services.export import exporting_member, member_export
from bot.services.export_files import FILE_NAMES, Part, write_member_files
from bot.services.progress import find_member
from bot.shards import ShardScope
from bot.ui.views import Confirm
from cogs._common import context_for, reply

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
EXPORTS_PER_WINDOW = 5  # /export, per member
EXPORT_WINDOW = timedelta(minutes=10)
COHORT_EXPORT_COOLDOWN = timedelta(minutes=10)  # /coach export, per server
EXPORT_SLOTS = 2  # exports being built at once in this process; others wait their turn
REQUEST_HEADROOM = 64 * 1024  # a request's bytes besides the files: its JSON and framing
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


def upload_limit_of(interaction_limit: int | None, guild_limit: int | None) -> int:
    """Bytes of attachments one message may carry: the smallest limit Discord tells (the
    interaction's, the server's boost tier), 10 MiB when neither is known, less the
    request's own overhead."""
    known = [x for x in (interaction_limit, guild_limit) if x is not None and x > 0]
    return max(1, min(known or [UPLOAD_LIMIT]) - REQUEST_HEADROOM)


def upload_limit(interaction: discord.Interaction[Any]) -> int:
    guild = interaction.guild
    return upload_limit_of(interaction.filesize_limit, guild.filesize_limit if guild else None)


async def send_packed(interaction: discord.Interaction[Any], text: str, packed: Packed) -> None:
    """The packed files as private follow-ups: ``text`` (and how the files were packed) on
    the first message, "Part 2 of 3" on the others; no request over the limits."""
    first = f"{text}\n📎 {packed.note}" if packed.note else text
    messages = packed.messages or [[]]
    for i, batch in enumerate(messages):
        content = shorten(first, CONTENT_MAX) if i == 0 else f"📎 Part {i + 1} of {len(messages)}"
        files = [discord.File(f.path, filename=f.name) for f in batch]
        try:
            await interaction.followup.send(
                content, files=files, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        finally:
            for f in files:
                f.close()


async def send_export(
    interaction: discord.Interaction[Any],
    text: str,
    files: list[ExportFile],
    workdir: Path,
    *,
    limit: int,
    zip_name: str,
    too_large: str,
) -> None:
    """Fit ``files`` into Discord's limits (zipped or split when needed) and send them."""
    try:
        packed = await asyncio.to_thread(
            pack, files, workdir, limit=limit, max_files=FILES_PER_MESSAGE, zip_name=zip_name
        )
    except ExportTooLarge as exc:
        raise UserFacingError(
            f"This export is {size_text(exc.size)} even zipped: more than Discord takes in "
            f"{MAX_MESSAGES} messages. {too_large}"
        ) from None
    await send_packed(interaction, text, packed)


def export_text(part: Part, entries: int, zone: str) -> str:
    parts = list(FILE_NAMES) if part is Part.ALL else [part]
    lines = [f"📦 **Your StudyCoach export** — {plural(entries, 'entry', 'entries')}."]
    for p in parts:
        extra = f" (in {zone})" if p is Part.CALENDAR else ""
        lines.append(f"• `{FILE_NAMES[p]}` — {DESCRIPTIONS[p]}{extra}")
    return "\n".join(lines)


def forgotten_text(result: privacy.Forgotten, roles: int = 0) -> str:
    if not result.counts:
        lines = ["There was nothing stored about you as a member here."]
    else:
        done = " · ".join(privacy.count_text(n, label) for label, n in result.counts.items())
        lines = [
            f"🗑️ Deleted everything about you in this server: {done}.",
            "Messages already posted in channels stay as they are (delete them in Discord "
            "if you like). `/join` starts afresh.",
        ]
        if roles:
            lines.insert(1, f"Took back the {plural(roles, 'reward role')} I had given you.")
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
        self.cohort_limiter = RateLimiter(1, COHORT_EXPORT_COOLDOWN, bot.clock)
        self.slots = asyncio.Semaphore(EXPORT_SLOTS)
        self.attachment_limit: int | None = None  # bytes per message; None: as Discord says

    def upload_limit(self, interaction: discord.Interaction[Any]) -> int:
        return self.attachment_limit or upload_limit(interaction)

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
        async with self.slots:
            with tempfile.TemporaryDirectory(prefix="studycoach-export-") as tmp:
                bundle = await member_export(
                    interaction.guild_id, member, cohort, curriculum, self.bot.clock()
                )
                files = await write_member_files(bundle, curriculum, part, Path(tmp))
                await send_export(
                    interaction,
                    export_text(part, bundle.entries, bundle.zone.key),
                    files,
                    Path(tmp),
                    limit=self.upload_limit(interaction),
                    zip_name="studycoach-export.zip",
                    too_large="Pick one file at a time with `what`.",
                )

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
            roles = await reward_roles.take_back_all(self.bot, guild_id, user_id)
            result = await privacy.forget_member(guild_id, user_id, owner_id=owner_id)
            return forgotten_text(result, roles)

        await reply(
            interaction,
            "⚠️ This deletes **everything** StudyCoach stores about you in this server: your "
            f"membership and settings, all **{entries}** entries (solves, Oops List, ledger, "
            "cards …), Oops re-reviews, buddy pairings, the reward roles it gave you and your "
            "LeetCode link. It can't be "
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
        """Catch up on guilds joined or left while offline — of this process's shards only."""
        if not self.bot.is_ready():
            return
        scope = ShardScope.of(self.bot.settings)
        present = [g.id for g in self.bot.guilds]  # unavailable guilds are listed too
        gone, back = await privacy.sync_guilds(present, self.bot.clock(), scope)
        if gone or back:
            log.info(
                "guilds left while offline: %d, rejoined: %d (%s)", gone, back, scope.describe()
            )


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Export(bot))
