"""Accepted LeetCode submissions → solve entries, once each, and /solve completing them.

Only submissions newer than the link's last-seen mark are imported (a removed imported entry
is therefore never re-imported); the entry's ``dedupe_key`` ``lc:{site}:{submission id}``
is the safety net. Everything a poll writes lands in one transaction or not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.core.calendar import local_date
from bot.core.entries import MAX_BACKDATE_DAYS
from bot.leetcode.client import AcceptedSubmission, QuestionMeta
from bot.leetcode.errors import QuestionNotFound
from bot.leetcode.models import LeetCodeLink, LeetCodeProblem
from bot.models import Entry, EntryKind
from bot.services.progress import MemberContext, record
from bot.services.sql import query
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)

SOURCE: Final = "leetcode"
# The first poll after linking imports accepts this far back from the verification
# (the same window /solve accepts for backdated solves).
FIRST_IMPORT_WINDOW: Final = timedelta(days=MAX_BACKDATE_DAYS)
_LANGUAGES: Final = {"python3": "python", "python": "python", "cpp": "cpp"}
# Fields /solve may fill in on an imported entry: details always, metadata only when unknown.
_DETAILS: Final = frozenset({"minutes", "language", "mode", "pattern", "text"})
_METADATA: Final = frozenset({"problem_number", "problem_slug", "problem_title", "difficulty"})

FetchQuestion = Callable[[str], Awaitable[QuestionMeta]]


def dedupe_key(site: str, submission_id: str) -> str:
    return f"lc:{site}:{submission_id}"


def language_of(lang: str | None) -> str | None:
    """python3/python → python, cpp → cpp, anything else → other (None when not reported)."""
    if not lang:
        return None
    return _LANGUAGES.get(lang.strip().lower(), "other")


@dataclass(frozen=True)
class ProblemInfo:
    key: str  # the unique-problem key, as /solve stores it: the number, or the slug
    number: int | None
    slug: str
    title: str | None
    difficulty: str | None
    pattern: str | None


@dataclass
class ImportResult:
    created: list[Entry] = field(default_factory=list)
    merged: int = 0  # submissions matched to a solve the member had typed that day
    skipped: int = 0  # already imported (dedupe key) or repeated in the batch
    gap: bool = False  # policy.gap_suspected said older accepts may be missing


def new_submissions(
    submissions: Sequence[AcceptedSubmission], link: LeetCodeLink
) -> list[AcceptedSubmission]:
    """Submissions to import, oldest first: newer than the mark (first poll: the window)."""
    if link.last_seen_at is not None:
        mark = link.last_seen_at
        fresh = [s for s in submissions if s.submitted_at > mark]
    else:
        since = (link.verified_at or link.created_at) - FIRST_IMPORT_WINDOW
        fresh = [s for s in submissions if s.submitted_at >= since]
    return sorted(fresh, key=lambda s: (s.submitted_at, s.submission_id))


async def resolve_problems(
    submissions: Sequence[AcceptedSubmission],
    curriculum: Curriculum,
    fetch: FetchQuestion,
) -> tuple[dict[str, ProblemInfo], list[QuestionMeta]]:
    """Metadata for each slug: the roadmap's catalogue, then the cache, then ``question()``.

    Returns the metadata and the newly fetched questions (to cache). A slug the site does not
    know (deleted or hidden) is kept by slug with the submission's title. Any other client
    error propagates: the poll fails before anything is written.
    """
    by_slug = {p.slug: p for p in curriculum.problems.values()}
    titles = {s.slug: s.title for s in submissions}
    out: dict[str, ProblemInfo] = {}
    wanted = [slug for slug in titles if slug not in by_slug]
    cached = {p.slug: p for p in await LeetCodeProblem.filter(slug__in=wanted)} if wanted else {}
    fetched: list[QuestionMeta] = []
    for slug, title in titles.items():
        known = by_slug.get(slug)
        if known is not None:
            out[slug] = ProblemInfo(
                str(known.number),
                known.number,
                slug,
                known.title,
                known.difficulty.value,
                known.pattern,
            )
            continue
        row = cached.get(slug)
        if row is not None:
            meta = QuestionMeta(row.number, row.title, row.slug, row.difficulty)  # type: ignore[arg-type]
        else:
            try:
                meta = await fetch(slug)
            except QuestionNotFound:
                log.info("LeetCode has no question %r; importing it by slug", slug)
                out[slug] = ProblemInfo(slug, None, slug, title or None, None, None)
                continue
            fetched.append(meta)
        pattern = (
            curriculum.problems[meta.number].pattern if meta.number in curriculum.problems else None
        )
        out[slug] = ProblemInfo(
            str(meta.number), meta.number, slug, meta.title, meta.difficulty, pattern
        )
    return out, fetched


async def import_submissions(
    ctx: MemberContext,
    link: LeetCodeLink,
    submissions: Sequence[AcceptedSubmission],
    problems: dict[str, ProblemInfo],
    fetched: Sequence[QuestionMeta],
    *,
    gap: bool,
) -> ImportResult:
    """Write the new submissions, the problem cache and the link's marks in one transaction.

    ``ctx.now`` is the poll time (``created_at`` of the entries and ``last_sync_at``).
    """
    result = ImportResult(gap=gap)
    fresh = new_submissions(submissions, link)
    newest = max((s.submitted_at for s in submissions), default=None)
    mark = link.last_seen_at
    if newest is not None and (mark is None or newest > mark):
        mark = newest
    async with in_transaction():
        await _cache(fetched, link.site, ctx.now)
        seen: set[tuple[str, datetime]] = set()
        for sub in fresh:
            if (sub.slug, sub.submitted_at) in seen:
                result.skipped += 1
                continue
            seen.add((sub.slug, sub.submitted_at))
            await _import_one(ctx, link.site, sub, problems[sub.slug], result)
        updated = await LeetCodeLink.filter(id=link.id).update(
            last_seen_at=mark,
            last_sync_at=ctx.now,
            last_error=None,
            last_error_at=None,
            failures=0,
        )
        if not updated:  # unlinked while polling: keep nothing
            raise LinkGone()
    link.last_seen_at = mark
    link.last_sync_at = ctx.now
    return result


class LinkGone(Exception):
    """The link was removed while its poll was running."""


async def _cache(fetched: Sequence[QuestionMeta], site: str, now: datetime) -> None:
    for meta in fetched:
        await LeetCodeProblem.update_or_create(
            defaults={
                "number": meta.number,
                "title": meta.title[:200],
                "difficulty": meta.difficulty,
                "site": site,
                "fetched_at": now,
            },
            slug=meta.slug,
        )


async def _import_one(
    ctx: MemberContext,
    site: str,
    sub: AcceptedSubmission,
    problem: ProblemInfo,
    result: ImportResult,
) -> None:
    key = dedupe_key(site, sub.submission_id)
    member_id = ctx.member.id
    if await Entry.filter(member_id=member_id, dedupe_key=key).exists():
        result.skipped += 1
        return
    day = local_date(sub.submitted_at, ctx.zone)
    typed = (
        await Entry.filter(
            member_id=member_id,
            kind=EntryKind.SOLVE,
            problem_key=problem.key,
            local_date=day,
            dedupe_key=None,
        )
        .order_by("id")
        .first()
    )
    if typed is not None and await Entry.filter(id=typed.id, dedupe_key=None).update(
        dedupe_key=key
    ):
        result.merged += 1  # the member logged this solve by hand already
        return
    try:
        async with in_transaction():  # a savepoint: a clash leaves the batch intact
            entry = await record(
                ctx,
                EntryKind.SOLVE,
                day,
                source=SOURCE,
                dedupe_key=key,
                problem_key=problem.key,
                problem_number=problem.number,
                problem_slug=problem.slug,
                problem_title=(problem.title or sub.title or None),
                difficulty=problem.difficulty,
                minutes=None,
                language=language_of(sub.lang),
                mode=None,
                pattern=problem.pattern,
            )
    except IntegrityError:
        result.skipped += 1
        return
    result.created.append(entry)


async def complete_imported(
    ctx: MemberContext, ref_key: str, day: date, **fields: Any
) -> Entry | None:
    """Fill an imported solve of ``ref_key`` on ``day`` with what /solve was given.

    Only an imported entry still without minutes qualifies (the oldest such one). Details
    (minutes, language, mode, pattern, notes) are taken as typed; problem metadata only
    fills what the import did not know. ``None`` when there is nothing to complete: the
    caller then records a new entry as usual.
    """
    if not await query(  # the usual case, answered by one cheap statement
        "SELECT 1 FROM entry WHERE member_id = {p} AND kind = 'solve' AND source = {p}"
        " AND problem_key = {p} AND local_date = {p} AND minutes IS NULL LIMIT 1",
        ctx.member.id,
        SOURCE,
        ref_key,
        day,
    ):
        return None
    candidates = await Entry.filter(
        member_id=ctx.member.id,
        kind=EntryKind.SOLVE,
        source=SOURCE,
        problem_key=ref_key,
        local_date=day,
        minutes=None,
    ).order_by("id")
    for entry in candidates:
        values = {k: v for k, v in fields.items() if k in _DETAILS and v is not None}
        values.update(
            {
                k: v
                for k, v in fields.items()
                if k in _METADATA and v is not None and getattr(entry, k) is None
            }
        )
        if not values:
            return entry
        # Conditional on minutes still NULL: two racing /solve calls complete it once.
        if await Entry.filter(id=entry.id, minutes=None).update(**values):
            await entry.refresh_from_db()
            return entry
    return None
