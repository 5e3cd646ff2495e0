"""Tabular exports: CSV for spreadsheets, JSON for everything (and back).

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading single quote. Instants in CSV are ISO 8601
with the offset of the member's zone (the cohort CSV takes a zone, UTC by default); JSON
keeps them in UTC and round-trips exactly: see :func:`export_from_json`. Discord ids are
written as strings in JSON so JavaScript readers keep every digit.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, fields
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from bot.exports.data import CriterionRow, EntryRow, MemberExport, MilestoneRow

EXPORT_FORMAT = "studycoach-export"
COHORT_FORMAT = "studycoach-cohort"
FORMAT_VERSION = 1

SOLVE_COLUMNS: tuple[str, ...] = (
    "id",
    "date",
    "logged_at",
    "week",
    "problem",
    "title",
    "difficulty",
    "minutes",
    "language",
    "mode",
    "pattern",
    "notes",
    "imported",
)
_ENTRY_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(EntryRow))
_RENAMED = {"local_date": "date", "created_at": "logged_at"}
COHORT_COLUMNS: tuple[str, ...] = ("member", *(_RENAMED.get(n, n) for n in _ENTRY_FIELDS))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_cell(value: object) -> str:
    """A CSV cell as text; text a spreadsheet would evaluate is prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return str(value)


def _write_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([guard_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


def solves_csv(export: MemberExport) -> str:
    """One row per solve entry (oldest first), times in the member's zone."""
    zone = export.zone
    rows = [
        (
            e.id,
            e.local_date,
            e.created_at.astimezone(zone),
            e.week,
            e.problem_number,
            e.problem_title,
            e.difficulty,
            e.minutes,
            e.language,
            e.mode,
            e.pattern,
            e.notes,
            e.imported,
        )
        for e in export.entries_of("solve")
    ]
    return _write_csv(SOLVE_COLUMNS, rows)


def cohort_csv(rows: Sequence[tuple[str, EntryRow]], zone: tzinfo = UTC) -> str:
    """A whole cohort's entries, one per row: member name, then every entry field.

    ``logged_at`` is written in ``zone`` (pass the cohort's zone; UTC by default).
    """
    out = []
    for member, e in rows:
        values = [getattr(e, name) for name in _ENTRY_FIELDS]
        values[_ENTRY_FIELDS.index("created_at")] = e.created_at.astimezone(zone)
        out.append([member, *values])
    return _write_csv(COHORT_COLUMNS, out)


# --- JSON -------------------------------------------------------------------------------


def _json_default(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"


def entry_to_dict(entry: EntryRow) -> dict[str, Any]:
    """An entry as JSON-ready data (dates still objects; :func:`_dumps` writes them ISO)."""
    return asdict(entry)


def entry_from_dict(data: Mapping[str, Any]) -> EntryRow:
    """The inverse of :func:`entry_to_dict`; unknown keys (newer exports) are ignored."""
    known = {k: v for k, v in data.items() if k in _ENTRY_FIELDS}
    parsers: dict[str, Callable[[str], object]] = {
        "local_date": date.fromisoformat,
        "created_at": datetime.fromisoformat,
    }
    for key, parse in parsers.items():
        if isinstance(known.get(key), str):
            known[key] = parse(known[key])
    if isinstance(known.get("percentile"), int):
        known["percentile"] = float(known["percentile"])
    try:
        return EntryRow(**known)
    except TypeError as exc:
        raise ValueError(f"not an entry: {exc}") from exc


def everything_json(export: MemberExport) -> str:
    """Meta, goals, every entry (oldest first), recaps and milestones as JSON."""
    data = {
        "format": EXPORT_FORMAT,
        "version": FORMAT_VERSION,
        "generated_at": export.generated_at,
        "member": {
            "guild_id": str(export.guild_id),
            "user_id": str(export.user_id),
            "display_name": export.display_name,
            "timezone": export.timezone,
            "cohort_name": export.cohort_name,
            "goals": list(export.goals),
        },
        "entries": [entry_to_dict(e) for e in export.entries_of()],
        "recaps": [{"week": n, "text": t} for n, t in enumerate(export.recaps, start=1)],
        "milestones": [asdict(m) for m in export.milestones],
    }
    return _dumps(data)


def _load(text: str, expected: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("format") != expected:
        raise ValueError(f"not a {expected} file")
    if data.get("version") != FORMAT_VERSION:
        raise ValueError(f"unsupported {expected} version {data.get('version')!r}")
    return data


def entries_from_json(text: str) -> list[EntryRow]:
    """The entries of an :func:`everything_json` document."""
    return [entry_from_dict(e) for e in _load(text, EXPORT_FORMAT)["entries"]]


def _milestone_from_dict(data: Mapping[str, Any]) -> MilestoneRow:
    criteria = tuple(CriterionRow(**c) for c in data["criteria"])
    return MilestoneRow(title=data["title"], week=data["week"], criteria=criteria)


def export_from_json(text: str) -> MemberExport:
    """The whole :class:`MemberExport` back from :func:`everything_json` (entries sorted)."""
    data = _load(text, EXPORT_FORMAT)
    member = data["member"]
    recaps = sorted(data["recaps"], key=lambda r: int(r["week"]))
    return MemberExport(
        guild_id=int(member["guild_id"]),
        user_id=int(member["user_id"]),
        display_name=member["display_name"],
        timezone=member["timezone"],
        cohort_name=member["cohort_name"],
        goals=tuple(member["goals"]),
        entries=tuple(entry_from_dict(e) for e in data["entries"]),
        recaps=tuple(r["text"] for r in recaps),
        milestones=tuple(_milestone_from_dict(m) for m in data["milestones"]),
        generated_at=datetime.fromisoformat(data["generated_at"]),
    )


def cohort_json(rows: Sequence[tuple[str, EntryRow]]) -> str:
    """A whole cohort's entries as JSON: each row is the member name plus the entry."""
    data = {
        "format": COHORT_FORMAT,
        "version": FORMAT_VERSION,
        "rows": [{"member": member, **entry_to_dict(e)} for member, e in rows],
    }
    return _dumps(data)


def cohort_from_json(text: str) -> list[tuple[str, EntryRow]]:
    """The inverse of :func:`cohort_json`."""
    return [(row["member"], entry_from_dict(row)) for row in _load(text, COHORT_FORMAT)["rows"]]
