"""Gathering a member's (or a cohort's) data for the export files, and ``/card``.

Exports are written in bounded memory, whatever their size: :func:`member_entries` and
:func:`cohort_entries` read entries in batches (keyset pages of :data:`EXPORT_BATCH` rows,
two queries a page: the entries and their Oops reviews), and the writers of
:mod:`bot.exports` turn each batch into lines of files on disk. What is not per entry —
goals, the weekly recaps and milestone checks (through the same services as ``/recap`` and
``/milestones``: a fixed number of aggregate queries per program week so far) — is read
once, up front, by :func:`member_export`.

:func:`write_member_files` and :func:`write_cohort_files` write the files into a working
directory; :func:`bot.exports.bundle.pack` then fits them into Discord's upload limits.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from tortoise.expressions import Q

from bot.core import entries as rules
from bot.core.calendar import CohortCalendar, local_date, local_to_utc
from bot.core.schedule import PostTimes
from bot.core.stats import metric_text, need_text, verdict_text
from bot.errors import UserFacingError
from bot.exports.bundle import ExportFile
from bot.exports.data import CriterionRow, EntryRow, MemberExport, MilestoneRow
from bot.models import Cohort, Entry, EntryKind, Member, OopsReview
from bot.render.recap import member_recap_text
from bot.services.cohorts import cohort_calendar, member_zone, post_times
from bot.services.logbook import Logged
from bot.services.progress import MemberContext, item_titles, record, streak_for
from bot.services.recap import cohort_week_report
from bot.services.reviews import review_state
from bot.services.standings import member_milestones
from curriculum.loader import Curriculum

MAX_CARD = rules.MAX_NOTES
EXPORT_BATCH = 1000  # entries read (and written) at a time
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


# -- /card ------------------------------------------------------------------------------
async def log_card(ctx: MemberContext, front: str, back: str) -> Logged:
    """A Key Insight flash card: ``text`` is the front, ``lesson`` the back."""
    front = rules.clean_text("front", front, MAX_CARD, required=True)
    back = rules.clean_text("back", back, MAX_CARD, required=True)
    entry = await record(ctx, EntryKind.CARD, ctx.today, text=front, lesson=back)
    return Logged(entry, await streak_for(ctx), ctx.today)


# -- one member ---------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberBundle:
    """What a member's export needs besides the entries (they are read in batches)."""

    data: MemberExport  # entries left empty: see member_entries
    calendar: CohortCalendar
    times: PostTimes
    zone: ZoneInfo
    today: date  # the member's local today: the calendar starts here
    cohort_id: int
    member_id: int
    entries: int  # how many entries the member has


async def exporting_member(guild_id: int, user_id: int) -> tuple[Member, Cohort]:
    """The caller's member row in this guild (also after ``/leave``) and their cohort."""
    member = (
        await Member.filter(guild__guild_id=guild_id, user_id=user_id)
        .select_related("cohort")
        .first()
    )
    if member is None:
        raise UserFacingError("There's nothing to export: you haven't logged anything here.")
    if member.cohort is None:
        raise UserFacingError("Your cohort no longer exists here — `/join` one to export.")
    return member, member.cohort


def entry_row(
    entry: Entry, reviews: Sequence[OopsReview] = (), titles: dict[str, str] | None = None
) -> EntryRow:
    """An ORM entry as the renderers' :class:`EntryRow` (raw option keys, text as typed)."""
    title = entry.problem_title or (entry.problem_slug if entry.problem_number is None else None)
    state = review_state(list(reviews)) if entry.kind == EntryKind.OOPS and reviews else None
    return EntryRow(
        id=entry.id,
        kind=entry.kind,
        local_date=entry.local_date,
        created_at=entry.created_at,
        week=entry.week,
        problem_number=entry.problem_number,
        problem_title=title,
        difficulty=entry.difficulty,
        minutes=entry.minutes,
        language=entry.language,
        mode=entry.mode,
        pattern=entry.pattern,
        notes=entry.text,
        lesson=entry.lesson,
        mock_kind=entry.mock_kind,
        rating=entry.rating,
        platform=entry.platform,
        percentile=entry.percentile,
        contest_name=entry.contest_name,
        rank=entry.rank,
        solved_count=entry.solved_count,
        reviewed=entry.reviewed,
        new_cards=entry.new_cards,
        mature_total=entry.mature_total,
        item_id=entry.item_id,
        item_title=(titles or {}).get(entry.item_id or ""),
        quantity=entry.quantity,
        imported=entry.source != "command",
        review_state=state,
    )


async def _rows(entries: Sequence[Entry], titles: dict[str, str]) -> list[EntryRow]:
    """Entries as rows, with the review state of the Oops among them (one query)."""
    oops = [e.id for e in entries if e.kind == EntryKind.OOPS]
    by_entry: dict[int, list[OopsReview]] = defaultdict(list)
    if oops:
        for review in await OopsReview.filter(entry_id__in=oops).order_by("round", "step"):
            by_entry[review.entry_id].append(review)  # type: ignore[attr-defined]
    return [entry_row(e, by_entry.get(e.id, ()), titles) for e in entries]


def _logged_order(row: EntryRow) -> tuple[date, datetime, int]:
    return (row.local_date, row.created_at, row.id)


async def member_entries(
    member_id: int,
    curriculum: Curriculum,
    *,
    kinds: Sequence[str] | None = None,
    batch: int = EXPORT_BATCH,
) -> AsyncIterator[list[EntryRow]]:
    """A member's entries (of ``kinds``), oldest day first and in the order logged within
    a day, in lists of about ``batch`` rows; each list ends with a whole day.

    Keyset pages on ``(local_date, id)``, so every page costs the same whatever the size;
    a day is held back until it is complete, then sorted by the time it was logged.
    """
    titles = item_titles(curriculum)
    held: list[EntryRow] = []
    last: tuple[date, int] | None = None
    while True:
        query = Entry.filter(member_id=member_id)
        if kinds is not None:
            query = query.filter(kind__in=list(kinds))
        if last is not None:
            query = query.filter(Q(local_date__gt=last[0]) | Q(local_date=last[0], id__gt=last[1]))
        page = await query.order_by("local_date", "id").limit(batch)
        if not page:
            break
        last = (page[-1].local_date, page[-1].id)
        held += await _rows(page, titles)
        if len(page) < batch:
            break
        day = held[-1].local_date
        done = [r for r in held if r.local_date != day]
        if done:
            held = held[len(done) :]
            yield sorted(done, key=_logged_order)
    if held:
        yield sorted(held, key=_logged_order)


async def cohort_entries(
    cohort: Cohort, curriculum: Curriculum, *, batch: int = EXPORT_BATCH
) -> AsyncIterator[list[tuple[str, EntryRow]]]:
    """(member name, entry) for every entry logged in ``cohort``, in the order logged, in
    lists of ``batch``: keyset pages on the id, two queries a page."""
    titles = item_titles(curriculum)
    last = 0
    while True:
        page = (
            await Entry.filter(cohort_id=cohort.id, id__gt=last)
            .select_related("member")
            .order_by("id")
            .limit(batch)
        )
        if not page:
            return
        last = page[-1].id
        names = [e.member.display_name or str(e.member.user_id) for e in page]
        yield list(zip(names, await _rows(page, titles), strict=True))
        if len(page) < batch:
            return


def program_goals(curriculum: Curriculum, upto: int) -> tuple[str, ...]:
    """The program goal, then each week's goals up to week ``upto`` (the title alone if none)."""
    out = [f"Program: {curriculum.program.goal}"]
    for n in sorted(curriculum.weeks):
        if n > upto:
            break
        week = curriculum.weeks[n]
        head = f"Week {n} · {week.title}"
        out += [f"{head}: {g}" for g in week.goals] or [head]
    return tuple(out)


def finished_weeks(calendar: CohortCalendar, times: PostTimes, now: datetime) -> list[int]:
    """Program weeks whose recap time has passed (the recaps the channel has seen)."""
    return [
        w
        for w in range(1, calendar.weeks + 1)
        if local_to_utc(calendar.date_of(w, times.recap_weekday), times.recap, calendar.zone) <= now
    ]


async def _recaps(
    member: Member, cohort: Cohort, weeks: list[int], curriculum: Curriculum, now: datetime
) -> tuple[str, ...]:
    texts = []
    for week in weeks:
        report = await cohort_week_report(cohort, week, curriculum, now, members=[member])
        texts.append(member_recap_text(report, report.members[0], curriculum.program))
    return tuple(texts)


async def _milestones(
    member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> tuple[MilestoneRow, ...]:
    """Every milestone so far and the next one. One judged once its week's recap is out
    (passed or missed, as the recap said), the next one on the numbers so far."""
    rows = []
    for view in await member_milestones(member, cohort, curriculum, now):
        due = view.due
        criteria = tuple(
            CriterionRow(
                label=r.criterion.label,
                value=None if r.value is None else float(r.value),
                threshold=float(r.criterion.threshold),
                op=r.criterion.op,
                ok=r.ok,
                value_text=metric_text(r.value, r.criterion.metric),
                need_text=need_text(r.criterion),
            )
            for r in view.result.results
        )
        rows.append(
            MilestoneRow(
                view.milestone.title,
                view.milestone.week,
                criteria,
                verdict=verdict_text(view.result, due=due),
                due=due,
            )
        )
    return tuple(rows)


async def member_export(
    guild_id: int, member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> MemberBundle:
    """What one member's export needs besides the entries, as of ``now`` (``guild_id``:
    Discord's id): goals, recaps and milestones, a fixed number of queries per week."""
    calendar = await cohort_calendar(cohort, curriculum)
    zone = member_zone(member, cohort)
    cohort_today = local_date(now, calendar.zone)
    current = min(max(1, calendar.counting_week(cohort_today)), calendar.weeks)
    times = post_times(cohort)
    finished = finished_weeks(calendar, times, now)
    data = MemberExport(
        guild_id=guild_id,
        user_id=member.user_id,
        display_name=member.display_name or f"member {member.user_id}",
        timezone=zone.key,
        cohort_name=cohort.name,
        goals=program_goals(curriculum, current),
        entries=(),
        recaps=await _recaps(member, cohort, finished, curriculum, now),
        milestones=await _milestones(member, cohort, curriculum, now),
        generated_at=now,
    )
    count = await Entry.filter(member_id=member.id).count()
    return MemberBundle(
        data, calendar, times, zone, local_date(now, zone), cohort.id, member.id, count
    )


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
