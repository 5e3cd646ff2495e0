"""Announces focus-timer phases when they are due: claim → send → mark, exactly once.

A background service (``focus``). It puts two jobs in the post scheduler: an exact one-off
trigger at the next due announcement (re-armed after every run and whenever a timer is
started or stopped), and a sweep every :data:`SWEEP` as a safety net (the watchdog keeps
the sweep alive). What is due is decided by the host's injected clock; a member's own timer
is announced by DM (or, if DMs are closed, in the channel it was started from, mentioning
only them), a study room's shared timer in the room's text chat.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from datetime import datetime
from typing import Any

import discord
from apscheduler.jobstores.base import JobLookupError
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.render.fit import CONTENT_MAX, shorten
from bot.render.sessions import phase_text
from bot.runtime.host import Host
from bot.scheduling.runner import PostScheduler
from bot.services import focus as svc
from bot.sessions.models import FocusPhase
from bot.shards import ShardScope
from bot.ui.focus_buttons import ledger_view
from bot.ui.sessions import focus_end_view

log = logging.getLogger(__name__)
SWEEP = IntervalTrigger(seconds=30)
EXACT_JOB = "focus-next"


def phase_nonce(phase: FocusPhase) -> str:
    """Stable per announcement: a retried send is the same message, never a second one."""
    return "focus" + hashlib.sha256(f"phase:{phase.id}".encode()).hexdigest()[:20]


class FocusRunner:
    name = "focus"

    def __init__(self, host: Host, posts: PostScheduler | None = None) -> None:
        self.host = host
        self.posts = posts

    async def start(self) -> None:
        if self.posts is not None:
            self.posts.add_periodic("focus-sweep", self.run_due, SWEEP)
        await self.arm()

    async def stop(self) -> None:
        if self.posts is not None:
            self.posts.remove_periodic("focus-sweep")
            with contextlib.suppress(JobLookupError):
                self.posts.scheduler.remove_job(EXACT_JOB)

    async def arm(self, after: datetime | None = None) -> None:
        """Put the exact trigger at the next due announcement (if the scheduler runs).

        After a run, only announcements due later than that run's instant: one it left
        unclaimed (another shard's, or past its batch) is the sweep's, so the trigger is never
        set in the past again and again (a busy loop while another shard is down)."""
        if self.posts is None or not self.posts.running:
            return
        due = await svc.next_due(after)
        if due is None:
            with contextlib.suppress(JobLookupError):
                self.posts.scheduler.remove_job(EXACT_JOB)
            return
        self.posts.scheduler.add_job(
            self.run_due,
            DateTrigger(run_date=due),
            id=EXACT_JOB,
            replace_existing=True,
            misfire_grace_time=120,
        )

    async def run_due(self) -> int:
        """Announce everything due now; returns how many announcements were handled."""
        now = self.host.clock()
        due = await svc.claim_due(now, ShardScope.of(self.host.settings).owns)
        for phase in due:
            try:
                await self._deliver(phase)
            except Exception:  # one timer's trouble never stops the others
                log.exception("focus phase %s: delivery failed", phase.id)
        try:
            await self.arm(after=now)
        except Exception:
            log.exception("focus: arming the next announcement failed")
        return len(due)

    async def _deliver(self, phase: FocusPhase) -> None:
        timer = phase.timer
        view = await svc.view_of(timer)
        group = timer.room_id is not None
        text = shorten(phase_text(view, phase, self.host.clock(), group=group), CONTENT_MAX)
        buttons: discord.ui.View | None = None
        if phase.kind == "end":
            buttons = focus_end_view(timer)
        elif phase.kind == "reflect":
            buttons = ledger_view(timer.id)
        nonce = phase_nonce(phase)
        message: discord.Message | None = None
        if group:
            message = await self._to_channel(timer.room_id, text, buttons, nonce)
        else:
            message = await self._to_member(phase.member.user_id, text, buttons, nonce)
            if message is None and timer.channel_id is not None:
                mention = f"<@{phase.member.user_id}> "
                message = await self._to_channel(
                    timer.channel_id,
                    shorten(mention + text, CONTENT_MAX),
                    buttons,
                    nonce,
                    ping=phase.member.user_id,
                )
        if message is None:
            await svc.mark_failed(phase, "could not deliver (DMs closed, channel gone)")
            return
        await svc.mark_sent(phase, self.host.clock(), message.id)

    async def _to_member(
        self, user_id: int, text: str, view: discord.ui.View | None, nonce: str
    ) -> discord.Message | None:
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        try:
            user = self.host.get_user(user_id) or await self.host.fetch_user(user_id)
            return await user.send(
                text, nonce=nonce, allowed_mentions=discord.AllowedMentions.none(), **extra
            )
        except discord.HTTPException:
            return None

    async def _to_channel(
        self,
        channel_id: int | None,
        text: str,
        view: discord.ui.View | None,
        nonce: str,
        ping: int | None = None,
    ) -> discord.Message | None:
        if channel_id is None:
            return None
        channel = self.host.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return None
        allowed = discord.AllowedMentions(
            everyone=False, roles=False, users=[discord.Object(ping)] if ping else False
        )
        extra: dict[str, Any] = {"view": view} if view is not None else {}
        try:
            return await channel.send(text, nonce=nonce, allowed_mentions=allowed, **extra)
        except discord.HTTPException:
            return None


def focus_runner(host: Host) -> FocusRunner:
    """The registered runner (registered on first use when background work is off)."""
    service = host.services.get(FocusRunner.name)
    if isinstance(service, FocusRunner):
        return service
    return host.services.add(FocusRunner(host))
