"""/next, /patterns, /plan, /progress chart|link — the coach that plans — and /coach roles.

Thin: each command loads the member's context, asks ``bot.services.coach`` and renders with
``bot.render.patterns``, ``bot.render.plan`` and ``bot.render.progress``. Reward roles are
re-checked after every logging command, after "Solved it", when an entry is removed
(``/undo``, ``/delete``, ``/coach remove`` dispatch ``entry_removed``) and by a periodic
check (``bot.runtime.background``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import member_cooldown
from bot.coaching import roles as reward_roles
from bot.core.rewards import reward_by_key, rewards
from bot.core.roadmap import day_text
from bot.errors import UserFacingError
from bot.health import reward_role_checks, role_problem
from bot.models import Cohort, Member
from bot.render.entries import safe
from bot.render.fit import Report
from bot.render.patterns import patterns_sections
from bot.render.plan import plan_sections
from bot.render.progress import progress_chart_data, progress_report
from bot.render.replies import send_report, send_text
from bot.services import coach as svc
from bot.services import rewards as rewards_svc
from bot.services import standings
from bot.services.setup import resolve_cohort
from bot.ui.coach import SkipButton, SolvedButton, next_message
from bot.web.links import MEMBER_LINK_DAYS, issue_member_link, pages_on
from cogs._common import coach_group, cohort_choices, context_for

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
LOGGING_COMMANDS = {"solve", "oops", "mock", "contest", "anki", "done", "ledger", "win", "card"}
REWARD_CACHE = timedelta(minutes=1)  # which servers have reward roles, re-read this often


class CoachPlans(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot
        self._reward_guilds: set[int] = set()
        self._loaded_at: datetime | None = None

    # -- /next -----------------------------------------------------------------------------
    @app_commands.command(name="next")
    @app_commands.guild_only()
    @member_cooldown(20, 60)
    async def next_(self, interaction: discord.Interaction) -> None:
        """What to do now, ranked: your block, reviews, roadmap problems, revisits, deliverables."""
        ctx = await context_for(self.bot, interaction)
        text, view = await next_message(ctx, self.bot.curriculum)
        await send_text(interaction, text, view=view)

    # -- /patterns -------------------------------------------------------------------------
    @app_commands.command(name="patterns")
    @app_commands.guild_only()
    @member_cooldown(5, 60)
    async def patterns(self, interaction: discord.Interaction) -> None:
        """Your roadmap patterns so far: what needs work, why, and the next problems for it."""
        ctx = await context_for(self.bot, interaction)
        report = await svc.patterns_for(ctx, self.bot.curriculum)
        name = safe(ctx.member.display_name or interaction.user.display_name, 60)
        sections = patterns_sections(report, self.bot.curriculum)
        title = f"🧩 Patterns — {name} · week {report.week}"
        await send_report(interaction, Report(title, sections))

    # -- /plan -----------------------------------------------------------------------------
    @app_commands.command(name="plan")
    @app_commands.guild_only()
    @member_cooldown(5, 60)
    @app_commands.describe(new="Make a fresh plan instead of showing this week's (replaces it)")
    async def plan(self, interaction: discord.Interaction, new: bool = False) -> None:
        """A catch-up plan for the rest of the week when you're behind the roadmap's pace."""
        ctx = await context_for(self.bot, interaction)
        view = await svc.plan_for(ctx, self.bot.curriculum, rebuild=new)
        description, sections = plan_sections(view, self.bot.curriculum)
        title = "🗓️ Your catch-up plan" if view.plan is not None else "🗓️ No catch-up plan"
        await send_report(interaction, Report(title, sections, description=description))

    # -- /progress chart, /progress link -----------------------------------------------------
    progress = app_commands.Group(
        name="progress",
        description="Your progress against the roadmap: a chart here, or a page in the browser",
        guild_only=True,
    )

    @progress.command(name="chart")
    @member_cooldown(5, 60)
    @app_commands.describe(member="A cohort mate's progress (if they share it)")
    async def progress_chart(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        """Your unique problems against the roadmap's target, and where your pace leads."""
        ctx = await context_for(self.bot, interaction)
        who, cohort, shown = ctx.member, ctx.cohort, interaction.user.display_name
        if member is not None and member.id != interaction.user.id:
            assert interaction.guild_id is not None
            who, cohort = await standings.member_in_guild(interaction.guild_id, member.id, who)
            shown = member.display_name
        await interaction.response.defer(ephemeral=True, thinking=True)
        report = await self._progress_report(who, cohort, who.display_name or shown)
        await send_report(interaction, report)

    async def _progress_report(self, member: Member, cohort: Cohort, name: str) -> Report:
        curriculum = self.bot.curriculum
        outlook = await svc.member_outlook(member, cohort, curriculum, self.bot.clock())
        data = progress_chart_data(outlook, curriculum, name)
        from bot.render.progress_chart import render_progress_chart  # matplotlib on first use

        png = await asyncio.to_thread(render_progress_chart, data)
        return progress_report(outlook, name, png)

    @progress.command(name="link")
    @member_cooldown(5, 3600)
    async def progress_link(self, interaction: discord.Interaction) -> None:
        """A private link to your own progress page in the browser (valid for 7 days)."""
        ctx = await context_for(self.bot, interaction)
        settings = self.bot.settings
        pages_on(settings)
        link = await issue_member_link(ctx.member, ctx.cohort, self.bot.clock())
        assert link.expires_at is not None
        until = link.expires_at.astimezone(ctx.zone)
        lines = [
            f"🔗 Your progress page: <{settings.web_url(link.path)}>",
            f"Only for you: it shows your notes and Oops lessons too. It works until "
            f"{day_text(until.date())} {until:%H:%M} ({MEMBER_LINK_DAYS} days); a new "
            "`/progress link` replaces it at once.",
        ]
        if link.replaced:
            lines.append("Your previous link no longer works.")
        await send_text(interaction, "\n".join(lines))

    # -- reward roles ----------------------------------------------------------------------
    async def _guilds_with_rewards(self) -> set[int]:
        """Servers with reward roles (a logging command elsewhere costs no query)."""
        now = self.bot.clock()
        loaded = self._loaded_at
        if loaded is None or not loaded <= now < loaded + REWARD_CACHE:
            self._reward_guilds = await rewards_svc.guilds_with_rewards()
            self._loaded_at = now
        return self._reward_guilds

    def forget_reward_cache(self) -> None:
        self._loaded_at = None

    async def _reconcile(self, member_id: int, *, removed: bool) -> None:
        try:
            await reward_roles.reconcile_member_id(
                self.bot, self.bot.curriculum, member_id, self.bot.clock(), removed=removed
            )
        except Exception:
            log.exception("checking reward roles for member %s failed", member_id)

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction,
        command: app_commands.Command[Any, ..., Any] | app_commands.ContextMenu,
    ) -> None:
        if command.qualified_name not in LOGGING_COMMANDS or interaction.guild_id is None:
            return
        if interaction.guild_id not in await self._guilds_with_rewards():
            return
        member = await rewards_svc.member_id_of(interaction.guild_id, interaction.user.id)
        if member is not None:
            await self._reconcile(member, removed=False)

    @commands.Cog.listener()
    async def on_entry_logged(self, member_id: int) -> None:
        await self._reconcile(member_id, removed=False)

    @commands.Cog.listener()
    async def on_entry_removed(self, member_id: int) -> None:
        await self._reconcile(member_id, removed=True)


# -- /coach roles --------------------------------------------------------------------------
@app_commands.command(name="roles")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(
    reward="A milestone (passed) or a streak (days) — leave empty to list the mappings",
    role="The role to grant for it — leave empty to stop granting one for it",
    cohort="Which cohort (needed only when the server has several)",
)
async def roles(
    interaction: discord.Interaction[Any],
    reward: app_commands.Range[str, 1, 40] | None = None,
    role: discord.Role | None = None,
    cohort: app_commands.Range[str, 1, 64] | None = None,
) -> None:
    """Map milestones and streaks to roles the bot grants once they are earned."""
    guild = interaction.guild
    assert guild is not None
    client = interaction.client
    found = await resolve_cohort(guild.id, cohort)
    curriculum = client.curriculum
    if reward is not None:
        chosen = reward_by_key(curriculum, reward.strip().lower())
        if chosen is None:
            raise UserFacingError("`reward` must be one of the choices (a milestone or a streak).")
        if role is not None and (role.is_default() or role.managed):
            raise UserFacingError(
                "That role is managed by Discord or an integration — pick a normal role."
            )
        if role is not None and role.permissions.value & discord.Permissions.elevated().value:
            # Manage Server alone can't hand out roles: a reward must not make a moderator.
            raise UserFacingError(
                "That role carries moderator permissions (administrator, manage or ban/kick "
                "rights) — rewards must be roles without them. Pick or create a plain role."
            )
        await rewards_svc.set_reward_role(
            found, chosen.key, role.id if role else None, interaction.user.id, client.clock()
        )
        cog = client.get_cog("CoachPlans")
        if isinstance(cog, CoachPlans):
            cog.forget_reward_cache()
        if role is not None:
            task = asyncio.create_task(_grant_earned(client, found, guild.id))
            _TASKS.add(task)
            task.add_done_callback(_TASKS.discard)
    mapping = await rewards_svc.role_map(found.id)
    lines = [
        f"**{safe(r.label, 80)}** → <@&{mapping[r.key]}>"
        for r in rewards(curriculum)
        if r.key in mapping
    ] or ["No reward roles yet — pick a `reward` and a `role`."]
    checks = reward_role_checks(guild, guild.me, [(k, v) for k, v in sorted(mapping.items())])
    lines += [c.line() for c in checks]
    if reward is not None and role is not None and role_problem(guild, guild.me, role.id):
        lines.append("Saved — I'll grant it as soon as I can (members who earned it get it then).")
    head = f"🏅 Reward roles of **{safe(found.name, 64)}**"
    await send_text(interaction, "\n".join([head, *lines]))


_TASKS: set[asyncio.Task[None]] = set()


async def _grant_earned(client: Any, cohort: Cohort, guild_id: int) -> None:
    """After a new mapping: give it to the cohort's members who already earned it."""
    try:
        for member in await Member.filter(cohort_id=cohort.id, left_at=None).order_by("id"):
            await reward_roles.reconcile(
                client, member, cohort, guild_id, client.curriculum, client.clock()
            )
    except Exception:
        log.exception("granting reward roles in cohort %s failed", cohort.id)


@roles.autocomplete("reward")
async def _reward(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    q = current.strip().lower()
    return [
        Choice(name=r.label[:100], value=r.key)
        for r in rewards(interaction.client.curriculum)
        if q in r.label.lower() or q in r.key
    ][:25]


@roles.autocomplete("cohort")
async def _cohort(interaction: discord.Interaction[Any], current: str) -> list[Choice[str]]:
    return await cohort_choices(interaction, current)


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(SolvedButton, SkipButton)
    await bot.add_cog(CoachPlans(bot))
    coach_group(bot).add_command(roles)


async def teardown(bot: CoachBot) -> None:
    bot.remove_dynamic_items(SolvedButton, SkipButton)
    coach_group(bot).remove_command("roles")
