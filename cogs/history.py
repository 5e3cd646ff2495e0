"""/log, /undo and /delete — read your history and take back your own entries."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands
from discord.utils import escape_markdown

from bot.app import CoachBot
from bot.errors import NotAMember, UserFacingError
from bot.models import EntryKind
from bot.render.entries import KIND_NAMES, entry_line
from bot.services.progress import (
    delete_entry,
    entries_page,
    find_member,
    item_titles,
    last_entry,
    own_entry,
)
from bot.services.standings import member_in_guild
from bot.ui.views import Confirm, Pager
from cogs._common import context_for, reply

PAGE = 10
KINDS = [Choice(name=KIND_NAMES[k.value], value=k.value) for k in EntryKind]


class History(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self.titles = item_titles(bot.curriculum)

    async def _member_id(self, interaction: discord.Interaction, user_id: int) -> int:
        """The caller's own member id (also after /leave: your history stays yours)."""
        assert interaction.guild_id is not None
        member = await find_member(interaction.guild_id, user_id)
        if member is None:
            raise NotAMember()
        return member.id

    @app_commands.command(name="log")
    @app_commands.guild_only()
    @app_commands.describe(
        kind="Only this kind of entry",
        member="A member of your cohort whose history to read (if they share their progress)",
    )
    @app_commands.choices(kind=KINDS)
    async def log(
        self,
        interaction: discord.Interaction,
        kind: str | None = None,
        member: discord.Member | None = None,
    ) -> None:
        """Your history (or a cohort mate's, if they share it), newest first, ten a page."""
        target = member or interaction.user
        if target.id == interaction.user.id:
            member_id = await self._member_id(interaction, target.id)
        else:  # only cohort mates, and only while the member shares their progress
            assert interaction.guild_id is not None
            ctx = await context_for(self.bot, interaction)
            other, _ = await member_in_guild(interaction.guild_id, target.id, ctx.member)
            member_id = other.id
        who = "Your" if target.id == interaction.user.id else f"{target.display_name}'s"
        label = f" {KIND_NAMES[kind].lower()}" if kind else ""

        async def fetch(page: int) -> tuple[str, int]:
            rows, total = await entries_page(member_id, kind, max(page, 0) * PAGE, PAGE)
            pages = max(1, -(-total // PAGE))
            head = f"**{escape_markdown(who)}{label} log** · {total} entries"
            if not rows:
                return f"{head}\nNothing logged yet.", pages
            lines = [entry_line(r, self.titles) for r in rows]
            return "\n".join([f"{head} · page {page + 1}/{pages}", *lines]), pages

        text, pages = await fetch(0)
        view = Pager(interaction.user.id, fetch, pages) if pages > 1 else None
        await reply(interaction, text, view)

    @app_commands.command(name="undo")
    @app_commands.guild_only()
    async def undo(self, interaction: discord.Interaction) -> None:
        """Remove the last entry you logged (asks first)."""
        member_id = await self._member_id(interaction, interaction.user.id)
        entry = await last_entry(member_id)
        if entry is None:
            raise UserFacingError("You have nothing to undo.")
        line = entry_line(entry, self.titles)

        async def confirm() -> str:
            removed = await delete_entry(entry)
            if removed:  # rewards earned with it are checked again (cogs.coach_plans)
                self.bot.dispatch("entry_removed", member_id)
            return f"Removed: {line}" if removed else "That entry was already removed."

        await reply(
            interaction,
            f"Remove this entry?\n{line}",
            Confirm(interaction.user.id, confirm, "Remove"),
        )

    @app_commands.command(name="delete")
    @app_commands.guild_only()
    @app_commands.describe(entry="The entry's number — type to pick from your recent entries")
    async def delete(
        self, interaction: discord.Interaction, entry: app_commands.Range[int, 1]
    ) -> None:
        """Remove one of your own entries by its number."""
        member_id = await self._member_id(interaction, interaction.user.id)
        found = await own_entry(member_id, entry)
        line = entry_line(found, self.titles)
        removed = await delete_entry(found)
        if removed:  # rewards earned with it are checked again (cogs.coach_plans)
            self.bot.dispatch("entry_removed", member_id)
        await reply(interaction, f"Removed: {line}" if removed else "That entry was already gone.")

    @delete.autocomplete("entry")
    async def _entry(self, interaction: discord.Interaction, current: str) -> list[Choice[int]]:
        assert interaction.guild_id is not None
        member = await find_member(interaction.guild_id, interaction.user.id)
        if member is None:
            return []
        rows, _ = await entries_page(member.id, None, 0, 25)
        out = []
        for r in rows:
            label = entry_line(r, self.titles).replace("`", "")
            if current.strip() in label:
                out.append(Choice(name=label[:100], value=r.id))
        return out


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(History(bot))
