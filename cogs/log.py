"""/oops, /mock, /contest and /anki — log the rest of the roadmap's practice."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import logging_command
from bot.core import entries as rules
from bot.render.entries import logged_reply
from bot.services.logbook import log_anki, log_contest, log_mock, log_oops
from cogs._common import choices_of, context_for, member_week, reply, when_autocomplete
from cogs.solve import problem_autocomplete


class Log(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="oops")
    @app_commands.guild_only()
    @app_commands.describe(
        what="What went wrong (the mistake, in a sentence)",
        lesson="What you'll do differently next time",
        problem="The LeetCode problem it happened on (number or slug)",
        pattern="The pattern it belongs to",
    )
    @logging_command()
    async def oops(
        self,
        interaction: discord.Interaction,
        what: Range[str, 1, 500],
        lesson: Range[str, 1, 500],
        problem: Range[str, 1, 200] | None = None,
        pattern: Range[str, 1, 100] | None = None,
    ) -> None:
        """Add a mistake and its lesson to your Oops List (it comes back to you for review)."""
        ctx = await context_for(self.bot, interaction)
        result = await log_oops(ctx, self.bot.curriculum, what, lesson, problem, pattern)
        await reply(interaction, logged_reply(result))

    @oops.autocomplete("problem")
    async def _oops_problem(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return await problem_autocomplete(self.bot, interaction, current)

    @oops.autocomplete("pattern")
    async def _oops_pattern(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        week = await member_week(self.bot, interaction)
        return [
            Choice(name=p[:100], value=p[:100])
            for p in rules.pattern_choices(current, self.bot.curriculum, week)
        ]

    @app_commands.command(name="mock")
    @app_commands.guild_only()
    @app_commands.describe(
        kind="What the interview covered",
        rating="The interviewer's verdict",
        platform="Where it happened",
        notes="Feedback worth keeping (up to 500 characters)",
        when="today (default), yesterday, or a date up to 7 days back",
    )
    @app_commands.choices(
        kind=choices_of(rules.MOCK_KINDS),
        rating=choices_of(rules.RATINGS),
        platform=choices_of(rules.PLATFORMS),
    )
    @logging_command()
    async def mock(
        self,
        interaction: discord.Interaction,
        kind: str,
        rating: str,
        platform: str | None = None,
        notes: Range[str, 1, 500] | None = None,
        when: Range[str, 1, 20] | None = None,
    ) -> None:
        """Log a mock interview and its feedback."""
        ctx = await context_for(self.bot, interaction)
        result = await log_mock(ctx, kind, rating, platform, notes, when)
        await reply(interaction, logged_reply(result))

    @app_commands.command(name="contest")
    @app_commands.guild_only()
    @app_commands.describe(
        percentile="Your result as top x % (0–100; lower is better)",
        name="The contest, e.g. Weekly Contest 432",
        rank="Your rank",
        solved="Problems solved (0–10)",
        when="today (default), yesterday, or a date up to 7 days back",
    )
    @logging_command()
    async def contest(
        self,
        interaction: discord.Interaction,
        percentile: Range[float, 0.0, 100.0],
        name: Range[str, 1, 100] | None = None,
        rank: Range[int, 1, 1_000_000] | None = None,
        solved: Range[int, 0, 10] | None = None,
        when: Range[str, 1, 20] | None = None,
    ) -> None:
        """Log a contest result (the roadmap tracks your best percentile)."""
        ctx = await context_for(self.bot, interaction)
        result = await log_contest(ctx, percentile, name, rank, solved, when)
        await reply(interaction, logged_reply(result))

    @app_commands.command(name="anki")
    @app_commands.guild_only()
    @app_commands.describe(
        reviewed="Cards you reviewed (0–5000)",
        new_cards="New cards you added (0–1000)",
        mature_total="Your deck's mature-card count now (from Anki's stats)",
        when="today (default), yesterday, or a date up to 7 days back",
    )
    @logging_command()
    async def anki(
        self,
        interaction: discord.Interaction,
        reviewed: Range[int, 0, 5000],
        new_cards: Range[int, 0, 1000] | None = None,
        mature_total: Range[int, 0, 100_000] | None = None,
        when: Range[str, 1, 20] | None = None,
    ) -> None:
        """Log today's Anki reviews (they build your review streak)."""
        ctx = await context_for(self.bot, interaction)
        result = await log_anki(ctx, reviewed, new_cards, mature_total, when)
        await reply(interaction, logged_reply(result))

    @mock.autocomplete("when")
    @contest.autocomplete("when")
    @anki.autocomplete("when")
    async def _when(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return await when_autocomplete(self.bot, interaction, current)


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Log(bot))
