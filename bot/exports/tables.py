"""Tabular exports: CSV for spreadsheets, JSON for everything (and back).

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) get a leading single quote. Instants in CSV are ISO 8601
with the offset of the member's zone (the cohort CSV takes a zone, UTC by default); JSON
keeps them in UTC and round-trips exactly: see :func:`export_from_json`. Discord ids are
written as strings in JSON so JavaScript readers keep every digit.

The writers (:class:`SolvesCsv`, :class:`ExportJson`, :class:`CohortCsv`,
:class:`CohortJson`) write to any text stream as rows arrive, so an export of any size is
written in batches with flat memory; the functions that return a ``str`` drive the same
writers with in-memory rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, fields
from datetime import UTC, date, datetime, tzinfo
from typing import Any, TextIO

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


class _CsvWriter:
    """A CSV stream: the header on creation, then :meth:`row` per row (formula-guarded)."""

    def __init__(self, out: TextIO, header: Sequence[str]) -> None:
        self._writer = csv.writer(out, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        self._writer.writerow(header)
        self.count = 0

    def row(self, values: Sequence[object]) -> None:
        self._writer.writerow([guard_cell(v) for v in values])
        self.count += 1


class SolvesCsv:
    """One row per solve entry, times in ``zone``; other kinds passed in are skipped."""

    def __init__(self, out: TextIO, zone: tzinfo) -> None:
        self._csv = _CsvWriter(out, SOLVE_COLUMNS)
        self.zone = zone

    def rows(self, entries: Iterable[EntryRow]) -> None:
        for e in entries:
            if e.kind != "solve":
                continue
            self._csv.row(
                (
                    e.id,
                    e.local_date,
                    e.created_at.astimezone(self.zone),
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
            )


def solves_csv(export: MemberExport) -> str:
    """One row per solve entry (oldest first), times in the member's zone."""
    out = io.StringIO(newline="")
    SolvesCsv(out, export.zone).rows(export.entries_of("solve"))
    return out.getvalue()


class CohortCsv:
    """A whole cohort's entries, one per row: member name, then every entry field.

    ``logged_at`` is written in ``zone`` (pass the cohort's zone; UTC by default).
    """

    def __init__(self, out: TextIO, zone: tzinfo = UTC) -> None:
        self._csv = _CsvWriter(out, COHORT_COLUMNS)
        self.zone = zone

    def rows(self, rows: Iterable[tuple[str, EntryRow]]) -> None:
        created = _ENTRY_FIELDS.index("created_at")
        for member, e in rows:
            values = [getattr(e, name) for name in _ENTRY_FIELDS]
            values[created] = e.created_at.astimezone(self.zone)
            self._csv.row([member, *values])


def cohort_csv(rows: Sequence[tuple[str, EntryRow]], zone: tzinfo = UTC) -> str:
    """:class:`CohortCsv` of in-memory rows."""
    out = io.StringIO(newline="")
    CohortCsv(out, zone).rows(rows)
    return out.getvalue()


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


def _indented(value: object, depth: int) -> str:
    """``value`` as indented JSON, to be placed at nesting ``depth`` of a larger document."""
    return _dumps(value).rstrip("\n").replace("\n", "\n" + "  " * depth)


class _JsonList:
    """Writes ``"key": [ ... ]`` one item at a time, inside an object at depth 1."""

    def __init__(self, out: TextIO, key: str) -> None:
        self.out = out
        self.count = 0
        out.write(f"  {json.dumps(key)}: [")

    def add(self, value: object) -> None:
        self.out.write(("," if self.count else "") + "\n    " + _indented(value, 2))
        self.count += 1

    def close(self) -> None:
        self.out.write("\n  ]" if self.count else "]")


class ExportJson:
    """:func:`everything_json`, written as entries arrive (oldest first)."""

    def __init__(self, out: TextIO, export: MemberExport) -> None:
        self.out = out
        self.export = export
        head = {
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
        }
        out.write("{\n")
        for key, value in head.items():
            out.write(f"  {json.dumps(key)}: {_indented(value, 1)},\n")
        self._entries = _JsonList(out, "entries")

    def rows(self, entries: Iterable[EntryRow]) -> None:
        for e in entries:
            self._entries.add(entry_to_dict(e))

    def finish(self) -> None:
        self._entries.close()
        recaps = [{"week": n, "text": t} for n, t in enumerate(self.export.recaps, start=1)]
        milestones = [asdict(m) for m in self.export.milestones]
        self.out.write(f',\n  "recaps": {_indented(recaps, 1)}')
        self.out.write(f',\n  "milestones": {_indented(milestones, 1)}\n}}\n')


def everything_json(export: MemberExport) -> str:
    """Meta, goals, every entry (oldest first), recaps and milestones as JSON."""
    out = io.StringIO()
    writer = ExportJson(out, export)
    writer.rows(export.entries_of())
    writer.finish()
    return out.getvalue()


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
    names = {f.name for f in fields(CriterionRow)}
    criteria = tuple(
        CriterionRow(**{k: v for k, v in c.items() if k in names}) for c in data["criteria"]
    )
    return MilestoneRow(
        title=data["title"],
        week=data["week"],
        criteria=criteria,
        verdict=data.get("verdict", ""),
        due=bool(data.get("due", False)),
    )


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


class CohortJson:
    """:func:`cohort_json`, written as rows arrive."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        out.write(f'{{\n  "format": "{COHORT_FORMAT}",\n  "version": {FORMAT_VERSION},\n')
        self._rows = _JsonList(out, "rows")

    def rows(self, rows: Iterable[tuple[str, EntryRow]]) -> None:
        for member, e in rows:
            self._rows.add({"member": member, **entry_to_dict(e)})

    def finish(self) -> None:
        self._rows.close()
        self.out.write("\n}\n")


def cohort_json(rows: Sequence[tuple[str, EntryRow]]) -> str:
    """A whole cohort's entries as JSON: each row is the member name plus the entry."""
    out = io.StringIO()
    writer = CohortJson(out)
    writer.rows(rows)
    writer.finish()
    return out.getvalue()


def cohort_from_json(text: str) -> list[tuple[str, EntryRow]]:
    """The inverse of :func:`cohort_json`."""
    return [(row["member"], entry_from_dict(row)) for row in _load(text, COHORT_FORMAT)["rows"]]
