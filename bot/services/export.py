"""Gathering a member's (or a cohort's) data for the export renderers, and ``/card``.

:func:`member_export` reads everything one member's export needs with a bounded number of
queries: the member's entries and Oops reviews in one query each, then the weekly recaps
and milestone checks through the same services as ``/recap`` and ``/milestones`` (a fixed
number of aggregate queries per program week so far). Nothing is queried per entry.

:func:`render_member_files` is pure (no database, no event loop): callers run it in a
worker thread, since building the deck and the calendar takes a moment.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core import entries as rules
from bot.core.calendar import CohortCalendar, local_date, local_to_utc
from bot.core.schedule import PostTimes
from bot.errors import UserFacingError
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
    """A member's export data plus what the calendar file needs."""

    data: MemberExport
    calendar: CohortCalendar
    times: PostTimes
    zone: ZoneInfo
    today: date  # the member's local today: the calendar starts here
    cohort_id: int


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
        imported=entry.source != "command",
        review_state=state,
    )


def _rows(
    entries: Iterable[Entry], reviews: Iterable[OopsReview], curriculum: Curriculum
) -> list[EntryRow]:
    by_entry: dict[int, list[OopsReview]] = defaultdict(list)
    for review in reviews:
        by_entry[review.entry_id].append(review)  # type: ignore[attr-defined]
    titles = item_titles(curriculum)
    return [entry_row(e, by_entry.get(e.id, ()), titles) for e in entries]


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
    rows = []
    for view in await member_milestones(member, cohort, curriculum, now):
        criteria = tuple(
            CriterionRow(
                label=r.criterion.label,
                value=None if r.value is None else float(r.value),
                threshold=float(r.criterion.threshold),
                op=r.criterion.op,
                ok=r.ok,
            )
            for r in view.result.results
        )
        rows.append(MilestoneRow(view.milestone.title, view.milestone.week, criteria))
    return tuple(rows)


async def member_export(
    guild_id: int, member: Member, cohort: Cohort, curriculum: Curriculum, now: datetime
) -> MemberBundle:
    """Everything one member's export needs, as of ``now`` (``guild_id``: Discord's id)."""
    calendar = await cohort_calendar(cohort, curriculum)
    zone = member_zone(member, cohort)
    cohort_today = local_date(now, calendar.zone)
    entries = await Entry.filter(member_id=member.id).order_by("local_date", "id")
    reviews = await OopsReview.filter(member_id=member.id).order_by("round", "step")
    current = min(max(1, calendar.counting_week(cohort_today)), calendar.weeks)
    times = post_times(cohort)
    data = MemberExport(
        guild_id=guild_id,
        user_id=member.user_id,
        display_name=member.display_name or f"member {member.user_id}",
        timezone=zone.key,
        cohort_name=cohort.name,
        goals=program_goals(curriculum, current),
        entries=tuple(_rows(entries, reviews, curriculum)),
        recaps=await _recaps(member, cohort, finished_weeks(calendar, times, now), curriculum, now),
        milestones=await _milestones(member, cohort, curriculum, now),
        generated_at=now,
    )
    return MemberBundle(data, calendar, times, zone, local_date(now, zone), cohort.id)


def render_member_files(
    bundle: MemberBundle, curriculum: Curriculum, part: Part = Part.ALL
) -> list[tuple[str, bytes]]:
    """The export files (name, bytes) for ``part``; pure and CPU-bound (run it in a thread)."""
    from bot.exports.anki import anki_deck
    from bot.exports.ical import schedule_ics
    from bot.exports.markdown import learning_ledger_markdown
    from bot.exports.tables import everything_json, solves_csv

    data = bundle.data
    makers = {
        Part.LEDGER: lambda: learning_ledger_markdown(data).encode(),
        Part.CSV: lambda: solves_csv(data).encode(),
        Part.JSON: lambda: everything_json(data).encode(),
        Part.ANKI: lambda: anki_deck(data),
        Part.CALENDAR: lambda: schedule_ics(
            bundle.calendar,
            curriculum,
            bundle.times,
            bundle.zone,
            bundle.today,
            data.cohort_name,
            f"studycoach-{data.guild_id}-{data.user_id}",
            generated_at=data.generated_at,
        ),
    }
    parts = list(FILE_NAMES) if part is Part.ALL else [part]
    return [(FILE_NAMES[p], makers[p]()) for p in parts]


# -- a whole cohort (admins) --------------------------------------------------------------
async def cohort_rows(cohort: Cohort, curriculum: Curriculum) -> list[tuple[str, EntryRow]]:
    """(member name, entry) for every entry logged in ``cohort``: two queries in all."""
    entries = (
        await Entry.filter(cohort_id=cohort.id)
        .select_related("member")
        .order_by("local_date", "id")
    )
    reviews = await OopsReview.filter(entry__cohort_id=cohort.id).order_by("round", "step")
    rows = _rows(entries, reviews, curriculum)
    names = [e.member.display_name or str(e.member.user_id) for e in entries]
    return list(zip(names, rows, strict=True))


def cohort_file_stem(cohort: Cohort) -> str:
    slug = re.sub(r"[^0-9A-Za-z]+", "-", cohort.name).strip("-").lower() or f"{cohort.id}"
    return f"cohort-{slug}"


def render_cohort_files(
    cohort: Cohort, rows: Sequence[tuple[str, EntryRow]]
) -> list[tuple[str, bytes]]:
    """The cohort's entries as CSV (times in the cohort's zone) and JSON; pure."""
    from bot.exports.tables import cohort_csv, cohort_json

    stem = cohort_file_stem(cohort)
    return [
        (f"{stem}.csv", cohort_csv(rows, ZoneInfo(cohort.timezone)).encode()),
        (f"{stem}.json", cohort_json(rows).encode()),
    ]
