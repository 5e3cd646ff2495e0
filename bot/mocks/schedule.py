"""Peer mock interviews: when a cohort's weekly matching runs — a weekday and a local time
(by default 30 minutes after the Block-A post), set by the cohort's admins, or off."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.calendar import local_date
from bot.core.mock_windows import WEEKDAYS
from bot.errors import UserFacingError
from bot.mocks.models import MockRound, MockSettings
from bot.models import Cohort
from bot.services.cohorts import post_times

DEFAULT_DELAY = timedelta(minutes=30)  # default matching time: 30 min after Block-A
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class MatchTime:
    weekday: str  # mon … sun
    at: time  # local
    default_time: bool  # 30 minutes after Block-A
    enabled: bool


def parse_match_time(value: str) -> time:
    found = _TIME.fullmatch(value.strip())
    if found is None or int(found[1]) > 23 or int(found[2]) > 59:
        raise UserFacingError("`time` must be 24-hour HH:MM (e.g. 07:30), or `after-block-a`.")
    return time(int(found[1]), int(found[2]))


async def match_time(cohort: Cohort) -> MatchTime:
    row = await MockSettings.get_or_none(cohort_id=cohort.id)
    block_a = post_times(cohort).block_a
    default = (datetime.combine(date(2000, 1, 3), block_a) + DEFAULT_DELAY).time()
    if row is None:
        return MatchTime("mon", default, True, True)
    at = parse_match_time(row.match_time) if row.match_time else default
    return MatchTime(row.weekday, at, row.match_time is None, row.enabled)


async def save_match_time(
    cohort: Cohort, weekday: str | None, at: str | None, enabled: bool | None
) -> MatchTime:
    if weekday is not None and weekday not in WEEKDAYS:
        raise UserFacingError("`weekday` must be one of mon, tue, wed, thu, fri, sat, sun.")
    stored: str | None = None
    if at is not None and at.strip().lower() not in ("after-block-a", "default"):
        stored = f"{parse_match_time(at):%H:%M}"
    row, _ = await MockSettings.get_or_create(cohort_id=cohort.id)
    if weekday is not None:
        row.weekday = weekday
    if at is not None:
        row.match_time = stored
    if enabled is not None:
        row.enabled = enabled
    await row.save()
    return await match_time(cohort)


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def due_instant(when: MatchTime, zone: ZoneInfo, week_start: date) -> datetime:
    """The matching instant of the local week starting ``week_start`` (a Monday), UTC."""
    day = week_start + timedelta(days=WEEKDAYS.index(when.weekday))
    return datetime.combine(day, when.at, tzinfo=zone).astimezone(UTC)


async def next_matching(cohort: Cohort, now: datetime) -> datetime | None:
    """When the cohort's next matching runs (``None``: peer mocks are off there)."""
    when = await match_time(cohort)
    if not when.enabled:
        return None
    zone = ZoneInfo(cohort.timezone)
    monday = week_monday(local_date(now, zone))
    due = due_instant(when, zone, monday)
    claimed = await MockRound.filter(cohort_id=cohort.id, week_start=monday).exists()
    if due <= now and claimed:
        due = due_instant(when, zone, monday + timedelta(days=7))
    return due
