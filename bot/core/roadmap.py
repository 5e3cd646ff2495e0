"""Where the roadmap names its problems and deliverables, in roadmap order (pure).

Shared by the coach (``/next``, ``/plan``, ``/patterns``): which problems a week or a block
names, the week a problem first appears in, and a member's typical minutes per difficulty.
"""

from __future__ import annotations

import functools
import statistics
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar, cast

from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAYS
from curriculum.week_schema import Block, Session, Task

SLOTS = ("block_a", "block_b", "session")
# Minutes a problem takes when a member has too few timed solves of its difficulty.
DEFAULT_MINUTES = {"easy": 20, "medium": 35, "hard": 50}
MIN_SAMPLES = 3  # timed solves of a difficulty before "your median" means something
SLOW_FACTOR = 1.5  # a solve "well above your median" takes at least this many times it


F = TypeVar("F", bound=Callable[..., Any])
_MEMO: OrderedDict[int, tuple[Curriculum, dict[tuple[Any, ...], Any]]] = OrderedDict()
_MEMO_CURRICULA = 4  # curricula kept (one in production; tests load a few)


def per_curriculum(fn: F) -> F:
    """Memoise ``fn(curriculum, *args)``: the curriculum is immutable data, so what it names
    is computed once per curriculum object (the cache holds the object, so its id is not
    reused while cached)."""

    @functools.wraps(fn)
    def wrapper(curriculum: Curriculum, *args: Any) -> Any:
        entry = _MEMO.get(id(curriculum))
        if entry is None or entry[0] is not curriculum:
            entry = (curriculum, {})
            _MEMO[id(curriculum)] = entry
            while len(_MEMO) > _MEMO_CURRICULA:
                _MEMO.popitem(last=False)
        key = (fn.__name__, *args)
        if key not in entry[1]:
            entry[1][key] = fn(curriculum, *args)
        return entry[1][key]

    return cast(F, wrapper)


@dataclass(frozen=True, slots=True)
class SolveRecord:
    """One solve entry, as the coach reads it."""

    problem_key: str
    local_date: date
    minutes: int | None = None
    difficulty: str | None = None
    mode: str | None = None
    pattern: str | None = None

    @property
    def number(self) -> int | None:
        return int(self.problem_key) if self.problem_key.isdigit() else None


def block_of(curriculum: Curriculum, week: int, weekday: str, slot: str) -> Block | Session | None:
    day = curriculum.day(week, weekday)
    found: Block | Session | None = getattr(day, slot, None)
    return found


def block_tasks(curriculum: Curriculum, week: int, weekday: str, slot: str) -> list[Task]:
    block = block_of(curriculum, week, weekday, slot)
    return list(block.tasks) if block is not None else []


def _unique(numbers: Iterable[int]) -> tuple[int, ...]:
    return tuple(dict.fromkeys(numbers))


@per_curriculum
def block_problems(curriculum: Curriculum, week: int, weekday: str, slot: str) -> tuple[int, ...]:
    """The problems a block names, in task order."""
    return _unique(p for t in block_tasks(curriculum, week, weekday, slot) for p in t.problems)


@per_curriculum
def day_problems(curriculum: Curriculum, week: int, weekday: str) -> tuple[int, ...]:
    return _unique(p for slot in SLOTS for p in block_problems(curriculum, week, weekday, slot))


@per_curriculum
def week_problems(curriculum: Curriculum, week: int) -> tuple[int, ...]:
    """The problems a week names, in roadmap order (Monday's Block-A first)."""
    if week not in curriculum.weeks:
        return ()
    return _unique(p for day in WEEKDAYS for p in day_problems(curriculum, week, day))


@per_curriculum
def problem_slots(curriculum: Curriculum, week: int) -> dict[int, tuple[str, str]]:
    """Each problem of ``week`` → the (weekday, slot) that first names it (shared: read only)."""
    out: dict[int, tuple[str, str]] = {}
    for day in WEEKDAYS:
        for slot in SLOTS:
            for p in block_problems(curriculum, week, day, slot):
                out.setdefault(p, (day, slot))
    return out


def first_week(curriculum: Curriculum, number: int) -> int | None:
    weeks = curriculum.problem_weeks.get(number)
    return min(weeks) if weeks else None


@per_curriculum
def roadmap_problems(curriculum: Curriculum, upto: int) -> tuple[int, ...]:
    """Every problem named in weeks 1…``upto``, oldest week first (each once)."""
    return _unique(p for w in range(1, upto + 1) for p in week_problems(curriculum, w))


def typical_minutes(solves: Sequence[SolveRecord]) -> dict[str, float | None]:
    """The member's median minutes per difficulty (``None`` below :data:`MIN_SAMPLES`)."""
    out: dict[str, float | None] = {}
    for diff in DEFAULT_MINUTES:
        times = [s.minutes for s in solves if s.difficulty == diff and s.minutes is not None]
        out[diff] = float(statistics.median(times)) if len(times) >= MIN_SAMPLES else None
    return out


def planned_minutes(difficulty: str, typical: dict[str, float | None]) -> int:
    """What to plan for a problem: the member's median, else the default for its difficulty."""
    value = typical.get(difficulty)
    return round(value) if value is not None else DEFAULT_MINUTES.get(difficulty, 35)


def day_text(day: date) -> str:
    """``Tue 2 Feb``."""
    return f"{day:%a} {day.day} {day:%b}"


def flags_revisit(s: SolveRecord, typical: dict[str, float | None]) -> bool:
    """Whether a solve should be done again (see :func:`needs_revisit`), cheaply."""
    if s.mode == "guided":
        return True
    if s.minutes is None or s.difficulty is None:
        return False
    median = typical.get(s.difficulty)
    return median is not None and s.minutes >= SLOW_FACTOR * median


def needs_revisit(s: SolveRecord, typical: dict[str, float | None]) -> str:
    """Why a solve should be done again (``""``: it shouldn't): solved with help (mode
    ``guided``), or at least :data:`SLOW_FACTOR` × the member's median for its difficulty."""
    if s.mode == "guided":
        return f"solved guided on {day_text(s.local_date)}"
    if s.minutes is None or s.difficulty is None:
        return ""
    median = typical.get(s.difficulty)
    if median is not None and s.minutes >= SLOW_FACTOR * median:
        return (
            f"took {s.minutes} min on {day_text(s.local_date)}, your median for "
            f"{s.difficulty} is {median:g}"
        )
    return ""
