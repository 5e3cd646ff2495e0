"""What a scheduled slot says: the day's plan, the weekly recap with its chart, nudges."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import discord

from bot.core.posts import plan_post
from bot.core.schedule import DueSlot
from bot.models import Cohort
from bot.render.embeds import pack_embeds, post_messages
from bot.render.recap import channel_chunks
from bot.services import accountability as acc
from bot.services.recap import cohort_week_report
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)


class DirectMessenger(Protocol):
    async def dm(self, user_id: int, text: str) -> bool:
        """Send a private message; False when it could not be delivered."""


@dataclass
class Composed:
    messages: list[list[discord.Embed]]
    files: list[tuple[str, bytes]] = field(default_factory=list)  # on the first message
    content: str | None = None  # extra text on the first message (nudges)
    user_ids: list[int] = field(default_factory=list)  # users that text may mention
    on_sent: Callable[[], Awaitable[None]] | None = None  # bookkeeping once delivered


class PostComposer:
    def __init__(self, curriculum: Curriculum, messenger: DirectMessenger | None = None) -> None:
        self.curriculum = curriculum
        self.messenger = messenger

    async def compose(self, cohort: Cohort, slot: DueSlot, now: datetime, late: bool) -> Composed:
        footer = f"Posted late · was due {slot.due_at:%H:%M} UTC" if late else None
        if slot.slot == "recap":
            return await self.recap(cohort, slot.week, now, footer)
        composed = Composed(
            post_messages(plan_post(slot.position, slot.slot, self.curriculum), footer=footer)
        )
        if slot.slot == "block_a":
            await self._add_nudges(cohort, slot, composed)
        return composed

    async def recap(
        self, cohort: Cohort, week: int, now: datetime, footer: str | None = None
    ) -> Composed:
        report = await cohort_week_report(cohort, week, self.curriculum, now)
        title = f"📊 Week {week} recap — {report.week_title}"
        messages = pack_embeds(title, channel_chunks(report), footer=footer)
        from bot.render.chart import render_recap_chart  # matplotlib: loaded on first use

        png = await asyncio.to_thread(render_recap_chart, report.chart)
        return Composed(messages, files=[(f"week-{week:02d}-recap.png", png)])

    async def _add_nudges(self, cohort: Cohort, slot: DueSlot, composed: Composed) -> None:
        lapsed = await acc.lapses(cohort, slot.local_date)
        nudged = acc.due_nudges(cohort, lapsed)
        if nudged:
            mentions = " ".join(f"<@{x.member.user_id}>" for x in nudged)
            composed.content = (
                f"👋 {mentions} — haven't seen a log from you for two days. "
                "Even one `/solve` or `/ledger` line today keeps you moving. We're rooting for you!"
            )
            composed.user_ids = [x.member.user_id for x in nudged]

        async def after() -> None:
            await acc.mark_nudged(nudged)
            await self._alert_buddies(lapsed)

        composed.on_sent = after

    async def _alert_buddies(self, lapsed: Sequence[acc.Lapse]) -> None:
        if self.messenger is None:
            return
        for lapse in lapsed:
            buddy = await acc.active_buddy(lapse.member.id)
            if buddy is None or not await acc.claim_buddy_alert(lapse):
                continue
            name = discord.utils.escape_markdown(lapse.member.display_name or "Your buddy")
            text = (
                f"🤝 Your study buddy **{name}** hasn't logged anything for two days "
                f"(last on {lapse.last_active:%a %d %b}). A friendly message might help!"
            )
            if not await self.messenger.dm(buddy.user_id, text):
                log.info("could not DM buddy %s", buddy.user_id)
