"""/solve — log a LeetCode solve, with autocomplete from the roadmap's catalogue."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import logging_command
from bot.core import entries as rules
from bot.render.entries import public_solve_line, solve_reply
from bot.services.logbook import SolveInput, log_solve
from cogs._common import announce, choices_of, context_for, member_week, reply, when_autocomplete


class Solve(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="solve")
    @app_commands.guild_only()
    @app_commands.describe(
        problem="LeetCode number or slug — type to search the roadmap (this week's first)",
        minutes="How long it took, in minutes (1–600)",
        difficulty="Needed only for problems outside the roadmap's catalogue",
        language="Language you solved it in (default: Python)",
        mode="How you solved it (default: unguided)",
        pattern="The pattern it practises (default: the problem's or this week's)",
        notes="Anything worth remembering (up to 500 characters)",
        when="today (default), yesterday, or a date up to 7 days back",
    )
    @app_commands.choices(
        difficulty=choices_of(rules.DIFFICULTIES),
        language=choices_of(rules.LANGUAGES),
        mode=choices_of(rules.MODES),
    )
    @logging_command()
    async def solve(
        self,
        interaction: discord.Interaction,
        problem: Range[str, 1, 200],
        minutes: Range[int, 1, 600],
        difficulty: str | None = None,
        language: str = "python",
        mode: str = "unguided",
        pattern: Range[str, 1, 100] | None = None,
        notes: Range[str, 1, 500] | None = None,
        when: Range[str, 1, 20] | None = None,
    ) -> None:
        """Log a LeetCode problem you solved: your totals, the roadmap target and your streak."""
        ctx = await context_for(self.bot, interaction)
        data = SolveInput(problem, minutes, difficulty, language, mode, pattern, notes, when)
        result = await log_solve(ctx, self.bot.curriculum, data)
        await reply(interaction, solve_reply(result))
        if ctx.member.public_lines:
            name = ctx.member.display_name or interaction.user.display_name
            await announce(self.bot, ctx.cohort, public_solve_line(name, result))

    @solve.autocomplete("problem")
    async def _problem(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return await problem_autocomplete(self.bot, interaction, current)

    @solve.autocomplete("pattern")
    async def _pattern(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        week = await member_week(self.bot, interaction)
        return [
            Choice(name=p[:100], value=p[:100])
            for p in rules.pattern_choices(current, self.bot.curriculum, week)
        ]

    @solve.autocomplete("when")
    async def _when(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        return await when_autocomplete(self.bot, interaction, current)


async def problem_autocomplete(
    bot: CoachBot, interaction: discord.Interaction, current: str
) -> list[Choice[str]]:
    """Catalogue problems by number or title, the caller's current week first."""
    week = await member_week(bot, interaction)
    return [
        Choice(name=label, value=value)
        for label, value in rules.problem_choices(current, bot.curriculum, week)
    ]


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Solve(bot))
