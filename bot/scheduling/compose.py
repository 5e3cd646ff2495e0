"""What a scheduled slot says: the day's plan, the weekly recap with its chart, nudges.

Everything is built as a :class:`~bot.render.fit.Report` and fitted into messages there, so
a post of any size (a 500-member recap, a long catch-up list) is within Discord's limits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

import discord

from bot.core.posts import PlannedPost, plan_post
from bot.core.schedule import DueSlot
from bot.core.voice import BLOCK_SLOTS
from bot.models import Cohort
from bot.render.channel_recap import channel_sections, recap_title
from bot.render.coach_recap import SMALL_GROUP as COACH_SMALL_GROUP
from bot.render.coach_recap import coaching_section
from bot.render.embeds import post_report
from bot.render.fit import Attachment, OutMessage, Report, Section, fit
from bot.render.nudges import MAX_NUDGES, buddy_alert_text, nudge_text
from bot.services import accountability as acc
from bot.services.coach_recap import recap_coaching
from bot.services.recap import CohortReport, cohort_week_report
from bot.ui.sessions import block_view
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)


class DirectMessenger(Protocol):
    async def dm(self, user_id: int, text: str) -> bool:
        """Send a private message; False when it could not be delivered."""


@dataclass
class Composed:
    messages: list[OutMessage]
    user_ids: list[int] = field(default_factory=list)  # users the content may mention
    on_sent: Callable[[], Awaitable[None]] | None = None  # bookkeeping once delivered

    @property
    def files(self) -> list[Attachment]:
        return [f for m in self.messages for f in m.files]


def head_content(role_id: int | None, text: str | None = None) -> str | None:
    """The message text of a post: the cohort's role mention, then ``text``."""
    parts = [p for p in (f"<@&{role_id}>" if role_id else None, text) if p]
    return " ".join(parts) or None


def day_post_report(
    post: PlannedPost,
    *,
    role_id: int | None,
    footer: str | None = None,
    nudge_ids: Sequence[int] = (),
    more_nudges: int = 0,
    view: discord.ui.View | None = None,
) -> Report:
    """A day's post, with the role mention, (Block-A) the bounded nudge line and ``view``
    (a block's check-in buttons) under its last message."""
    content = head_content(role_id, nudge_text(nudge_ids, more_nudges))
    return replace(post_report(post, footer=footer, content=content), view=view)


def recap_report(
    report: CohortReport,
    *,
    role_id: int | None,
    footer: str | None,
    chart: bytes | None,
    extra: Sequence[Section] = (),
) -> Report:
    """The channel's weekly recap with its chart (``extra``: more sections, e.g. coaching)."""
    files = [Attachment(f"week-{report.week:02d}-recap.png", chart)] if chart else []
    return Report(
        recap_title(report),
        [*channel_sections(report), *extra],
        footer=footer,
        content=head_content(role_id),
        files=files,
    )


class PostComposer:
    def __init__(self, curriculum: Curriculum, messenger: DirectMessenger | None = None) -> None:
        self.curriculum = curriculum
        self.messenger = messenger

    async def compose(self, cohort: Cohort, slot: DueSlot, now: datetime, late: bool) -> Composed:
        footer = f"Posted late · was due {slot.due_at:%H:%M} UTC" if late else None
        if slot.slot == "recap":
            return await self.recap(cohort, slot.week, now, footer)
        post = plan_post(slot.position, slot.slot, self.curriculum)
        view = (
            block_view(cohort.id, slot.local_date, slot.slot) if slot.slot in BLOCK_SLOTS else None
        )
        if slot.slot == "block_a":
            return await self._with_nudges(cohort, slot, post, footer, view)
        report = day_post_report(post, role_id=cohort.role_id, footer=footer, view=view)
        return Composed(fit(report))

    async def recap(
        self, cohort: Cohort, week: int, now: datetime, footer: str | None = None
    ) -> Composed:
        report = await cohort_week_report(cohort, week, self.curriculum, now)
        small = len(report.members) <= COACH_SMALL_GROUP  # each member's weakest pattern
        coaching = await recap_coaching(cohort, report, self.curriculum, detailed=small, now=now)
        extra = [s for s in (coaching_section(report, coaching),) if s is not None]
        from bot.render.chart import render_recap_chart  # matplotlib: loaded on first use

        png = await asyncio.to_thread(render_recap_chart, report.chart)
        rendered = recap_report(
            report, role_id=cohort.role_id, footer=footer, chart=png, extra=extra
        )
        return Composed(fit(rendered))

    async def _with_nudges(
        self,
        cohort: Cohort,
        slot: DueSlot,
        post: PlannedPost,
        footer: str | None,
        view: discord.ui.View | None = None,
    ) -> Composed:
        """Block-A mentions members who went quiet: at most ``MAX_NUDGES`` per post.

        Only the members actually mentioned are marked as nudged; the others stay due and
        are mentioned in the next Block-A posts (longest-quiet first).
        """
        lapsed = await acc.lapses(cohort, slot.local_date)
        due = acc.due_nudges(cohort, lapsed)
        mentioned = due[:MAX_NUDGES]
        ids = [x.member.user_id for x in mentioned]
        report = day_post_report(
            post,
            role_id=cohort.role_id,
            footer=footer,
            nudge_ids=ids,
            more_nudges=len(due) - len(mentioned),
            view=view,
        )
        composed = Composed(fit(report), user_ids=ids)

        async def after() -> None:
            await acc.mark_nudged(mentioned)
            await self._alert_buddies(lapsed)

        composed.on_sent = after
        return composed

    async def _alert_buddies(self, lapsed: Sequence[acc.Lapse]) -> None:
        if self.messenger is None:
            return
        # Only lapses not alerted yet, of members with a buddy (one statement for all).
        fresh = [x for x in lapsed if x.member.buddy_alerted_for != x.last_active]
        buddies = await acc.active_buddies([x.member.id for x in fresh])
        for lapse in fresh:
            buddy = buddies.get(lapse.member.id)
            if buddy is None or not await acc.claim_buddy_alert(lapse):
                continue
            text = buddy_alert_text(lapse.member.display_name, lapse.last_active)
            if not await self.messenger.dm(buddy.user_id, text):
                log.info("could not DM buddy %s", buddy.user_id)
