"""/recap, /milestones, /streak and /leaderboard — where you stand against the roadmap."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.core.streaks import current_streak, longest_streak
from bot.models import Cohort, Member
from bot.render.embeds import Chunk, pack_embeds
from bot.render.entries import safe
from bot.render.recap import member_recap_lines, milestone_lines
from bot.render.replies import send_embed_messages
from bot.services import standings as svc
from bot.services.progress import active_days
from cogs._common import context_for, reply


class Recap(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    async def _who(
        self, interaction: discord.Interaction, member: discord.Member | None
    ) -> tuple[Member, Cohort]:
        if member is None or member.id == interaction.user.id:
            ctx = await context_for(self.bot, interaction)
            return ctx.member, ctx.cohort
        assert interaction.guild_id is not None
        return await svc.member_in_guild(interaction.guild_id, member.id)

    @app_commands.command(name="recap")
    @app_commands.guild_only()
    @app_commands.describe(
        week="Program week (default: the current one)", member="Someone else's recap"
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
        chunks = [
            Chunk("Recap", "\n".join(member_recap_lines(report, m, self.bot.curriculum.program)))
        ]
        chunks += [Chunk("🏁 Milestone", "\n".join(milestone_lines(r))) for r in m.milestones]
        title = f"Week {report.week} Recap — {safe(m.name, 60)}"
        await send_embed_messages(interaction, pack_embeds(title, chunks))

    @app_commands.command(name="milestones")
    @app_commands.guild_only()
    @app_commands.describe(member="Someone else's milestones")
    async def milestones(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        """Every roadmap milestone so far and the next one, criterion by criterion."""
        who, cohort = await self._who(interaction, member)
        views = await svc.member_milestones(who, cohort, self.bot.curriculum, self.bot.clock())
        chunks = [
            Chunk(
                "Next up" if v.upcoming else "Reached" if v.result.reached else "Missed",
                "\n".join(milestone_lines(v.result)),
            )
            for v in views
        ]
        name = safe(who.display_name or "you", 60)
        await send_embed_messages(interaction, pack_embeds(f"🏁 Milestones — {name}", chunks))

    @app_commands.command(name="streak")
    @app_commands.guild_only()
    async def streak(self, interaction: discord.Interaction) -> None:
        """Your current and longest logging streak."""
        ctx = await context_for(self.bot, interaction)
        days = await active_days(ctx.member.id)
        rest = ctx.cohort.rest_days_per_week
        current = current_streak(days, ctx.today, rest)
        best = longest_streak(days, rest)
        logged_today = "✅ logged today" if ctx.today in days else "nothing logged yet today"
        await reply(
            interaction,
            f"🔥 Current streak: **{current.length}** days ({logged_today})\n"
            f"🏆 Longest: **{best.length}** days\n"
            f"A day counts when you log anything; {rest} rest day(s) a week keep a streak alive.",
        )

    @app_commands.command(name="leaderboard")
    @app_commands.guild_only()
    @app_commands.describe(
        period="This week, this phase or the whole program",
        metric="New unique problems, points (easy 1 · medium 3 · hard 7) or current streak",
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
        lines = []
        for r in board.rows[:15]:
            me = " ← you" if r.key.member_id == ctx.member.id else ""
            lines.append(f"**{r.rank}.** {safe(r.key.name, 40)} — {r.value:g}{me}")
        mine = next((r for r in board.rows[15:] if r.key.member_id == ctx.member.id), None)
        if mine is not None:
            lines.append(f"…\n**{mine.rank}.** {safe(mine.key.name, 40)} — {mine.value:g} ← you")
        weeks = board.weeks
        span = f"week {weeks[0]}" if weeks[0] == weeks[1] else f"weeks {weeks[0]}–{weeks[1]}"
        title = f"🏆 {metric.title()} · {span}"
        await reply(interaction, "\n".join([title, *lines]) if lines else f"{title}\nNobody yet.")


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Recap(bot))
