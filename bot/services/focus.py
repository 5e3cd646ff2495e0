"""Focus timers (the micro-routine): phases as rows with due times, each announced once.

A timer is a row with one row per announcement (each phase's start, then the end). The
first phase is announced in the command's own reply; the runner claims the others when due
with a conditional UPDATE (only one process wins a row), sends them, then marks them sent.
A claim whose sender vanished is retried after :data:`STALE_CLAIM` with the same nonce. When
several phases of a timer fell due while the bot was away, only the latest is announced (the
earlier ones are marked skipped): nothing is announced twice and the current phase is never
lost. One running timer per member and one per study room (``active_key`` is unique).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.core.focus import Routine, timeline
from bot.errors import UserFacingError
from bot.models import Member
from bot.sessions.models import FocusPhase, FocusTimer, PhaseStatus, TimerStatus

STALE_CLAIM = timedelta(minutes=2)
WAITING = (PhaseStatus.SCHEDULED, PhaseStatus.CLAIMED)


def solo_key(member_id: int) -> str:
    return f"m{member_id}"


def room_key(room_id: int) -> str:
    return f"r{room_id}"


@dataclass(frozen=True)
class TimerView:
    timer: FocusTimer
    phases: list[FocusPhase]  # in order, the end last

    @property
    def total_minutes(self) -> int:
        return sum(p.minutes for p in self.phases)

    def at(self, now: datetime) -> FocusPhase:
        """The phase running at ``now`` (the end once it is over)."""
        running = self.phases[0]
        for phase in self.phases:
            if phase.due_at <= now:
                running = phase
        return running


async def _release_expired(key: str, now: datetime) -> None:
    """A timer past its end (the bot was away for its last announcement) is finished."""
    old = await FocusTimer.filter(active_key=key, ends_at__lte=now).first()
    if old is None:
        return
    async with in_transaction():
        await FocusPhase.filter(timer_id=old.id, status=PhaseStatus.SCHEDULED).update(
            status=PhaseStatus.SKIPPED
        )
        await FocusTimer.filter(id=old.id, active_key=key).update(
            status=TimerStatus.FINISHED, active_key=None
        )


async def start_timer(
    member: Member,
    guild_config_id: int,
    routine: Routine,
    now: datetime,
    *,
    room_id: int | None = None,
    channel_id: int | None = None,
    block: tuple[date, str] | None = None,
) -> TimerView:
    """Start a timer now: the first phase counts as announced (the reply says it)."""
    key = room_key(room_id) if room_id is not None else solo_key(member.id)
    await _release_expired(key, now)
    steps = timeline(routine, now)
    try:
        async with in_transaction():
            timer = await FocusTimer.create(
                guild_id=guild_config_id,
                member=member,
                cohort_id=member.cohort_id,  # type: ignore[attr-defined]
                room_id=room_id,
                channel_id=channel_id,
                routine=routine.key,
                block_date=block[0] if block else None,
                block_slot=block[1] if block else None,
                started_at=now,
                ends_at=steps[-1].start,
                active_key=key,
            )
            await FocusPhase.bulk_create(
                [
                    FocusPhase(
                        timer_id=timer.id,
                        member_id=member.id,
                        position=step.position,
                        name=(step.spec.name if step.spec else "Done")[:120],
                        kind=step.spec.kind if step.spec else "end",
                        minutes=step.spec.minutes if step.spec else 0,
                        due_at=step.start,
                        status=PhaseStatus.SENT if step.position == 0 else PhaseStatus.SCHEDULED,
                        sent_at=now if step.position == 0 else None,
                    )
                    for step in steps
                ]
            )
    except IntegrityError:
        if room_id is not None:
            raise UserFacingError(
                "This room already has a focus timer running — `/focus status` shows it."
            ) from None
        raise UserFacingError(
            "You already have a focus timer running — `/focus status` shows it, "
            "`/focus stop` ends it."
        ) from None
    return await view_of(timer)


async def view_of(timer: FocusTimer) -> TimerView:
    phases = await FocusPhase.filter(timer_id=timer.id).order_by("position")
    return TimerView(timer, list(phases))


async def running(key: str, now: datetime) -> TimerView | None:
    """The running timer of a member or room (a timer already past its end is not running)."""
    timer = await FocusTimer.filter(active_key=key, ends_at__gt=now).first()
    return await view_of(timer) if timer is not None else None


async def stop_timer(timer: FocusTimer, now: datetime) -> bool:
    """Stop a running timer: nothing more is announced. False if it had already ended."""
    async with in_transaction():
        changed = await FocusTimer.filter(id=timer.id, status=TimerStatus.RUNNING).update(
            status=TimerStatus.STOPPED, stopped_at=now, active_key=None
        )
        if changed:
            await FocusPhase.filter(timer_id=timer.id, status=PhaseStatus.SCHEDULED).update(
                status=PhaseStatus.CANCELLED
            )
    return changed > 0


async def next_due(after: datetime | None = None) -> datetime | None:
    """When the next announcement is due (for the exact trigger), only those due later than
    ``after`` when given."""
    pending = FocusPhase.filter(status=PhaseStatus.SCHEDULED)
    if after is not None:
        pending = pending.filter(due_at__gt=after)
    phase = await pending.order_by("due_at").first()
    return phase.due_at if phase is not None else None


async def claim_due(
    now: datetime, owns: Callable[[int], bool] = lambda _: True, limit: int = 200
) -> list[FocusPhase]:
    """Claim what is due (and stale claims) in the servers this process ``owns``; per timer
    only the latest due phase is sent."""
    candidates = (
        await FocusPhase.filter(
            Q(status=PhaseStatus.SCHEDULED, due_at__lte=now)
            | Q(status=PhaseStatus.CLAIMED, claimed_at__lt=now - STALE_CLAIM)
        )
        .select_related("timer__guild")
        .order_by("timer_id", "position")
        .limit(limit)
    )
    latest: dict[int, FocusPhase] = {}
    for phase in candidates:
        if not owns(phase.timer.guild.guild_id):
            continue
        timer_id: int = phase.timer_id  # type: ignore[attr-defined]
        earlier = latest.get(timer_id)
        if earlier is not None:  # a later phase is due too: announce that one instead
            await FocusPhase.filter(
                id=earlier.id, status=earlier.status, claimed_at=earlier.claimed_at
            ).update(status=PhaseStatus.SKIPPED)
        latest[timer_id] = phase
    won = []
    for phase in latest.values():
        changed = await FocusPhase.filter(
            id=phase.id, status=phase.status, claimed_at=phase.claimed_at
        ).update(status=PhaseStatus.CLAIMED, claimed_at=now)
        if changed:
            won.append(phase.id)
    if not won:
        return []
    return list(
        await FocusPhase.filter(id__in=won)
        .select_related("timer", "member")
        .order_by("due_at", "id")
    )


async def mark_sent(phase: FocusPhase, now: datetime, message_id: int | None) -> None:
    await FocusPhase.filter(id=phase.id, status=PhaseStatus.CLAIMED).update(
        status=PhaseStatus.SENT, sent_at=now, message_id=message_id, error=None
    )
    if phase.kind == "end":
        await finish(phase.timer)


async def mark_failed(phase: FocusPhase, error: str) -> None:
    await FocusPhase.filter(id=phase.id, status=PhaseStatus.CLAIMED).update(
        status=PhaseStatus.FAILED, error=error[:200]
    )
    if phase.kind == "end":
        await finish(phase.timer)


async def finish(timer: FocusTimer) -> None:
    await FocusTimer.filter(id=timer.id, status=TimerStatus.RUNNING).update(
        status=TimerStatus.FINISHED, active_key=None
    )


async def timer_of(timer_id: int) -> FocusTimer | None:
    return await FocusTimer.get_or_none(id=timer_id).select_related("member", "guild")
