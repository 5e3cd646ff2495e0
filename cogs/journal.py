"""/done, /ledger and /win — deliverables, the Learning Ledger and the week's win."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands
from discord.utils import escape_markdown

from bot.app import CoachBot
from bot.checks import logging_command
from bot.models import EntryKind
from bot.render.entries import logged_reply, streak_text
from bot.services.logbook import log_text
from bot.services.progress import (
    MAX_QUANTITY,
    item_choices,
    item_count,
    mark_done,
    resolve_item,
    streak_for,
)
from cogs._common import context_for, member_week, reply


def count_text(total: int, goal: int | None, unit: str) -> str:
    """``3 of 10 applications`` (the milestones' goal), or ``3 applications`` without one."""
    if goal is None:
        return f"**{total}** {unit}"
    reached = " — goal reached 🎉" if total >= goal else ""
    return f"**{total} of {goal}** {unit}{reached}"


class Journal(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="done")
    @app_commands.guild_only()
    @app_commands.describe(
        item="The deliverable you finished — type to search, this week's first",
        quantity="How many, for items you log again and again (applications sent, "
        "MLflow experiments); default 1",
    )
    @logging_command()
    async def done(
        self,
        interaction: discord.Interaction,
        item: Range[str, 1, 100],
        quantity: Range[int, 1, MAX_QUANTITY] | None = None,
    ) -> None:
        """Tick off a roadmap deliverable, or log how many of a countable one (applications)."""
        ctx = await context_for(self.bot, interaction)
        found = resolve_item(item, self.bot.curriculum)
        title = escape_markdown(found.deliverable.title)
        entry = await mark_done(ctx, found, quantity)
        if entry is None:
            await reply(interaction, f"✅ **{title}** is already ticked off — nice work.")
            return
        streak = await streak_for(ctx)
        what = f"✅ **{title}** (week {found.week})"
        if found.deliverable.countable:
            total = await item_count(ctx.member.id, found.deliverable.id)
            goal = self.bot.curriculum.count_goal(found.deliverable.id)
            unit = found.deliverable.unit or "times"
            what = f"✅ **{title}** +{quantity or 1} · {count_text(total, goal, unit)}"
        await reply(interaction, f"Logged `#{entry.id}` · {what}\n{streak_text(streak)}")

    @done.autocomplete("item")
    async def _item(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        week = await member_week(self.bot, interaction)
        return [
            Choice(name=label, value=value)
            for label, value in item_choices(current, self.bot.curriculum, week)
        ]

    @app_commands.command(name="ledger")
    @app_commands.guild_only()
    @app_commands.describe(text="Today's Learning Ledger line: what you did and learned")
    @logging_command()
    async def ledger(self, interaction: discord.Interaction, text: Range[str, 1, 1000]) -> None:
        """Add a 📓 Learning Ledger entry for today."""
        ctx = await context_for(self.bot, interaction)
        result = await log_text(ctx, EntryKind.LEDGER, text)
        await reply(interaction, logged_reply(result))

    @app_commands.command(name="win")
    @app_commands.guild_only()
    @app_commands.describe(text="This week's one-line win (shown in your weekly recap)")
    @logging_command()
    async def win(self, interaction: discord.Interaction, text: Range[str, 1, 200]) -> None:
        """Record this week's one-line win for your recap."""
        ctx = await context_for(self.bot, interaction)
        result = await log_text(ctx, EntryKind.WIN, text)
        await reply(interaction, logged_reply(result, "It goes into this week's recap. 🌟"))


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Journal(bot))
