"""How a milestone check reads for one member: the verdict, then each criterion's value
against what the roadmap needs, or the Final Program Checklist row by row where the program
links its rows to the final milestone's criteria.

Used by ``/milestones``, a member's own recap (:mod:`bot.render.member_recap`) and the
channel recap (:mod:`bot.render.channel_recap`), which also share :func:`tick`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.checklist import ChecklistRowResult, final_checklist
from bot.core.stats import CriterionResult, MilestoneResult, metric_text, need_text, verdict_text
from bot.render.fit import Section, shorten
from curriculum.program_schema import Program


def tick(flag: bool | None) -> str:
    """✅ / ❌, or ``—`` when nothing was due."""
    if flag is None:
        return "—"
    return "✅" if flag else "❌"


def criterion_line(r: CriterionResult) -> str:
    """``✅ LeetCode solved: 14 — **28** / ≥ 14``: the roadmap's words, value against need."""
    c = r.criterion
    value = metric_text(r.value, c.metric)
    return f"{tick(r.ok)} {shorten(c.label, 120)} — **{value}** / {need_text(c)}"


def milestone_head(result: MilestoneResult, *, due: bool) -> str:
    m = result.milestone
    return f"**{shorten(m.title, 100)}** (week {m.week}) — {verdict_text(result, due=due)}"


def milestone_lines(result: MilestoneResult, *, due: bool) -> list[str]:
    """One milestone for one member: its verdict, then one criterion per line."""
    return [milestone_head(result, due=due), *(criterion_line(r) for r in result.results)]


def checklist_lines(rows: Sequence[ChecklistRowResult]) -> list[str]:
    """The Final Program Checklist as the roadmap writes it: each row, then its criteria."""
    lines = []
    for row in rows:
        mark = "☑" if row.done else "☐"
        count = f" — {row.passed}/{len(row.results)}" if row.judged else ""
        lines.append(f"{mark} **{shorten(row.section, 60)}** · {shorten(row.target, 160)}{count}")
        lines += [f"　{criterion_line(r)}" for r in row.results]
    return lines


def milestone_section(
    result: MilestoneResult, *, due: bool, name: str, program: Program | None = None
) -> Section:
    """A member's milestone; the final checklist row by row when ``program`` links it."""
    rows = final_checklist(program, result) if program is not None else []
    if any(row.judged for row in rows):
        return Section(name, [milestone_head(result, due=due), *checklist_lines(rows)])
    return Section(name, milestone_lines(result, due=due))
