"""The post pipeline: which slots are due, claim, render, send, mark — exactly once.

Every post is a ledger row ``(cohort, local date, slot)`` with a unique constraint. A sender
first *claims* the row (an INSERT that only one process can win), then sends with a nonce
derived from the key (Discord returns the first message for a repeated nonce), then marks it
sent or failed. A row left ``claimed`` by a crash is retried with the same nonce.

After downtime, slots missed less than the grace window ago are sent late; older ones are
recorded as missed and listed in one catch-up message.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import discord
from tortoise.exceptions import IntegrityError

from bot.core.calendar import InProgram
from bot.core.posts import SLOT_LABELS, plan_post
from bot.core.schedule import DueSlot, post_nonce, slots_between
from bot.models import Cohort, Post, PostStatus
from bot.render.embeds import Chunk, pack_embeds, post_messages
from bot.services.cohorts import cohort_calendar, post_times
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)

LATE_AFTER = timedelta(minutes=5)  # a post sent later than this after its time is "late"
STALE_CLAIM = timedelta(minutes=2)  # a claim older than this whose sender vanished is retried
LOOKBACK = timedelta(days=21)  # how far back a run looks for missed slots


class SendFailed(Exception):
    """A send that failed for a reason worth recording (permissions, deleted channel, 5xx)."""


class PostSender(Protocol):
    async def send(
        self, cohort: Cohort, messages: Sequence[Sequence[discord.Embed]], nonces: Sequence[str]
    ) -> list[int]:
        """Send the messages in order; return their ids or raise :class:`SendFailed`."""

    async def notify_failure(self, cohort: Cohort, reason: str) -> None:
        """Tell the person who set the cohort up that posting failed."""


@dataclass(frozen=True)
class Outcome:
    key: str
    status: str
    late: bool = False
    error: str | None = None


def slot_title(slot: DueSlot) -> str:
    return f"{slot.local_date:%a %d %b} · week {slot.week} · {SLOT_LABELS[slot.slot]}"


class PostPipeline:
    def __init__(
        self,
        curriculum: Curriculum,
        sender: PostSender,
        *,
        grace: timedelta,
        before_send: Callable[[Post], Awaitable[None]] | None = None,
    ) -> None:
        self.curriculum = curriculum
        self.sender = sender
        self.grace = grace
        self.before_send = before_send  # test hook: crash between claim and send

    async def run_cohort(self, cohort: Cohort, now: datetime) -> list[Outcome]:
        """Send every slot of ``cohort`` due at ``now`` that is not yet in the ledger."""
        calendar = await cohort_calendar(cohort, self.curriculum)
        times = post_times(cohort)
        after = max(cohort.schedule_from, now - LOOKBACK) - timedelta(microseconds=1)
        due = slots_between(calendar, self.curriculum, times, after, now)
        if not due:
            return []
        rows = await Post.filter(
            cohort_id=cohort.id,
            local_date__gte=due[0].local_date,
            local_date__lte=due[-1].local_date,
        )
        known = {(r.local_date, r.slot): r for r in rows}
        outcomes: list[Outcome] = []
        missed: list[DueSlot] = []
        for slot in due:
            row = known.get((slot.local_date, slot.slot))
            if row is not None:
                if row.status == PostStatus.CLAIMED and now - row.claimed_at > STALE_CLAIM:
                    outcomes.append(await self._retry_stale(cohort, row, slot, now))
                continue
            if now - slot.due_at > self.grace:
                missed.append(slot)
                continue
            outcomes.append(await self._claim_and_send(cohort, slot, now))
        if missed:
            outcomes += await self._catch_up(cohort, missed, now)
        return outcomes

    # -- claiming ------------------------------------------------------------------------
    async def _claim(
        self, cohort: Cohort, slot: DueSlot, now: datetime, status: str
    ) -> Post | None:
        try:
            return await Post.create(
                cohort_id=cohort.id,
                local_date=slot.local_date,
                slot=slot.slot,
                status=status,
                due_at=slot.due_at,
                nonce=post_nonce(cohort.id, slot.local_date, slot.slot),
                claimed_at=now,
                late=now - slot.due_at > LATE_AFTER,
                attempts=1 if status == PostStatus.CLAIMED else 0,
            )
        except IntegrityError:
            return None  # another process claimed it first

    async def _claim_and_send(self, cohort: Cohort, slot: DueSlot, now: datetime) -> Outcome:
        row = await self._claim(cohort, slot, now, PostStatus.CLAIMED)
        if row is None:
            return Outcome(slot.key, "taken")
        return await self._send(cohort, row, slot, now)

    async def _retry_stale(
        self, cohort: Cohort, row: Post, slot: DueSlot, now: datetime
    ) -> Outcome:
        won = await Post.filter(
            id=row.id, status=PostStatus.CLAIMED, claimed_at=row.claimed_at
        ).update(claimed_at=now, attempts=row.attempts + 1)
        if not won:
            return Outcome(slot.key, "taken")
        await row.refresh_from_db()
        return await self._send(cohort, row, slot, now)

    # -- sending -------------------------------------------------------------------------
    def render(self, slot: DueSlot, *, late: bool) -> list[list[discord.Embed]]:
        pos = InProgram(slot.week, slot.weekday, None, 0 if slot.slot == "kickoff" else 1)
        post = plan_post(pos, slot.slot, self.curriculum)
        footer = f"Posted late · was due {slot.due_at:%H:%M} UTC" if late else None
        return post_messages(post, footer=footer)

    async def _send(self, cohort: Cohort, row: Post, slot: DueSlot, now: datetime) -> Outcome:
        messages = self.render(slot, late=row.late)
        nonces = [
            post_nonce(cohort.id, slot.local_date, slot.slot, i) for i in range(len(messages))
        ]
        if self.before_send is not None:
            await self.before_send(row)
        try:
            ids = await self.sender.send(cohort, messages, nonces)
        except SendFailed as exc:
            reason = str(exc)[:500]
            await Post.filter(id=row.id).update(status=PostStatus.FAILED, error=reason)
            log.warning("cohort %s: %s failed: %s", cohort.id, slot.key, reason)
            await self._notify_once(cohort, f"{slot_title(slot)}: {reason}")
            return Outcome(slot.key, PostStatus.FAILED, row.late, reason)
        await Post.filter(id=row.id).update(
            status=PostStatus.SENT, sent_at=now, message_ids=",".join(map(str, ids)), error=None
        )
        if cohort.failure_notified:
            cohort.failure_notified = False
            await Cohort.filter(id=cohort.id).update(failure_notified=False)
        return Outcome(slot.key, PostStatus.SENT, row.late)

    async def _notify_once(self, cohort: Cohort, reason: str) -> None:
        changed = await Cohort.filter(id=cohort.id, failure_notified=False).update(
            failure_notified=True
        )
        if changed:
            cohort.failure_notified = True
            await self.sender.notify_failure(cohort, reason)

    # -- catch-up ------------------------------------------------------------------------
    async def _catch_up(
        self, cohort: Cohort, missed: list[DueSlot], now: datetime
    ) -> list[Outcome]:
        mine = []
        for slot in missed:
            if await self._claim(cohort, slot, now, PostStatus.MISSED) is not None:
                mine.append(slot)
        if not mine:
            return []
        lines = [f"• {slot_title(s)}" for s in mine]
        summary = DueSlot(now, 99, mine[0].local_date, f"catchup-{mine[0].slot}"[:24], 0, "")
        row = await self._claim(cohort, summary, now, PostStatus.CLAIMED)
        outcomes = [Outcome(s.key, PostStatus.MISSED) for s in mine]
        if row is None:
            return outcomes
        messages = pack_embeds(
            f"⏸️ I was offline and missed {len(mine)} post(s)",
            [Chunk("Missed (use /coach preview DATE to see any of them)", "\n".join(lines))],
        )
        nonces = [
            post_nonce(cohort.id, summary.local_date, summary.slot, i) for i in range(len(messages))
        ]
        try:
            ids = await self.sender.send(cohort, messages, nonces)
        except SendFailed as exc:
            await Post.filter(id=row.id).update(status=PostStatus.FAILED, error=str(exc)[:500])
            return [*outcomes, Outcome(summary.key, PostStatus.FAILED, error=str(exc))]
        await Post.filter(id=row.id).update(
            status=PostStatus.SENT, sent_at=now, message_ids=",".join(map(str, ids))
        )
        return [*outcomes, Outcome(summary.key, PostStatus.SENT)]
