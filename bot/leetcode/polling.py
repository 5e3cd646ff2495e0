"""One poll of one link: fetch, import, schedule the next poll, record failures.

Failures never escape as LeetCode errors: HTTP 429 backs this link off (capped), a block
pauses every request (see ``LeetCodeService.pause``), a bad response or an unknown user is
recorded on the link and nothing is written (the last-seen mark does not move).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal, Protocol

import discord

from bot.core.calendar import local_date
from bot.leetcode import policy
from bot.leetcode.client import AcceptedSubmission, QuestionMeta, Site
from bot.leetcode.errors import Blocked, LeetCodeError, RateLimited, UserNotFound
from bot.leetcode.importer import LinkGone, import_submissions, new_submissions, resolve_problems
from bot.leetcode.models import LeetCodeLink
from bot.models import Entry, EntryKind
from bot.runtime.host import Host
from bot.services.cohorts import cohort_calendar, member_zone
from bot.services.progress import MemberContext

log = logging.getLogger(__name__)


class Submissions(Protocol):
    """A (paced) LeetCode client for one site."""

    async def recent_accepted(self, username: str, limit: int) -> list[AcceptedSubmission]: ...

    async def question(self, slug: str) -> QuestionMeta: ...


class PollingService(Protocol):
    """What one poll needs from :class:`bot.leetcode.service.LeetCodeService`.

    A protocol, so that the service imports this module and never the other way round.
    """

    @property
    def bot(self) -> Host: ...

    @property
    def rng(self) -> random.Random: ...

    @property
    def paused_until(self) -> datetime | None: ...

    def paused(self, now: datetime) -> bool: ...

    def pause(self, now: datetime, exc: Blocked) -> datetime: ...

    def lock(self, link_id: int) -> asyncio.Lock: ...

    def client(self, site: Site) -> Submissions: ...


Status = Literal["ok", "failed", "paused", "inactive", "gone"]
CN_RECENT_CAP: Final = 15  # leetcode.cn returns at most this many recent accepts
INTERNAL_ERROR: Final = "internal error while importing (logged); retrying later"
GAP_MESSAGE: Final = (
    "Heads-up from StudyCoach: your last {count} accepted LeetCode submissions were all new "
    "since my previous check, so older ones may be missing from your log. Add any missing "
    "solve with `/solve` (its `when` option goes up to 7 days back). I'll only say this once."
)


def page_size(site: str) -> int:
    """How many submissions a full ``recent_accepted`` answer holds on ``site``."""
    return CN_RECENT_CAP if site == "leetcode.cn" else policy.RECENT_LIMIT


def site_of(value: str) -> Site:
    return "leetcode.cn" if value == "leetcode.cn" else "leetcode.com"


@dataclass
class PollOutcome:
    status: Status
    imported: list[Entry] = field(default_factory=list)
    merged: int = 0
    error: str | None = None
    retry_at: datetime | None = None  # the next poll (ok, failed) or the pause's end


async def poll_link(service: PollingService, link_id: int, now: datetime) -> PollOutcome:
    """Poll one verified link now (the background loop and ``/leetcode sync``)."""
    async with service.lock(link_id):
        if service.paused(now):
            return PollOutcome("paused", retry_at=service.paused_until)
        link = (
            await LeetCodeLink.filter(id=link_id, verified_at__isnull=False)
            .select_related("member", "member__cohort")
            .first()
        )
        if link is None:
            return PollOutcome("gone")
        ctx = await _context(service, link, now)
        if ctx is None:  # not in a cohort now: look again later, import once they are back
            await _schedule(service, link, now)
            return PollOutcome("inactive")
        site = site_of(link.site)
        client = service.client(site)
        try:
            submissions = await client.recent_accepted(link.username, policy.RECENT_LIMIT)
            fresh = new_submissions(submissions, link)
            problems, fetched = await resolve_problems(
                fresh, service.bot.curriculum, client.question
            )
            gap = policy.gap_suspected(submissions, link.last_seen_at, page_size(site))
            result = await import_submissions(ctx, link, submissions, problems, fetched, gap=gap)
        except LinkGone:
            return PollOutcome("gone")
        except Blocked as exc:
            until = service.pause(now, exc)
            await _record_error(link, now, f"LeetCode blocked our requests ({exc.detail})")
            await LeetCodeLink.filter(id=link.id).update(next_poll_at=until)
            return PollOutcome("paused", error=str(exc), retry_at=until)
        except LeetCodeError as exc:
            return await _back_off(link, now, exc)
        retry_at = await _schedule(service, link, now)
        if result.gap and link.gap_notified_at is None:
            await _tell_gap(service, link, now, len(submissions))
        log.info(
            "LeetCode link %s: %d imported, %d merged, %d skipped",
            link.id,
            len(result.created),
            result.merged,
            result.skipped,
        )
        return PollOutcome("ok", result.created, result.merged, retry_at=retry_at)


async def _context(
    service: PollingService, link: LeetCodeLink, now: datetime
) -> MemberContext | None:
    member = link.member
    cohort = member.cohort
    if member.left_at is not None or cohort is None:
        return None
    zone = member_zone(member, cohort)
    calendar = await cohort_calendar(cohort, service.bot.curriculum)
    return MemberContext(member, cohort, zone, calendar, now, local_date(now, zone))


async def last_activity(link: LeetCodeLink) -> datetime | None:
    """The member's latest import or solve (or the link time): what decides "idle"."""
    latest = (
        await Entry.filter(member_id=link.member.id, kind=EntryKind.SOLVE)
        .order_by("-created_at")
        .first()
    )
    moments = [m for m in (link.last_seen_at, link.verified_at) if m is not None]
    if latest is not None:
        moments.append(latest.created_at)
    return max(moments, default=None)


async def _schedule(service: PollingService, link: LeetCodeLink, now: datetime) -> datetime:
    delay = policy.next_poll_delay(await last_activity(link), now, service.rng)
    link.next_poll_at = now + delay
    await LeetCodeLink.filter(id=link.id).update(next_poll_at=link.next_poll_at)
    return link.next_poll_at


async def _record_error(
    link: LeetCodeLink, now: datetime, message: str, *, failures: int | None = None
) -> None:
    values: dict[str, object] = {"last_error": message[:300], "last_error_at": now}
    if failures is not None:
        values["failures"] = failures
    await LeetCodeLink.filter(id=link.id).update(**values)


async def _back_off(link: LeetCodeLink, now: datetime, exc: LeetCodeError) -> PollOutcome:
    failures = link.failures + 1
    retry_after = exc.retry_after if isinstance(exc, RateLimited) else None
    retry_at = now + policy.backoff_delay(failures, retry_after)
    if isinstance(exc, UserNotFound):
        message = f"LeetCode says there is no user {link.username!r} on {link.site}"
    else:
        message = str(exc)
    await _record_error(link, now, message, failures=failures)
    await LeetCodeLink.filter(id=link.id).update(next_poll_at=retry_at)
    log.info("LeetCode link %s failed (%s); next try at %s", link.id, message, retry_at)
    return PollOutcome("failed", error=message, retry_at=retry_at)


async def record_crash(link_id: int, now: datetime) -> None:
    """After an unexpected exception: note it on the link and back off (never raises)."""
    try:
        link = await LeetCodeLink.get_or_none(id=link_id)
        if link is None:
            return
        failures = link.failures + 1
        await _record_error(link, now, INTERNAL_ERROR, failures=failures)
        retry_at = now + policy.backoff_delay(failures, None)
        await LeetCodeLink.filter(id=link_id).update(next_poll_at=retry_at)
    except Exception:
        log.exception("could not record the failure of LeetCode link %s", link_id)


async def _tell_gap(service: PollingService, link: LeetCodeLink, now: datetime, count: int) -> None:
    """DM the member once that older accepts may be missing (skipped if DMs fail)."""
    claimed = await LeetCodeLink.filter(id=link.id, gap_notified_at=None).update(
        gap_notified_at=now
    )
    if not claimed:
        return
    link.gap_notified_at = now
    user_id = link.member.user_id
    try:
        user = service.bot.get_user(user_id) or await service.bot.fetch_user(user_id)
        await user.send(
            GAP_MESSAGE.format(count=count), allowed_mentions=discord.AllowedMentions.none()
        )
    except discord.HTTPException:
        log.info("could not DM member %s about a possible LeetCode import gap", link.member.id)
