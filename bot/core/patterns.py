"""Weak-pattern diagnosis: which of the roadmap's patterns needs work, and why (pure).

Patterns are the catalogue's (``problems.yaml``, named as in :mod:`bot.core.pattern_names`);
the numbers per pattern come from :mod:`bot.core.pattern_data`, and a roadmap problem counts
as solved for its catalogue pattern.

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

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.core.pattern_data import (
    DIFFS,
    OopsRecord,
    PatternData,
    common_words,
    hist_median,
    member_data,
    overall_minutes,
)
from bot.core.pattern_names import canonical_pattern, pattern_of, roadmap_patterns
from bot.core.roadmap import (
    MIN_SAMPLES,
    SolveRecord,
    flags_revisit,
    roadmap_problems,
    typical_minutes,
)
from curriculum.loader import Curriculum

SLOW_RATIO = 1.25


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
        named = [n for n in so_far if pattern_of(curriculum, n) == pattern]
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
        p for p in roadmap_problems(curriculum, week) if pattern_of(curriculum, p) == pattern
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
        overdue_named = [n for n in earlier if pattern_of(curriculum, n) == pattern]
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
