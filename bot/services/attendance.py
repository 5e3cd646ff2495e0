"""Block check-ins: ▶ Starting, ✅ Done and Skip today on each block post (database side).

One row per (member, cohort, local date, slot), unique. A press moves the row along
:func:`bot.core.voice.next_status`; pressing the same again changes nothing and says what
was pressed. The Done form logs the block's solves exactly as ``/solve`` does, exactly once:
the row's ``solves_at`` is claimed inside the same transaction that writes the solves, so a
double submit logs them once and a failed one leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.core.calendar import CohortCalendar, InProgram, local_date
from bot.core.entries import MAX_BACKDATE_DAYS
from bot.core.posts import SLOT_LABELS, ProblemRef
from bot.core.voice import BLOCK_SLOTS, next_status, split_minutes
from bot.errors import UserFacingError
from bot.models import Cohort
from bot.services.logbook import SolveInput, SolveLogged, log_solve
from bot.services.progress import MemberContext
from bot.services.room_attendance import attendance_row
from bot.sessions.models import BlockAttendance, BlockStatus
from curriculum.loader import Curriculum

MAX_PICKS = 25  # a select menu's options


@dataclass(frozen=True)
class BlockRef:
    """Which post a button belongs to: everything its custom id carries."""

    cohort_id: int
    day: date
    slot: str

    @property
    def label(self) -> str:
        return SLOT_LABELS.get(self.slot, self.slot)


@dataclass(frozen=True)
class BlockInfo:
    ref: BlockRef
    week: int
    weekday: str
    minutes: int
    problems: tuple[ProblemRef, ...]  # the block's LeetCode problems (at most MAX_PICKS)
    solve_minutes: int | None  # what the roadmap plans for its solving tasks


def block_info(calendar: CohortCalendar, curriculum: Curriculum, ref: BlockRef) -> BlockInfo:
    """The block behind a button; refuses a date or slot that is not a block of the program."""
    pos = calendar.position(ref.day)
    block = None
    if isinstance(pos, InProgram) and ref.slot in BLOCK_SLOTS:
        block = getattr(curriculum.day(pos.week, pos.weekday), ref.slot, None)
    if block is None or not isinstance(pos, InProgram):
        raise UserFacingError("That block is no longer on the program (was the cohort paused?).")
    seen: dict[int, ProblemRef] = {}
    planned = 0
    for task in block.tasks:
        if task.problems and task.minutes:
            planned += task.minutes
        for number in task.problems:
            p = curriculum.problems[number]
            seen.setdefault(number, ProblemRef(p.number, p.title, p.difficulty.value, p.url))
    problems = tuple(list(seen.values())[:MAX_PICKS])
    if not planned and problems and all(t.problems for t in block.tasks):
        planned = int(block.minutes)  # a block that is all solving: its whole length
    return BlockInfo(ref, pos.week, pos.weekday, int(block.minutes), problems, planned or None)


def check_cohort(ctx: MemberContext, cohort: Cohort | None, ref: BlockRef) -> None:
    """Only members of the post's cohort may press its buttons."""
    if ctx.cohort.id == ref.cohort_id:
        return
    name = f" **{cohort.name}**" if cohort is not None else ""
    raise UserFacingError(
        f"These buttons are for members of cohort{name} — yours is **{ctx.cohort.name}**."
    )


def check_age(ref: BlockRef, calendar: CohortCalendar, now: datetime, action: str) -> None:
    """Starting is for today's blocks; Done and Skip for up to a week after."""
    today = local_date(now, calendar.zone)
    if action == "start" and ref.day < today - timedelta(days=1):
        raise UserFacingError(
            f"That {ref.label} was on {ref.day:%a} {ref.day.day} {ref.day:%b} — ▶ Starting is "
            f"for today's blocks (✅ Done still works for {MAX_BACKDATE_DAYS} days)."
        )
    if ref.day < today - timedelta(days=MAX_BACKDATE_DAYS):
        raise UserFacingError(
            f"That {ref.label} was more than {MAX_BACKDATE_DAYS} days ago — `/solve` with "
            "`when` logs older work."
        )


@dataclass(frozen=True)
class Pressed:
    row: BlockAttendance
    changed: bool
    previous: str | None


STAMPS = {
    BlockStatus.STARTED: "started_at",
    BlockStatus.DONE: "done_at",
    BlockStatus.SKIPPED: "skipped_at",
}


async def press(ctx: MemberContext, info: BlockInfo, action: str, now: datetime) -> Pressed:
    """Record a button press (at most one state change, however often it is pressed)."""
    ref = info.ref
    row = await attendance_row(ctx.member.id, ref.cohort_id, ref.day, ref.slot, info.week, now)
    before = row.status
    new = next_status(before, action)
    if new is None:
        return Pressed(row, False, before)
    values: dict[str, object] = {"status": new, STAMPS[BlockStatus(new)]: now, "updated_at": now}
    if new == BlockStatus.DONE:
        values["done_by"] = "button"
    current = Q(status__isnull=True) if before is None else Q(status=before)
    changed = await BlockAttendance.filter(current, id=row.id).update(**values)
    await row.refresh_from_db()  # a racing press may have moved it first
    return Pressed(row, changed > 0, before)


@dataclass(frozen=True)
class BlockSolves:
    row: BlockAttendance
    results: tuple[SolveLogged, ...]
    already: bool  # this block's solves had been logged before (nothing was logged now)


def parse_minutes(text: str | None, count: int, default: int) -> list[int]:
    """The minutes field: a total (empty: ``default``), split across the problems picked."""
    raw = (text or "").strip().lower().removesuffix("min").strip()
    if not raw:
        total = default
    elif raw.isascii() and raw.isdigit():
        total = int(raw)
    else:
        raise UserFacingError("`minutes` must be a whole number, like `45`.")
    if not count <= total <= 600 * count:
        raise UserFacingError(
            f"`minutes` must be from {count} to {600 * count} for "
            f"{'that problem' if count == 1 else f'those {count} problems'}."
        )
    return split_minutes(total, count)


async def log_block_solves(
    ctx: MemberContext,
    info: BlockInfo,
    picks: list[str],
    minutes: str | None,
    curriculum: Curriculum,
    now: datetime,
) -> BlockSolves:
    """Mark the block done and log the picked problems as solves, exactly once per block.

    Each pick must be one of the block's problems; the solves are dated the block's day
    (or the member's today, when their zone is still a day behind).
    """
    known = {str(p.number): p for p in info.problems}
    numbers = list(dict.fromkeys(p.strip() for p in picks))
    unknown = [n for n in numbers if n not in known]
    if unknown:
        raise UserFacingError("Pick problems from this block's list.")
    ref = info.ref
    pressed = await press(ctx, info, "done", now)
    if not numbers:
        return BlockSolves(pressed.row, (), False)
    split = parse_minutes(minutes, len(numbers), info.solve_minutes or 30 * len(numbers))
    day = min(ref.day, ctx.today)
    when = None if day == ctx.today else day.isoformat()
    async with in_transaction():
        claimed = await BlockAttendance.filter(id=pressed.row.id, solves_at__isnull=True).update(
            solves_at=now, updated_at=now
        )
        if not claimed:
            row = await BlockAttendance.get(id=pressed.row.id)
            return BlockSolves(row, (), True)
        results = []
        for number, spent in zip(numbers, split, strict=True):
            data = SolveInput(problem=number, minutes=spent, when=when)
            results.append(await log_solve(ctx, curriculum, data))
        await BlockAttendance.filter(id=pressed.row.id).update(solve_count=len(results))
    row = await BlockAttendance.get(id=pressed.row.id)
    return BlockSolves(row, tuple(results), False)
