"""A member's (or the group's pooled) numbers per catalogue pattern (pure).

Solves and Oops count for the catalogue pattern their logged name stands for
(:func:`bot.core.pattern_names.canonical_pattern`); per pattern this keeps minutes histograms
per difficulty, solve, guided and Oops counts, the unique problems and the Oops lessons, whose
most common words :func:`common_words` picks. :mod:`bot.core.patterns` diagnoses from them.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.core.pattern_names import canonical_pattern
from bot.core.roadmap import SolveRecord
from curriculum.loader import Curriculum

DIFFS = ("easy", "medium", "hard")
WORDS = 3  # most common lesson words shown per pattern
_STOP_TEXT = """a an the and or but if then else of to in on at by for with from into onto over
    under
    is are was were be been being it its this that these those there here as so not no nor
    do does did done doing have has had i me my we our you your he she they them their
    what when where which who why how all any each every both few more most other some such
    only own same than too very can will just should would could may might must also always
    never don dont didn didnt isn isnt wasn use used using get got make made need needs one
    two first last before after again still even"""
STOPWORDS = frozenset(_STOP_TEXT.split())
_WORD = re.compile(r"[a-z][a-z0-9+#'-]{2,}")


@dataclass(frozen=True)
class OopsRecord:
    pattern: str | None
    lesson: str


@dataclass
class PatternData:
    """A member's (or the group's pooled) numbers for one pattern."""

    minutes: dict[str, Counter[int]] = field(default_factory=dict)  # difficulty → histogram
    solves: int = 0
    guided: int = 0
    oops: int = 0
    keys: set[str] = field(default_factory=set)  # unique problems (members only)
    lessons: list[str] = field(default_factory=list)  # Oops lessons (members only)

    def add_minutes(self, difficulty: str | None, minutes: int | None, n: int = 1) -> None:
        if difficulty in DIFFS and minutes is not None:
            hist = self.minutes.get(difficulty)
            if hist is None:
                hist = self.minutes[difficulty] = Counter()
            hist[minutes] += n


def hist_median(hist: Counter[int] | None) -> float | None:
    if not hist:
        return None
    return float(statistics.median(hist.elements()))


def member_data(
    curriculum: Curriculum, solves: Iterable[SolveRecord], oops: Iterable[OopsRecord]
) -> dict[str, PatternData]:
    """A member's numbers per catalogue pattern."""
    out: dict[str, PatternData] = {}
    for s in solves:
        pattern = canonical_pattern(s.pattern, curriculum)
        if pattern is None:
            continue
        d = out.setdefault(pattern, PatternData())
        d.solves += 1
        d.guided += s.mode == "guided"
        d.keys.add(s.problem_key)
        d.add_minutes(s.difficulty, s.minutes)
    for o in oops:
        pattern = canonical_pattern(o.pattern, curriculum)
        if pattern is not None:
            d = out.setdefault(pattern, PatternData())
            d.oops += 1
            d.lessons.append(o.lesson)
    return out


def overall_minutes(data: Iterable[PatternData]) -> dict[str, Counter[int]]:
    """Minutes histograms per difficulty across patterns."""
    out: dict[str, Counter[int]] = {}
    for d in data:
        for diff, hist in d.minutes.items():
            out.setdefault(diff, Counter()).update(hist)
    return out


def common_words(lessons: Iterable[str], n: int = WORDS) -> tuple[str, ...]:
    """The ``n`` most common meaningful words of the lessons (ties alphabetical)."""
    counts: Counter[str] = Counter()
    for lesson in lessons:
        counts.update(w.strip("'-") for w in _WORD.findall(lesson.lower()) if w not in STOPWORDS)
    counts.pop("", None)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(w for w, _ in ranked[:n])
