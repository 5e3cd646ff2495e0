"""Checks of the solve targets and milestone thresholds: where the roadmap contradicts itself.

The roadmap states targets in several places that do not always agree (≥ 65 solves by week 7
but 110 by week 8, "110" vs "110 → 120", a weekly recap counting "__ /12", "2 ML mini
projects" vs "4 ML notebooks"). The data keeps what the roadmap says; these checks turn each
disagreement into a warning. Only a target for a week that does not exist is an error.
"""

from __future__ import annotations

import statistics
from collections import defaultdict

from curriculum.issues import Issue
from curriculum.program_schema import Program
from curriculum.target_schema import Criterion, Milestone, Targets

TARGETS = "targets.yaml"


def _err(path: str, message: str) -> Issue:
    return Issue(TARGETS, path, message, "error")


def _warn(path: str, message: str) -> Issue:
    return Issue(TARGETS, path, message, "warning")


def check_targets(program: Program, targets: Targets) -> list[Issue]:
    return _check_solve_targets(program, targets) + _check_contradictions(targets)


def _check_solve_targets(program: Program, targets: Targets) -> list[Issue]:
    out: list[Issue] = []
    best_before: tuple[int, int] | None = None  # (week, minimum)
    by_week: dict[int, list[int]] = defaultdict(list)
    gains: list[tuple[int, int, int, int, int]] = []  # (from week, to week, from, to, index)
    for i, t in enumerate(targets.solve_targets):
        path = f"solve_targets[{i}]"
        if t.week > program.weeks:
            out.append(_err(f"{path}.week", f"week {t.week} does not exist"))
        by_week[t.week].append(i)
        if best_before is not None and t.week >= best_before[0] and t.minimum < best_before[1]:
            out.append(
                _warn(
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
                        f"milestones[{i}].criteria[{j}]",
                        f"milestone asks {c.threshold:g} solves by week {m.week}, "
                        f'the solve target says "{t.text}"',
                    )
                )
    return out


def _stricter(a: Criterion, b: Criterion) -> bool:
    return a.threshold > b.threshold if a.op == ">=" else a.threshold < b.threshold
