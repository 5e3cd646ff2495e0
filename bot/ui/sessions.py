"""Check-in buttons on block posts, the Done form, and the focus timer's buttons.

Every button is a ``discord.ui.DynamicItem`` whose custom id carries what it acts on, so it
works after a restart (registered in ``cogs.sessions``):

* ``coach:blk:<cohort>:<yyyymmdd>:<a|b|s>:<start|done|skip>`` — ▶ Starting / ✅ Done / Skip
  today on a Block-A / Block-B / weekend post;
* ``coach:fgo:<cohort>:<yyyymmdd>:<a|b|s>`` — start the micro-routine timer for that block;
* ``coach:fled:<timer>`` — write the 📓 ledger line at the end of a focus routine.

Only members of the post's cohort may press them; each press is answered privately, with
mentions disabled; presses are rate-limited per member.
"""

from __future__ import annotations

import logging
import re
import weakref
from datetime import date, datetime, timedelta
from typing import Any, Protocol, cast

import discord
from tortoise.exceptions import IntegrityError

from bot.core import entries as rules
from bot.core.calendar import local_date
from bot.core.focus import Routine, from_curriculum
from bot.core.ratelimit import RateLimiter
from bot.errors import UserFacingError
from bot.models import Cohort, EntryKind
from bot.render.entries import public_solve_line, streak_text
from bot.render.fit import fit_text, shorten
from bot.render.replies import send_text
from bot.render.sessions import focus_started_text, press_text, public_start_line, solves_text
from bot.runtime.host import Host
from bot.services import attendance as att
from bot.services import focus as focus_svc
from bot.services.progress import MemberContext, member_context, record, streak_for
from bot.services.voice import Room
from bot.sessions.models import FocusTimer
from bot.ui.guard import GuardedModal, answer_error, guarded

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
SLOT_CODES = {"block_a": "a", "block_b": "b", "session": "s"}
CODE_SLOTS = {code: slot for slot, code in SLOT_CODES.items()}
BLOCK_BUTTONS = {
    "start": ("▶ Starting", discord.ButtonStyle.primary),
    "done": ("✅ Done", discord.ButtonStyle.success),
    "skip": ("Skip today", discord.ButtonStyle.secondary),
}
PRESSES = (8, timedelta(seconds=30))  # button presses a member may make per window


class Armable(Protocol):
    async def arm(self) -> None: ...


def host_of(interaction: discord.Interaction[Any]) -> Host:
    return cast(Host, interaction.client)


# -- answering ------------------------------------------------------------------------------
async def private(
    interaction: discord.Interaction[Any], text: str, view: discord.ui.View | None = None
) -> None:
    await send_text(interaction, text, view=view)


_limiters: weakref.WeakKeyDictionary[Any, RateLimiter] = weakref.WeakKeyDictionary()


def slow_down(interaction: discord.Interaction[Any]) -> None:
    """Per-member press budget (on the bot's clock); raises when it is used up."""
    host = host_of(interaction)
    limiter = _limiters.get(host)
    if limiter is None:
        limiter = _limiters[host] = RateLimiter(PRESSES[0], PRESSES[1], host.clock)
    wait = limiter.hit((interaction.guild_id, interaction.user.id))
    if wait is not None:
        raise UserFacingError(f"Easy on the buttons — try again in {max(1, round(wait))} s.")


def log_budget(interaction: discord.Interaction[Any]) -> None:
    """The logging commands' per-member rate limit (``LOG_RATE_LIMIT``) for the Done form."""
    limiter = getattr(interaction.client, "log_limiter", None)
    if limiter is None:
        return
    wait = limiter.hit((interaction.guild_id, interaction.user.id))
    if wait is not None:
        raise UserFacingError(
            f"You're logging very fast — try again in {max(1, round(wait))} s; "
            "nothing was saved this time."
        )


async def announce(host: Host, cohort: Cohort, text: str) -> None:
    """A public line in the cohort's channel (mentions disabled); failures never undo work."""
    channel = host.get_channel(cohort.channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    try:
        for part in fit_text(text)[:2]:
            await channel.send(part, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not post a public line in channel %s", cohort.channel_id)


def display_name(ctx: MemberContext, interaction: discord.Interaction[Any]) -> str:
    return ctx.member.display_name or interaction.user.display_name


# -- whose button, which block ---------------------------------------------------------------
async def block_context(
    interaction: discord.Interaction[Any], ref: att.BlockRef, action: str
) -> tuple[MemberContext, att.BlockInfo]:
    """The presser (a member of the post's cohort) and the block, or a refusal."""
    host = host_of(interaction)
    guild_id = interaction.guild_id
    if guild_id is None:  # ✅ Done under a focus timer's DM: the cohort says which server
        cohort = await Cohort.get_or_none(id=ref.cohort_id).select_related("guild")
        if cohort is None:
            raise UserFacingError("That cohort no longer exists.")
        guild_id = cohort.guild.guild_id
    ctx = await member_context(guild_id, interaction.user.id, host.curriculum, host.clock())
    if ctx.cohort.id != ref.cohort_id:
        att.check_cohort(ctx, await Cohort.get_or_none(id=ref.cohort_id), ref)
    att.check_age(ref, ctx.calendar, ctx.now, action)
    return ctx, att.block_info(ctx.calendar, host.curriculum, ref)


def _day(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


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
            int(match["cohort"]), _day(match["day"]), CODE_SLOTS[match["slot"]], match["action"]
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


class Form(GuardedModal):
    """A form whose answer is handled by :func:`handle_form`, found by its custom id.

    discord.py keeps open forms in memory under their custom id alone: a form opened before
    a restart would be dropped, and two forms with one id would replace each other. These
    carry everything in the custom id (plus the opening interaction's id, so each is its
    own), and ``cogs.sessions`` hands every submission to :func:`handle_form`.
    """

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        return None  # answered by handle_form (the "interaction" event)


BLOCK_FORM = re.compile(r"coach:blkm:([0-9]{1,20}):([0-9]{8}):([abs]):[0-9]{1,20}")
LEDGER_FORM = re.compile(r"coach:fledm:([0-9]{1,20}):[0-9]{1,20}")


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


def form_values(data: Any) -> dict[str, Any]:
    """A submitted form's values by custom id (text: a string, selects: a list)."""
    out: dict[str, Any] = {}

    def walk(nodes: Any) -> None:
        for node in nodes or []:
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("component"), dict):
                walk([node["component"]])
            walk(node.get("components"))
            custom_id = node.get("custom_id")
            if isinstance(custom_id, str):
                out[custom_id] = node.get("values", node.get("value"))

    walk(data.get("components") if isinstance(data, dict) else None)
    return out


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
            day = _day(block[2])
            if day is None:
                raise UserFacingError("That form doesn't belong to any block.")
            ref = att.BlockRef(int(block[1]), day, CODE_SLOTS[block[3]])
            log_budget(interaction)
            picks = [str(v) for v in values.get("problems") or []]
            await submit_block_solves(interaction, ref, picks, str(values.get("minutes") or ""))
            return True
        if ledger is not None:
            log_budget(interaction)
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
    if result.results and ctx.member.public_lines:
        name = display_name(ctx, interaction)
        lines = "\n".join(public_solve_line(name, r) for r in result.results)
        await announce(host, ctx.cohort, lines)


# -- focus timers ----------------------------------------------------------------------------
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
        return cls(int(match["cohort"]), _day(match["day"]), CODE_SLOTS[match["slot"]])

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


def ledger_view(timer_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(LedgerButton(timer_id))
    return view


def focus_end_view(timer: FocusTimer) -> discord.ui.View:
    """The end of a routine: the ledger button, and ✅ Done when it was for a block."""
    view = ledger_view(timer.id)
    cohort_id = timer.cohort_id  # type: ignore[attr-defined]
    if timer.block_date is not None and timer.block_slot in SLOT_CODES and cohort_id is not None:
        view.add_item(BlockButton(cohort_id, timer.block_date, timer.block_slot, "done"))
    return view


def today_in(ctx: MemberContext, now: datetime) -> date:
    """The cohort's local date (block posts are dated in the cohort's zone)."""
    return local_date(now, ctx.calendar.zone)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    BlockButton,
    FocusGoButton,
    LedgerButton,
)
