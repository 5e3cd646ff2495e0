"""/join, /leave and /prefs — membership and a member's own settings."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.services import membership as svc
from bot.services.cohorts import member_zone
from bot.services.setup import cohort_names, zone_choices
from cogs._common import context_for, reply


def _md(text: str) -> str:
    return discord.utils.escape_markdown(text)


class Membership(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="join")
    @app_commands.guild_only()
    @app_commands.describe(
        cohort="Which cohort to join (needed only when the server has several)",
        timezone="Your IANA time zone, if not the cohort's — it decides when your day ends",
    )
    async def join(
        self,
        interaction: discord.Interaction,
        cohort: Range[str, 1, 64] | None = None,
        timezone: Range[str, 1, 64] | None = None,
    ) -> None:
        """Join a study cohort (again) — your earlier logs are kept."""
        assert interaction.guild_id is not None
        joined = await svc.join(
            interaction.guild_id,
            interaction.user.id,
            interaction.user.display_name,
            cohort,
            timezone,
            self.bot.clock(),
        )
        zone = member_zone(joined.member, joined.cohort).key
        name = _md(joined.cohort.name)
        if joined.moved_from:
            head = f"Moved you from **{_md(joined.moved_from)}** to **{name}**."
        elif joined.rejoined:
            head = f"Welcome back to **{name}** — your history is still here."
        else:
            head = f"Welcome to **{name}**! 🎉"
        await reply(
            interaction,
            f"{head}\nYour days follow **{zone}**. `/today` shows your blocks; log with "
            "`/solve`, `/oops`, `/mock`, `/contest`, `/anki`, `/done`, `/ledger` and `/win`. "
            "`/prefs` changes your zone and whether your solves are announced.",
        )

    @join.autocomplete("cohort")
    async def _cohort(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        assert interaction.guild_id is not None
        names = await cohort_names(interaction.guild_id, current)
        return [Choice(name=n, value=n) for n in names]

    @app_commands.command(name="leave")
    @app_commands.guild_only()
    async def leave(self, interaction: discord.Interaction) -> None:
        """Leave your cohort. Your history is kept; /join brings you back."""
        assert interaction.guild_id is not None
        _, name = await svc.leave(interaction.guild_id, interaction.user.id, self.bot.clock())
        await reply(
            interaction,
            f"You left **{_md(name)}**. Your logs are kept — `/join` whenever you're back.",
        )

    @app_commands.command(name="prefs")
    @app_commands.guild_only()
    @app_commands.describe(
        public_lines="Announce your solves in the cohort channel",
        nudges="Get a friendly mention after two days without a log",
        timezone='Your IANA time zone, or "cohort" to follow the cohort\'s',
        share_progress="Let your cohort mates see your /log, /recap and /milestones (default: on)",
    )
    async def prefs(
        self,
        interaction: discord.Interaction,
        public_lines: bool | None = None,
        nudges: bool | None = None,
        timezone: Range[str, 1, 64] | None = None,
        share_progress: bool | None = None,
    ) -> None:
        """See or change your own settings: announcements, nudges, time zone, sharing."""
        ctx = await context_for(self.bot, interaction)
        member = await svc.set_prefs(ctx.member, public_lines, nudges, timezone, share_progress)
        zone = member_zone(member, ctx.cohort).key
        own = "your own" if member.timezone else "the cohort's"
        changed = any(v is not None for v in (public_lines, nudges, timezone, share_progress))
        shared = (
            "your cohort mates can see your log, recap and milestones"
            if member.share_progress
            else "only you see your log, recap and milestones"
        )
        await reply(
            interaction,
            ("Saved. " if changed else "")
            + f"Public solve lines: **{'on' if member.public_lines else 'off'}** · "
            f"nudges: **{'on' if member.nudges else 'off'}** · "
            f"time zone: **{zone}** ({own}) · "
            f"sharing progress: **{'on' if member.share_progress else 'off'}** ({shared}).",
        )

    @join.autocomplete("timezone")
    @prefs.autocomplete("timezone")
    async def _zone(self, interaction: discord.Interaction, current: str) -> list[Choice[str]]:
        zones = zone_choices(current, 24)
        extra = ["cohort"] if interaction.command and interaction.command.name == "prefs" else []
        return [Choice(name=z, value=z) for z in [*extra, *zones]][:25]


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Membership(bot))
