"""Unguessable progress-page links: made, replaced, resolved.

A token is 32 URL-safe characters from :func:`secrets.token_urlsafe` (192 random bits); only
its SHA-256 is stored, so the database never holds a working link. A cohort has at most one
link (``/coach web`` makes a new one and the old one stops working at once); a member has at
most one of their own (``/progress link``), valid for :data:`MEMBER_LINK_DAYS` days.

:func:`resolve` finds a link and, in the same statement, a cheap fingerprint of what its page
shows (row counts and highest ids of the entries, blocks, members and pauses behind it), so a
cached page costs one statement per request and is rebuilt as soon as anything it shows changed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.transactions import in_transaction

from bot.errors import UserFacingError
from bot.models import Cohort, Member
from bot.services.sql import query
from bot.settings import Settings
from bot.web.models import LinkKind, WebLink

TOKEN_BYTES = 24  # 192 bits; token_urlsafe gives 32 characters
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
MEMBER_LINK_DAYS = 7
PATHS = {LinkKind.COHORT: "c", LinkKind.MEMBER: "m"}
WEB_OFF = (
    "The progress pages are off on this bot — whoever runs it turns them on with `WEB_PORT` "
    "(and `WEB_BASE_URL`, the address people open)."
)


def pages_on(settings: Settings) -> None:
    """:class:`UserFacingError` unless the progress pages are served (``WEB_PORT``)."""
    if settings.web_port is None:
        raise UserFacingError(WEB_OFF)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return TOKEN.fullmatch(token) is not None


@dataclass(frozen=True)
class IssuedLink:
    kind: LinkKind
    token: str
    expires_at: datetime | None
    replaced: bool  # an older link existed and stopped working

    @property
    def path(self) -> str:
        return f"{PATHS[self.kind]}/{self.token}"


async def issue_cohort_link(cohort: Cohort, user_id: int, now: datetime) -> IssuedLink:
    """A new link to the cohort's page; the previous one (if any) stops working."""
    token = new_token()
    async with in_transaction():
        old = await WebLink.filter(cohort_id=cohort.id, kind=LinkKind.COHORT).delete()
        await WebLink.create(
            kind=LinkKind.COHORT,
            cohort_id=cohort.id,
            token_hash=token_hash(token),
            created_by=user_id,
            created_at=now,
        )
    return IssuedLink(LinkKind.COHORT, token, None, old > 0)


async def revoke_cohort_link(cohort: Cohort) -> bool:
    """Turn the cohort's page off; whether there was a link."""
    return await WebLink.filter(cohort_id=cohort.id, kind=LinkKind.COHORT).delete() > 0


async def issue_member_link(member: Member, cohort: Cohort, now: datetime) -> IssuedLink:
    """A private link to the member's own page for :data:`MEMBER_LINK_DAYS` days; the
    member's previous link stops working (and expired links of anyone are cleared)."""
    token = new_token()
    expires = now + timedelta(days=MEMBER_LINK_DAYS)
    async with in_transaction():
        old = await WebLink.filter(member_id=member.id, kind=LinkKind.MEMBER).delete()
        await WebLink.filter(kind=LinkKind.MEMBER, expires_at__lte=now).delete()
        await WebLink.create(
            kind=LinkKind.MEMBER,
            cohort_id=cohort.id,
            member_id=member.id,
            token_hash=token_hash(token),
            created_by=member.user_id,
            created_at=now,
            expires_at=expires,
        )
    return IssuedLink(LinkKind.MEMBER, token, expires, old > 0)


# -- resolving, with the page's fingerprint ---------------------------------------------------
_COHORT_STATE = (
    "SELECT l.id AS link_id, l.cohort_id AS cohort_id, l.member_id AS member_id,"
    " l.expires_at AS expires_at,"
    " (SELECT c.timezone FROM cohort c WHERE c.id = l.cohort_id) AS tz,"
    " (SELECT COUNT(*) FROM entry e WHERE e.cohort_id = l.cohort_id) AS f1,"
    " (SELECT MAX(e.id) FROM entry e WHERE e.cohort_id = l.cohort_id) AS f2,"
    " (SELECT COUNT(*) FROM block_attendance a WHERE a.cohort_id = l.cohort_id"
    "  AND a.status = 'done') AS f3,"
    " (SELECT COUNT(*) FROM member m WHERE m.cohort_id = l.cohort_id AND m.left_at IS NULL) AS f4,"
    " (SELECT SUM(CASE WHEN m.share_progress THEN m.id ELSE 0 END + LENGTH(m.display_name))"
    "  FROM member m WHERE m.cohort_id = l.cohort_id AND m.left_at IS NULL) AS f5,"
    " (SELECT COUNT(*) FROM cohort_pause p WHERE p.cohort_id = l.cohort_id) AS f6,"
    " (SELECT MAX(p.id) FROM cohort_pause p WHERE p.cohort_id = l.cohort_id) AS f7,"
    " (SELECT c.updated_at FROM cohort c WHERE c.id = l.cohort_id) AS f8"
    " FROM web_link l WHERE l.token_hash = {p} AND l.kind = 'cohort'"
)
_MEMBER_STATE = (
    "SELECT l.id AS link_id, l.cohort_id AS cohort_id, l.member_id AS member_id,"
    " l.expires_at AS expires_at,"
    " (SELECT c.timezone FROM cohort c WHERE c.id = l.cohort_id) AS tz,"
    " (SELECT COUNT(*) FROM entry e WHERE e.member_id = l.member_id) AS f1,"
    " (SELECT MAX(e.id) FROM entry e WHERE e.member_id = l.member_id) AS f2,"
    " (SELECT COUNT(*) FROM block_attendance a WHERE a.member_id = l.member_id"
    "  AND a.status = 'done') AS f3,"
    " (SELECT COUNT(*) FROM member m WHERE m.id = l.member_id AND m.left_at IS NULL"
    "  AND m.cohort_id = l.cohort_id) AS f4,"
    " (SELECT m.display_name FROM member m WHERE m.id = l.member_id) AS f5,"
    " (SELECT COUNT(*) FROM cohort_pause p WHERE p.cohort_id = l.cohort_id) AS f6,"
    " (SELECT MAX(p.id) FROM cohort_pause p WHERE p.cohort_id = l.cohort_id) AS f7,"
    " (SELECT c.updated_at FROM cohort c WHERE c.id = l.cohort_id) AS f8"
    " FROM web_link l WHERE l.token_hash = {p} AND l.kind = 'member'"
)


@dataclass(frozen=True)
class Resolved:
    kind: LinkKind
    link_id: int
    cohort_id: int
    member_id: int | None
    timezone: str  # the cohort's zone (its local date decides the page's "today")
    fingerprint: tuple[str, ...]  # changes whenever what the page shows may have changed


async def resolve(kind: LinkKind, token: str, now: datetime) -> Resolved | None:
    """The live link for ``token`` (``None``: unknown, replaced, expired, or the member left
    the cohort) — one statement."""
    if not well_formed(token):
        return None
    sql = _COHORT_STATE if kind is LinkKind.COHORT else _MEMBER_STATE
    rows = await query(sql, token_hash(token))
    if not rows:
        return None
    r = rows[0]
    expires = as_instant(r["expires_at"])
    if expires is not None and expires <= now:
        return None
    if kind is LinkKind.MEMBER and not r["f4"]:
        return None  # left the cohort, or moved to another: the link died with it
    fingerprint = tuple(str(r[f"f{i}"]) for i in range(1, 9))
    member = None if r["member_id"] is None else int(r["member_id"])
    return Resolved(kind, int(r["link_id"]), int(r["cohort_id"]), member, str(r["tz"]), fingerprint)


def as_instant(value: Any) -> datetime | None:
    """A DATETIME column read with raw SQL (SQLite gives text, PostgreSQL a datetime)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
