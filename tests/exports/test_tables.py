"""CSV and JSON exports: parse back, member-zone times across DST, formula guard."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.exports.data import EntryRow
from bot.exports.tables import (
    COHORT_COLUMNS,
    SOLVE_COLUMNS,
    CohortCsv,
    CohortJson,
    ExportJson,
    cohort_csv,
    cohort_from_json,
    cohort_json,
    entries_from_json,
    everything_json,
    export_from_json,
    guard_cell,
    solves_csv,
)
from tests.exports import GUILD_ID, sample_entries, sample_export


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_solves_csv_round_trips_rows_in_member_zone() -> None:
    text = solves_csv(sample_export())
    assert text.splitlines()[0] == ",".join(SOLVE_COLUMNS)
    rows = _rows(text)
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    first, second, third = rows
    # 22:30 UTC on the last winter evening is 23:30 CET (+01:00) ...
    assert first["date"] == "2027-03-27"
    assert first["logged_at"] == "2027-03-27T23:30:00+01:00"
    # ... and 01:30 UTC after the change (01:00 UTC) is 03:30 CEST (+02:00).
    assert second["logged_at"] == "2027-03-28T03:30:00+02:00"
    assert datetime.fromisoformat(second["logged_at"]) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert first == {
        "id": "1",
        "date": "2027-03-27",
        "logged_at": "2027-03-27T23:30:00+01:00",
        "week": "2",
        "problem": "1",
        "title": "Two Sum",
        "difficulty": "easy",
        "minutes": "18",
        "language": "python",
        "mode": "unguided",
        "pattern": "Arrays & Hashing",
        "notes": 'Hash map, "one pass", done',
        "imported": "false",
    }
    assert third["notes"] == "'-5 min vs last time | @home\nsecond line"
    assert third["imported"] == "true" and third["language"] == ""


def test_formula_injection_is_guarded() -> None:
    rows = _rows(solves_csv(sample_export()))
    assert rows[1]["notes"] == '\'=HYPERLINK("http://evil.example","click")'
    for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert guard_cell(value) == "'" + value
    assert guard_cell("a=b") == "a=b"
    assert guard_cell(-3) == "-3"  # numbers we write are not user text
    assert guard_cell(None) == ""


def test_everything_json_round_trips() -> None:
    export = sample_export()
    text = everything_json(export)
    data = json.loads(text)
    assert data["member"]["guild_id"] == str(GUILD_ID)  # snowflakes as strings
    assert data["entries"][1]["created_at"] == "2027-03-28T01:30:00+00:00"
    assert data["entries"][1]["local_date"] == "2027-03-28"
    assert [r["week"] for r in data["recaps"]] == [1, 2]
    assert entries_from_json(text) == list(export.entries)
    assert export_from_json(text) == export


def test_json_entries_come_back_sorted_and_ignore_unknown_keys() -> None:
    export = sample_export(tuple(reversed(sample_entries())))
    data = json.loads(everything_json(export))
    data["entries"][0]["added_in_a_later_version"] = 1
    assert entries_from_json(json.dumps(data)) == list(sample_entries())
    with pytest.raises(ValueError, match="not a studycoach-export"):
        entries_from_json(cohort_json([]))
    with pytest.raises(ValueError, match="not JSON"):
        entries_from_json("{nope")


def test_cohort_csv_and_json() -> None:
    entries = sample_entries()
    rows = [("Ada", entries[0]), ("Bob, Jr.", replace(entries[1], id=99)), ("=Eve", entries[6])]
    parsed = _rows(cohort_csv(rows, zone=ZoneInfo("Europe/Berlin")))
    assert list(parsed[0]) == list(COHORT_COLUMNS)
    assert COHORT_COLUMNS[:5] == ("member", "id", "kind", "date", "logged_at")
    assert [(r["member"], r["id"], r["kind"]) for r in parsed] == [
        ("Ada", "1", "solve"),
        ("Bob, Jr.", "99", "solve"),
        ("'=Eve", "7", "card"),
    ]
    assert parsed[1]["logged_at"] == "2027-03-28T03:30:00+02:00"
    assert _rows(cohort_csv(rows))[1]["logged_at"] == "2027-03-28T01:30:00+00:00"
    assert cohort_from_json(cohort_json(rows)) == rows


def test_entry_rows_validate() -> None:
    with pytest.raises(ValueError, match="unknown entry kind"):
        EntryRow(1, "nap", datetime(2027, 1, 1).date(), datetime(2027, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="timezone-aware"):
        EntryRow(1, "win", datetime(2027, 1, 1).date(), datetime(2027, 1, 1))


def test_json_written_in_batches_is_the_whole_document() -> None:
    export = sample_export()
    out = io.StringIO()
    writer = ExportJson(out, export)
    rows = export.entries_of()
    for i in range(0, len(rows), 4):
        writer.rows(rows[i : i + 4])
    writer.finish()
    assert out.getvalue() == everything_json(export)
    data = json.loads(out.getvalue())
    assert [e["id"] for e in data["entries"]] == [e.id for e in rows]
    assert json.dumps(data, ensure_ascii=False, indent=2) + "\n" == out.getvalue()  # as dumped
    empty = json.loads(everything_json(replace(export, entries=(), milestones=())))
    assert empty["entries"] == [] and empty["milestones"] == []


def test_exports_written_before_the_verdict_texts_still_load() -> None:
    data = json.loads(everything_json(sample_export()))
    for milestone in data["milestones"]:
        del milestone["verdict"], milestone["due"]
        for criterion in milestone["criteria"]:
            del criterion["value_text"], criterion["need_text"]
    for entry in data["entries"]:
        del entry["quantity"]
    again = export_from_json(json.dumps(data))
    assert again.milestones[0].criteria[0].value_text == ""
    assert again.milestones[0].verdict == "" and not again.milestones[0].due
    assert len(again.entries) == len(sample_export().entries)


def test_cohort_writers_take_rows_in_batches() -> None:
    rows = [("Ada", e) for e in sample_entries()]
    table, document = io.StringIO(newline=""), io.StringIO()
    csv_writer, json_writer = CohortCsv(table, UTC), CohortJson(document)
    for i in range(0, len(rows), 5):
        csv_writer.rows(rows[i : i + 5])
        json_writer.rows(rows[i : i + 5])
    json_writer.finish()
    assert table.getvalue() == cohort_csv(rows)
    assert document.getvalue() == cohort_json(rows)
    assert cohort_from_json(document.getvalue()) == rows
