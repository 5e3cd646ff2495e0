"""What a log entry may contain: option limits, choices and their server-side checks.

The cogs declare the same limits on the slash commands (``Range``, ``Choice``,
``max_length``); Discord enforces them in the client, and these functions check them again
so a crafted request, an import or a test gets the same clear answer. Pure: no database,
no Discord, no clock (``today`` is passed in).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import UserFacingError
from curriculum.loader import Curriculum
from curriculum.problem_schema import Problem

MAX_NOTES = 500
MAX_TEXT = 1000
MAX_BACKDATE_DAYS = 7
MAX_PROBLEM_NUMBER = 4000

DIFFICULTIES = {"easy": "Easy", "medium": "Medium", "hard": "Hard"}
LANGUAGES = {"python": "Python", "cpp": "C++", "other": "Other"}
MODES = {
    "guided": "Guided",
    "unguided": "Unguided",
    "timed": "Timed",
    "contest": "Contest",
    "revisit": "Revisit",
}
MOCK_KINDS = {"dsa": "DS&A", "system_design": "System design", "behavioral": "Behavioral"}
RATINGS = {
    "strong_hire": "Strong Hire",
    "hire": "Hire",
    "lean_hire": "Lean Hire",
    "lean_no_hire": "Lean No Hire",
    "no_hire": "No Hire",
}
RATING_ORDER = list(RATINGS)  # best first
PLATFORMS = {
    "pramp": "Pramp",
    "interviewing_io": "interviewing.io",
    "peer": "Peer",
    "exponent": "Exponent",
    "leetcode": "LeetCode assessment",
    "other": "Other",
}

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_URL_SLUG = re.compile(r"leetcode\.(?:com|cn)/problems/([a-z0-9-]+)")
_CONTROL = {"Cc", "Cf", "Cs", "Co", "Cn"}


def choice(option: str, value: str | None, allowed: dict[str, str]) -> str:
    """``value`` if it is one of ``allowed`` (keys), else a clear error naming the option."""
    if value is None or value not in allowed:
        names = ", ".join(allowed.values())
        raise UserFacingError(f"`{option}` must be one of: {names}.")
    return value


def in_range(option: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise UserFacingError(f"`{option}` must be between {low:g} and {high:g}.")


def clean_text(option: str, value: str | None, max_len: int, *, required: bool = False) -> str:
    """Strip invisible/control characters (newlines stay) and check the length.

    Mentions are kept as typed: every message the bot sends disables mentions instead.
    """
    text = "".join(
        ch for ch in (value or "") if ch in "\n\t" or unicodedata.category(ch) not in _CONTROL
    ).strip()
    if required and not text:
        raise UserFacingError(f"`{option}` can't be empty.")
    if len(text) > max_len:
        raise UserFacingError(f"`{option}` can be at most {max_len} characters.")
    return text


def parse_when(value: str | None, today: date) -> date:
    """today (default), yesterday, or an ISO date up to seven days back, never the future."""
    raw = (value or "today").strip().lower()
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise UserFacingError(
            "`when` must be `today`, `yesterday` or a date like "
            f"`{(today - timedelta(days=2)).isoformat()}` (up to {MAX_BACKDATE_DAYS} days back)."
        ) from None
    if day > today:
        raise UserFacingError("`when` can't be in the future.")
    if day < today - timedelta(days=MAX_BACKDATE_DAYS):
        raise UserFacingError(f"`when` can be at most {MAX_BACKDATE_DAYS} days back.")
    return day


def when_choices(today: date) -> list[tuple[str, str]]:
    """(label, value) pairs for the ``when`` autocomplete: today, yesterday, then dates."""
    out = [("today", "today"), ("yesterday", "yesterday")]
    for back in range(2, MAX_BACKDATE_DAYS + 1):
        day = today - timedelta(days=back)
        out.append((f"{day:%a %d %b} ({back} days ago)", day.isoformat()))
    return out


@dataclass(frozen=True)
class ProblemRef:
    """A problem as a member named it: catalogue entry, bare number, or unknown slug."""

    key: str  # the unique-problem key: the number, or the slug when no number is known
    number: int | None
    slug: str | None
    title: str | None
    difficulty: str | None  # known from the catalogue, else None
    pattern: str | None

    @property
    def label(self) -> str:
        if self.number is not None:
            return f"#{self.number} {self.title}" if self.title else f"#{self.number}"
        return self.slug or self.key


def _from_catalogue(problem: Problem) -> ProblemRef:
    return ProblemRef(
        key=str(problem.number),
        number=problem.number,
        slug=problem.slug,
        title=problem.title,
        difficulty=problem.difficulty.value,
        pattern=problem.pattern,
    )


def parse_problem(value: str, curriculum: Curriculum) -> ProblemRef:
    """A LeetCode number (``347``, ``#347``), slug or problem URL."""
    raw = value.strip().lower()
    match = _URL_SLUG.search(raw)
    if match:
        raw = match.group(1)
    raw = raw.removeprefix("#").removeprefix("lc").strip()
    if raw.isascii() and raw.isdigit():
        number = int(raw)
        if not 1 <= number <= MAX_PROBLEM_NUMBER:
            raise UserFacingError(f"`problem` must be a number from 1 to {MAX_PROBLEM_NUMBER}.")
        known = curriculum.problems.get(number)
        if known is not None:
            return _from_catalogue(known)
        return ProblemRef(str(number), number, None, None, None, None)
    if _SLUG.match(raw) and len(raw) <= 100:
        for problem in curriculum.problems.values():
            if problem.slug == raw:
                return _from_catalogue(problem)
        return ProblemRef(raw, None, raw, None, None, None)
    raise UserFacingError(
        "`problem` must be a LeetCode number (e.g. `347`), a slug "
        "(e.g. `top-k-frequent-elements`) or a problem link."
    )


def problem_choices(query: str, curriculum: Curriculum, week: int | None) -> list[tuple[str, str]]:
    """Up to 25 (label, value) choices: this week's problems first, by number or title."""
    q = query.strip().lower().removeprefix("#")
    this_week = set()
    if week is not None:
        this_week = {n for n, weeks in curriculum.problem_weeks.items() if week in weeks}

    def matches(p: Problem) -> bool:
        return not q or str(p.number).startswith(q) or q in p.title.lower() or q in p.slug

    ranked = sorted(
        (p for p in curriculum.problems.values() if matches(p)),
        key=lambda p: (p.number not in this_week, not str(p.number).startswith(q), p.number),
    )
    out = []
    for p in ranked[:25]:
        star = "★ " if p.number in this_week else ""
        out.append((f"{star}{p.number}. {p.title} ({p.difficulty.value})"[:100], str(p.number)))
    if (
        q.isascii()
        and q.isdigit()
        and not any(v == q for _, v in out)
        and 1 <= int(q) <= MAX_PROBLEM_NUMBER
    ):
        out = [(f"#{q} (not in the roadmap — set difficulty)", q), *out][:25]
    return out


def pattern_choices(query: str, curriculum: Curriculum, week: int | None) -> list[str]:
    """Up to 25 curriculum patterns matching ``query``, the week's own first."""
    q = query.strip().lower()
    first = curriculum.weeks[week].patterns if week in curriculum.weeks else []
    ordered = list(dict.fromkeys([*first, *curriculum.patterns]))
    return [p for p in ordered if q in p.lower()][:25]


def canonical_pattern(value: str | None, curriculum: Curriculum) -> str | None:
    """A curriculum pattern name when ``value`` names one (any case), else the cleaned text."""
    text = clean_text("pattern", value, 100)
    if not text:
        return None
    for known in curriculum.patterns:
        if known.lower() == text.lower():
            return known
    return text
