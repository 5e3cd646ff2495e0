"""Delivers due Oops re-reviews: a DM with persistent buttons, else inline on next command."""

from __future__ import annotations

import hashlib
import logging

import discord

from bot.models import OopsReview
from bot.render.entries import safe
from bot.runtime.host import Host
from bot.services import reviews
from bot.ui.persistent import review_view

log = logging.getLogger(__name__)


def review_text(review: OopsReview) -> str:
    entry = review.entry
    where = ""
    if entry.problem_number is not None:
        title = f" {safe(entry.problem_title, 100)}" if entry.problem_title else ""
        where = f" on #{entry.problem_number}{title}"
    what = safe(entry.text, 700)  # escaped and bounded: the DM stays under 2,000 characters
    lesson = safe(entry.lesson, 700)
    return (
        f"🔁 **Oops re-review** (step {review.step} of {len(reviews.LADDER_DAYS)}){where}\n"
        f"What went wrong: {what}\n||Lesson: {lesson}||\n"
        "Recall the lesson first, then reveal it. How did it go?"
    )


def review_nonce(review: OopsReview) -> str:
    return "oops" + hashlib.sha256(f"review:{review.id}".encode()).hexdigest()[:21]


class ReviewRunner:
    def __init__(self, bot: Host) -> None:
        self.bot = bot

    async def run_due(self) -> int:
        """Deliver every due review once; returns how many were handled."""
        now = self.bot.clock()
        due = await reviews.claim_due(now)
        for review in due:
            try:
                await self._deliver(review)
            except Exception:  # one review's trouble never stops the others
                log.exception("review %s: delivery failed", review.id)
        return len(due)

    async def _deliver(self, review: OopsReview) -> None:
        user_id = review.member.user_id
        try:
            user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
            message = await user.send(
                review_text(review),
                view=review_view(review.id),
                nonce=review_nonce(review),
                allowed_mentions=discord.AllowedMentions.none(),
            )
        except discord.HTTPException:
            await reviews.mark_inline(review)
            return
        await reviews.mark_sent(review, self.bot.clock(), "dm", message.id)
