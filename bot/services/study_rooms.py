"""Study rooms: which voice channels count as study time for which cohort (at most
:data:`MAX_ROOMS` a server), and each cohort's room setting (whether deafened time counts).
The time spent in them is :mod:`bot.services.voice`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError

from bot.errors import UserFacingError
from bot.models import Cohort
from bot.services.cohorts import guild_config
from bot.sessions.models import RoomSettings, StudyRoom

MAX_ROOMS = 25  # study rooms per server (one select menu, one bounded list)


@dataclass(frozen=True)
class Room:
    id: int
    guild_config_id: int
    channel_id: int
    cohort_id: int
    cohort_name: str


async def all_rooms() -> dict[int, list[Room]]:
    """Every study room by Discord server id (one statement, for start-up)."""
    rows = await StudyRoom.all().select_related("cohort", "guild").order_by("id")
    out: dict[int, list[Room]] = {}
    for r in rows:
        room = Room(r.id, r.guild.id, r.channel_id, r.cohort.id, r.cohort.name)
        out.setdefault(r.guild.guild_id, []).append(room)
    return out


async def rooms_in_guild(guild_id: int) -> list[Room]:
    rows = await StudyRoom.filter(guild__guild_id=guild_id).select_related("cohort").order_by("id")
    return [
        Room(r.id, r.guild_id, r.channel_id, r.cohort.id, r.cohort.name)  # type: ignore[attr-defined]
        for r in rows
    ]


async def add_room(
    guild_id: int, cohort: Cohort, channel_id: int, user_id: int, now: datetime
) -> bool:
    """Make a voice channel a study room of ``cohort``; False when it already was one."""
    existing = await StudyRoom.get_or_none(channel_id=channel_id).select_related("cohort")
    if existing is not None:
        if existing.cohort.id == cohort.id:
            return False
        raise UserFacingError(
            f"That channel is already a study room of cohort **{existing.cohort.name}** — "
            "remove it there first (`/coach rooms remove`)."
        )
    config = await guild_config(guild_id)
    if await StudyRoom.filter(guild_id=config.id).count() >= MAX_ROOMS:
        raise UserFacingError(f"A server can have up to {MAX_ROOMS} study rooms.")
    try:
        await StudyRoom.create(
            guild=config, cohort=cohort, channel_id=channel_id, added_by=user_id, created_at=now
        )
    except IntegrityError:  # a parallel add of the same channel
        return False
    return True


async def remove_room(guild_id: int, channel_id: int) -> Room | None:
    """Stop counting a channel (its open sessions are closed by the caller first)."""
    rooms = [r for r in await rooms_in_guild(guild_id) if r.channel_id == channel_id]
    if not rooms:
        return None
    await StudyRoom.filter(id=rooms[0].id).delete()
    return rooms[0]


async def ignores_deafened(cohort_id: int) -> bool:
    row = await RoomSettings.get_or_none(cohort_id=cohort_id)
    return bool(row and row.ignore_deafened)


async def set_ignore_deafened(cohort: Cohort, value: bool, now: datetime) -> None:
    updated = await RoomSettings.filter(cohort_id=cohort.id).update(
        ignore_deafened=value, updated_at=now
    )
    if not updated:
        try:
            await RoomSettings.create(cohort=cohort, ignore_deafened=value, updated_at=now)
        except IntegrityError:
            await RoomSettings.filter(cohort_id=cohort.id).update(
                ignore_deafened=value, updated_at=now
            )
