"""Peer mock interviews: opting in — a :class:`MockProfile` per member (kinds of interview,
weekly windows, place in line), paused, resumed or left by the member."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.core import entries as rules
from bot.core.mock_windows import BY_ID
from bot.errors import UserFacingError
from bot.mocks.models import MockProfile, ProfileStatus
from bot.models import Member

KINDS = rules.MOCK_KINDS  # dsa / system_design / behavioral → labels


def parse_list(text: str | None) -> list[str]:
    return [x for x in (text or "").split(",") if x]


def check_kinds(kinds: Sequence[str]) -> list[str]:
    chosen = [k for k in KINDS if k in set(kinds)]
    if not chosen or len(chosen) != len(set(kinds)):
        raise UserFacingError(
            "Pick at least one kind of interview: " + ", ".join(KINDS.values()) + "."
        )
    return chosen


def check_windows(windows: Sequence[str]) -> list[str]:
    chosen = [w for w in BY_ID if w in set(windows)]
    if not chosen or len(chosen) != len(set(windows)):
        raise UserFacingError("Pick at least one weekly window from the list.")
    return chosen


async def profile_of(member_id: int) -> MockProfile | None:
    return await MockProfile.get_or_none(member_id=member_id)


async def save_profile(
    member: Member, kinds: Sequence[str], windows: Sequence[str], now: datetime
) -> MockProfile:
    """Opt in (or change kinds and windows); a paused or left profile is active again."""
    values = {
        "kinds": ",".join(check_kinds(kinds)),
        "windows": ",".join(check_windows(windows)),
        "status": ProfileStatus.ACTIVE.value,
        "updated_at": now,
    }
    profile, created = await MockProfile.get_or_create(member_id=member.id, defaults=values)
    if not created:
        await MockProfile.filter(id=profile.id).update(**values)
        await profile.refresh_from_db()
    return profile


async def set_status(member: Member, status: ProfileStatus, now: datetime) -> MockProfile:
    profile = await profile_of(member.id)
    left = profile is not None and profile.status == ProfileStatus.LEFT
    if profile is None or (left and status is not ProfileStatus.LEFT):
        raise UserFacingError("You haven't opted in to peer mocks — `/mocks join` does that.")
    await MockProfile.filter(id=profile.id).update(status=status.value, updated_at=now)
    profile.status = status.value
    return profile
