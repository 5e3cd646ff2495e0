"""Helpers for the LeetCode integration tests: the room, linked accounts, submissions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.leetcode.models import LeetCodeLink
from bot.models import Member
from tests.leetcode.fake_server import FakeQuestion, FakeSubmission

NOW = datetime(2027, 2, 3, 18, 0, tzinfo=UTC)  # Wed of week 5, 19:00 in Berlin


@dataclass
class Room:
    guild: Any
    channel: Any
    alice: Any  # guild member actors
    bob: Any
    alice_user: Any  # user handles (their DM channels)
    bob_user: Any
    alice_member: Member
    bob_member: Member


def unix(moment: datetime) -> int:
    return int(moment.timestamp())


def sub(
    sid: str, slug: str, at: datetime, *, title: str = "", lang: str = "python3"
) -> FakeSubmission:
    return FakeSubmission(sid, slug, title or slug.replace("-", " ").title(), unix(at), lang=lang)


def question(slug: str, number: int, difficulty: str = "Medium") -> FakeQuestion:
    title = slug.replace("-", " ").title()
    return FakeQuestion(slug, title, str(number), str(number + 7000), difficulty)


async def link_account(
    member: Member,
    username: str,
    *,
    site: str = "leetcode.com",
    verified_at: datetime = NOW - timedelta(days=1),
    **values: Any,
) -> LeetCodeLink:
    """A verified link, due for a poll now unless ``next_poll_at`` says otherwise."""
    await member.fetch_related("guild")
    fields: dict[str, Any] = {
        "created_at": verified_at,
        "verified_at": verified_at,
        "username_lower": username.lower(),
        "next_poll_at": NOW,
    }
    fields.update(values)
    return await LeetCodeLink.create(
        member=member, guild=member.guild, site=site, username=username, **fields
    )


async def fresh(link: LeetCodeLink) -> LeetCodeLink:
    return await LeetCodeLink.get(id=link.id)
