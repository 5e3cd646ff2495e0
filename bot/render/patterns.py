"""How ``/patterns`` reads: the patterns that need work with their reasons, the next problems
for the weakest, then every pattern's numbers.

The ranking is bounded; pattern names and Oops lesson words go through
:func:`bot.render.entries.safe`.
"""

from __future__ import annotations

from bot.core.coach import problem_label
from bot.core.patterns import PatternReport
from bot.core.text import plural
from bot.render.entries import safe
from bot.render.fit import Section, shorten
from curriculum.loader import Curriculum


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}".replace("%", " %")


def _min(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def patterns_sections(report: PatternReport, curriculum: Curriculum) -> list[Section]:
    """``/patterns``: the ranking with reasons, the next problems, then each pattern."""
    sections = []
    if report.needs_work:
        ranking = [f"{i}. {safe(r.reason, 300)}" for i, r in enumerate(report.needs_work, 1)]
    else:
        ranking = ["Nothing stands out so far — no Oops, slow solves or unsolved roadmap problems."]
    sections.append(Section("🛠️ Needs work", ranking, limit=5, more="…and {n} more"))
    weakest = report.weakest
    if weakest is not None:
        picks = [
            f"{shorten(problem_label(k, curriculum), 90)} ({_difficulty(k, curriculum)})"
            for k in report.next_problems
        ] or ["Every problem of this pattern is solved — revisit the ones that were hard."]
        sections.append(Section(f"🎯 Next for {safe(weakest.pattern, 100)}", picks))
    for row in report.rows:
        lines = [
            f"Roadmap **{row.solved}/{row.named}** solved · {row.unique} unique · "
            f"{plural(row.solves, 'solve')} · {_share(row.guided_share)} guided · "
            f"{plural(row.oops, 'Oops', 'Oops')}"
        ]
        times = [
            f"{t.difficulty} **{_min(t.mine)} min** (you {_min(t.overall)} · group {_min(t.group)})"
            for t in row.timings
        ]
        if times:
            lines.append("⏱️ median " + " · ".join(times))
        if row.words:
            lines.append("📝 lessons: " + safe(" · ".join(row.words), 120))
        sections.append(Section(safe(row.pattern, 100), lines))
    return sections


def _difficulty(key: str, curriculum: Curriculum) -> str:
    known = curriculum.problems.get(int(key)) if key.isdigit() else None
    return known.difficulty.value if known else "?"
