"""/recap, /milestones, /streak and /leaderboard — where you stand against the roadmap."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import member_cooldown
from bot.core.streaks import current_streak, longest_streak
from bot.models import Cohort, Member
from bot.render.coach_recap import member_coaching_sections
from bot.render.entries import safe
from bot.render.fit import Report
from bot.render.forecast import forecast_sections
from bot.render.member_recap import member_recap_sections
from bot.render.milestones import milestone_section
from bot.render.replies import send_report, send_text
from bot.render.standings import leaderboard_report, streak_report_text
from bot.services import coach, coach_recap
from bot.services import standings as svc
from bot.services.progress import active_days
from cogs._common import context_for


class Recap(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    async def _who(
        self, interaction: discord.Interaction, member: discord.Member | None
    ) -> tuple[Member, Cohort]:
        """The caller, or a cohort mate who shares their progress (checked in the service)."""
        ctx = await context_for(self.bot, interaction)
        if member is None or member.id == interaction.user.id:
            return ctx.member, ctx.cohort
        assert interaction.guild_id is not None
        return await svc.member_in_guild(interaction.guild_id, member.id, ctx.member)

    @app_commands.command(name="recap")
    @app_commands.guild_only()
    @member_cooldown(5, 60)  # per member: a report costs a few queries
    @app_commands.describe(
        week="Program week (default: the current one)",
        member="A cohort mate's recap (if they share their progress)",
    )
    async def recap(
        self,
        interaction: discord.Interaction,
        week: Range[int, 1, 16] | None = None,
        member: discord.Member | None = None,
    ) -> None:
        """Your "Week X Recap" from the roadmap, filled in from your logs (any week so far)."""
        who, cohort = await self._who(interaction, member)
        report = await svc.member_report(who, cohort, week, self.bot.curriculum, self.bot.clock())
        m = report.members[0]
        sections = member_recap_sections(report, m, self.bot.curriculum.program)
        coaching = await coach_recap.recap_coaching(
            cohort, report, self.bot.curriculum, detailed=True, now=self.bot.clock()
        )
        sections += member_coaching_sections(coaching, m.stats.member_id)
        title = f"Week {report.week} Recap — {safe(m.name, 60)}"
        await send_report(interaction, Report(title, sections))

    @app_commands.command(name="milestones")
    @app_commands.guild_only()
    @member_cooldown(5, 60)  # per member: a report costs a few queries
    @app_commands.describe(member="A cohort mate's milestones (if they share their progress)")
    async def milestones(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        """Every roadmap milestone so far and the next one, criterion by criterion."""
        who, cohort = await self._who(interaction, member)
        views = await svc.member_milestones(who, cohort, self.bot.curriculum, self.bot.clock())
        program = self.bot.curriculum.program
        sections = [
            milestone_section(
                v.result,
                due=v.due,
                name="Next up" if v.upcoming else f"Week {v.milestone.week}",
                program=program,
            )
            for v in views
        ]
        outlook = await coach.member_outlook(who, cohort, self.bot.curriculum, self.bot.clock())
        sections += forecast_sections(outlook.forecasts, program)
        name = safe(who.display_name or "you", 60)
        await send_report(interaction, Report(f"🏁 Milestones — {name}", sections))

    @app_commands.command(name="streak")
    @app_commands.guild_only()
    async def streak(self, interaction: discord.Interaction) -> None:
        """Your current and longest streak (days you logged something or finished a block)."""
        ctx = await context_for(self.bot, interaction)
        days = await active_days(ctx.member.id)
        rest = ctx.cohort.rest_days_per_week
        current = current_streak(days, ctx.today, rest)
        best = longest_streak(days, rest)
        await send_text(interaction, streak_report_text(current, best, ctx.today in days, rest))

    @app_commands.command(name="leaderboard")
    @app_commands.guild_only()
    @member_cooldown(5, 60)  # per member: a report costs a few queries
    @app_commands.describe(
        period="This week, this phase or the whole program",
        metric="New unique problems, points (by default easy 1 · medium 3 · hard 7), current "
        "streak or time in study rooms",
    )
    @app_commands.choices(
        period=[Choice(name=p.value.title(), value=p.value) for p in svc.Period],
        metric=[Choice(name=m.value.title(), value=m.value) for m in svc.Board],
    )
    async def leaderboard(
        self, interaction: discord.Interaction, period: str = "week", metric: str = "solves"
    ) -> None:
        """Your cohort's leaderboard; ties share a rank."""
        ctx = await context_for(self.bot, interaction)
        board = await svc.leaderboard(
            ctx.cohort, svc.Period(period), svc.Board(metric), self.bot.curriculum, self.bot.clock()
        )
        await send_report(interaction, leaderboard_report(board, ctx.member.id))


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Recap(bot))
