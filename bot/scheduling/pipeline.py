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
from datetime import date, datetime, timedelta
from typing import Protocol

from tortoise.exceptions import IntegrityError

from bot.core.posts import SLOT_LABELS
from bot.core.schedule import DueSlot, post_nonce, slots_between
from bot.core.text import plural
from bot.models import Cohort, Post, PostStatus
from bot.render.fit import OutMessage, Report, Section, fit
from bot.scheduling.compose import Composed, PostComposer
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
        self,
        cohort: Cohort,
        messages: Sequence[OutMessage],
        nonces: Sequence[str],
        *,
        user_ids: Sequence[int] = (),
    ) -> list[int]:
        """Send the fitted messages in order; return their ids or raise :class:`SendFailed`.

        ``user_ids``: the users the messages' text may mention (nudges).
        """

    async def dm(self, user_id: int, text: str) -> bool:
        """A private message; False when it could not be delivered."""

    async def find_sent(self, cohort: Cohort, messages: Sequence[OutMessage]) -> list[int]:
        """Ids of the leading ``messages`` already in the channel (in order)."""

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
        self.composer = PostComposer(curriculum, sender)
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
        self, cohort: Cohort, day: date, slot: str, due_at: datetime, now: datetime, status: str
    ) -> Post | None:
        """Insert the ledger row; ``None`` when another process already holds the key."""
        try:
            return await Post.create(
                cohort_id=cohort.id,
                local_date=day,
                slot=slot,
                status=status,
                due_at=due_at,
                nonce=post_nonce(cohort.id, day, slot),
                claimed_at=now,
                late=now - due_at > LATE_AFTER,
                attempts=1 if status == PostStatus.CLAIMED else 0,
            )
        except IntegrityError:
            return None

    async def _claim_and_send(self, cohort: Cohort, slot: DueSlot, now: datetime) -> Outcome:
        row = await self._claim(
            cohort, slot.local_date, slot.slot, slot.due_at, now, PostStatus.CLAIMED
        )
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
        # The last sender vanished after claiming: it may have sent some or all messages.
        # Look at the channel first, and send only what is not there (never blindly again).
        composed = await self.composer.compose(cohort, slot, now, late=row.late)
        try:
            found = await self.sender.find_sent(cohort, composed.messages)
        except SendFailed:
            found = []
        if found:
            log.info("cohort %s: %s was already in the channel", cohort.id, slot.key)
        return await self._deliver(cohort, row, composed, slot_title(slot), now, found)

    # -- sending -------------------------------------------------------------------------
    async def _send(self, cohort: Cohort, row: Post, slot: DueSlot, now: datetime) -> Outcome:
        if self.before_send is not None:
            await self.before_send(row)
        composed = await self.composer.compose(cohort, slot, now, late=row.late)
        return await self._deliver(cohort, row, composed, slot_title(slot), now)

    async def _deliver(
        self,
        cohort: Cohort,
        row: Post,
        composed: Composed,
        title: str,
        now: datetime,
        already: Sequence[int] = (),
    ) -> Outcome:
        """Send a claimed row's messages with its nonces and mark the row sent or failed.

        ``already`` holds the ids of leading messages found in the channel by a retry.
        """
        key = f"{row.local_date.isoformat()}/{row.slot}"
        count = len(composed.messages)
        nonces = [post_nonce(cohort.id, row.local_date, row.slot, i) for i in range(count)]
        skip = len(already)
        try:
            ids = list(already)
            if skip < count:
                ids += await self.sender.send(
                    cohort, composed.messages[skip:], nonces[skip:], user_ids=composed.user_ids
                )
        except SendFailed as exc:
            reason = str(exc)[:500]
            await Post.filter(id=row.id).update(status=PostStatus.FAILED, error=reason)
            log.warning("cohort %s: %s failed: %s", cohort.id, key, reason)
            await self._notify_once(cohort, f"{title}: {reason}")
            return Outcome(key, PostStatus.FAILED, row.late, reason)
        await Post.filter(id=row.id).update(
            status=PostStatus.SENT, sent_at=now, message_ids=",".join(map(str, ids)), error=None
        )
        if cohort.failure_notified:
            cohort.failure_notified = False
            await Cohort.filter(id=cohort.id).update(failure_notified=False)
        if composed.on_sent is not None:
            try:
                await composed.on_sent()
            except Exception:  # bookkeeping must never undo a delivered post
                log.exception("cohort %s: after-send work for %s failed", cohort.id, key)
        return Outcome(key, PostStatus.SENT, row.late)

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
        """Record missed slots; list the ones this run recorded in one catch-up message."""
        mine: list[DueSlot] = []
        for s in missed:
            if await self._claim(cohort, s.local_date, s.slot, s.due_at, now, PostStatus.MISSED):
                mine.append(s)
        if not mine:
            return []
        outcomes = [Outcome(s.key, PostStatus.MISSED) for s in mine]
        # Keyed by the first slot this run recorded, so a racing run cannot send a second one.
        name = f"catchup-{mine[0].slot}"[:24]
        row = await self._claim(cohort, mine[0].local_date, name, now, now, PostStatus.CLAIMED)
        if row is None:
            return outcomes
        messages = fit(catch_up_report(mine))
        title = f"Catch-up for {plural(len(mine), 'missed post')}"
        return [*outcomes, await self._deliver(cohort, row, Composed(messages), title, now)]


CATCH_UP_DAYS = 14  # days listed in the catch-up notice; older ones are counted


def catch_up_report(missed: Sequence[DueSlot]) -> Report:
    """One line per missed day (its posts): the last ``CATCH_UP_DAYS`` days, older counted."""
    by_day: dict[date, list[DueSlot]] = {}
    for slot in missed:
        by_day.setdefault(slot.local_date, []).append(slot)
    lines = [
        f"• {day:%a} {day.day} {day:%b} · week {slots[0].week} · "
        + ", ".join(SLOT_LABELS[s.slot] for s in slots)
        for day, slots in sorted(by_day.items())
    ]
    earlier = len(lines) - CATCH_UP_DAYS
    if earlier > 0:  # the most recent days in full, the older ones counted
        lines = [f"…{plural(earlier, 'earlier day')} before these", *lines[earlier:]]
    return Report(
        f"⏸️ I was offline and missed {plural(len(missed), 'post')}",
        [Section("Missed (`/coach preview DATE` shows any of them)", lines)],
    )
