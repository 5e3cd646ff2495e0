"""Cross-file checks of the curriculum: errors stop loading, warnings are reported.

Single files are validated by the pydantic models; this module checks what no single file
can: weeks contiguous and inside their phase, every referenced problem and deliverable
exists, and where the roadmap contradicts itself (targets that disagree or jump).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from curriculum.issues import Issue
from curriculum.mock_checks import check_mock_material
from curriculum.program_schema import Program
from curriculum.schema import WEEKDAYS
from curriculum.target_checks import check_targets
from curriculum.target_schema import Criterion, Metric, Targets
from curriculum.week_schema import Deliverable, Week

WEEKDAY_KEYS = WEEKDAYS[:5]
WEEKEND_KEYS = WEEKDAYS[5:]
WEEKEND_MINUTES = 180  # "3 hr total on weekends"
PROGRAM = "program.yaml"
TARGETS = "targets.yaml"
PROBLEMS = "problems.yaml"


def _err(file: str, path: str, message: str) -> Issue:
    return Issue(file, path, message, "error")


def _warn(file: str, path: str, message: str) -> Issue:
    return Issue(file, path, message, "warning")


def _iter_tasks(week: Week) -> Iterator[tuple[str, Any]]:
    for day_key in WEEKDAYS:
        day = week.days.get(day_key)  # type: ignore[call-overload]
        if day is None:
            continue
        for slot in ("block_a", "block_b", "session"):
            block = getattr(day, slot)
            if block is None:
                continue
            for i, task in enumerate(block.tasks):
                yield f"days.{day_key}.{slot}.tasks[{i}]", task


def cross_check(parts: dict[str, Any]) -> list[Issue]:
    """Check the loaded parts against each other; returns errors and warnings."""
    program: Program = parts["program"]
    targets: Targets = parts["targets"]
    weeks: dict[int, tuple[str, Week]] = parts["weeks"]
    problems = {p.number for p in parts["problems"].problems}
    issues: list[Issue] = []
    issues += _check_catalogue(parts)
    issues += _check_phases(program)
    issues += _check_weeks(program, weeks, problems)
    deliverables = _deliverable_index(weeks, issues)
    issues += _check_program_refs(program, weeks, targets)
    # A missing week is reported once, not again for each deliverable it would define.
    complete = all(n in weeks for n in range(1, program.weeks + 1))
    issues += _check_milestones(program, targets, deliverables, complete)
    if complete:
        issues += _check_counts(targets, deliverables, _scheduled(weeks))
    issues += check_targets(program, targets)
    issues += check_mock_material(parts)
    return issues


def _check_catalogue(parts: dict[str, Any]) -> list[Issue]:
    out: list[Issue] = []
    seen: dict[int, int] = {}
    slugs: dict[str, int] = {}
    for i, p in enumerate(parts["problems"].problems):
        if p.number in seen:
            out.append(
                _err(PROBLEMS, f"problems[{i}].number", f"problem {p.number} is listed twice")
            )
        seen[p.number] = i
        if p.slug in slugs:
            out.append(_err(PROBLEMS, f"problems[{i}].slug", f"slug '{p.slug}' is used twice"))
        slugs[p.slug] = i
    return out


def _check_phases(program: Program) -> list[Issue]:
    out: list[Issue] = []
    expected_start = 1
    for i, phase in enumerate(sorted(program.phases, key=lambda p: p.weeks[0])):
        if phase.weeks[0] != expected_start:
            out.append(
                _err(
                    PROGRAM,
                    f"phases[{i}].weeks",
                    f"phase {phase.number} starts at week {phase.weeks[0]}, "
                    f"expected week {expected_start}",
                )
            )
        expected_start = phase.weeks[1] + 1
    if expected_start - 1 != program.weeks:
        out.append(
            _err(
                PROGRAM,
                "phases",
                f"phases end at week {expected_start - 1}, program has {program.weeks} weeks",
            )
        )
    numbers = [p.number for p in program.phases]
    if len(set(numbers)) != len(numbers):
        out.append(_err(PROGRAM, "phases", "phase numbers are not unique"))
    return out


def _check_weeks(
    program: Program, weeks: dict[int, tuple[str, Week]], problems: set[int]
) -> list[Issue]:
    out: list[Issue] = []
    for n in range(1, program.weeks + 1):
        if n not in weeks:
            out.append(_err(f"weeks/week-{n:02d}.yaml", "", f"week {n} is missing"))
    phase_of = {}
    for phase in program.phases:
        for w in range(phase.weeks[0], phase.weeks[1] + 1):
            phase_of[w] = phase.number
    for n, (rel, week) in sorted(weeks.items()):
        if n > program.weeks:
            out.append(
                _err(rel, "number", f"week {n} is after the program's last week {program.weeks}")
            )
        elif phase_of.get(n) != week.phase:
            out.append(
                _err(rel, "phase", f"week {n} is in phase {phase_of.get(n)}, not {week.phase}")
            )
        for key in WEEKDAY_KEYS:
            day = week.days[key]  # type: ignore[index]
            for slot, label in (("block_a", "Block-A"), ("block_b", "Block-B")):
                if getattr(day, slot) is None:
                    out.append(_err(rel, f"days.{key}", f"a weekday needs {label}"))
        for key in WEEKEND_KEYS:
            day = week.days[key]  # type: ignore[index]
            if day.session is None and (day.block_a is None or day.block_b is None):
                out.append(
                    _err(rel, f"days.{key}", "a weekend day needs a session or Block-A and Block-B")
                )
        own = {d.id for d in week.deliverables}
        for path, task in _iter_tasks(week):
            for j, number in enumerate(task.problems):
                if number not in problems:
                    out.append(_err(rel, f"{path}.problems[{j}]", f"unknown problem {number}"))
            for j, ident in enumerate(task.deliverables):
                if ident not in own:
                    out.append(
                        _err(rel, f"{path}.deliverables[{j}]", f"unknown deliverable '{ident}'")
                    )
        for key in WEEKEND_KEYS:
            day = week.days[key]  # type: ignore[index]
            session = day.session
            if session is not None:
                split = sum(t.minutes or 0 for t in session.tasks)
                if split > session.minutes:
                    out.append(
                        _warn(
                            rel,
                            f"days.{key}.session",
                            f"parts add up to {split} min, "
                            f"more than the {session.minutes}-min session",
                        )
                    )
            elif day.block_a is not None and day.block_b is not None:
                total = day.block_a.minutes + day.block_b.minutes
                if total > WEEKEND_MINUTES:
                    out.append(
                        _warn(
                            rel,
                            f"days.{key}",
                            f"Block-A and Block-B add up to {total} min, "
                            f"more than the weekend's {WEEKEND_MINUTES} min",
                        )
                    )
    return out


def _deliverable_index(
    weeks: dict[int, tuple[str, Week]], issues: list[Issue]
) -> dict[str, Deliverable]:
    """Deliverable id → deliverable, in week order; duplicate ids across weeks are errors."""
    index: dict[str, Deliverable] = {}
    for _, (rel, week) in sorted(weeks.items()):
        for i, d in enumerate(week.deliverables):
            if d.id in index:
                issues.append(
                    _err(rel, f"deliverables[{i}].id", f"deliverable '{d.id}' is defined twice")
                )
            index[d.id] = d
    return index


def _scheduled(weeks: dict[int, tuple[str, Week]]) -> set[str]:
    """The deliverables some day's task produces."""
    return {
        i for _, (_, week) in weeks.items() for _, t in _iter_tasks(week) for i in t.deliverables
    }


def _check_program_refs(
    program: Program, weeks: dict[int, tuple[str, Week]], targets: Targets
) -> list[Issue]:
    out: list[Issue] = []
    for i, rhythm in enumerate(program.rhythms):
        if rhythm.weeks[1] > program.weeks:
            out.append(
                _err(PROGRAM, f"rhythms[{i}].weeks", f"week {rhythm.weeks[1]} does not exist")
            )
    if program.micro_routine and program.micro_routine.from_week > program.weeks:
        out.append(_err(PROGRAM, "micro_routine.from_week", "week does not exist"))
    final_ids = {c.id for m in targets.milestones for c in m.criteria}
    for i, row in enumerate(program.final_checklist):
        if not row.criteria:
            out.append(
                _warn(
                    PROGRAM,
                    f"final_checklist[{i}]",
                    f'row "{row.section}" links no criterion, so nothing judges it',
                )
            )
        for j, ident in enumerate(row.criteria):
            if ident not in final_ids:
                out.append(
                    _err(
                        PROGRAM,
                        f"final_checklist[{i}].criteria[{j}]",
                        f"unknown criterion '{ident}'",
                    )
                )
    return out


def _check_milestones(
    program: Program, targets: Targets, deliverables: dict[str, Deliverable], complete: bool
) -> list[Issue]:
    """Milestone and criterion ids, weeks, and (``complete``: all weeks loaded) deliverables."""
    out: list[Issue] = []
    ids: set[str] = set()
    criterion_ids: set[str] = set()
    categories = {d.category for d in deliverables.values()}
    for i, milestone in enumerate(targets.milestones):
        if milestone.week > program.weeks:
            out.append(
                _err(TARGETS, f"milestones[{i}].week", f"week {milestone.week} does not exist")
            )
        if milestone.id in ids:
            out.append(
                _err(TARGETS, f"milestones[{i}].id", f"milestone '{milestone.id}' is defined twice")
            )
        ids.add(milestone.id)
        for j, crit in enumerate(milestone.criteria):
            path = f"milestones[{i}].criteria[{j}]"
            if crit.id in criterion_ids:
                out.append(_err(TARGETS, f"{path}.id", f"criterion '{crit.id}' is defined twice"))
            criterion_ids.add(crit.id)
            refs = [("params.item", crit.params.item)] if crit.params.item else []
            refs += [(f"params.items[{k}]", item) for k, item in enumerate(crit.params.items)]
            for where, item in refs:
                if complete and item not in deliverables:
                    out.append(_err(TARGETS, f"{path}.{where}", f"unknown deliverable '{item}'"))
            wanted = [crit.params.category] if crit.params.category else []
            wanted += crit.params.categories
            for category in wanted:
                if complete and category not in categories:
                    out.append(
                        _warn(
                            TARGETS,
                            f"{path}.params",
                            f"no week has a deliverable of category '{category.value}' to tick",
                        )
                    )
    return out


def _count_bound(crit: Criterion, counted: list[Deliverable]) -> tuple[float, str]:
    """The most a count criterion can reach with the data's deliverables, and why."""
    if crit.metric is Metric.DELIVERABLE_DONE:
        return len(counted), f"'{crit.params.item}' is ticked once"
    if crit.metric is Metric.DELIVERABLES:
        category = crit.params.category.value if crit.params.category else ""
        return len(counted), f"{_n(len(counted), 'deliverable')} of category '{category}'"
    if any(d.countable for d in counted):
        return math.inf, "a countable item"
    listed = set(crit.params.items)
    by_category = sum(1 for d in counted if d.id not in listed)
    parts = (
        [
            f"{_n(by_category, 'deliverable')} of category "
            + " / ".join(f"'{c.value}'" for c in crit.params.categories)
        ]
        if crit.params.categories
        else []
    )
    if listed:
        parts.append(_n(len(counted) - by_category, "listed item"))
    return len(counted), " + ".join(parts)


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _check_counts(
    targets: Targets, deliverables: dict[str, Deliverable], scheduled: set[str]
) -> list[Issue]:
    """A count no member can reach is an error; one that needs unscheduled items, a warning."""
    out: list[Issue] = []
    everything = list(deliverables.values())
    for i, milestone in enumerate(targets.milestones):
        for j, crit in enumerate(milestone.criteria):
            named = [crit.params.item] if crit.params.item else []
            if not crit.is_count or crit.op != ">=":
                continue
            if any(x not in deliverables for x in [*named, *crit.params.items]):
                continue  # an unknown item: already an error
            path = f"milestones[{i}].criteria[{j}]"
            counted = [deliverables[x] for x in crit.counted_items(everything)]
            possible, why = _count_bound(crit, counted)
            need = f'"{crit.label}" ({crit.id}) needs {crit.threshold:g}'
            if crit.threshold > possible:
                out.append(
                    _err(
                        TARGETS,
                        path,
                        f"{need}, but the data makes at most {possible:g} possible ({why})",
                    )
                )
                continue
            on_days = [d for d in counted if d.id in scheduled]
            reach = _count_bound(crit, on_days)[0]
            if crit.threshold > reach:
                missing = ", ".join(f"'{d.id}'" for d in counted if d.id not in scheduled)
                out.append(
                    _warn(
                        TARGETS,
                        path,
                        f"{need}, but the days schedule only {reach:g} of what it counts; "
                        f"the roadmap names but never schedules {missing}",
                    )
                )
    return out
