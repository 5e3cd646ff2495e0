"""/mocks join|pause|leave|status|history — peer mock interviews; /coach mocks for admins."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice
from discord.ext import commands

from bot.app import CoachBot
from bot.core.mock_windows import WINDOWS, window_label, windows_text
from bot.errors import UserFacingError
from bot.mocks import profiles, schedule
from bot.mocks.feedback_ui import handle_feedback_form
from bot.mocks.models import ProfileStatus
from bot.mocks.render import card_list_text, history_report, ts
from bot.mocks.sessions import history_of, open_sessions
from bot.mocks.ui import DYNAMIC_ITEMS, card
from bot.render.entries import safe
from bot.render.replies import send_report
from bot.services.setup import resolve_cohort
from bot.ui.views import OwnerView
from cogs._common import coach_group, context_for, reply

NO_MENTIONS = discord.AllowedMentions.none()
KIND_CHOICES = {
    "dsa": "DS&A",
    "system_design": "System design",
    "behavioral": "Behavioral",
    "dsa,system_design": "DS&A + system design",
    "dsa,behavioral": "DS&A + behavioral",
    "system_design,behavioral": "System design + behavioral",
    "dsa,system_design,behavioral": "All three",
}
WEEKDAY_CHOICES = [
    Choice(name=n, value=v)
    for v, n in (
        ("mon", "Monday"),
        ("tue", "Tuesday"),
        ("wed", "Wednesday"),
        ("thu", "Thursday"),
        ("fri", "Friday"),
        ("sat", "Saturday"),
        ("sun", "Sunday"),
    )
]


class JoinForm(OwnerView):
    """Pick kinds and weekly windows (in your zone), then Save."""

    def __init__(self, owner_id: int, kinds: list[str], windows: list[str], zone: str) -> None:
        super().__init__(owner_id, timeout=900)
        self.kinds = kinds
        self.windows = windows
        kind_select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="mocks:join:kinds",
            placeholder="Kinds of interview",
            min_values=1,
            max_values=len(profiles.KINDS),
            options=[
                discord.SelectOption(label=label, value=key, default=key in kinds)
                for key, label in profiles.KINDS.items()
            ],
            row=0,
        )
        window_select: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="mocks:join:windows",
            placeholder=f"When you're free each week ({zone})"[:150],
            min_values=1,
            max_values=len(WINDOWS),
            options=[
                discord.SelectOption(label=window_label(w), value=w.id, default=w.id in windows)
                for w in WINDOWS
            ],
            row=1,
        )

        async def kinds_chosen(interaction: discord.Interaction[Any]) -> None:
            self.kinds = list(kind_select.values)
            await interaction.response.defer()

        async def windows_chosen(interaction: discord.Interaction[Any]) -> None:
            self.windows = list(window_select.values)
            await interaction.response.defer()

        kind_select.callback = kinds_chosen  # type: ignore[method-assign]
        window_select.callback = windows_chosen  # type: ignore[method-assign]
        self.add_item(kind_select)
        self.add_item(window_select)

    @discord.ui.button(
        label="Save", style=discord.ButtonStyle.success, custom_id="mocks:join:save", row=2
    )
    async def save(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        client: CoachBot = interaction.client
        try:
            ctx = await context_for(client, interaction)
            profile = await profiles.save_profile(
                ctx.member, self.kinds, self.windows, client.clock()
            )
            when = await schedule.next_matching(ctx.cohort, client.clock())
        except UserFacingError as error:
            await interaction.response.send_message(
                str(error), ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        self.stop()
        kinds = ", ".join(profiles.KINDS[k] for k in profiles.parse_list(profile.kinds))
        windows = windows_text(profiles.parse_list(profile.windows))
        next_run = f" The next matching is {ts(when)}." if when else ""
        await interaction.response.edit_message(
            content=(
                f"🎤 You're in for peer mocks: **{kinds}** · {windows} ({ctx.zone.key})."
                f"{next_run} You'll get a private thread (or DMs) with your "
                "partner. `/mocks pause` takes a break."
            ),
            view=None,
            allowed_mentions=NO_MENTIONS,
        )


class Mocks(commands.Cog):
    mocks = app_commands.Group(
        name="mocks",
        description="Peer mock interviews with your cohort: matched weekly, with a rubric.",
        guild_only=True,
    )

    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """The feedback form is answered by its custom id (even when opened before a restart)."""
        await handle_feedback_form(interaction, card)

    @mocks.command(name="join")
    @app_commands.describe(
        kinds="The kinds of interview you want to practise (you can change them in the form)"
    )
    @app_commands.choices(
        kinds=[Choice(name=label, value=key) for key, label in KIND_CHOICES.items()]
    )
    async def join(self, interaction: discord.Interaction, kinds: str | None = None) -> None:
        """Opt in to weekly peer mock interviews: pick kinds and when you're free."""
        ctx = await context_for(self.bot, interaction)
        profile = await profiles.profile_of(ctx.member.id)
        chosen = (
            profiles.parse_list(kinds)
            if kinds
            else (profiles.parse_list(profile.kinds) if profile else list(profiles.KINDS))
        )
        windows = profiles.parse_list(profile.windows) if profile else []
        form = JoinForm(interaction.user.id, chosen, windows, ctx.zone.key)
        await reply(
            interaction,
            "🎤 **Peer mock interviews** — each week you're paired with a cohort mate whose free "
            "time overlaps yours, for two sessions (each of you interviews once). Pick the kinds "
            f"of interview and the weekly windows you're usually free, in **your** time zone "
            f"({ctx.zone.key}; `/prefs timezone` changes it), then **Save**.",
            form,
        )

    @mocks.command(name="pause")
    async def pause(self, interaction: discord.Interaction) -> None:
        """Take a break from peer mocks (your windows are kept; /mocks join resumes)."""
        ctx = await context_for(self.bot, interaction)
        await profiles.set_status(ctx.member, ProfileStatus.PAUSED, self.bot.clock())
        await reply(
            interaction,
            "⏸️ Paused — you won't be matched until you `/mocks join` again (your kinds and "
            "windows are kept). Sessions already arranged still stand.",
        )

    @mocks.command(name="leave")
    async def leave(self, interaction: discord.Interaction) -> None:
        """Stop peer mocks (your history stays in /mocks history)."""
        ctx = await context_for(self.bot, interaction)
        await profiles.set_status(ctx.member, ProfileStatus.LEFT, self.bot.clock())
        await reply(
            interaction,
            "👋 You've left peer mocks. Your history stays (`/mocks history`); sessions already "
            "arranged still stand. `/mocks join` any time to come back.",
        )

    @mocks.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Your peer mock settings, the next matching, and your open sessions with controls."""
        ctx = await context_for(self.bot, interaction)
        now = self.bot.clock()
        profile = await profiles.profile_of(ctx.member.id)
        if profile is None:
            raise UserFacingError("You haven't opted in to peer mocks yet — `/mocks join`.")
        state = {
            ProfileStatus.ACTIVE.value: "✅ matched weekly",
            ProfileStatus.PAUSED.value: "⏸️ paused (`/mocks join` resumes)",
            ProfileStatus.LEFT.value: "👋 left (`/mocks join` to come back)",
        }[profile.status]
        kinds = ", ".join(profiles.KINDS[k] for k in profiles.parse_list(profile.kinds))
        lines = [
            f"**Status:** {state}",
            f"**Kinds:** {kinds}",
            f"**Windows** ({ctx.zone.key}): {windows_text(profiles.parse_list(profile.windows))}",
        ]
        when = await schedule.next_matching(ctx.cohort, now)
        if profile.status == ProfileStatus.ACTIVE and when is not None:
            lines.append(f"**Next matching:** {ts(when)} ({ts(when, 'R')})")
        if profile.waited:
            lines.append("⭐ You're first in line at the next matching.")
        if profile.sit_out:
            lines.append("🚫 You sit out the next matching: reported as a no-show twice in a row.")
        sessions = await open_sessions(ctx.member.id)
        lines.append(card_list_text(len(sessions)))
        await reply(interaction, "\n".join(lines))
        for session in sessions:
            text, view = card(session, now)
            await interaction.followup.send(
                text,
                view=view or discord.utils.MISSING,
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )

    @mocks.command(name="history")
    async def history(self, interaction: discord.Interaction) -> None:
        """Peer mocks you gave and received, and your verdict trend."""
        ctx = await context_for(self.bot, interaction)
        seen = await history_of(ctx.member.id)
        await send_report(interaction, history_report(seen, ctx.member))


@app_commands.command(name="mocks")
@app_commands.checks.has_permissions(manage_guild=True)
@app_commands.describe(
    cohort="Which cohort (needed only when the server has several)",
    weekday="The day the weekly matching runs (cohort's time zone)",
    time="HH:MM in the cohort's zone, or after-block-a (30 min after the Block-A post)",
    enabled="Turn peer mock matching on or off for the cohort",
)
@app_commands.choices(weekday=WEEKDAY_CHOICES)
async def coach_mocks(
    interaction: discord.Interaction[Any],
    cohort: app_commands.Range[str, 1, 64] | None = None,
    weekday: str | None = None,
    time: app_commands.Range[str, 1, 20] | None = None,
    enabled: bool | None = None,
) -> None:
    """See or change when a cohort's weekly peer mock matching runs."""
    assert interaction.guild_id is not None
    found = await resolve_cohort(interaction.guild_id, cohort)
    if weekday is None and time is None and enabled is None:
        when = await schedule.match_time(found)
    else:
        when = await schedule.save_match_time(found, weekday, time, enabled)
    client: CoachBot = interaction.client
    upcoming = await schedule.next_matching(found, client.clock())
    default = " (30 min after Block-A)" if when.default_time else ""
    state = "on" if when.enabled else "off"
    day = next(c.name for c in WEEKDAY_CHOICES if c.value == when.weekday)
    text = (
        f"**{safe(found.name, 64)}** · peer mock matching **{state}** · {day}s at "
        f"{when.at:%H:%M}{default} ({found.timezone})"
    )
    if upcoming is not None:
        text += f" · next: {ts(upcoming)}"
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def setup(bot: CoachBot) -> None:
    bot.add_dynamic_items(*DYNAMIC_ITEMS)
    coach_group(bot).add_command(coach_mocks)
    await bot.add_cog(Mocks(bot))


async def teardown(bot: CoachBot) -> None:
    bot.remove_dynamic_items(*DYNAMIC_ITEMS)
    coach_group(bot).remove_command("mocks")
