"""Pattern names: which catalogue pattern a logged pattern name stands for (pure).

Patterns are the catalogue's (``problems.yaml``): each roadmap problem belongs to one. A solve
or an Oops is logged with a pattern name (by default the problem's); the week's pattern names
such as "Sliding Window" map to the catalogue pattern that holds them.
"""

from __future__ import annotations

from collections import Counter

from bot.core.roadmap import per_curriculum, roadmap_problems, week_problems
from curriculum.loader import Curriculum


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


def pattern_of(curriculum: Curriculum, number: int) -> str | None:
    """The catalogue pattern of problem ``number`` (``None``: not in the catalogue)."""
    problem = curriculum.problems.get(number)
    return problem.pattern if problem else None
