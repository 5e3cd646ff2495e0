"""Weak-pattern diagnosis: which of the roadmap's patterns needs work, and why (pure).

Patterns are the catalogue's (``problems.yaml``): each roadmap problem belongs to one. A solve
or an Oops counts for the pattern it was logged with (by default the problem's; the week's
pattern names such as "Sliding Window" map to the catalogue pattern that holds them), and a
roadmap problem counts as solved for its catalogue pattern.

A pattern "needs work" when it has weak signs, scored and explained in this order:

* each Oops about it (1 point each);
* a median solve time at least :data:`SLOW_RATIO` × the comparison — the group's median for
  that pattern and difficulty when at least :data:`MIN_SAMPLES` group solves have times, else
  the member's own median for the difficulty — (4 points per 100 % above it);
* roadmap problems of earlier weeks still unsolved (1 point each);
* at least half of its solves guided, with two or more solves (2 points × the share).

The group's weakest pattern (weekly recap) uses the same signs per member on average, with
the group's own medians across patterns as the comparison.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.roadmap import (
    MIN_SAMPLES,
    SolveRecord,
    flags_revisit,
    per_curriculum,
    roadmap_problems,
    typical_minutes,
    week_problems,
)
from curriculum.loader import Curriculum

SLOW_RATIO = 1.25
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


def canonical_pattern(name: str | None, curriculum: Curriculum) -> str | None:
    """The catalogue pattern a logged pattern name stands for (``None``: not a roadmap one)."""
    if not name:
        return None
    return _canonical(curriculum, name.strip().lower())


@per_curriculum
def _canonical(curriculum: Curriculum, lowered: str) -> str | None:
    catalogue = _catalogue_patterns(curriculum)
    for p in catalogue:
        if p.lower() == lowered:
            return p
    for week in sorted(curriculum.weeks):
        if any(w.lower() == lowered for w in curriculum.weeks[week].patterns):
            # the week's own problems decide: the pattern most of them have that names it
            own = Counter(
                p
                for n in week_problems(curriculum, week)
                if lowered in (p := curriculum.problems[n].pattern).lower()
            )
            if own:
                return own.most_common(1)[0][0]
    for p in catalogue:
        if lowered in p.lower():
            return p
    return None


@per_curriculum
def _catalogue_patterns(curriculum: Curriculum) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.pattern for p in curriculum.problems.values()))


@per_curriculum
def roadmap_patterns(curriculum: Curriculum, week: int) -> list[str]:
    """The catalogue patterns of problems named in weeks 1…``week``, by first appearance."""
    return list(
        dict.fromkeys(curriculum.problems[n].pattern for n in roadmap_problems(curriculum, week))
    )


# -- per-pattern numbers ---------------------------------------------------------------------
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


# -- diagnosis -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Timing:
    difficulty: str
    mine: float | None  # this pattern's median
    overall: float | None  # the member's median for the difficulty, all patterns
    group: float | None  # the group's median for this pattern and difficulty


@dataclass(frozen=True)
class PatternRow:
    pattern: str
    named: int  # roadmap problems of this pattern named so far
    solved: int  # … of which solved
    unique: int  # unique problems logged under this pattern
    solves: int
    timings: tuple[Timing, ...]
    guided_share: float | None
    oops: int
    words: tuple[str, ...]
    overdue: int  # roadmap problems of earlier weeks still unsolved
    score: float
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """``Sliding Window: 3 Oops, median 31 min vs 18 for the group``."""
        return f"{self.pattern}: {', '.join(self.reasons)}" if self.reasons else self.pattern


@dataclass(frozen=True)
class PatternReport:
    week: int
    rows: tuple[PatternRow, ...]  # roadmap order
    needs_work: tuple[PatternRow, ...]  # weakest first
    next_problems: tuple[str, ...]  # up to 3 problem keys for the weakest

    @property
    def weakest(self) -> PatternRow | None:
        return self.needs_work[0] if self.needs_work else None


def _slowness(
    timings: Sequence[Timing], group_label: str, own_label: str
) -> tuple[float, str | None]:
    """The worst slowness (points, reason) over the difficulties."""
    best: tuple[float, str | None] = (0.0, None)
    for t in timings:
        if t.mine is None:
            continue
        base, label = (t.group, group_label) if t.group is not None else (t.overall, own_label)
        if base is None or base <= 0:
            continue
        ratio = t.mine / base
        if ratio >= SLOW_RATIO:
            points = 4 * (ratio - 1)
            text = f"median {t.mine:g} min vs {base:g} {label} ({t.difficulty})"
            if points > best[0]:
                best = (points, text)
    return best


def _score(
    oops: float,
    slow: tuple[float, str | None],
    overdue: float,
    guided: float | None,
    solves: int,
    *,
    oops_text: str,
    overdue_text: str,
) -> tuple[float, tuple[str, ...]]:
    score = 0.0
    reasons: list[str] = []
    if oops > 0:
        score += oops
        reasons.append(oops_text)
    if slow[1] is not None:
        score += slow[0]
        reasons.append(slow[1])
    if overdue > 0:
        score += overdue
        reasons.append(overdue_text)
    if guided is not None and guided >= 0.5 and solves >= 2:
        score += 2 * guided
        reasons.append(f"{guided:.0%} guided".replace("%", " %"))
    return round(score, 3), tuple(reasons)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def diagnose(
    curriculum: Curriculum,
    week: int,
    solves: Sequence[SolveRecord],
    oops: Sequence[OopsRecord],
    group: Mapping[str, Mapping[str, Counter[int]]] | None = None,
) -> PatternReport:
    """A member's patterns so far (``group``: pattern → difficulty → the cohort's minutes)."""
    data = member_data(curriculum, solves, oops)
    own = overall_minutes(data.values())
    solved = {s.problem_key for s in solves}
    rows = []
    so_far = roadmap_problems(curriculum, week)
    earlier = set(roadmap_problems(curriculum, week - 1))
    for pattern in roadmap_patterns(curriculum, week):
        d = data.get(pattern, PatternData())
        named = [n for n in so_far if _pattern_of(curriculum, n) == pattern]
        overdue = sum(1 for n in named if n in earlier and str(n) not in solved)
        timings = tuple(
            Timing(
                diff,
                hist_median(d.minutes.get(diff)),
                hist_median(own.get(diff)),
                _group_median(group, pattern, diff),
            )
            for diff in DIFFS
            if d.minutes.get(diff)
        )
        guided = d.guided / d.solves if d.solves else None
        score, reasons = _score(
            d.oops,
            _slowness(timings, "for the group", "your usual"),
            overdue,
            guided,
            d.solves,
            oops_text=f"{d.oops} Oops",
            overdue_text=f"{overdue} roadmap problem{'s' if overdue != 1 else ''} unsolved",
        )
        rows.append(
            PatternRow(
                pattern=pattern,
                named=len(named),
                solved=sum(1 for n in named if str(n) in solved),
                unique=len(d.keys),
                solves=d.solves,
                timings=timings,
                guided_share=guided,
                oops=d.oops,
                words=common_words(d.lessons),
                overdue=overdue,
                score=score,
                reasons=reasons,
            )
        )
    needs = _ranked(rows)
    nxt = next_problems(curriculum, week, needs[0].pattern, solves) if needs else ()
    return PatternReport(week, tuple(rows), needs, nxt)


def _ranked(rows: Sequence[PatternRow]) -> tuple[PatternRow, ...]:
    order = {r.pattern: i for i, r in enumerate(rows)}
    return tuple(
        sorted((r for r in rows if r.score > 0), key=lambda r: (-r.score, order[r.pattern]))
    )


def _pattern_of(curriculum: Curriculum, number: int) -> str | None:
    problem = curriculum.problems.get(number)
    return problem.pattern if problem else None


def _group_median(
    group: Mapping[str, Mapping[str, Counter[int]]] | None, pattern: str, diff: str
) -> float | None:
    if group is None:
        return None
    hist = group.get(pattern, {}).get(diff)
    if not hist or sum(hist.values()) < MIN_SAMPLES:
        return None
    return hist_median(hist)


def next_problems(
    curriculum: Curriculum, week: int, pattern: str, solves: Sequence[SolveRecord], n: int = 3
) -> tuple[str, ...]:
    """Up to ``n`` problems for ``pattern``: the roadmap's so far, then the catalogue's, then
    revisits of ones solved guided or slowly."""
    solved = {s.problem_key for s in solves}
    picks: list[str] = []
    roadmap = [
        p for p in roadmap_problems(curriculum, week) if _pattern_of(curriculum, p) == pattern
    ]
    catalogue = sorted(p.number for p in curriculum.problems.values() if p.pattern == pattern)
    for number in [*roadmap, *catalogue]:
        key = str(number)
        if key not in solved and key not in picks:
            picks.append(key)
    if len(picks) < n:  # then revisits, by the same rule as /next's
        typical = typical_minutes(solves)
        for s in solves:
            if (
                canonical_pattern(s.pattern, curriculum) == pattern
                and s.problem_key not in picks
                and flags_revisit(s, typical)
            ):
                picks.append(s.problem_key)
    return tuple(picks[:n])


# -- the group (weekly recap) ------------------------------------------------------------------
@dataclass(frozen=True)
class GroupPattern:
    pattern: str
    score: float
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        return f"{self.pattern}: {', '.join(self.reasons)}" if self.reasons else self.pattern


def group_weakest(
    curriculum: Curriculum,
    week: int,
    members: int,
    data: Mapping[str, PatternData],
    solvers: Mapping[str, int],
) -> GroupPattern | None:
    """The group's weakest pattern: the same signs per member on average.

    ``data``: pooled numbers per pattern; ``solvers``: problem key → members who solved it.
    """
    if members <= 0:
        return None
    overall = overall_minutes(data.values())
    earlier = roadmap_problems(curriculum, week - 1)
    found = []
    for i, pattern in enumerate(roadmap_patterns(curriculum, week)):
        d = data.get(pattern, PatternData())
        overdue_named = [n for n in earlier if _pattern_of(curriculum, n) == pattern]
        unsolved = sum(members - min(members, solvers.get(str(n), 0)) for n in overdue_named)
        avg_unsolved = unsolved / members
        oops = d.oops / members
        timings = tuple(
            Timing(diff, hist_median(d.minutes.get(diff)), hist_median(overall.get(diff)), None)
            for diff in DIFFS
            if d.minutes.get(diff)
            and sum(d.minutes[diff].values()) >= MIN_SAMPLES
            and sum(overall.get(diff, Counter()).values()) >= MIN_SAMPLES
        )
        guided = d.guided / d.solves if d.solves else None
        score, reasons = _score(
            oops,
            _slowness(timings, "overall", "overall"),
            avg_unsolved,
            guided,
            d.solves,
            oops_text=f"{_fmt(oops)} Oops per member",
            overdue_text=f"{_fmt(avg_unsolved)} roadmap problems unsolved per member",
        )
        if score > 0:
            found.append((-score, i, GroupPattern(pattern, score, reasons)))
    return min(found)[2] if found else None
