"""The Oops re-review ladder: each Oops comes back 1, 3, 7 and 21 days later, exactly once.

Every step is a row keyed ``(entry, round, step)``. A sender claims a due row with a
conditional UPDATE (only one process can move it from ``scheduled`` to ``claimed``), delivers
it, then marks it ``sent`` (or ``inline`` when the DM failed: it is shown on the member's next
command). "Reviewed ✅" closes a step; "Still shaky" supersedes every other step of that Oops
that is still waiting (scheduled, or delivered and unanswered) and starts a new ladder from the
press. Answers of one Oops are serialised by locking its entry row, so two presses at once
(on two open reviews of the same Oops) restart the ladder once and the other press is told so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.models import Entry, OopsReview, ReviewStatus
from bot.services.sql import query

LADDER_DAYS = (1, 3, 7, 21)
STALE_CLAIM = timedelta(minutes=5)
OPEN = (ReviewStatus.SENT, ReviewStatus.INLINE, ReviewStatus.CLAIMED)


async def schedule_ladder(entry: Entry, base: datetime, round_: int = 1) -> None:
    await OopsReview.bulk_create(
        [
            OopsReview(
                entry_id=entry.id,
                member_id=entry.member_id,  # type: ignore[attr-defined]
                round=round_,
                step=i,
                due_at=base + timedelta(days=days),
                status=ReviewStatus.SCHEDULED.value,
            )
            for i, days in enumerate(LADDER_DAYS, start=1)
        ]
    )


async def claim_due(now: datetime, limit: int = 200) -> list[OopsReview]:
    """Claim due rows (and claims whose sender vanished); each row is won by one caller."""
    candidates = (
        await OopsReview.filter(
            Q(status=ReviewStatus.SCHEDULED, due_at__lte=now)
            | Q(status=ReviewStatus.CLAIMED, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("due_at")
        .limit(limit)
    )
    won = []
    for row in candidates:
        changed = await OopsReview.filter(
            id=row.id, status=row.status, claimed_at=row.claimed_at
        ).update(status=ReviewStatus.CLAIMED, claimed_at=now)
        if changed:
            won.append(row)
    if won:
        return await OopsReview.filter(id__in=[r.id for r in won]).select_related("entry", "member")
    return []


async def mark_sent(review: OopsReview, now: datetime, delivery: str, message_id: int) -> None:
    """Delivered: waiting for a button (unless a "Still shaky" superseded it meanwhile)."""
    await OopsReview.filter(id=review.id, status=ReviewStatus.CLAIMED).update(
        status=ReviewStatus.SENT, sent_at=now, delivery=delivery, message_id=message_id
    )


async def mark_inline(review: OopsReview) -> None:
    await OopsReview.filter(id=review.id, status=ReviewStatus.CLAIMED).update(
        status=ReviewStatus.INLINE
    )


async def take_inline(user_id: int, guild_id: int | None) -> list[OopsReview]:
    """Reviews waiting for this member's next command; each is handed out once."""
    if not await query("SELECT 1 FROM oops_review WHERE status = {p} LIMIT 1", "inline"):
        return []  # the usual case: one indexed probe, no join
    rows = await OopsReview.filter(
        status=ReviewStatus.INLINE, member__user_id=user_id, member__guild__guild_id=guild_id
    ).select_related("entry")
    taken = []
    for row in rows:
        if await OopsReview.filter(id=row.id, status=ReviewStatus.INLINE).update(
            status=ReviewStatus.SENT, delivery="inline"
        ):
            taken.append(row)
    return taken


async def restore_inline(review: OopsReview) -> None:
    """Hand a review back for the next command when showing it failed."""
    await OopsReview.filter(id=review.id, status=ReviewStatus.SENT, answered_at=None).update(
        status=ReviewStatus.INLINE
    )


@dataclass(frozen=True)
class Answer:
    ok: bool
    message: str
    closed: bool = False  # not ok, but the review is settled: its buttons can go away


GONE = "That Oops entry no longer exists."
ALREADY = "Already answered — thanks!"
REPLACED = (
    "You already restarted this Oops with **Still shaky** on another review — "
    "it comes back tomorrow, then in 3, 7 and 21 days."
)
REVIEWED = "Reviewed ✅ — nice. It comes back a little later to stick."
SHAKY = "Still shaky — no problem. It comes back tomorrow, then in 3, 7 and 21 days."


async def answer(review_id: int, user_id: int, shaky: bool, now: datetime) -> Answer:
    """Record a button press. Raises only on database trouble (nothing is then changed)."""
    review = await OopsReview.get_or_none(id=review_id).select_related("member")
    if review is None:
        return Answer(False, GONE, closed=True)
    if review.member.user_id != user_id:
        return Answer(False, "This review belongs to someone else.")
    entry_id: int = review.entry_id  # type: ignore[attr-defined]
    async with in_transaction():
        # One answer per Oops at a time (PostgreSQL row lock; SQLite serialises writes).
        entry = await Entry.filter(id=entry_id).select_for_update().first()
        if entry is None:
            return Answer(False, GONE, closed=True)
        status = ReviewStatus.SHAKY if shaky else ReviewStatus.REVIEWED
        changed = await OopsReview.filter(id=review.id, status__in=list(OPEN)).update(
            status=status, answered_at=now
        )
        if not changed:
            current = await OopsReview.get_or_none(id=review.id)
            if current is not None and current.status == ReviewStatus.SUPERSEDED:
                return Answer(False, REPLACED, closed=True)
            return Answer(False, ALREADY, closed=True)
        if not shaky:
            return Answer(True, REVIEWED)
        # Everything of this Oops still waiting — later steps, and other delivered reviews
        # nobody answered yet — gives way to one new ladder starting now.
        await (
            OopsReview.filter(entry_id=entry_id, status__in=[ReviewStatus.SCHEDULED, *OPEN])
            .exclude(id=review.id)
            .update(status=ReviewStatus.SUPERSEDED)
        )
        rounds = await OopsReview.filter(entry_id=entry_id).values_list("round", flat=True)
        await schedule_ladder(entry, now, max(cast(list[int], rounds), default=0) + 1)
    return Answer(True, SHAKY)


def review_state(rows: list[OopsReview]) -> str:
    """A one-line state for exports: the next due step or the last answer."""
    upcoming = sorted(
        (r for r in rows if r.status == ReviewStatus.SCHEDULED), key=lambda r: r.due_at
    )
    if upcoming:
        r = upcoming[0]
        return f"due {r.due_at:%Y-%m-%d} (step {r.step} of {len(LADDER_DAYS)}, round {r.round})"
    answered = [r for r in rows if r.answered_at is not None]
    if answered:
        return max(answered, key=lambda r: r.answered_at or r.due_at).status
    return "done"
