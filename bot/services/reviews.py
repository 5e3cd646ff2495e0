"""The Oops re-review ladder: each Oops comes back 1, 3, 7 and 21 days later, exactly once.

Every step is a row keyed ``(entry, round, step)``. A sender claims a due row with a
conditional UPDATE (only one process can move it from ``scheduled`` to ``claimed``), delivers
it, then marks it ``sent`` (or ``inline`` when the DM failed: it is shown on the member's next
command). "Reviewed ✅" closes a step; "Still shaky" supersedes the rest of the round and
starts a new ladder from the press.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q

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
    await OopsReview.filter(id=review.id).update(
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


async def answer(review_id: int, user_id: int, shaky: bool, now: datetime) -> Answer:
    review = await OopsReview.get_or_none(id=review_id).select_related("member", "entry")
    if review is None:
        return Answer(False, "That Oops entry no longer exists.")
    if review.member.user_id != user_id:
        return Answer(False, "This review belongs to someone else.")
    status = ReviewStatus.SHAKY if shaky else ReviewStatus.REVIEWED
    changed = await OopsReview.filter(id=review.id, status__in=list(OPEN)).update(
        status=status, answered_at=now
    )
    if not changed:
        return Answer(False, "Already answered — thanks!")
    if not shaky:
        return Answer(True, "Reviewed ✅ — nice. It comes back a little later to stick.")
    await OopsReview.filter(
        entry_id=review.entry.id, round=review.round, status=ReviewStatus.SCHEDULED
    ).update(status=ReviewStatus.SUPERSEDED)
    await schedule_ladder(review.entry, now, review.round + 1)
    return Answer(
        True, "Still shaky — no problem. It comes back tomorrow, then in 3, 7 and 21 days."
    )


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
