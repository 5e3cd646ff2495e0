"""Writing the export files into a working directory, entries streamed in batches.

:func:`write_member_files` writes what ``/export`` sends for one member (the bundle from
:func:`bot.services.export.member_export`, the entries from
:func:`bot.services.export_entries.member_entries`); :func:`write_cohort_files` writes a
whole cohort's entries for ``/coach export``. :func:`bot.exports.bundle.pack` then fits the
files into Discord's upload limits.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.exports.bundle import ExportFile
from bot.exports.data import EntryRow
from bot.models import Cohort, Entry
from bot.services.export import MemberBundle
from bot.services.export_entries import EXPORT_BATCH, cohort_entries, member_entries
from curriculum.loader import Curriculum

ANKI_WORK = ".anki-collection"  # a working folder inside the export folder, removed after


class Part(StrEnum):
    """What ``/export`` sends (``all`` = every file)."""

    ALL = "all"
    LEDGER = "ledger"
    CSV = "csv"
    JSON = "json"
    ANKI = "anki"
    CALENDAR = "calendar"


FILE_NAMES: dict[Part, str] = {
    Part.LEDGER: "learning-ledger.md",
    Part.CSV: "solves.csv",
    Part.JSON: "studycoach-export.json",
    Part.ANKI: "studycoach-oops-and-insights.apkg",
    Part.CALENDAR: "studycoach-schedule.ics",
}


# -- one member ---------------------------------------------------------------------------
async def write_member_files(
    bundle: MemberBundle,
    curriculum: Curriculum,
    part: Part,
    workdir: Path,
    *,
    batch: int = EXPORT_BATCH,
) -> list[ExportFile]:
    """The export files of ``part`` written into ``workdir``, entries streamed in batches:
    one pass over every entry feeds the ledger's Daily Log, the CSV, the JSON and the Anki
    deck; a second pass over the Oops fills the ledger's Oops List. Each batch is written
    in a worker thread, so the event loop stays responsive."""
    from bot.exports.anki import AnkiWriter
    from bot.exports.ical import schedule_ics
    from bot.exports.markdown import LedgerWriter
    from bot.exports.tables import ExportJson, SolvesCsv

    data = bundle.data
    parts = list(FILE_NAMES) if part is Part.ALL else [part]
    paths = {p: workdir / FILE_NAMES[p] for p in parts}
    with ExitStack() as stack:

        def text(p: Part) -> TextIO:
            return stack.enter_context(paths[p].open("w", encoding="utf-8", newline=""))

        sinks: list[Callable[[list[EntryRow]], None]] = []
        ledger = LedgerWriter(text(Part.LEDGER), data) if Part.LEDGER in parts else None
        if ledger is not None:
            sinks.append(ledger.entries)
        if Part.CSV in parts:
            sinks.append(SolvesCsv(text(Part.CSV), bundle.zone).rows)
        everything = ExportJson(text(Part.JSON), data) if Part.JSON in parts else None
        if everything is not None:
            sinks.append(everything.rows)
        anki = None
        if Part.ANKI in parts:
            (workdir / ANKI_WORK).mkdir(exist_ok=True)
            anki = AnkiWriter(data, workdir / ANKI_WORK)
            stack.callback(anki.close)
            sinks.append(anki.rows)

        def feed(rows: list[EntryRow], sinks: list[Callable[[list[EntryRow]], None]]) -> None:
            for sink in sinks:
                sink(rows)

        if sinks:
            async for rows in member_entries(bundle.member_id, curriculum, batch=batch):
                await asyncio.to_thread(feed, rows, sinks)
        if ledger is not None:
            oops = member_entries(bundle.member_id, curriculum, kinds=("oops",), batch=batch)
            async for rows in oops:
                await asyncio.to_thread(ledger.oops, rows)
            ledger.finish()
        if everything is not None:
            everything.finish()
        if anki is not None:
            with paths[Part.ANKI].open("wb") as out:
                await asyncio.to_thread(anki.finish, out)
            (workdir / ANKI_WORK).rmdir()
    if Part.CALENDAR in parts:
        ics = await asyncio.to_thread(
            schedule_ics,
            bundle.calendar,
            curriculum,
            bundle.times,
            bundle.zone,
            bundle.today,
            data.cohort_name,
            f"studycoach-{data.guild_id}-{data.user_id}",
            generated_at=data.generated_at,
        )
        paths[Part.CALENDAR].write_bytes(ics)
    return [ExportFile(FILE_NAMES[p], paths[p]) for p in parts]


# -- a whole cohort (admins) --------------------------------------------------------------
def cohort_file_stem(cohort: Cohort) -> str:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", cohort.name).strip("-").lower() or f"{cohort.id}"
    return f"cohort-{slug}"


@dataclass(frozen=True)
class CohortFiles:
    files: list[ExportFile]
    entries: int
    members: int  # members with at least one entry


async def write_cohort_files(
    cohort: Cohort, curriculum: Curriculum, workdir: Path, *, batch: int = EXPORT_BATCH
) -> CohortFiles:
    """The cohort's entries as CSV (times in the cohort's zone) and JSON, written into
    ``workdir`` in batches."""
    from bot.exports.tables import CohortCsv, CohortJson

    stem = cohort_file_stem(cohort)
    csv_path, json_path = workdir / f"{stem}.csv", workdir / f"{stem}.json"
    entries = 0
    with (
        csv_path.open("w", encoding="utf-8", newline="") as csv_out,
        json_path.open("w", encoding="utf-8") as json_out,
    ):
        table = CohortCsv(csv_out, ZoneInfo(cohort.timezone))
        document = CohortJson(json_out)

        def feed(rows: list[tuple[str, EntryRow]]) -> None:
            table.rows(rows)
            document.rows(rows)

        async for rows in cohort_entries(cohort, curriculum, batch=batch):
            entries += len(rows)
            await asyncio.to_thread(feed, rows)
        document.finish()
    members = await Entry.filter(cohort_id=cohort.id).distinct().values_list("member_id")
    files = [ExportFile(csv_path.name, csv_path), ExportFile(json_path.name, json_path)]
    return CohortFiles(files, entries, len(members))
