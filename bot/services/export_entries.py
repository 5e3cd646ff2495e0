"""A member's (or a cohort's) entries read for an export in bounded memory.

:func:`member_entries` and :func:`cohort_entries` read entries in batches (keyset pages of
:data:`EXPORT_BATCH` rows, two queries a page: the entries and their Oops reviews) as the
renderers' :class:`~bot.exports.data.EntryRow`; the writers of :mod:`bot.exports` turn
each batch into lines of files on disk (see :mod:`bot.services.export_files`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime

from tortoise.expressions import Q

from bot.exports.data import EntryRow
from bot.models import Cohort, Entry, EntryKind, OopsReview
from bot.services.progress import item_titles
from bot.services.reviews import review_state
from curriculum.loader import Curriculum

EXPORT_BATCH = 1000  # entries read (and written) at a time


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
