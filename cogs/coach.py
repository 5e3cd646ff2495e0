"""/coach … — admin commands: set up cohorts, pause and resume them, status and preview."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot import health
from bot.app import CoachBot
from bot.core.calendar import InProgram, local_date
from bot.core.posts import plan_day
from bot.core.schedule import next_slots
from bot.core.text import plural
from bot.errors import UserFacingError
from bot.health import checks_text, cohort_checks, reward_role_checks
from bot.leetcode.service import polling_status
from bot.models import Post
from bot.render.cohort import (
    day_label,
    mentions_text,
    off_program_text,
    permissions_text,
    position_text,
    post_times_text,
    slot_line,
    status_chunks,
)
from bot.render.embeds import Chunk, pack_embeds, post_messages
from bot.render.replies import send_embed_messages
from bot.services import setup as svc
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.rewards import role_map
from cogs._common import cohort_choices

log = logging.getLogger(__name__)
NONE = discord.AllowedMentions.none()
DAYS = [
    Choice(name=n, value=n[:3].lower())
    for n in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
]
COHORT_HELP = "Which cohort (needed only when the server has several)"


async def cohort_autocomplete(interaction: discord.Interaction, current: str) -> list[Choice[str]]:
    """Cohort names as typed (not secret: /join offers them too; checks never apply to
    autocomplete, the command's own check does)."""
    return await cohort_choices(interaction, current)


def _md(text: str) -> str:
    return discord.utils.escape_markdown(text)


class Coach(commands.Cog):
    coach = app_commands.Group(
        name="coach",
        description="Set up and manage this server's study cohorts (server managers).",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    async def _rebuild(self, cohort_id: int) -> str:
        scheduler = getattr(self.bot, "scheduler", None)
        if scheduler is None:
            return ""
        try:
            await scheduler.rebuild(cohort_id)
        except Exception:
            log.exception("scheduler rebuild failed for cohort %s", cohort_id)
            return "\n⚠️ Saved, but refreshing the post schedule failed (logged)."
        return ""

    # -- setup ---------------------------------------------------------------------------
    @coach.command(name="setup")
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.describe(
        channel="Text channel where the daily posts go",
        timezone="IANA time zone for post times and day boundaries, e.g. Europe/Berlin",
        start="Start date (YYYY-MM-DD); week 1 begins the first Monday on or after it",
        name="Cohort name, unique in this server (default: main)",
        block_a="Weekday Block-A post time, 24-hour HH:MM (default 07:00)",
        block_b="Weekday Block-B post time, 24-hour HH:MM (default 19:00)",
        weekend="Weekend session post time, 24-hour HH:MM (default 10:00)",
        recap_day="Day of the weekly recap post (default Sunday)",
        recap_time="Weekly recap post time, 24-hour HH:MM (default 20:00)",
        role="Role to mention in the posts (optional)",
    )
    @app_commands.choices(recap_day=DAYS)
    async def setup_cohort(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel,
        timezone: str,
        start: str,
        name: app_commands.Range[str, 1, 64] = "main",
        block_a: str = "07:00",
        block_b: str = "19:00",
        weekend: str = "10:00",
        recap_day: Choice[str] | None = None,
        recap_time: str = "20:00",
        role: discord.Role | None = None,
    ) -> None:
        """Create or update a cohort: its channel, time zone, start date and post times."""
        guild = interaction.guild
        assert guild is not None
        settings = svc.validate_setup(
            name=name,
            channel_id=channel.id,
            timezone=timezone,
            start=start,
            block_a=block_a,
            block_b=block_b,
            weekend=weekend,
            recap_day=recap_day.value if recap_day else "sun",
            recap_time=recap_time,
            role_id=role.id if role else None,
        )
        if role is not None and role.is_default():
            raise UserFacingError("**role** can't be @everyone — pick a role, or leave it empty.")
        if missing := svc.missing_permissions(channel.permissions_for(guild.me)):
            what = ", ".join(f"**{m}**" for m in missing)
            raise UserFacingError(
                f"I can't post in {channel.mention}: I'm missing {what} there. "
                "Grant it to my role (or pick another channel) and run `/coach setup` again. "
                "Nothing was saved."
            )
        now = self.bot.clock()
        cohort, created = await svc.save_cohort(
            guild.id, settings, user_id=interaction.user.id, now=now
        )
        note = await self._rebuild(cohort.id)
        calendar = await cohort_calendar(cohort, self.bot.curriculum)
        nxt = next_slots(calendar, self.bot.curriculum, post_times(cohort), now, 1)
        first = calendar.program_start
        start_text = day_label(settings.start_date)
        if first != settings.start_date:
            start_text += f"\nWeek 1 starts on the first Monday after it: **{day_label(first)}**"
        recap = next(c.name for c in DAYS if c.value == cohort.recap_weekday)
        chunks = [
            Chunk("Channel", f"<#{cohort.channel_id}>"),
            Chunk("Time zone", cohort.timezone),
            Chunk("Start", start_text),
            Chunk("Local post times", post_times_text(cohort, recap)),
            Chunk("Mentions", mentions_text(role, channel.permissions_for(guild.me))),
            Chunk(
                "Next post",
                slot_line(nxt[0], calendar.zone) if nxt else "none — the program is over",
            ),
        ]
        verb = "created" if created else "updated"
        messages = pack_embeds(f"✅ Cohort “{cohort.name}” {verb}", chunks, footer=note or None)
        await send_embed_messages(interaction, messages)

    @setup_cohort.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        return [Choice(name=z, value=z) for z in svc.zone_choices(current)]

    @setup_cohort.autocomplete("start")
    async def start_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[Choice[str]]:
        try:
            zone = svc.parse_zone(str(getattr(interaction.namespace, "timezone", None) or "UTC"))
        except UserFacingError:
            zone = svc.parse_zone("UTC")
        days = svc.next_mondays(local_date(self.bot.clock(), zone), 6)
        choices = [Choice(name=day_label(d), value=d.isoformat()) for d in days]
        needle = current.strip().lower()
        matching = [c for c in choices if needle in c.name.lower() or needle in c.value]
        return matching or choices

    # -- pause / resume --------------------------------------------------------------------
    @coach.command(name="pause")
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.describe(
        start="First paused day (YYYY-MM-DD), today or later",
        end="Last paused day (YYYY-MM-DD); a pause lasts at most 8 weeks",
        cohort=COHORT_HELP,
    )
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    async def pause(
        self, interaction: discord.Interaction, start: str, end: str, cohort: str | None = None
    ) -> None:
        """Pause a cohort's posts for a break; everything after the pause moves later."""
        assert interaction.guild_id is not None
        first, last = svc.parse_date(start, "start"), svc.parse_date(end, "end")
        row = await svc.resolve_cohort(interaction.guild_id, cohort)
        today = local_date(self.bot.clock(), svc.parse_zone(row.timezone))
        svc.validate_pause(first, last, today)
        before = await cohort_calendar(row, self.bot.curriculum)
        await svc.add_pause(row, first, last)
        after = await cohort_calendar(row, self.bot.curriculum)
        note = await self._rebuild(row.id)
        hit = [p for p in after.effective_pauses() if p.start <= last and p.end >= first]
        if hit:
            spans = ", ".join(
                f"{day_label(p.start)} – {day_label(p.end)} ({plural(p.days // 7, 'week')})"
                for p in hit
            )
            text = (
                f"⏸️ **{_md(row.name)}** is paused {spans} — pauses round up to whole weeks so "
                f"weekdays stay in step. The program now ends on **{day_label(after.end_date)}** "
                f"(was {day_label(before.end_date)})."
            )
        else:
            text = (
                f"⏸️ Saved, but the pause ends before week 1 of **{_md(row.name)}** begins "
                f"({day_label(after.program_start)}), so nothing moves."
            )
        await interaction.response.send_message(text + note, ephemeral=True, allowed_mentions=NONE)

    @coach.command(name="resume")
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.describe(cohort=COHORT_HELP)
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    async def resume(self, interaction: discord.Interaction, cohort: str | None = None) -> None:
        """Cancel a cohort's running and upcoming pauses."""
        assert interaction.guild_id is not None
        row = await svc.resolve_cohort(interaction.guild_id, cohort)
        today = local_date(self.bot.clock(), svc.parse_zone(row.timezone))
        result = await svc.resume(row, today)
        if not result.removed and not result.shortened:
            text = f"**{_md(row.name)}** has no running or upcoming pause — nothing changed."
        else:
            lines = [f"▶️ **{_md(row.name)}** resumed."]
            lines += [
                f"Removed the pause {day_label(a)} – {day_label(b)}." for a, b in result.removed
            ]
            lines += [
                f"The running pause from {day_label(a)} now ends {day_label(new)} "
                f"(was {day_label(old)}); paused days already passed stay paused."
                for a, old, new in result.shortened
            ]
            calendar = await cohort_calendar(row, self.bot.curriculum)
            lines.append(f"The program now ends on **{day_label(calendar.end_date)}**.")
            text = "\n".join(lines) + await self._rebuild(row.id)
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NONE)

    # -- status / preview ------------------------------------------------------------------
    @coach.command(name="status")
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.describe(cohort=COHORT_HELP)
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    async def status(self, interaction: discord.Interaction, cohort: str | None = None) -> None:
        """Show a cohort's settings, where it is in the program and its next posts."""
        guild = interaction.guild
        assert guild is not None
        row = await svc.resolve_cohort(guild.id, cohort)
        now = self.bot.clock()
        calendar = await cohort_calendar(row, self.bot.curriculum)
        last = await Post.filter(cohort=row).order_by("-due_at", "-id").first()
        channel = guild.get_channel(row.channel_id)
        # The same checks as `coach doctor` (bot.health), from the gateway's cache.
        checks = cohort_checks(row, guild=guild, channel=channel, me=guild.me, last=last, now=now)
        checks += reward_role_checks(guild, guild.me, sorted((await role_map(row.id)).items()))
        perms = channel.permissions_for(guild.me) if channel is not None else None
        missing = health.missing(perms, health.POSTING) if perms is not None else []
        chunks = status_chunks(
            row,
            now_text=position_text(calendar.at(now), self.bot.curriculum),
            program_start=calendar.program_start,
            end_date=calendar.end_date,
            pauses=[(p.start, p.end) for p in calendar.effective_pauses()],
            upcoming=next_slots(calendar, self.bot.curriculum, post_times(row), now, 5),
            last=last,
            permissions=permissions_text(channel is not None, missing),
        )
        chunks.append(Chunk("Checks", checks_text(checks)))
        leetcode = polling_status(self.bot)
        if leetcode:
            chunks.append(Chunk("LeetCode import", leetcode))
        await send_embed_messages(interaction, pack_embeds(f"📋 Cohort “{row.name}”", chunks))

    @coach.command(name="preview")
    @app_commands.checks.has_permissions(manage_guild=True)
    @app_commands.rename(day="date")
    @app_commands.describe(day="The date to preview (YYYY-MM-DD)", cohort=COHORT_HELP)
    @app_commands.autocomplete(cohort=cohort_autocomplete)
    async def preview(
        self, interaction: discord.Interaction, day: str, cohort: str | None = None
    ) -> None:
        """Privately preview the posts a cohort gets on a date."""
        assert interaction.guild_id is not None
        when = svc.parse_date(day, "date")
        row = await svc.resolve_cohort(interaction.guild_id, cohort)
        calendar = await cohort_calendar(row, self.bot.curriculum)
        pos = calendar.position(when)
        if isinstance(pos, InProgram):
            footer = f"Preview · {row.name} · {day_label(when)}"
            posts = plan_day(pos, self.bot.curriculum)
            await send_embed_messages(
                interaction, [m for p in posts for m in post_messages(p, footer=footer)]
            )
            return
        text = off_program_text(pos, day_label(when), self.bot.curriculum.week_count)
        await interaction.response.send_message(
            f"**{_md(row.name)}**: {text} No posts that day.", ephemeral=True, allowed_mentions=NONE
        )


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Coach(bot))
