"""Cross-file checks of the curriculum: errors stop loading, warnings are reported.

Single files are validated by the pydantic models; this module checks what no single file
can: weeks contiguous and inside their phase, every referenced problem and deliverable
exists, and where the roadmap contradicts itself (targets that disagree or jump).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from curriculum.loader import Issue
from curriculum.schema import WEEKDAYS, Criterion, Milestone, Program, Targets, Week

WEEKDAY_KEYS = WEEKDAYS[:5]
WEEKEND_KEYS = WEEKDAYS[5:]
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
    issues += _check_milestones(program, targets, deliverables)
    issues += _check_solve_targets(program, targets)
    issues += _check_contradictions(targets)
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
            if week.days[key].session is None:  # type: ignore[index]
                out.append(_err(rel, f"days.{key}", "a weekend day needs a session"))
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
            session = week.days[key].session  # type: ignore[index]
            if session is None:
                continue
            split = sum(t.minutes or 0 for t in session.tasks)
            if split > session.minutes:
                out.append(
                    _warn(
                        rel,
                        f"days.{key}.session",
                        f"parts add up to {split} min, more than the {session.minutes}-min session",
                    )
                )
    return out


def _deliverable_index(weeks: dict[int, tuple[str, Week]], issues: list[Issue]) -> dict[str, str]:
    """Deliverable id → category; duplicate ids across weeks are errors."""
    index: dict[str, str] = {}
    for _, (rel, week) in sorted(weeks.items()):
        for i, d in enumerate(week.deliverables):
            if d.id in index:
                issues.append(
                    _err(rel, f"deliverables[{i}].id", f"deliverable '{d.id}' is defined twice")
                )
            index[d.id] = d.category.value
    return index


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
    program: Program, targets: Targets, deliverables: dict[str, str]
) -> list[Issue]:
    out: list[Issue] = []
    ids: set[str] = set()
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
            item = crit.params.item
            if item is not None and item not in deliverables:
                out.append(
                    _err(
                        TARGETS,
                        f"milestones[{i}].criteria[{j}].params.item",
                        f"unknown deliverable '{item}'",
                    )
                )
            category = crit.params.category
            if category is not None and category.value not in deliverables.values():
                out.append(
                    _warn(
                        TARGETS,
                        f"milestones[{i}].criteria[{j}].params.category",
                        f"no week has a deliverable of category '{category.value}' to tick",
                    )
                )
    return out


def _check_solve_targets(program: Program, targets: Targets) -> list[Issue]:
    out: list[Issue] = []
    best_before: tuple[int, int] | None = None  # (week, minimum)
    by_week: dict[int, list[int]] = defaultdict(list)
    gains: list[tuple[int, int, int, int, int]] = []  # (from week, to week, from, to, index)
    for i, t in enumerate(targets.solve_targets):
        path = f"solve_targets[{i}]"
        if t.week > program.weeks:
            out.append(_err(TARGETS, f"{path}.week", f"week {t.week} does not exist"))
        by_week[t.week].append(i)
        if best_before is not None and t.week >= best_before[0] and t.minimum < best_before[1]:
            out.append(
                _warn(
                    TARGETS,
                    path,
                    f"target decreases: week {t.week} asks {t.minimum}, "
                    f"week {best_before[0]} already asked {best_before[1]}",
                )
            )
        if best_before is not None and t.week > best_before[0]:
            gains.append((best_before[0], t.week, best_before[1], t.minimum, i))
            if t.weekly_gain is not None and best_before[1] + t.weekly_gain > (
                t.maximum or t.minimum
            ):
                out.append(
                    _warn(
                        TARGETS,
                        path,
                        f"week {best_before[0]} target {best_before[1]} + {t.weekly_gain} "
                        f"is above week {t.week}'s range",
                    )
                )
        if best_before is None or t.week > best_before[0] or t.minimum > best_before[1]:
            best_before = (t.week, max(t.minimum, best_before[1] if best_before else 0))
    out += _check_pace(targets, gains)
    for week, idxs in by_week.items():
        stated = {
            (targets.solve_targets[i].minimum, targets.solve_targets[i].maximum) for i in idxs
        }
        if len(stated) > 1:
            texts = "; ".join(
                f'"{targets.solve_targets[i].text}" ({targets.solve_targets[i].source})'
                for i in idxs
            )
            out.append(
                _warn(
                    TARGETS,
                    f"solve_targets[{idxs[-1]}]",
                    f"week {week} states different targets: {texts}",
                )
            )
    return out


def _check_pace(targets: Targets, gains: list[tuple[int, int, int, int, int]]) -> list[Issue]:
    """Weekly pace the targets imply, against the recap's "__ /N" and against each other."""
    out: list[Issue] = []
    if not gains:
        return out
    rates = [(b - a) / (wb - wa) for wa, wb, a, b, _ in gains]
    recap = targets.weekly_recap_solves
    over = [
        f"{wa}→{wb}: {r:.0f}/week"
        for (wa, wb, *_), r in zip(gains, rates, strict=True)
        if r > recap
    ]
    if over:
        out.append(
            _warn(
                TARGETS,
                "weekly_recap_solves",
                f"the weekly recap counts __ /{recap} solves, but the targets need more: "
                + ", ".join(over),
            )
        )
    typical = statistics.median(rates)
    for (wa, wb, a, b, i), rate in zip(gains, rates, strict=True):
        if rate > 1.5 * typical:
            out.append(
                _warn(
                    TARGETS,
                    f"solve_targets[{i}]",
                    f"week {wa} → {wb} jumps from {a} to {b} solves ({rate:.0f} a week; "
                    f"the targets' typical pace is {typical:.0f} a week)",
                )
            )
    return out


def _key(c: Criterion) -> tuple[str, str]:
    return (c.metric.value, c.params.model_dump_json(exclude_none=True))


def _check_contradictions(targets: Targets) -> list[Issue]:
    """Same quantity, different thresholds: within a milestone, across weeks, vs solve targets."""
    out: list[Issue] = []
    located: list[tuple[Milestone, int, int, Criterion]] = [
        (m, i, j, c) for i, m in enumerate(targets.milestones) for j, c in enumerate(m.criteria)
    ]
    first_seen: dict[tuple[tuple[str, str], int], tuple[Criterion, str]] = {}
    for m, i, j, c in located:
        path = f"milestones[{i}].criteria[{j}]"
        key = (_key(c), m.week)
        if key in first_seen and first_seen[key][0].threshold != c.threshold:
            other = first_seen[key][0]
            out.append(
                _warn(
                    TARGETS,
                    path,
                    f"week {m.week} asks {c.metric.value} {c.op} {c.threshold:g} "
                    f'("{c.label}", {c.source}) but also {other.op} {other.threshold:g} '
                    f'("{other.label}", {other.source})',
                )
            )
        first_seen.setdefault(key, (c, path))
    # Across weeks: a ">=" threshold should not shrink later, a "<=" one should not grow.
    history: dict[tuple[str, str], tuple[int, Criterion]] = {}
    for m, i, j, c in sorted(located, key=lambda x: (x[0].week, x[1], x[2])):
        k = _key(c)
        if k in history:
            week, prev = history[k]
            shrinks = c.threshold < prev.threshold if c.op == ">=" else c.threshold > prev.threshold
            if week < m.week and shrinks:
                out.append(
                    _warn(
                        TARGETS,
                        f"milestones[{i}].criteria[{j}]",
                        f"week {m.week} asks {c.metric.value} {c.op} {c.threshold:g} "
                        f'("{c.label}") after week {week} asked {prev.threshold:g} '
                        f'("{prev.label}")',
                    )
                )
        if k not in history or _stricter(c, history[k][1]):
            history[k] = (m.week, c)
    # Milestone solve counts against the solve targets of the same week.
    for m, i, j, c in located:
        if c.metric.value != "unique_solves":
            continue
        for t in targets.solve_targets:
            if t.week == m.week and not (t.minimum <= c.threshold <= (t.maximum or t.minimum)):
                out.append(
                    _warn(
                        TARGETS,
                        f"milestones[{i}].criteria[{j}]",
                        f"milestone asks {c.threshold:g} solves by week {m.week}, "
                        f'the solve target says "{t.text}"',
                    )
                )
    return out


def _stricter(a: Criterion, b: Criterion) -> bool:
    return a.threshold > b.threshold if a.op == ">=" else a.threshold < b.threshold
