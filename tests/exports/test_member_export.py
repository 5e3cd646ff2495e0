"""bot.services.export, export_entries and export_files: the data behind /export and
/coach export, read in keyset pages and written in batches (a bounded number of queries a
page, memory that does not grow)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import sqlite3
import tracemalloc
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.queries import count_queries
from bot.exports.tables import cohort_from_json, export_from_json
from bot.models import Cohort, Entry, Member, OopsReview
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.export import finished_weeks, member_export, program_goals
from bot.services.export_entries import cohort_entries, member_entries
from bot.services.export_files import FILE_NAMES, Part, write_cohort_files, write_member_files
from bot.services.reviews import schedule_ladder
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

NOW = datetime(2027, 1, 27, 12, tzinfo=UTC)  # Wednesday of week 4 in Berlin
KINDS = ("solve", "oops", "ledger", "anki", "card", "done", "win", "mock", "contest")


def _values(kind: str, i: int) -> dict[str, object]:
    return {
        "solve": {"problem_key": str(1000 + i), "problem_number": 1000 + i,
                  "difficulty": "medium", "minutes": 20, "text": f"note {i}"},
        "oops": {"text": f"oops {i}", "lesson": f"lesson {i}"},
        "anki": {"reviewed": 10, "mature_total": i},
        "done": {"item_id": "w1-anki-5", "dedupe_key": f"done:{i}"},
        "mock": {"mock_kind": "dsa", "rating": "hire"},
        "contest": {"percentile": 30.0 + i % 50},
        "card": {"text": f"front {i}", "lesson": f"back {i}"},
    }.get(kind, {"text": f"{kind} {i}"})  # fmt: skip


def _entry(member: Member, cohort: Cohort, i: int, days: int = 23) -> Entry:
    kind = KINDS[i % len(KINDS)]
    day = date(2027, 1, 4) + timedelta(days=i % days)
    # logged in reverse order within a day: the export must order by the time logged
    at = datetime(day.year, day.month, day.day, 20, tzinfo=UTC) - timedelta(seconds=i)
    return Entry(
        member=member,
        cohort=cohort,
        kind=kind,
        local_date=day,
        week=(day - date(2027, 1, 4)).days // 7 + 1,
        created_at=at,
        **_values(kind, i),
    )


async def _log(member: Member, cohort: Cohort, n: int, first: int = 0, days: int = 23) -> None:
    entries = [_entry(member, cohort, i, days) for i in range(first, first + n)]
    await Entry.bulk_create(entries, batch_size=500)
    for entry in await Entry.filter(member_id=member.id, kind="oops", text__startswith="oops"):
        if not await OopsReview.filter(entry_id=entry.id).exists():
            await schedule_ladder(entry, entry.created_at)


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


async def test_entries_come_in_pages_of_whole_days_in_the_order_logged(
    db: str, curriculum: Curriculum
) -> None:
    cohort = await make_cohort(1, 2)
    member = await join(cohort, 10)
    await _log(member, cohort, 95, days=10)  # ~10 entries a day

    pages = [rows async for rows in member_entries(member.id, curriculum, batch=7)]
    rows = [r for page in pages for r in page]
    db_rows = await Entry.filter(member_id=member.id)
    assert sorted(r.id for r in rows) == sorted(e.id for e in db_rows)
    assert rows == sorted(rows, key=lambda r: (r.local_date, r.created_at, r.id))
    days = [{r.local_date for r in page} for page in pages]
    for a, b in itertools.pairwise(days):
        assert max(a) < min(b)  # a day never straddles two pages
    assert max(len(page) for page in pages) <= 7 + 10  # a page plus at most one held day

    oops = [rows async for rows in member_entries(member.id, curriculum, kinds=["oops"], batch=3)]
    flat = [r for page in oops for r in page]
    assert {r.kind for r in flat} == {"oops"} and len(flat) == 11
    assert all(r.review_state and r.review_state.startswith("due ") for r in flat)


async def test_queries_are_a_fixed_few_per_page(db: str, curriculum: Curriculum) -> None:
    cohort = await make_cohort(1, 2)
    member = await join(cohort, 10)
    await _log(member, cohort, 5)
    with count_queries() as few:
        small = await member_export(1, member, cohort, curriculum, NOW)
    await _log(member, cohort, 60, first=5)
    with count_queries() as many:
        big = await member_export(1, member, cohort, curriculum, NOW)
    with count_queries() as paged:
        pages = [rows async for rows in member_entries(member.id, curriculum, batch=20)]

    assert (small.entries, big.entries) == (5, 65)
    assert many.total == few.total  # goals, recaps, milestones: nothing per entry
    assert few.total <= 60  # 3 finished weeks of recaps + milestones, a few reads besides
    assert len(big.data.recaps) == 3
    assert sum(len(p) for p in pages) == 65
    assert paged.total <= 2 * 4  # 4 pages of 20: the entries and their Oops reviews each


async def test_member_files_parse_back(db: str, curriculum: Curriculum, tmp_path: Path) -> None:
    cohort = await make_cohort(7, 8, name="Evening crew")
    member = await join(cohort, 70)
    member.display_name, member.timezone = "Zoë", "Asia/Tokyo"
    await member.save()
    await Entry.create(
        member=member,
        cohort=cohort,
        kind="solve",
        local_date=date(2027, 1, 5),
        week=1,
        created_at=NOW - timedelta(days=22),
        problem_key="some-slug",
        problem_slug="some-slug",
        difficulty="easy",
        minutes=5,
        source="leetcode",
    )
    await _log(member, cohort, 40)
    bundle = await member_export(7, member, cohort, curriculum, NOW)
    data = bundle.data
    assert (data.guild_id, data.user_id, data.display_name) == (7, 70, "Zoë")
    assert (data.timezone, data.cohort_name, data.generated_at) == ("Asia/Tokyo", cohort.name, NOW)
    assert bundle.today == date(2027, 1, 27) and bundle.entries == 41

    files = await write_member_files(bundle, curriculum, Part.ALL, tmp_path, batch=8)
    assert [f.name for f in files] == list(FILE_NAMES.values())
    assert _names(tmp_path) == sorted(FILE_NAMES.values())  # nothing else left behind
    content = {f.name: f.path.read_bytes() for f in files}

    everything = export_from_json(content["studycoach-export.json"].decode())
    db_ids = sorted(await Entry.filter(member_id=member.id).values_list("id", flat=True))
    assert sorted(e.id for e in everything.entries) == db_ids
    imported = next(e for e in everything.entries if e.problem_title == "some-slug")
    assert imported.imported and imported.problem_label == "some-slug"
    week_2 = next(m for m in everything.milestones if m.week == 2)
    assert week_2.due and week_2.verdict.startswith(("✅ Passed", "❌ Missed"))
    assert week_2.criteria[1].value_text.endswith(" min") and week_2.criteria[1].need_text

    solves = list(csv.DictReader(io.StringIO(content["solves.csv"].decode())))
    assert len(solves) == sum(1 for e in everything.entries if e.kind == "solve")

    ledger = content["learning-ledger.md"].decode()
    assert ledger.count("\n#### 2027-") == len({e.local_date for e in everything.entries})
    assert ledger.count("\n| 2027-") == sum(1 for e in everything.entries if e.kind == "oops")

    with zipfile.ZipFile(io.BytesIO(content["studycoach-oops-and-insights.apkg"])) as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "c.anki2") as conn:
        (notes,) = conn.execute("SELECT COUNT(*) FROM notes").fetchone()
    assert notes == sum(1 for e in everything.entries if e.kind in ("oops", "card"))
    assert b"BEGIN:VCALENDAR" in content["studycoach-schedule.ics"]

    (tmp_path / "one").mkdir()
    one = await write_member_files(bundle, curriculum, Part.JSON, tmp_path / "one")
    assert [f.name for f in one] == ["studycoach-export.json"]
    assert one[0].path.read_bytes() == content["studycoach-export.json"]  # batches don't show


async def test_goals_and_finished_weeks(db: str, curriculum: Curriculum) -> None:
    goals = program_goals(curriculum, 3)
    assert goals[0] == f"Program: {curriculum.program.goal}"
    assert goals[1].startswith("Week 1 · Bootstrap & Habits: ")
    assert "Week 3 · Python OOP + FlashCard CLI" in goals  # a week without goals: its title
    assert not any(g.startswith("Week 4") for g in goals)

    cohort = await make_cohort(3, 4, recap_weekday="sat", recap_time="18:30")
    calendar, times = await cohort_calendar(cohort, curriculum), post_times(cohort)
    saturday = datetime(2027, 1, 9, 17, 30, tzinfo=UTC)  # 18:30 in Berlin: the recap is due
    assert finished_weeks(calendar, times, saturday - timedelta(seconds=1)) == []
    assert finished_weeks(calendar, times, saturday) == [1]
    assert finished_weeks(calendar, times, NOW + timedelta(days=200)) == list(range(1, 17))


async def test_cohort_entries_in_pages_and_files(
    db: str, curriculum: Curriculum, tmp_path: Path
) -> None:
    cohort = await make_cohort(5, 6, name="Spring 2027")
    for user in (50, 51):
        member = await join(cohort, user)
        member.display_name = f"m{user}"
        await member.save()
        await _log(member, cohort, 12)
    other = await make_cohort(5, 6, name="other")
    await _log(await join(other, 52), other, 3)

    with count_queries() as counted:
        pages = [rows async for rows in cohort_entries(cohort, curriculum, batch=5)]
    rows = [r for page in pages for r in page]
    assert [len(p) for p in pages] == [5, 5, 5, 5, 4]
    assert counted.total <= 2 * len(pages) + 1
    assert len(rows) == 24 and {m for m, _ in rows} == {"m50", "m51"}
    assert [e.id for _, e in rows] == sorted(e.id for _, e in rows)  # the order logged

    written = await write_cohort_files(cohort, curriculum, tmp_path, batch=7)
    assert (written.entries, written.members) == (24, 2)
    assert [f.name for f in written.files] == ["cohort-spring-2027.csv", "cohort-spring-2027.json"]
    back = cohort_from_json(written.files[1].path.read_text())
    assert back == rows
    table = list(csv.DictReader(io.StringIO(written.files[0].path.read_text())))
    assert [int(r["id"]) for r in table] == [e.id for _, e in rows]
    assert json.loads(written.files[1].path.read_text())["format"] == "studycoach-cohort"


async def test_memory_stays_flat_as_the_export_grows(
    db: str, curriculum: Curriculum, tmp_path: Path
) -> None:
    cohort = await make_cohort(9, 10)
    small, large = await join(cohort, 90), await join(cohort, 91)
    await _log(small, cohort, 200, days=60)
    await _log(large, cohort, 2000, days=60)

    async def peak(member: Member, folder: str) -> int:
        bundle = await member_export(9, member, cohort, curriculum, NOW)
        (tmp_path / folder).mkdir()
        tracemalloc.start()
        try:
            await write_member_files(bundle, curriculum, Part.ALL, tmp_path / folder, batch=100)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    await peak(small, "warm-up")  # imports and caches of a first export
    few, many = await peak(small, "small"), await peak(large, "large")
    size = _size(tmp_path / "large")
    assert size > 5 * many / 10  # the files are far bigger than what was held at once…
    assert many < 1.5 * few + 512 * 1024, (few, many)  # …ten times the entries, same memory
