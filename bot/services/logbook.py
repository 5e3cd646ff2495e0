"""The logging commands' logic: validate every option again, then write one entry.

Each function raises :class:`UserFacingError` (naming the option and what is allowed)
before anything is written, so invalid input never leaves a row behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tortoise.transactions import in_transaction

from bot.core import entries as rules
from bot.core.progress import SolveSummary
from bot.core.streaks import Streak
from bot.errors import StorageError, UserFacingError
from bot.failures import STORAGE_ERRORS
from bot.leetcode.importer import complete_imported
from bot.models import Entry, EntryKind
from bot.services.progress import MemberContext, record, streak_for, summary_for
from bot.services.reviews import schedule_ladder
from curriculum.loader import Curriculum


@dataclass(frozen=True)
class SolveInput:
    problem: str
    minutes: int
    difficulty: str | None = None
    language: str = "python"
    mode: str = "unguided"
    pattern: str | None = None
    notes: str | None = None
    when: str | None = None


@dataclass(frozen=True)
class Logged:
    entry: Entry
    streak: Streak
    today: date  # the member's local today when logging

    @property
    def backdated(self) -> bool:
        return self.entry.local_date != self.today


@dataclass(frozen=True)
class SolveLogged(Logged):
    problem: rules.ProblemRef
    revisit: bool
    summary: SolveSummary


async def log_solve(ctx: MemberContext, curriculum: Curriculum, data: SolveInput) -> SolveLogged:
    ref = rules.parse_problem(data.problem, curriculum)
    rules.in_range("minutes", data.minutes, 1, 600)
    if data.difficulty is not None:
        rules.choice("difficulty", data.difficulty, rules.DIFFICULTIES)
    if ref.difficulty is None and data.difficulty is None:
        raise UserFacingError(
            f"{ref.label} isn't in the roadmap's catalogue — please also set `difficulty`."
        )
    difficulty = ref.difficulty or data.difficulty
    language = rules.choice("language", data.language, rules.LANGUAGES)
    mode = rules.choice("mode", data.mode, rules.MODES)
    notes = rules.clean_text("notes", data.notes, rules.MAX_NOTES) or None
    day = rules.parse_when(data.when, ctx.today)
    pattern = rules.canonical_pattern(data.pattern, curriculum) or ref.pattern
    if pattern is None:
        week = ctx.week_of(day)
        week_patterns = curriculum.weeks[week].patterns if week in curriculum.weeks else []
        pattern = week_patterns[0] if week_patterns else None
    values = {
        "problem_key": ref.key,
        "problem_number": ref.number,
        "problem_slug": ref.slug,
        "problem_title": ref.title,
        "difficulty": difficulty,
        "minutes": data.minutes,
        "language": language,
        "mode": mode,
        "pattern": pattern,
        "text": notes,
    }
    # A solve imported from LeetCode that day is completed with these details instead.
    entry = await complete_imported(ctx, ref.key, day, **values) or await record(
        ctx, EntryKind.SOLVE, day, **values
    )
    summary, entries_of_problem = await summary_for(ctx, curriculum, ref.key)
    return SolveLogged(
        entry=entry,
        streak=await streak_for(ctx),
        today=ctx.today,
        problem=ref,
        revisit=entries_of_problem > 1,
        summary=summary,
    )


async def log_oops(
    ctx: MemberContext,
    curriculum: Curriculum,
    what: str,
    lesson: str,
    problem: str | None = None,
    pattern: str | None = None,
) -> Logged:
    what = rules.clean_text("what", what, rules.MAX_NOTES, required=True)
    lesson = rules.clean_text("lesson", lesson, rules.MAX_NOTES, required=True)
    ref = rules.parse_problem(problem, curriculum) if problem else None
    # The entry and its review ladder land together or not at all: an Oops without its
    # reviews would never come back, and a retry after a failure must not leave two entries.
    try:
        async with in_transaction():
            entry = await record(
                ctx,
                EntryKind.OOPS,
                ctx.today,
                text=what,
                lesson=lesson,
                problem_key=ref.key if ref else None,
                problem_number=ref.number if ref else None,
                problem_slug=ref.slug if ref else None,
                problem_title=ref.title if ref else None,
                pattern=rules.canonical_pattern(pattern, curriculum)
                or (ref.pattern if ref else None),
            )
            await schedule_ladder(entry, ctx.now)
    except STORAGE_ERRORS as exc:
        raise StorageError() from exc
    return Logged(entry, await streak_for(ctx), ctx.today)


async def log_mock(
    ctx: MemberContext,
    kind: str,
    rating: str,
    platform: str | None = None,
    notes: str | None = None,
    when: str | None = None,
) -> Logged:
    kind = rules.choice("kind", kind, rules.MOCK_KINDS)
    rating = rules.choice("rating", rating, rules.RATINGS)
    if platform is not None:
        rules.choice("platform", platform, rules.PLATFORMS)
    notes = rules.clean_text("notes", notes, rules.MAX_NOTES) or None
    day = rules.parse_when(when, ctx.today)
    entry = await record(
        ctx, EntryKind.MOCK, day, mock_kind=kind, rating=rating, platform=platform, text=notes
    )
    return Logged(entry, await streak_for(ctx), ctx.today)


async def log_contest(
    ctx: MemberContext,
    percentile: float,
    name: str | None = None,
    rank: int | None = None,
    solved: int | None = None,
    when: str | None = None,
) -> Logged:
    rules.in_range("percentile", percentile, 0, 100)
    if rank is not None:
        rules.in_range("rank", rank, 1, 1_000_000)
    if solved is not None:
        rules.in_range("solved", solved, 0, 10)
    name = rules.clean_text("name", name, 100) or None
    day = rules.parse_when(when, ctx.today)
    entry = await record(
        ctx,
        EntryKind.CONTEST,
        day,
        percentile=round(percentile, 2),
        contest_name=name,
        rank=rank,
        solved_count=solved,
    )
    return Logged(entry, await streak_for(ctx), ctx.today)


async def log_anki(
    ctx: MemberContext,
    reviewed: int,
    new_cards: int | None = None,
    mature_total: int | None = None,
    when: str | None = None,
) -> Logged:
    rules.in_range("reviewed", reviewed, 0, 5000)
    if new_cards is not None:
        rules.in_range("new_cards", new_cards, 0, 1000)
    if mature_total is not None:
        rules.in_range("mature_total", mature_total, 0, 100_000)
    day = rules.parse_when(when, ctx.today)
    entry = await record(
        ctx,
        EntryKind.ANKI,
        day,
        reviewed=reviewed,
        new_cards=new_cards,
        mature_total=mature_total,
    )
    return Logged(entry, await streak_for(ctx), ctx.today)


async def log_text(ctx: MemberContext, kind: EntryKind, text: str) -> Logged:
    """A Learning Ledger line (📓) or the week's one-line win."""
    option = "text"
    limit = rules.MAX_TEXT if kind is EntryKind.LEDGER else 200
    entry = await record(
        ctx, kind, ctx.today, text=rules.clean_text(option, text, limit, required=True)
    )
    return Logged(entry, await streak_for(ctx), ctx.today)
