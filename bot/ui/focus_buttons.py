"""The focus timer's buttons: ``coach:fgo:<cohort>:<yyyymmdd>:<a|b|s>`` starts the
micro-routine timer for a block (under ▶ Starting's answer), ``coach:fled:<timer>`` writes
the 📓 ledger line at the end of a routine (its form: ``coach:fledm:<timer>:<opened by>``).

Both are ``discord.ui.DynamicItem`` buttons registered in ``cogs.sessions``, so they work
after a restart; presses are answered as :mod:`bot.ui.presses` describes.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any, Protocol, cast

import discord
from tortoise.exceptions import IntegrityError

from bot.core import entries as rules
from bot.core.focus import Routine, from_curriculum
from bot.errors import UserFacingError
from bot.models import EntryKind
from bot.render.entries import streak_text
from bot.render.sessions import focus_started_text
from bot.runtime.host import Host
from bot.services import attendance as att
from bot.services import focus as focus_svc
from bot.services.progress import MemberContext, member_context, record, streak_for
from bot.services.study_rooms import Room
from bot.ui.guard import guarded
from bot.ui.presses import (
    CODE_SLOTS,
    SLOT_CODES,
    Form,
    block_context,
    host_of,
    parse_day,
    private,
    slow_down,
)

log = logging.getLogger(__name__)
LEDGER_FORM = re.compile(r"coach:fledm:([0-9]{1,20}):[0-9]{1,20}")


class Armable(Protocol):
    async def arm(self) -> None: ...


def roadmap_routine(host: Host) -> Routine | None:
    return from_curriculum(host.curriculum)


async def arm_runner(host: Host) -> None:
    runner = host.services.get("focus")
    if runner is not None:
        try:
            await cast(Armable, runner).arm()
        except Exception:  # the sweep catches up; the timer is saved
            log.exception("focus: arming the runner failed")


async def start_focus(
    interaction: discord.Interaction[Any],
    ctx: MemberContext,
    routine: Routine,
    *,
    block: att.BlockInfo | None = None,
    room: Room | None = None,
) -> str:
    """Start a timer (the caller's own, or the room's) and say so; the runner is re-armed."""
    host = host_of(interaction)
    now = host.clock()
    view = await focus_svc.start_timer(
        ctx.member,
        ctx.member.guild_id,  # type: ignore[attr-defined]
        routine,
        now,
        room_id=room.channel_id if room is not None else None,
        channel_id=interaction.channel_id,
        block=(block.ref.day, block.ref.slot) if block is not None else None,
    )
    if block is not None:
        await att.press(ctx, block, "start", now)
    await arm_runner(host)
    where = "in this room's chat" if room is not None else "by DM"
    return focus_started_text(view, routine.label, group=room is not None, where=where)


class FocusGoButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:fgo:(?P<cohort>[0-9]{1,20}):(?P<day>[0-9]{8}):(?P<slot>[abs])",
):
    def __init__(self, cohort_id: int, day: date | None, slot: str) -> None:
        stamp = f"{day:%Y%m%d}" if day is not None else "00000000"
        super().__init__(
            discord.ui.Button(
                label="⏱️ Start the micro-routine",
                style=discord.ButtonStyle.primary,
                custom_id=f"coach:fgo:{cohort_id}:{stamp}:{SLOT_CODES[slot]}",
            )
        )
        self.ref = att.BlockRef(cohort_id, day or date.min, slot)
        self.valid = day is not None

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FocusGoButton:
        return cls(int(match["cohort"]), parse_day(match["day"]), CODE_SLOTS[match["slot"]])

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if not self.valid:
            raise UserFacingError("That button doesn't belong to any block.")
        slow_down(interaction)
        ctx, info = await block_context(interaction, self.ref, "start")
        routine = roadmap_routine(host_of(interaction))
        if routine is None:
            raise UserFacingError("The roadmap has no micro-routine — try `/focus start 50/10`.")
        text = await start_focus(interaction, ctx, routine, block=info)
        await private(interaction, text)


def focus_go_view(ref: att.BlockRef) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FocusGoButton(ref.cohort_id, ref.day, ref.slot))
    return view


class LedgerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:fled:(?P<timer>[0-9]{1,20})",
):
    def __init__(self, timer_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="📓 Write my ledger line",
                style=discord.ButtonStyle.success,
                custom_id=f"coach:fled:{timer_id}",
            )
        )
        self.timer_id = timer_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> LedgerButton:
        return cls(int(match["timer"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        slow_down(interaction)
        await ledger_context(interaction, self.timer_id)
        await interaction.response.send_modal(LedgerModal(self.timer_id, interaction.id))


async def ledger_context(interaction: discord.Interaction[Any], timer_id: int) -> MemberContext:
    """The presser may write a line for this timer: its owner, or (a room's timer) a member
    of its cohort."""
    host = host_of(interaction)
    timer = await focus_svc.timer_of(timer_id)
    if timer is None:
        raise UserFacingError("That focus timer no longer exists.")
    ctx = await member_context(
        timer.guild.guild_id, interaction.user.id, host.curriculum, host.clock()
    )
    cohort_id = timer.cohort_id  # type: ignore[attr-defined]
    owner = timer.member.id == ctx.member.id
    if not owner and (timer.room_id is None or ctx.cohort.id != cohort_id):
        raise UserFacingError("This button belongs to the person who ran that focus timer.")
    return ctx


class LedgerModal(Form):
    def __init__(self, timer_id: int, opened_by: int) -> None:
        super().__init__(
            title="📓 Learning Ledger", custom_id=f"coach:fledm:{timer_id}:{opened_by}", timeout=900
        )
        self.text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="text",
            style=discord.TextStyle.paragraph,
            placeholder="What did you do and learn in this session?",
            max_length=rules.MAX_TEXT,
        )
        self.add_item(discord.ui.Label(text="Today's ledger line", component=self.text))


async def submit_ledger(interaction: discord.Interaction[Any], timer_id: int, raw: str) -> None:
    """Store the routine's 📓 line like ``/ledger`` (once per member and routine)."""
    ctx = await ledger_context(interaction, timer_id)
    text = rules.clean_text("text", raw, rules.MAX_TEXT, required=True)
    try:
        entry = await record(
            ctx, EntryKind.LEDGER, ctx.today, text=text, dedupe_key=f"focus:{timer_id}"
        )
    except IntegrityError:
        raise UserFacingError(
            "You already wrote this routine's ledger line — `/ledger` adds another."
        ) from None
    streak = await streak_for(ctx)
    await private(
        interaction, f"Logged `#{entry.id}` · 📓 Ledger line saved.\n{streak_text(streak)}"
    )
    host_of(interaction).dispatch("entry_logged", ctx.member.id)  # as after /ledger


def ledger_view(timer_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(LedgerButton(timer_id))
    return view
