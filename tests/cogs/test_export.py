"""/export, /card and /coach export in simcord: every attachment parses back to the rows."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import discord
import pytest
from icalendar import Calendar
from simcord.backend.errors import SetupError

from bot.app import CoachBot
from bot.checks import SlowDown
from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.exports.anki import note_guid
from bot.exports.ical import block_events
from bot.exports.tables import cohort_from_json, export_from_json
from bot.models import Entry
from bot.services.cohorts import cohort_calendar, post_times
from tests.exports.world import ALICE_ZONE, Room, log_two_weeks, make_room
from tests.helpers import expect_errors

NEW_YORK = ZoneInfo(ALICE_ZONE)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
async def room(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Room:
    room = await make_room(simcord_env, simcord_bot)
    await log_two_weeks(simcord_env, room, clock)
    return room


async def _files(result: Any) -> dict[str, bytes]:
    messages = [result.response, *result.followups]
    return {a.filename: await a.read() for m in messages for a in m.attachments}


async def test_export_all_parses_back(room: Room, simcord_env: Any) -> None:
    result = await room.alice.slash(room.channel, "export")

    assert result.ephemeral and result.response is not None
    assert "11 entries" in result.response.content
    files = await _files(result)
    assert sorted(files) == [
        "learning-ledger.md",
        "solves.csv",
        "studycoach-export.json",
        "studycoach-oops-and-insights.apkg",
        "studycoach-schedule.ics",
    ]
    entries = await Entry.filter(member_id=room.alice_member.id).order_by("id")
    assert len(entries) == 11

    md = files["learning-ledger.md"].decode()
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Goals",
        "## Daily Log",
        "## Oops List",
        "## Weekly Recaps",
        "## Milestones",
    ]
    assert "Program: Clear DS&A" in md and "Week 3 · Python OOP" in md and "Week 4 ·" not in md
    assert "### 2027-01-04 (Mon) · Week 1" in md
    assert "Set up \\*everything\\* \\| first day" in md  # user text escaped
    oops_row = next(line for line in md.splitlines() if line.startswith("| 2027-01-04 |"))
    assert "Forgot the empty input | Check n == 0 first" in oops_row
    assert "step 2 of 4, round 1" in oops_row
    assert "Week 1 Recap — alice" in md and "Week 2 Recap — alice" in md
    assert "Week 3 Recap" not in md  # week 3 is still running
    assert "End-Week-2 metrics" in md and "❌" in md and "✅" in md


async def test_csv_and_json_round_trip_the_rows(room: Room) -> None:
    files = await _files(await room.alice.slash(room.channel, "export"))
    entries = {e.id: e for e in await Entry.filter(member_id=room.alice_member.id)}
    solves = sorted(i for i, e in entries.items() if e.kind == "solve")

    rows = list(csv.DictReader(io.StringIO(files["solves.csv"].decode())))
    assert [int(r["id"]) for r in rows] == solves
    first = rows[0]
    assert (first["date"], first["problem"], first["title"]) == ("2027-01-04", "1", "Two Sum")
    assert first["notes"] == "'=SUM(A1) | one pass"  # formula-guarded
    logged = datetime.fromisoformat(first["logged_at"])
    assert logged.utcoffset() == NEW_YORK.utcoffset(logged.replace(tzinfo=None))
    assert logged == entries[solves[0]].created_at
    assert rows[1]["imported"] == "false" and rows[1]["difficulty"] == "hard"

    data = export_from_json(files["studycoach-export.json"].decode())
    assert (data.user_id, data.timezone, data.cohort_name) == (
        room.alice.id,
        ALICE_ZONE,
        "Spring 2027",
    )
    assert sorted(e.id for e in data.entries) == sorted(entries)
    for row in data.entries:
        entry = entries[row.id]
        assert (row.kind, row.local_date, row.week) == (entry.kind, entry.local_date, entry.week)
        assert (row.notes, row.lesson, row.minutes) == (entry.text, entry.lesson, entry.minutes)
        assert row.created_at == entry.created_at
    contest = next(e for e in data.entries if e.kind == "contest")
    assert (contest.percentile, contest.rank) == (22.5, 4100)
    done = next(e for e in data.entries if e.kind == "done")
    assert done.item_title == "5 Anki cards (Big-O of array ops)"
    assert len(data.recaps) == 2 and [m.week for m in data.milestones] == [2, 8]


async def test_anki_deck_has_the_oops_and_cards(room: Room, tmp_path: Path) -> None:
    result = await room.alice.slash(room.channel, "export", what="anki")
    files = await _files(result)
    assert list(files) == ["studycoach-oops-and-insights.apkg"]
    with zipfile.ZipFile(io.BytesIO(files["studycoach-oops-and-insights.apkg"])) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    notes = conn.execute("SELECT guid, flds FROM notes ORDER BY id").fetchall()
    conn.close()
    oops = await Entry.get(member_id=room.alice_member.id, kind="oops")
    card = await Entry.get(member_id=room.alice_member.id, kind="card")
    assert [g for g, _ in notes] == [
        note_guid(room.guild.id, room.alice.id, oops.id),
        note_guid(room.guild.id, room.alice.id, card.id),
    ]
    assert [f.split("\x1f") for _, f in notes] == [
        ['<div class="problem">LC 1 · Two Sum</div>Forgot the empty input', "Check n == 0 first"],
        ["Why is dict lookup O(1)?", "Hashing &lt;buckets&gt; &amp; probes"],
    ]


async def test_calendar_has_the_remaining_blocks_in_the_members_zone(
    room: Room, curriculum: Any
) -> None:
    files = await _files(await room.alice.slash(room.channel, "export", what="calendar"))
    cal = Calendar.from_ical(files["studycoach-schedule.ics"])
    events = list(cal.walk("VEVENT"))
    today = date(2027, 1, 20)  # 13:00 in New York
    calendar = await cohort_calendar(room.cohort, curriculum)
    expected = block_events(calendar, curriculum, post_times(room.cohort), NEW_YORK, today)
    assert len(events) == len(expected) > 100
    starts = [e.decoded("dtstart") for e in events]
    assert all(s.tzinfo is not None and str(s.tzinfo) == ALICE_ZONE for s in starts)
    assert min(s.date() for s in starts) == today
    block_a = next(e for e in events if str(e["uid"]).endswith("2027-01-21-block_a"))
    start = block_a.decoded("dtstart")
    assert start.time() == time(1, 0)  # 07:00 in Berlin is 01:00 in New York
    assert start == datetime(2027, 1, 21, 7, 0, tzinfo=BERLIN)
    assert len({str(e["uid"]) for e in events}) == len(events)


async def test_export_one_part_and_errors(room: Room, simcord_env: Any) -> None:
    csv_only = await room.alice.slash(room.channel, "export", what="csv")
    assert list(await _files(csv_only)) == ["solves.csv"]
    assert "`solves.csv`" in csv_only.response.content
    assert "learning-ledger" not in csv_only.response.content

    stranger = room.guild.add_member(simcord_env.create_user("carol"))
    denied = await stranger.slash(room.channel, "export")
    assert denied.ephemeral and "nothing to export" in denied.response.content
    expect_errors(simcord_env, UserFacingError)


async def test_big_exports_are_zipped_and_split(room: Room, simcord_bot: CoachBot) -> None:
    cog = simcord_bot.get_cog("Export")
    assert cog is not None
    cog.attachment_limit = 1024  # type: ignore[attr-defined]
    result = await room.alice.slash(room.channel, "export")

    assert "Bundled into `export.zip`" in result.response.content
    assert "split into" in result.response.content
    assert result.followups  # more than ten parts: several messages
    files = await _files(result)
    names = sorted(files)
    assert names[0] == "export.zip.001" and all(n.startswith("export.zip.") for n in names)
    assert all(len(data) <= 1024 for data in files.values())
    archive = zipfile.ZipFile(io.BytesIO(b"".join(files[n] for n in names)))
    assert len(archive.namelist()) == 5 and archive.testzip() is None


async def test_card_is_validated_and_rate_limited(
    room: Room, simcord_env: Any, simcord_bot: CoachBot
) -> None:
    before = await Entry.filter(kind="card").count()
    blank = await room.alice.slash(room.channel, "card", front="   ", back="answer")
    assert "`front` can't be empty" in blank.response.content
    simcord_bot.log_limiter.limit = 1
    simcord_bot.log_limiter._hits.clear()
    await room.bob.slash(room.channel, "card", front="Q", back="A")
    slow = await room.bob.slash(room.channel, "card", front="Q2", back="A2")
    assert "logging very fast" in slow.response.content
    expect_errors(simcord_env, UserFacingError, SlowDown)
    assert await Entry.filter(kind="card").count() == before + 1


async def test_coach_export_gives_the_cohort_tables(room: Room, simcord_env: Any) -> None:
    admins = room.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = room.guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    result = await admin.slash(room.channel, "coach export")

    assert result.ephemeral and "12 entries from 2 member(s)" in result.response.content
    files = await _files(result)
    assert sorted(files) == ["cohort-spring-2027.csv", "cohort-spring-2027.json"]
    rows = cohort_from_json(files["cohort-spring-2027.json"].decode())
    db_ids = sorted(await Entry.filter(cohort_id=room.cohort.id).values_list("id", flat=True))
    assert sorted(e.id for _, e in rows) == db_ids
    assert {m for m, _ in rows} == {"alice", "bob"}
    table = list(csv.DictReader(io.StringIO(files["cohort-spring-2027.csv"].decode())))
    assert len(table) == len(db_ids)
    assert datetime.fromisoformat(table[0]["logged_at"]).utcoffset() is not None

    with pytest.raises(SetupError):  # hidden from members by the group's default_permissions
        await room.alice.slash(room.channel, "coach export")
