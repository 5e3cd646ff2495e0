"""/export, /card and /coach export in simcord: every attachment parses back to the rows."""

from __future__ import annotations

import csv
import io
import sqlite3
import zipfile
from datetime import date, datetime, time, timedelta
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
from cogs.export import REQUEST_HEADROOM, upload_limit_of
from tests.exports.world import ALICE_ZONE, Room, log_two_weeks, make_room
from tests.helpers import expect_errors, make_cohort

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
    log = md.split("## Daily Log\n\n")[1].split("\n## ")[0]
    assert log.startswith("### Week 1\n\n#### 2027-01-04 (Mon)\n\n- 📓 Set up")
    assert "### Week 2\n\n#### 2027-01-16 (Sat)\n" in log
    assert "Set up \\*everything\\* \\| first day" in md  # user text escaped
    # labels, not the stored option values
    assert "- ✅ Solved: LC 3001 (Hard, 50 min, C++, Timed)" in log
    assert "- 🎤 Mock interview: DS&A, Hire, Pramp" in log
    assert "dsa" not in log and "pramp" not in log
    oops_row = next(line for line in md.splitlines() if line.startswith("| 2027-01-04 |"))
    assert "Forgot the empty input | Check n == 0 first" in oops_row
    assert "step 2 of 4, round 1" in oops_row
    recaps = md.split("## Weekly Recaps\n\n")[1].split("\n## ")[0]
    assert recaps.startswith("### Week 1\n\n- LeetCode solved: 2 / 12")
    assert "\n### Week 2\n\n- LeetCode solved:" in recaps
    assert "### Week 3" not in recaps and "Recap —" not in recaps  # week 3 is still running
    milestones = md.split("## Milestones\n\n")[1]
    # week 2 is over: passed or missed, the same verdict as its recap; week 8 still open
    assert "### Week 2 · End-Week-2 metrics — ❌ Missed · 1/3" in milestones
    assert "(week 2) — ❌ Missed · 1/3" in recaps
    assert "- ✅ Median solve time ≤ 13 min — **12 min** (target ≤ 13 min)" in milestones
    assert "### Week 8 · Milestone EOW-8 · End of Phase 2 — ⏳ In progress" in milestones
    assert "not yet" not in md


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


def _message_files(result: Any) -> list[list[Any]]:
    return [list(m.attachments) for m in [result.response, *result.followups]]


async def test_big_exports_are_split_over_messages_within_the_limit(
    room: Room, simcord_bot: CoachBot
) -> None:
    cog = simcord_bot.get_cog("Export")
    assert cog is not None
    cog.attachment_limit = 4096  # type: ignore[attr-defined] # bytes per request; the calendar alone is ~80 KB
    result = await room.alice.slash(room.channel, "export")

    messages = _message_files(result)
    assert len(messages) > 1
    for attachments in messages:  # no request over the upload limit or the file count
        assert len(attachments) <= 10
        assert sum(a.size for a in attachments) <= 4096
    content = result.response.content
    assert "`studycoach-schedule.ics.zip` is split into" in content
    assert "cat studycoach-schedule.ics.zip.* > studycoach-schedule.ics.zip" in content
    assert f"The files come in {len(messages)} messages." in content
    assert [m.content for m in result.followups] == [
        f"📎 Part {i} of {len(messages)}" for i in range(2, len(messages) + 1)
    ]
    files = await _files(result)
    assert "learning-ledger.md" in files and "solves.csv" in files  # small files: as they are
    parts = sorted(n for n in files if n.startswith("studycoach-schedule.ics.zip."))
    assert len(parts) >= 2
    with zipfile.ZipFile(io.BytesIO(b"".join(files[n] for n in parts))) as archive:
        assert archive.namelist() == ["studycoach-schedule.ics"]
        events = list(Calendar.from_ical(archive.read("studycoach-schedule.ics")).walk("VEVENT"))
    assert len(events) > 100
    with zipfile.ZipFile(io.BytesIO(files["studycoach-export.json.zip"])) as archive:
        data = export_from_json(archive.read("studycoach-export.json").decode())
    assert len(data.entries) == 11


async def test_exports_that_fit_zipped_come_as_one_zip(room: Room, simcord_bot: CoachBot) -> None:
    cog = simcord_bot.get_cog("Export")
    assert cog is not None
    cog.attachment_limit = 40_000  # type: ignore[attr-defined] # the files total ~100 KB, zipped ~20 KB
    result = await room.alice.slash(room.channel, "export")

    assert not result.followups
    files = await _files(result)
    assert list(files) == ["studycoach-export.zip"]
    assert "Bundled into `studycoach-export.zip` because the files total" in (
        result.response.content
    )
    with zipfile.ZipFile(io.BytesIO(files["studycoach-export.zip"])) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [
            "learning-ledger.md",
            "solves.csv",
            "studycoach-export.json",
            "studycoach-oops-and-insights.apkg",
            "studycoach-schedule.ics",
        ]


async def test_an_export_too_large_for_discord_is_refused_clearly(
    room: Room, simcord_bot: CoachBot, simcord_env: Any
) -> None:
    cog = simcord_bot.get_cog("Export")
    assert cog is not None
    cog.attachment_limit = 512  # type: ignore[attr-defined] # the calendar would need ~26 parts
    result = await room.alice.slash(room.channel, "export", what="calendar")

    assert result.ephemeral
    assert "more than Discord takes in 10 messages" in result.response.content
    assert "Pick one file at a time with `what`." in result.response.content
    assert not result.response.attachments and not result.followups
    expect_errors(simcord_env, UserFacingError)


def test_the_upload_limit_is_the_smallest_discord_tells() -> None:
    mib = 1024 * 1024
    assert upload_limit_of(None, None) == 10 * mib - REQUEST_HEADROOM
    assert upload_limit_of(25 * mib, 10 * mib) == 10 * mib - REQUEST_HEADROOM
    assert upload_limit_of(50 * mib, 50 * mib) == 50 * mib - REQUEST_HEADROOM  # boosted
    assert upload_limit_of(None, 100 * mib) == 100 * mib - REQUEST_HEADROOM


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

    assert result.ephemeral and "12 entries from 2 members" in result.response.content
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


async def test_coach_export_has_a_cooldown_per_server(
    room: Room, simcord_env: Any, clock: FixedClock
) -> None:
    admins = room.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = room.guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    other = simcord_env.create_guild()
    other_channel = other.create_text_channel("study")
    await make_cohort(other.id, other_channel.id, name="Autumn")
    other_admins = other.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    other_admin = other.add_member(simcord_env.create_user("oz"), roles=[other_admins])

    first = await admin.slash(room.channel, "coach export")
    assert await _files(first)
    clock.set(clock() + timedelta(minutes=4))
    again = await admin.slash(room.channel, "coach export")
    assert again.ephemeral and not again.response.attachments
    assert "less than 10 minutes ago — try again in 6 minutes" in again.response.content
    elsewhere = await other_admin.slash(other_channel, "coach export")  # another server
    assert "0 entries from 0 members" in elsewhere.response.content

    clock.set(clock() + timedelta(minutes=6))
    later = await admin.slash(room.channel, "coach export")
    assert sorted(await _files(later)) == ["cohort-spring-2027.csv", "cohort-spring-2027.json"]
    expect_errors(simcord_env, UserFacingError)
