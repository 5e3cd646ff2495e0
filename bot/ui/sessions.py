"""Check-in buttons on block posts and their Done form; the end-of-routine view; the one
handler of this package's forms and the list of its persistent buttons.

Every button is a ``discord.ui.DynamicItem`` whose custom id carries what it acts on, so it
works after a restart (registered in ``cogs.sessions``):

* ``coach:blk:<cohort>:<yyyymmdd>:<a|b|s>:<start|done|skip>`` — ▶ Starting / ✅ Done / Skip
  today on a Block-A / Block-B / weekend post;
* ``coach:fgo:<cohort>:<yyyymmdd>:<a|b|s>`` — start the micro-routine timer for that block;
* ``coach:fled:<timer>`` — write the 📓 ledger line at the end of a focus routine.

The focus timer's two are :mod:`bot.ui.focus_buttons`; how a press is answered (only
members of the post's cohort, privately, with mentions disabled, rate-limited per member)
is :mod:`bot.ui.presses`.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord

from bot.checks import spend_log_budget
from bot.errors import UserFacingError
from bot.render.entries import public_solve_line
from bot.render.fit import shorten
from bot.render.sessions import press_text, public_start_line, solves_text
from bot.services import attendance as att
from bot.sessions.models import FocusTimer
from bot.ui.focus_buttons import (
    LEDGER_FORM,
    FocusGoButton,
    LedgerButton,
    focus_go_view,
    ledger_view,
    submit_ledger,
)
from bot.ui.guard import answer_error, guarded
from bot.ui.presses import (
    CODE_SLOTS,
    SLOT_CODES,
    Form,
    announce,
    block_context,
    display_name,
    form_values,
    host_of,
    parse_day,
    private,
    slow_down,
)

BLOCK_BUTTONS = {
    "start": ("▶ Starting", discord.ButtonStyle.primary),
    "done": ("✅ Done", discord.ButtonStyle.success),
    "skip": ("Skip today", discord.ButtonStyle.secondary),
}


# -- block buttons ---------------------------------------------------------------------------
def block_custom_id(cohort_id: int, day: date, slot: str, action: str) -> str:
    return f"coach:blk:{cohort_id}:{day:%Y%m%d}:{SLOT_CODES[slot]}:{action}"


class BlockButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:blk:(?P<cohort>[0-9]{1,20}):(?P<day>[0-9]{8}):(?P<slot>[abs]):(?P<action>start|done|skip)",
):
    def __init__(self, cohort_id: int, day: date | None, slot: str, action: str) -> None:
        label, style = BLOCK_BUTTONS[action]
        custom_id = (
            block_custom_id(cohort_id, day, slot, action)
            if day is not None
            else f"coach:blk:{cohort_id}:00000000:{SLOT_CODES[slot]}:{action}"
        )
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id))
        self.ref = att.BlockRef(cohort_id, day or date.min, slot)
        self.valid = day is not None
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> BlockButton:
        return cls(
            int(match["cohort"]),
            parse_day(match["day"]),
            CODE_SLOTS[match["slot"]],
            match["action"],
        )

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if not self.valid:
            raise UserFacingError("That button doesn't belong to any block.")
        slow_down(interaction)
        await press_block(interaction, self.ref, self.action)


def block_view(cohort_id: int, day: date, slot: str) -> discord.ui.View:
    """The three check-in buttons under a block post."""
    view = discord.ui.View(timeout=None)
    for action in BLOCK_BUTTONS:
        view.add_item(BlockButton(cohort_id, day, slot, action))
    return view


async def press_block(
    interaction: discord.Interaction[Any], ref: att.BlockRef, action: str
) -> None:
    host = host_of(interaction)
    ctx, info = await block_context(interaction, ref, action)
    now = host.clock()
    pressed = await att.press(ctx, info, action, now)
    row = pressed.row
    if action == "done" and info.problems and row.solves_at is None and row.status == "done":
        await interaction.response.send_modal(BlockDoneModal(info, interaction.id))
        return
    view = None
    if action == "start" and row.status == "started":
        view = focus_go_view(ref)
    await private(interaction, press_text(info, pressed, action), view)
    if action == "start" and pressed.changed and ctx.member.public_lines:
        await announce(
            host, ctx.cohort, public_start_line(display_name(ctx, interaction), ref.label)
        )


# -- the ✅ Done form -------------------------------------------------------------------------
BLOCK_FORM = re.compile(r"coach:blkm:([0-9]{1,20}):([0-9]{8}):([abs]):[0-9]{1,20}")


class BlockDoneModal(Form):
    """✅ Done: which of the block's problems were solved, and how long they took."""

    def __init__(self, info: att.BlockInfo, opened_by: int) -> None:
        ref = info.ref
        super().__init__(
            title=shorten(f"✅ {ref.label} done — log your solves", 45),
            custom_id=(
                f"coach:blkm:{ref.cohort_id}:{ref.day:%Y%m%d}:{SLOT_CODES[ref.slot]}:{opened_by}"
            ),
            timeout=900,
        )
        self.problems: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="problems",
            placeholder="Pick the ones you solved (none is fine)",
            min_values=0,
            max_values=len(info.problems),
            required=False,
            options=[
                discord.SelectOption(
                    label=shorten(f"LC {p.number} · {p.title}", 100),
                    value=str(p.number),
                    description=p.difficulty,
                )
                for p in info.problems
            ],
        )
        default = info.solve_minutes or 30
        self.minutes: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="minutes",
            placeholder=f"e.g. {default}",
            default=str(default),
            required=False,
            max_length=4,
        )
        self.add_item(discord.ui.Label(text="Which did you solve?", component=self.problems))
        self.add_item(
            discord.ui.Label(
                text="Minutes on them (total)",
                description="Split evenly across the problems you pick",
                component=self.minutes,
            )
        )


async def handle_form(interaction: discord.Interaction[Any]) -> bool:
    """Answer a submitted check-in or ledger form; False when it is not one of ours."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return False
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    values = form_values(data)
    block = BLOCK_FORM.fullmatch(custom_id)
    ledger = LEDGER_FORM.fullmatch(custom_id)
    try:
        if block is not None:
            day = parse_day(block[2])
            if day is None:
                raise UserFacingError("That form doesn't belong to any block.")
            ref = att.BlockRef(int(block[1]), day, CODE_SLOTS[block[3]])
            spend_log_budget(interaction)
            picks = [str(v) for v in values.get("problems") or []]
            await submit_block_solves(interaction, ref, picks, str(values.get("minutes") or ""))
            return True
        if ledger is not None:
            spend_log_budget(interaction)
            await submit_ledger(interaction, int(ledger[1]), str(values.get("text") or ""))
            return True
    except Exception as error:  # noqa: BLE001 - answered privately (and logged) like commands
        await answer_error(interaction, error, "check-in form" if block else "ledger form")
        return True
    return False


async def submit_block_solves(
    interaction: discord.Interaction[Any], ref: att.BlockRef, picks: list[str], minutes: str
) -> None:
    host = host_of(interaction)
    ctx, info = await block_context(interaction, ref, "done")
    result = await att.log_block_solves(ctx, info, picks, minutes, host.curriculum, host.clock())
    await private(interaction, solves_text(info, result))
    if result.results:  # as after /solve: reward roles are checked now
        host.dispatch("entry_logged", ctx.member.id)
    if result.results and ctx.member.public_lines:
        name = display_name(ctx, interaction)
        lines = "\n".join(public_solve_line(name, r) for r in result.results)
        await announce(host, ctx.cohort, lines)


# -- the end of a focus routine --------------------------------------------------------------
def focus_end_view(timer: FocusTimer) -> discord.ui.View:
    """The end of a routine: the ledger button, and ✅ Done when it was for a block."""
    view = ledger_view(timer.id)
    cohort_id = timer.cohort_id  # type: ignore[attr-defined]
    if timer.block_date is not None and timer.block_slot in SLOT_CODES and cohort_id is not None:
        view.add_item(BlockButton(cohort_id, timer.block_date, timer.block_slot, "done"))
    return view


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    BlockButton,
    FocusGoButton,
    LedgerButton,
)
