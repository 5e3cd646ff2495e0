"""Cohort administration: parse and validate admin input, write cohorts and pauses.

The parsers raise :class:`UserFacingError` naming the option, so cogs stay thin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import discord

from bot.core.calendar import WEEKDAY_KEYS
from bot.core.text import echo
from bot.errors import UserFacingError
from bot.models import Cohort, CohortPause
from bot.services.cohorts import guild_config

MAX_PAUSE_DAYS = 8 * 7
REQUIRED_PERMISSIONS = ("view_channel", "send_messages", "embed_links", "attach_files")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Fields whose change moves the schedule (schedule_from is reset when one changes).
SCHEDULE_FIELDS: tuple[str, ...] = ("timezone", "start_date", "recap_weekday", "recap_time")
SCHEDULE_FIELDS += ("block_a_time", "block_b_time", "weekend_time")


# -- parsing ----------------------------------------------------------------------------
def parse_time(value: str, option: str) -> time:
    match = _TIME.fullmatch(value.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise UserFacingError(
            f"`{echo(value)}` isn't a valid time for **{option}** — use 24-hour HH:MM, "
            "e.g. 07:00 or 19:30."
        )
    return time(int(match[1]), int(match[2]))


def format_time(at: time) -> str:
    return f"{at:%H:%M}"


def parse_date(value: str, option: str) -> date:
    text = value.strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        day = date.fromisoformat(text)
        if not 2000 <= day.year <= 2099:
            raise ValueError(text)
    except ValueError:
        raise UserFacingError(
            f"`{echo(value)}` isn't a valid date for **{option}** — use YYYY-MM-DD, "
            "e.g. 2027-01-04."
        ) from None
    return day


@cache
def _zones() -> dict[str, str]:
    return {z.lower(): z for z in available_timezones() if z not in ("localtime", "Factory")}


def parse_zone(value: str) -> ZoneInfo:
    """An IANA zone, matched case-insensitively (``europe/berlin`` is Europe/Berlin)."""
    key = _zones().get(value.strip().lower())
    if key is None:
        raise UserFacingError(
            f"`{echo(value)}` isn't an IANA time zone — pick one from the list, e.g. Europe/Berlin."
        )
    return ZoneInfo(key)


def zone_choices(current: str, limit: int = 25) -> list[str]:
    """Zones containing ``current`` (case-insensitive); prefix matches first."""
    needle = current.strip().lower()
    found = [z for low, z in _zones().items() if needle in low]
    found.sort(key=lambda z: (not any(p.startswith(needle) for p in z.lower().split("/")), z))
    return found[:limit]


def next_mondays(today: date, n: int = 6) -> list[date]:
    """The ``n`` Mondays strictly after ``today`` (a cohort started today would miss posts)."""
    first = today + timedelta(days=7 - today.weekday())
    return [first + timedelta(weeks=i) for i in range(n)]


def missing_permissions(perms: discord.Permissions) -> list[str]:
    """The permissions the bot needs to post in a channel that ``perms`` lacks."""
    return [p.replace("_", " ").title() for p in REQUIRED_PERMISSIONS if not getattr(perms, p)]


# -- setup ------------------------------------------------------------------------------
@dataclass(frozen=True)
class CohortSettings:
    name: str
    channel_id: int
    timezone: str
    start_date: date
    block_a_time: str
    block_b_time: str
    weekend_time: str
    recap_weekday: str
    recap_time: str
    role_id: int | None


def validate_setup(
    *,
    name: str,
    channel_id: int,
    timezone: str,
    start: str,
    block_a: str,
    block_b: str,
    weekend: str,
    recap_day: str,
    recap_time: str,
    role_id: int | None,
) -> CohortSettings:
    clean = " ".join(name.split())
    if not 1 <= len(clean) <= 64:
        raise UserFacingError("**name** must be 1–64 characters, e.g. `main`.")
    if recap_day not in WEEKDAY_KEYS:
        raise UserFacingError("**recap_day** must be one of the listed days.")
    times = {
        opt: format_time(parse_time(value, opt))
        for opt, value in (
            ("block_a", block_a),
            ("block_b", block_b),
            ("weekend", weekend),
            ("recap_time", recap_time),
        )
    }
    return CohortSettings(
        name=clean,
        channel_id=channel_id,
        timezone=parse_zone(timezone).key,
        start_date=parse_date(start, "start"),
        block_a_time=times["block_a"],
        block_b_time=times["block_b"],
        weekend_time=times["weekend"],
        recap_weekday=recap_day,
        recap_time=times["recap_time"],
        role_id=role_id,
    )


async def save_cohort(
    guild_id: int, settings: CohortSettings, *, user_id: int, now: datetime
) -> tuple[Cohort, bool]:
    """Create or update the guild's cohort of that name (case-insensitive); True if new."""
    config = await guild_config(guild_id)
    values = {k: v for k, v in vars(settings).items() if k != "name"}
    cohort = await Cohort.filter(guild=config, name__iexact=settings.name).first()
    if cohort is None:
        cohort = await Cohort.create(
            guild=config, name=settings.name, schedule_from=now, setup_user_id=user_id, **values
        )
        return cohort, True
    moved = any(getattr(cohort, f) != values[f] for f in SCHEDULE_FIELDS)
    cohort.update_from_dict({**values, "setup_user_id": user_id})
    if moved:
        cohort.schedule_from = now
    await cohort.save()
    return cohort, False


# -- choosing a cohort ------------------------------------------------------------------
async def resolve_cohort(guild_id: int, name: str | None) -> Cohort:
    """The named cohort, or the guild's only one when no name is given."""
    cohorts = await Cohort.filter(guild__guild_id=guild_id).order_by("name")
    if not cohorts:
        raise UserFacingError("This server has no cohort yet — run `/coach setup` first.")
    if name:
        for cohort in cohorts:
            if cohort.name.lower() == name.strip().lower():
                return cohort
        raise UserFacingError(f"There's no cohort called `{echo(name)}` here — pick one.")
    if len(cohorts) > 1:
        names = ", ".join(f"`{c.name}`" for c in cohorts[:10])
        raise UserFacingError(
            f"This server has several cohorts ({names}) — pick one with the **cohort** option."
        )
    return cohorts[0]


async def cohort_names(guild_id: int, current: str, limit: int = 25) -> list[str]:
    names = (
        await Cohort.filter(guild__guild_id=guild_id)
        .order_by("name")
        .values_list("name", flat=True)
    )
    needle = current.strip().lower()
    return [str(n) for n in names if needle in str(n).lower()][:limit]


# -- pauses -----------------------------------------------------------------------------
def validate_pause(start: date, end: date, today: date) -> None:
    if end < start:
        raise UserFacingError(f"**end** ({end}) is before **start** ({start}).")
    days = (end - start).days + 1
    if days > MAX_PAUSE_DAYS:
        raise UserFacingError(f"A pause can last at most 8 weeks ({days} days requested).")
    if start < today:
        raise UserFacingError(
            f"**start** ({start}) is in the past — a pause starts today or later."
        )


async def add_pause(cohort: Cohort, start: date, end: date) -> CohortPause:
    return await CohortPause.create(cohort=cohort, start_date=start, end_date=end)


@dataclass(frozen=True)
class ResumeResult:
    removed: list[tuple[date, date]]
    shortened: list[tuple[date, date, date]]  # start, old end, new end


async def resume(cohort: Cohort, today: date) -> ResumeResult:
    """Drop pauses not started yet; cut a running pause short so it ends yesterday.

    Days already spent paused stay paused (the program does not jump ahead).
    """
    removed: list[tuple[date, date]] = []
    shortened: list[tuple[date, date, date]] = []
    for pause in await CohortPause.filter(cohort=cohort, end_date__gte=today):
        if pause.start_date >= today:
            removed.append((pause.start_date, pause.end_date))
            await pause.delete()
        else:
            old = pause.end_date
            pause.end_date = today - timedelta(days=1)
            await pause.save()
            shortened.append((pause.start_date, old, pause.end_date))
    return ResumeResult(sorted(removed), sorted(shortened))
