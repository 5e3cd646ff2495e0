"""Joining and leaving a cohort, and a member's own preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.errors import NotAMember, UserFacingError
from bot.models import Cohort, Member
from bot.services.cohorts import guild_config
from bot.services.setup import parse_zone, resolve_cohort


@dataclass(frozen=True)
class Joined:
    member: Member
    cohort: Cohort
    rejoined: bool  # came back after /leave (history kept)
    moved_from: str | None  # the cohort they were in before, when switching


async def join(
    guild_id: int,
    user_id: int,
    display_name: str,
    cohort_name: str | None,
    timezone: str | None,
    now: datetime,
) -> Joined:
    cohort = await resolve_cohort(guild_id, cohort_name)
    zone = parse_zone(timezone).key if timezone else None
    config = await guild_config(guild_id)
    member, created = await Member.get_or_create(
        guild=config,
        user_id=user_id,
        defaults={"cohort": cohort, "display_name": display_name, "joined_at": now},
    )
    if created:
        if zone:
            member.timezone = zone
            await member.save(update_fields=["timezone"])
        return Joined(member, cohort, rejoined=False, moved_from=None)
    await member.fetch_related("cohort")
    previous = member.cohort
    was_active = member.left_at is None and previous is not None
    if was_active and previous is not None and previous.id == cohort.id and not zone:
        raise UserFacingError(f"You're already in **{cohort.name}** — `/today` shows your blocks.")
    member.cohort = cohort
    if not was_active:
        member.joined_at = now  # a quiet spell before rejoining is not a lapse to nudge
    member.left_at = None
    member.display_name = display_name
    if zone:
        member.timezone = zone
    await member.save()
    moved = previous.name if was_active and previous and previous.id != cohort.id else None
    return Joined(member, cohort, rejoined=not was_active, moved_from=moved)


async def leave(guild_id: int, user_id: int, now: datetime) -> tuple[Member, str]:
    member = (
        await Member.filter(guild__guild_id=guild_id, user_id=user_id, left_at=None)
        .select_related("cohort")
        .first()
    )
    if member is None or member.cohort is None:
        raise NotAMember()
    name = member.cohort.name
    member.left_at = now
    await member.save(update_fields=["left_at"])
    return member, name


async def set_prefs(
    member: Member,
    public_lines: bool | None,
    nudges: bool | None,
    timezone: str | None,
    share_progress: bool | None = None,
) -> Member:
    """Change the given settings (``None`` keeps one); the zone is checked before saving."""
    fields = []
    if public_lines is not None:
        member.public_lines = public_lines
        fields.append("public_lines")
    if nudges is not None:
        member.nudges = nudges
        fields.append("nudges")
    if share_progress is not None:
        member.share_progress = share_progress
        fields.append("share_progress")
    if timezone is not None:
        member.timezone = None if timezone.strip().lower() == "cohort" else parse_zone(timezone).key
        fields.append("timezone")
    if fields:
        await member.save(update_fields=fields)
    return member
