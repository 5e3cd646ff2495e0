"""Linking a member's LeetCode account: the profile code, verification, unlink, status, sync.

Every function returns (or raises as :class:`UserFacingError`) the text the member sees.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from discord.utils import escape_markdown
from tortoise.exceptions import IntegrityError

from bot.core.text import plural
from bot.errors import UserFacingError
from bot.leetcode.client import Site
from bot.leetcode.errors import Blocked, LeetCodeError, UserNotFound
from bot.leetcode.models import LeetCodeLink
from bot.leetcode.polling import PollOutcome, site_of
from bot.leetcode.service import SYNC_COOLDOWN, LeetCodeService
from bot.leetcode.verify import code_expires_at, code_present, new_code
from bot.models import Entry, Member
from bot.render.entries import problem_label
from bot.services.cohorts import guild_config

log = logging.getLogger(__name__)

SITES: Final = ("leetcode.com", "leetcode.cn")
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_PROFILE_URL = re.compile(r"leetcode\.(com|cn)/(?:u/)?([^/?#\s]+)", re.IGNORECASE)
NOT_LINKED: Final = "You haven't linked a LeetCode account — use `/leetcode link username`."


def ts(moment: datetime, style: str = "R") -> str:
    """A Discord timestamp: every reader sees it in their own zone."""
    return f"<t:{int(moment.timestamp())}:{style}>"


def parse_username(value: str, site: str | None) -> tuple[str, Site]:
    """A username (or profile link) and the site: the option, the link's, or leetcode.com."""
    raw = value.strip()
    match = _PROFILE_URL.search(raw)
    if match:
        raw = match.group(2)
        site = site or f"leetcode.{match.group(1).lower()}"
    if site is not None and site not in SITES:
        raise UserFacingError("`site` must be one of: leetcode.com, leetcode.cn.")
    if not _USERNAME.match(raw):
        raise UserFacingError(
            "`username` must be your LeetCode username (letters, digits, `-`, `_`, `.`; up to "
            "64 characters) or your profile link."
        )
    return raw, site_of(site or "leetcode.com")


def shown(username: str) -> str:
    return f"**{escape_markdown(username)}**"


async def start_link(
    service: LeetCodeService, member: Member, guild_id: int, username: str, site: Site
) -> LeetCodeLink:
    """Issue a fresh code for ``username`` (replacing a pending one); refuse taken accounts."""
    now = service.bot.clock()
    link = await LeetCodeLink.get_or_none(member_id=member.id)
    if link is not None and link.verified_at is not None:
        raise UserFacingError(
            f"You're already linked to {shown(link.username)} on {link.site}. "
            "Run `/leetcode unlink` first to link another account."
        )
    if await LeetCodeLink.filter(
        guild__guild_id=guild_id, site=site, username_lower=username.lower()
    ).exists():
        raise UserFacingError(
            f"{shown(username)} on {site} is already linked to another member of this server."
        )
    code = new_code(service.rng)
    values: dict[str, Any] = {
        "site": site,
        "username": username,
        "code": code,
        "code_expires_at": code_expires_at(now),
    }
    if link is None:
        return await LeetCodeLink.create(
            member=member, guild=await guild_config(guild_id), created_at=now, **values
        )
    await LeetCodeLink.filter(id=link.id).update(**values)
    await link.refresh_from_db()
    return link


def instructions(service: LeetCodeService, link: LeetCodeLink) -> str:
    assert link.code is not None and link.code_expires_at is not None
    url = service.profile_url(link.site, link.username)
    return (
        f"To link {shown(link.username)} on {link.site}, put this code in the **About me** "
        f"(or **Name**) of your LeetCode profile and save it:\n`{link.code}`\n"
        f"Profile: <{url}>\nThen press **Verify**. The code works once and expires "
        f"{ts(link.code_expires_at)}."
    )


@dataclass(frozen=True)
class VerifyResult:
    text: str
    final: bool  # True: the code is used up or void, the button goes away


VERIFY_FAILED: Final = (
    "⚠️ Something went wrong while checking your profile — nothing was changed. "
    "Press **Verify** again in a minute."
)


async def verify_link(
    service: LeetCodeService, member_id: int, code: str, now: datetime
) -> VerifyResult:
    """Check the profile for ``code`` and link the account when it is there.

    Never raises: whatever happens (LeetCode, the database), the Verify button gets an answer,
    and anything unexpected keeps the code on screen to try again.
    """
    try:
        return await _verify_link(service, member_id, code, now)
    except Exception:
        log.exception("verifying the LeetCode link of member %s failed", member_id)
        return VerifyResult(VERIFY_FAILED, False)


async def _verify_link(
    service: LeetCodeService, member_id: int, code: str, now: datetime
) -> VerifyResult:
    link = await LeetCodeLink.get_or_none(member_id=member_id)
    if link is not None and link.verified_at is not None:
        return VerifyResult(f"{shown(link.username)} is already linked. ✅", True)
    if link is None or link.code != code or link.code_expires_at is None:
        return VerifyResult("This code is no longer valid — run `/leetcode link` again.", True)
    if now >= link.code_expires_at:
        return VerifyResult(
            "❌ The code expired (codes last 10 minutes) — run `/leetcode link` again "
            "for a new one.",
            True,
        )
    if service.paused(now):
        return VerifyResult(_paused(service), False)
    try:
        profile = await service.client(site_of(link.site)).profile_text(link.username)
    except UserNotFound:
        return VerifyResult(
            f"❌ LeetCode has no user {shown(link.username)} on {link.site} — check the "
            "spelling and run `/leetcode link` again.",
            True,
        )
    except Blocked as exc:
        service.pause(now, exc)
        return VerifyResult(_paused(service), False)
    except LeetCodeError:
        return VerifyResult(
            "⚠️ I couldn't read your LeetCode profile just now. Press **Verify** again in a minute.",
            False,
        )
    if not code_present(profile, code):
        return VerifyResult(
            f"❌ I couldn't find `{code}` in the About me or Name of "
            f"{shown(link.username)}'s profile. Save the profile, then press **Verify** again.",
            False,
        )
    try:
        done = await LeetCodeLink.filter(id=link.id, code=code, verified_at=None).update(
            verified_at=now,
            username_lower=link.username.lower(),
            code=None,
            code_expires_at=None,
            next_poll_at=now,
        )
    except IntegrityError:
        return VerifyResult(
            f"❌ {shown(link.username)} on {link.site} was just linked by another member of "
            "this server.",
            True,
        )
    if not done:
        return VerifyResult("This code is no longer valid — run `/leetcode link` again.", True)
    when = (
        "The first check runs within a minute"
        if service.bot.settings.leetcode_polling
        else "Run `/leetcode sync` to import"
    )
    return VerifyResult(
        f"✅ Linked {shown(link.username)} on {link.site}. I'll import your accepted solves "
        f"from now on. {when} (it picks up the last 7 days). You can remove the code from "
        "your profile now.",
        True,
    )


def _paused(service: LeetCodeService) -> str:
    until = f" until {ts(service.paused_until, 't')}" if service.paused_until else ""
    return (
        f"⏸️ LeetCode is refusing our requests right now, so every check is paused{until}. "
        "Please try again later."
    )


async def unlink(service: LeetCodeService, member: Member) -> str:
    link = await LeetCodeLink.get_or_none(member_id=member.id)
    if link is None:
        return "You have no linked LeetCode account."
    async with service.lock(link.id):
        await LeetCodeLink.filter(id=link.id).delete()
    if link.verified_at is None:
        return f"Cancelled linking {shown(link.username)}."
    return f"Unlinked {shown(link.username)} on {link.site}. Your imported solves stay in your log."


async def status_text(service: LeetCodeService, member: Member, now: datetime) -> str:
    link = await LeetCodeLink.get_or_none(member_id=member.id)
    if link is None:
        return NOT_LINKED
    url = service.profile_url(link.site, link.username)
    if link.verified_at is None:
        expires = link.code_expires_at
        state = (
            f"code `{link.code}` expires {ts(expires)}"
            if expires is not None and now < expires
            else "the code expired — run `/leetcode link` again"
        )
        return f"LeetCode: {shown(link.username)} on {link.site} — not verified yet ({state})."
    lines = [
        f"LeetCode: {shown(link.username)} on {link.site} (<{url}>), linked {ts(link.verified_at)}",
        "Last successful sync: " + (ts(link.last_sync_at) if link.last_sync_at else "not yet"),
        "Last error: "
        + (
            f"{escape_markdown(link.last_error)} ({ts(link.last_error_at)})"
            if link.last_error and link.last_error_at
            else "none"
        ),
    ]
    if service.paused(now) and service.paused_until is not None:
        lines.append(
            f"Polling: paused until {ts(service.paused_until, 't')} — LeetCode blocked our requests"
        )
    elif not service.bot.settings.leetcode_polling:
        lines.append("Polling: off on this bot — use `/leetcode sync`")
    else:
        nxt = f", next check {ts(link.next_poll_at)}" if link.next_poll_at else ""
        lines.append(f"Polling: active{nxt}")
    return "\n".join(lines)


async def prepare_sync(service: LeetCodeService, member: Member, now: datetime) -> int:
    """The link to poll now; raises (with the wait) when unlinked, cooling down or paused."""
    link = await LeetCodeLink.filter(member_id=member.id, verified_at__isnull=False).first()
    if link is None:
        raise UserFacingError(NOT_LINKED)
    if service.paused(now):
        raise UserFacingError(_paused(service))
    wait = service.sync_limiter.hit(member.id)
    if wait is not None:
        minutes, seconds = divmod(max(1, round(wait)), 60)
        left = f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
        raise UserFacingError(
            f"You can sync once every {int(SYNC_COOLDOWN.total_seconds() // 60)} minutes — "
            f"try again in {left}. (I also check on my own every 20 minutes.)"
        )
    return link.id


def sync_text(outcome: PollOutcome) -> str:
    if outcome.status == "ok":
        if not outcome.imported and not outcome.merged:
            return "No new accepted submissions since the last check."
        parts = []
        if outcome.imported:
            names = ", ".join(_label(e) for e in outcome.imported[:10])
            more = f" and {len(outcome.imported) - 10} more" if len(outcome.imported) > 10 else ""
            parts.append(
                f"Imported {plural(len(outcome.imported), 'accepted solve')}: {names}{more}. "
                "Add minutes and notes with `/solve` for the same problem and day."
            )
        if outcome.merged:
            parts.append(f"{plural(outcome.merged, 'matched solve')} you had already logged.")
        return "\n".join(parts)
    if outcome.status == "paused":
        until = f" until {ts(outcome.retry_at, 't')}" if outcome.retry_at else ""
        return f"⏸️ LeetCode is refusing our requests right now; every check is paused{until}."
    if outcome.status == "failed":
        retry = f" I'll try again {ts(outcome.retry_at)}." if outcome.retry_at else ""
        return f"⚠️ Couldn't sync: {escape_markdown(outcome.error or 'unknown error')}.{retry}"
    if outcome.status == "inactive":
        return "You're not in a cohort right now — `/join` one and imports resume."
    return NOT_LINKED


def _label(entry: Entry) -> str:
    return problem_label(entry) + (f" ({entry.difficulty})" if entry.difficulty else "")
