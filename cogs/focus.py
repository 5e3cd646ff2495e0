"""/focus — the roadmap's micro-routine timer (or your own), alone or with a study room."""

from __future__ import annotations

import contextlib
from typing import Any

import discord
from discord import app_commands
from discord.app_commands import Choice, Range
from discord.ext import commands

from bot.app import CoachBot
from bot.checks import member_cooldown
from bot.core.calendar import local_date
from bot.core.focus import Routine, RoutineError, from_curriculum, parse_routine
from bot.core.posts import SLOT_LABELS
from bot.core.voice import BLOCK_SLOTS
from bot.errors import UserFacingError
from bot.render.entries import safe
from bot.render.sessions import focus_status_text
from bot.services import attendance as att
from bot.services import focus as svc
from bot.services.progress import MemberContext
from bot.services.study_rooms import Room
from bot.sessions.tracker import voice_tracker
from bot.ui.focus_buttons import arm_runner, start_focus
from cogs._common import context_for, reply

BLOCKS = [
    Choice(name=label, value=slot) for slot, label in SLOT_LABELS.items() if slot in BLOCK_SLOTS
]
ROUTINE_HELP = (
    "roadmap (10 min Anki → 50 min coding → 10 min reflection, the default) or your own, "
    "like 50/10 x3"
)
SUGGESTIONS = (
    ("roadmap", "roadmap — 10 min Anki → 50 min coding → 10 min reflection"),
    ("50/10 x3", "50/10 x3 — three 50-minute rounds, 10-minute breaks"),
    ("25/5 x4", "25/5 x4 — four pomodoros"),
    ("90", "90 — one 90-minute block"),
)


def _routine(bot: CoachBot, text: str | None) -> Routine:
    try:
        return parse_routine(text, from_curriculum(bot.curriculum))
    except RoutineError as error:
        raise UserFacingError(str(error)) from None


class Focus(commands.Cog):
    focus = app_commands.Group(
        name="focus",
        description="The micro-routine timer: each phase change announced on time.",
        guild_only=True,
    )

    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    async def _room_of(self, interaction: discord.Interaction[Any]) -> Room | None:
        """The study room the caller is in, if any."""
        user = interaction.user
        voice = user.voice if isinstance(user, discord.Member) else None
        if voice is None or voice.channel is None or interaction.guild_id is None:
            return None
        rooms = await voice_tracker(self.bot).rooms(interaction.guild_id)
        return rooms.get(voice.channel.id)

    def _block(self, ctx: MemberContext, slot: str) -> att.BlockInfo:
        today = local_date(self.bot.clock(), ctx.calendar.zone)
        ref = att.BlockRef(ctx.cohort.id, today, slot)
        try:
            return att.block_info(ctx.calendar, self.bot.curriculum, ref)
        except UserFacingError:
            raise UserFacingError(
                f"Today's plan has no {ref.label} — pick a block of today, or leave `block` empty."
            ) from None

    @focus.command(name="start")
    @member_cooldown(6, 60)
    @app_commands.describe(
        routine=ROUTINE_HELP,
        block="The block this session is for: marks it ▶ started; ✅ Done comes at the end",
    )
    @app_commands.choices(block=BLOCKS)
    async def start(
        self,
        interaction: discord.Interaction[Any],
        routine: Range[str, 1, 20] | None = None,
        block: str | None = None,
    ) -> None:
        """Start your own focus timer; each phase change comes by DM, on time."""
        ctx = await context_for(self.bot, interaction)
        parsed = _routine(self.bot, routine)
        info = self._block(ctx, block) if block else None
        await reply(interaction, await start_focus(interaction, ctx, parsed, block=info))

    @focus.command(name="group")
    @member_cooldown(3, 60)
    @app_commands.describe(routine=ROUTINE_HELP)
    async def group(
        self, interaction: discord.Interaction[Any], routine: Range[str, 1, 20] | None = None
    ) -> None:
        """Run one shared timer for everyone in your study room (announced in its chat)."""
        ctx = await context_for(self.bot, interaction)
        parsed = _routine(self.bot, routine)
        room = await self._room_of(interaction)
        if room is None:
            raise UserFacingError(
                "Join one of your cohort's study rooms first — `/focus group` runs one timer for "
                "everyone in it (`/focus start` runs your own)."
            )
        if room.cohort_id != ctx.cohort.id:
            raise UserFacingError(
                f"That room belongs to cohort **{safe(room.cohort_name, 64)}** — use one of yours."
            )
        text = await start_focus(interaction, ctx, parsed, room=room)
        await reply(interaction, "Started — the timer is announced in the room's chat.")
        channel = self.bot.get_channel(room.channel_id)
        if isinstance(channel, discord.abc.Messageable):
            name = safe(ctx.member.display_name or interaction.user.display_name, 60)
            with contextlib.suppress(discord.HTTPException):  # the phases still come
                await channel.send(
                    f"**{name}** started a shared timer for this room.\n{text}",
                    allowed_mentions=discord.AllowedMentions.none(),
                )

    @start.autocomplete("routine")
    @group.autocomplete("routine")
    async def _routine_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[Choice[str]]:
        typed = current.strip()
        out = [Choice(name=label, value=value) for value, label in SUGGESTIONS]
        if typed and typed.lower() not in {v for v, _ in SUGGESTIONS}:
            try:
                found = parse_routine(typed, from_curriculum(self.bot.curriculum))
                out.insert(0, Choice(name=f"{typed} — {found.label}"[:100], value=typed[:20]))
            except RoutineError:
                pass
        return out[:25]

    @focus.command(name="stop")
    async def stop(self, interaction: discord.Interaction[Any]) -> None:
        """Stop your focus timer (or the room timer you started): nothing more is announced."""
        ctx = await context_for(self.bot, interaction)
        now = self.bot.clock()
        view = await svc.running(svc.solo_key(ctx.member.id), now)
        what = "your focus timer"
        if view is None:
            room = await self._room_of(interaction)
            view = await svc.running(svc.room_key(room.channel_id), now) if room else None
            what = "this room's focus timer"
            if view is not None and view.timer.member_id != ctx.member.id:  # type: ignore[attr-defined]
                perms = getattr(interaction.user, "guild_permissions", None)
                if perms is None or not (perms.manage_channels or perms.manage_guild):
                    raise UserFacingError(
                        "Only whoever started the room's timer (or a moderator) can stop it."
                    )
        if view is None:
            raise UserFacingError("You have no focus timer running — `/focus start` starts one.")
        stopped = await svc.stop_timer(view.timer, now)
        await arm_runner(self.bot)
        if not stopped:
            await reply(interaction, "That timer had already ended.")
            return
        await reply(interaction, f"⏹️ Stopped {what} — nothing more will be announced.")

    @focus.command(name="status")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        """Your focus timer (and your study room's): the phase now and what comes next."""
        ctx = await context_for(self.bot, interaction)
        now = self.bot.clock()
        parts = []
        mine = await svc.running(svc.solo_key(ctx.member.id), now)
        if mine is not None:
            parts.append(focus_status_text(mine, now, group=False))
        room = await self._room_of(interaction)
        if room is not None:
            shared = await svc.running(svc.room_key(room.channel_id), now)
            if shared is not None:
                parts.append(focus_status_text(shared, now, group=True))
        if not parts:
            parts.append(
                "No focus timer running. `/focus start` runs the roadmap's micro-routine "
                "(10 min Anki → 50 min coding → 10 min reflection); in a study room, "
                "`/focus group` runs one for everyone there."
            )
        await reply(interaction, "\n\n".join(parts))


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Focus(bot))
