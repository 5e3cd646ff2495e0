"""The roadmap's "Final Program Checklist", row by row, judged from a milestone result (pure).

Each row of ``program.final_checklist`` links the criteria that judge it (by id); the final
milestone (``targets.yaml``, id ``final``) holds those criteria. :func:`final_checklist`
pairs each row with the member's results for its criteria, in the checklist's order, so a
renderer can show "Job Outreach · ≥ 10 applications … — 7 / ≥ 10 ❌" without knowing the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.stats import CriterionResult, MilestoneResult
from curriculum.program_schema import Program
from curriculum.target_schema import Milestone


@dataclass(frozen=True)
class ChecklistRowResult:
    section: str  # "Job Outreach"
    target: str  # "≥ 10 applications w/ referrals/contact emails" (the roadmap's words)
    results: tuple[CriterionResult, ...]  # the row's criteria, in the row's order

    @property
    def judged(self) -> bool:
        """Whether any criterion judges this row (an unlinked row is never done)."""
        return bool(self.results)

    @property
    def done(self) -> bool:
        """☑ when every criterion of the row holds."""
        return self.judged and all(r.ok for r in self.results)

    @property
    def passed(self) -> int:
        return sum(r.ok for r in self.results)


def final_checklist(program: Program, result: MilestoneResult) -> list[ChecklistRowResult]:
    """Every checklist row with ``result``'s outcome of each criterion the row links.

    ``result`` is the evaluation of the milestone that holds the rows' criteria (see
    :func:`checklist_milestone`); criteria ``result`` does not hold are left out of a row.
    """
    by_id = {r.criterion.id: r for r in result.results}
    return [
        ChecklistRowResult(
            section=row.section,
            target=row.target,
            results=tuple(by_id[c] for c in row.criteria if c in by_id),
        )
        for row in program.final_checklist
    ]


def checklist_milestone(program: Program, milestones: Sequence[Milestone]) -> Milestone | None:
    """The milestone whose criteria the checklist rows link (the final one), if any."""
    linked = {c for row in program.final_checklist for c in row.criteria}
    for milestone in sorted(milestones, key=lambda m: m.week, reverse=True):
        if any(c.id in linked for c in milestone.criteria):
            return milestone
    return None
