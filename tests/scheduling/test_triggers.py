"""APScheduler wiring on its own: cron triggers in the cohort's zone, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.models import Cohort
from bot.scheduling.runner import cron_triggers


def _cohort(zone: str) -> Cohort:
    return Cohort(
        id=1,
        name="x",
        channel_id=1,
        timezone=zone,
        start_date=date(2027, 1, 4),
        block_a_time="07:00",
        block_b_time="19:00",
        weekend_time="10:00",
        recap_weekday="sun",
        recap_time="20:00",
        schedule_from=datetime(2027, 1, 1, tzinfo=UTC),
        setup_user_id=1,
    )


def test_block_a_stays_seven_local_across_march_and_autumn() -> None:
    triggers = cron_triggers(_cohort("Europe/Berlin"))
    fire = triggers["block_a"].get_next_fire_time(None, datetime(2027, 3, 26, 7, 0, tzinfo=UTC))
    assert fire.astimezone(UTC) == datetime(2027, 3, 29, 5, 0, tzinfo=UTC)  # Mon 07:00 CEST
    fire = triggers["block_a"].get_next_fire_time(None, datetime(2027, 10, 29, 7, 0, tzinfo=UTC))
    assert fire.astimezone(UTC) == datetime(2027, 11, 1, 6, 0, tzinfo=UTC)  # Mon 07:00 CET
    ny = cron_triggers(_cohort("America/New_York"))["block_b"]
    fire = ny.get_next_fire_time(None, datetime(2027, 3, 13, 1, 0, tzinfo=UTC))
    assert fire.astimezone(UTC) == datetime(2027, 3, 15, 23, 0, tzinfo=UTC)  # Mon 19:00 EDT


def test_weekday_names_not_numbers() -> None:
    triggers = cron_triggers(_cohort("UTC"))
    fire = triggers["session"].get_next_fire_time(None, datetime(2027, 2, 1, tzinfo=UTC))
    assert fire.strftime("%a %H:%M") == "Sat 10:00"
    fire = triggers["recap"].get_next_fire_time(None, datetime(2027, 2, 1, tzinfo=UTC))
    assert fire.strftime("%a %H:%M") == "Sun 20:00"
