"""Cross-file checks of ``mocks.yaml`` against the catalogue and the program.

* every verdict of the milestone vocabulary is there, once, best first;
* one rubric per kind of mock interview, and each feedback-form label fits Discord;
* every catalogue problem a packet may pick (not premium) has hints and a follow-up, and no
  hints are written for a problem the catalogue doesn't have;
* prompt ids are unique and prompts name a week of the program.
"""

from __future__ import annotations

from typing import Any

from curriculum.issues import Issue
from curriculum.mock_schema import FIELD_LABEL_MAX, MOCK_KINDS, VERDICT_IDS, MockMaterial
from curriculum.program_schema import Program

MOCKS = "mocks.yaml"


def _err(path: str, message: str) -> Issue:
    return Issue(MOCKS, path, message, "error")


def check_mock_material(parts: dict[str, Any]) -> list[Issue]:
    material: MockMaterial | None = parts.get("mocks")
    if material is None:
        return []
    program: Program = parts["program"]
    out: list[Issue] = []
    ids = [v.id for v in material.verdicts]
    if ids != list(VERDICT_IDS):
        out.append(
            _err("verdicts", f"verdicts must be {', '.join(VERDICT_IDS)} (best first), once each")
        )
    kinds: list[str] = [r.kind for r in material.rubrics]
    for kind in MOCK_KINDS:
        if kinds.count(kind) != 1:
            out.append(_err("rubrics", f"needs exactly one rubric of kind '{kind}'"))
    for i, rubric in enumerate(material.rubrics):
        label = rubric.score_label(material.scale)
        if len(label) > FIELD_LABEL_MAX:
            out.append(
                _err(
                    f"rubrics[{i}].dimensions",
                    f"the feedback form's label '{label}' is {len(label)} characters; Discord "
                    f"allows {FIELD_LABEL_MAX}: shorten the dimensions' short names",
                )
            )
    catalogue = {p.number: p for p in parts["problems"].problems}
    seen: set[int] = set()
    for i, entry in enumerate(material.problems):
        if entry.number in seen:
            out.append(_err(f"problems[{i}].number", f"problem {entry.number} is listed twice"))
        seen.add(entry.number)
        if entry.number not in catalogue:
            out.append(
                _err(f"problems[{i}].number", f"problem {entry.number} is not in the catalogue")
            )
    for number, problem in sorted(catalogue.items()):
        if not problem.premium and number not in seen:
            out.append(
                _err(
                    "problems",
                    f"catalogue problem {number} ({problem.title}) has no hints and follow-up",
                )
            )
    for key, prompts in (
        ("design_prompts", material.design_prompts),
        ("behavioral_prompts", material.behavioral_prompts),
    ):
        pids = [p.id for p in prompts]
        if len(set(pids)) != len(pids):
            out.append(_err(key, "prompt ids must be unique"))
    for i, design in enumerate(material.design_prompts):
        if design.week > program.weeks:
            out.append(
                _err(
                    f"design_prompts[{i}].week",
                    f"week {design.week} is after the program's last week ({program.weeks})",
                )
            )
    return out
