"""The pure parts of cohort administration: parsing, choices, permissions, upcoming posts."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import discord
import pytest

from bot.core.schedule import PostTimes
from bot.core.text import echo
from bot.errors import UserFacingError
from bot.render.cohort import day_label
from bot.services.setup import (
    missing_permissions,
    next_mondays,
    parse_date,
    parse_time,
    parse_zone,
    validate_pause,
    validate_setup,
    zone_choices,
)

BERLIN = ZoneInfo("Europe/Berlin")
TIMES = PostTimes(time(7), time(19), time(10), "sun", time(20))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("07:00", time(7)), ("7:05", time(7, 5)), ("23:59", time(23, 59)), (" 00:00 ", time(0))],
)
def test_parse_time_accepts_24h(text: str, expected: time) -> None:
    assert parse_time(text, "block_a") == expected


@pytest.mark.parametrize("text", ["25:00", "7pm", "12:60", "0700", "", "07:00:00", "-1:00"])
def test_parse_time_rejects_and_names_the_option(text: str) -> None:
    with pytest.raises(UserFacingError, match=r"\*\*block_b\*\*.*HH:MM"):
        parse_time(text, "block_b")


def test_parse_date() -> None:
    assert parse_date("2027-01-04", "start") == date(2027, 1, 4)
    for bad in ("2027-02-30", "04.01.2027", "20270104", "tomorrow", "1999-01-04"):
        with pytest.raises(UserFacingError, match=r"\*\*start\*\*.*YYYY-MM-DD"):
            parse_date(bad, "start")


def test_parse_zone() -> None:
    assert parse_zone("Europe/Berlin").key == "Europe/Berlin"
    assert parse_zone("  europe/berlin ").key == "Europe/Berlin"
    with pytest.raises(UserFacingError) as caught:
        parse_zone("Mars/Base")
    assert str(caught.value) == (
        "`Mars/Base` isn't an IANA time zone — pick one from the list, e.g. Europe/Berlin."
    )
    with pytest.raises(UserFacingError):
        parse_zone("localtime")


def test_echo_neutralises_code_and_length() -> None:
    assert "`" not in echo("a`b")
    assert len(echo("x" * 500)) == 40


def test_zone_choices() -> None:
    assert len(zone_choices("")) == 25
    found = zone_choices("BERL")
    assert found[0] == "Europe/Berlin"
    assert all("berl" in z.lower() for z in found)
    assert zone_choices("york") == ["America/New_York"]
    assert zone_choices("no-such-zone") == []


def test_next_mondays_are_strictly_after_today() -> None:
    assert next_mondays(date(2027, 2, 3), 3) == [
        date(2027, 2, 8),
        date(2027, 2, 15),
        date(2027, 2, 22),
    ]
    mondays = next_mondays(date(2027, 2, 8), 6)  # a Monday: the next one, not today
    assert mondays[0] == date(2027, 2, 15) and len(mondays) == 6
    assert all(d.weekday() == 0 for d in mondays)
    assert day_label(date(2027, 1, 4)) == "Mon 4 Jan 2027"


def test_missing_permissions() -> None:
    assert missing_permissions(discord.Permissions.all()) == []
    perms = discord.Permissions(view_channel=True, embed_links=True)
    assert missing_permissions(perms) == ["Send Messages", "Attach Files"]
    assert missing_permissions(discord.Permissions.none()) == [
        "View Channel",
        "Send Messages",
        "Embed Links",
        "Attach Files",
    ]


def _setup(**kw: str) -> dict[str, object]:
    args: dict[str, object] = {
        "name": "main",
        "channel_id": 1,
        "timezone": "Europe/Berlin",
        "start": "2027-01-04",
        "block_a": "07:00",
        "block_b": "19:00",
        "weekend": "10:00",
        "recap_day": "sun",
        "recap_time": "20:00",
        "role_id": None,
    }
    args.update(kw)
    return args


def test_validate_setup_normalises() -> None:
    s = validate_setup(**_setup(name="  evening   crew ", timezone="asia/tokyo", block_a="6:30"))  # type: ignore[arg-type]
    assert (s.name, s.timezone, s.block_a_time) == ("evening crew", "Asia/Tokyo", "06:30")
    assert s.start_date == date(2027, 1, 4)


@pytest.mark.parametrize(
    ("override", "option"),
    [
        ({"recap_time": "24:00"}, "recap_time"),
        ({"weekend": "10am"}, "weekend"),
        ({"start": "2027-13-01"}, "start"),
        ({"name": "   "}, "name"),
    ],
)
def test_validate_setup_names_the_bad_option(override: dict[str, str], option: str) -> None:
    with pytest.raises(UserFacingError, match=rf"\*\*{option}\*\*"):
        validate_setup(**_setup(**override))  # type: ignore[arg-type]


def test_validate_pause() -> None:
    today = date(2027, 2, 3)
    validate_pause(date(2027, 2, 8), date(2027, 4, 4), today)  # exactly 8 weeks
    with pytest.raises(UserFacingError, match="at most 8 weeks"):
        validate_pause(date(2027, 2, 8), date(2027, 4, 5), today)
    with pytest.raises(UserFacingError, match="before"):
        validate_pause(date(2027, 2, 8), date(2027, 2, 7), today)
    with pytest.raises(UserFacingError, match="past"):
        validate_pause(date(2027, 2, 1), date(2027, 2, 7), today)
