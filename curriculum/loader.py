"""Load the curriculum data files into validated models.

Paths are resolved relative to this package (``importlib.resources``), never the
working directory, and nothing is loaded at import time: call :func:`load_curriculum`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from curriculum.checker import cross_check
from curriculum.issues import CurriculumError, Issue
from curriculum.mock_schema import MockMaterial
from curriculum.problem_schema import Problem, ProblemCatalogue
from curriculum.program_schema import Phase, Program
from curriculum.target_schema import Criterion, Metric, Milestone, Targets
from curriculum.week_schema import Day, Deliverable, Week

M = TypeVar("M", bound=BaseModel)


# libyaml's C loader when available (8x faster), else the pure-Python safe loader.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def default_data_dir() -> Path:
    """The data directory shipped inside the ``curriculum`` package."""
    return Path(str(resources.files("curriculum") / "data"))


def _loc_to_path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _read_yaml(path: Path, rel: str, issues: list[Issue]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        issues.append(Issue(rel, "", f"cannot read file ({exc.strerror})"))
        return None
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        issues.append(Issue(rel, where, f"invalid YAML: {getattr(exc, 'problem', exc)}"))
        return None


def _validate(model: type[M], data: Any, rel: str, issues: list[Issue]) -> M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            issues.append(Issue(rel, _loc_to_path(loc), err["msg"]))
        return None


@dataclass(frozen=True)
class Curriculum:
    """The whole validated curriculum with lookup helpers."""

    program: Program
    weeks: dict[int, Week]
    problems: dict[int, Problem]
    targets: Targets
    mocks: MockMaterial  # the peer mock interviewer's material (mocks.yaml)
    source_dir: Path
    warnings: list[Issue] = field(default_factory=list)

    @property
    def week_count(self) -> int:
        return self.program.weeks

    def week(self, number: int) -> Week:
        return self.weeks[number]

    def day(self, week: int, weekday: str) -> Day:
        return self.weeks[week].days[weekday]  # type: ignore[index]

    def phase(self, number: int) -> Phase:
        for phase in self.program.phases:
            if phase.number == number:
                return phase
        raise KeyError(number)

    def phase_of_week(self, week: int) -> Phase:
        for phase in self.program.phases:
            if phase.weeks[0] <= week <= phase.weeks[1]:
                return phase
        raise KeyError(week)

    def milestones_for_week(self, week: int) -> list[Milestone]:
        return [m for m in self.targets.milestones if m.week == week]

    @cached_property
    def deliverables(self) -> dict[str, tuple[int, Deliverable]]:
        """Deliverable id → (its week, the deliverable), in week order."""
        return {d.id: (n, d) for n in sorted(self.weeks) for d in self.weeks[n].deliverables}

    def criterion(self, ident: str) -> Criterion:
        """A milestone criterion by id (``KeyError`` if there is none)."""
        for milestone in self.targets.milestones:
            for c in milestone.criteria:
                if c.id == ident:
                    return c
        raise KeyError(ident)

    def items_counted_by(self, criterion: Criterion) -> list[str]:
        """The deliverable ids a count criterion counts (computed once per criterion)."""
        known = self._counted_items.get(criterion.id)
        if known is None or known[0] is not criterion:  # a criterion not from this data
            return criterion.counted_items(d for _, d in self.deliverables.values())
        return known[1]

    @cached_property
    def _counted_items(self) -> dict[str, tuple[Criterion, list[str]]]:
        every = [d for _, d in self.deliverables.values()]
        return {
            c.id: (c, c.counted_items(every)) for m in self.targets.milestones for c in m.criteria
        }

    def count_goal(self, item_id: str) -> int | None:
        """What the milestones ask of a countable item on its own ("≥ 10 applications")."""
        return self._count_goals.get(item_id)

    @cached_property
    def _count_goals(self) -> dict[str, int]:
        """Item id → the largest threshold of a criterion that counts that item alone
        (computed once: forecasts ask for every member and criterion)."""
        goals: dict[str, int] = {}
        for m in self.targets.milestones:
            for c in m.criteria:
                if c.metric is not Metric.ITEM_COUNT:
                    continue
                items = c.counted_items(d for _, d in self.deliverables.values())
                if len(items) == 1:
                    goals[items[0]] = max(goals.get(items[0], 0), int(c.threshold))
        return goals

    @cached_property
    def patterns(self) -> list[str]:
        seen: dict[str, None] = {}
        for n in sorted(self.weeks):
            for p in self.weeks[n].patterns:
                seen.setdefault(p, None)
        return list(seen)

    @cached_property
    def problem_weeks(self) -> dict[int, list[int]]:
        """Problem number → weeks whose tasks name it."""
        out: dict[int, list[int]] = {}
        for n in sorted(self.weeks):
            for day in self.weeks[n].days.values():
                for block in (day.block_a, day.block_b, day.session):
                    if block is None:
                        continue
                    for task in block.tasks:
                        for p in task.problems:
                            weeks = out.setdefault(p, [])
                            if n not in weeks:
                                weeks.append(n)
        return out

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "program": self.program.model_dump(mode="json"),
            "weeks": [self.weeks[n].model_dump(mode="json") for n in sorted(self.weeks)],
            "problems": [
                {**self.problems[n].model_dump(mode="json"), "url": self.problems[n].url}
                for n in sorted(self.problems)
            ],
            "targets": self.targets.model_dump(mode="json"),
            "mocks": self.mocks.model_dump(mode="json"),
        }


def load_files(data_dir: Path) -> tuple[dict[str, Any], list[Issue]]:
    """Read and validate every file on its own; returns models by role and the issues."""
    issues: list[Issue] = []
    out: dict[str, Any] = {"weeks": {}}
    single: list[tuple[str, str, type[BaseModel]]] = [
        ("program", "program.yaml", Program),
        ("problems", "problems.yaml", ProblemCatalogue),
        ("targets", "targets.yaml", Targets),
        ("mocks", "mocks.yaml", MockMaterial),
    ]
    for key, name, model in single:
        path = data_dir / name
        if not path.is_file():
            issues.append(Issue(name, "", "file is missing"))
            continue
        before = len(issues)
        raw = _read_yaml(path, name, issues)
        if len(issues) == before:
            out[key] = _validate(model, raw, name, issues)
    week_dir = data_dir / "weeks"
    files = sorted(week_dir.glob("*.yaml")) if week_dir.is_dir() else []
    if not files:
        issues.append(Issue("weeks/", "", "no week files found"))
    for path in files:
        rel = f"weeks/{path.name}"
        before = len(issues)
        raw = _read_yaml(path, rel, issues)
        if len(issues) != before:
            continue
        week = _validate(Week, raw, rel, issues)
        if week is not None:
            if week.number in out["weeks"]:
                issues.append(Issue(rel, "number", f"week {week.number} is defined twice"))
            else:
                out["weeks"][week.number] = (rel, week)
    return out, issues


def load_curriculum(data_dir: Path | None = None) -> Curriculum:
    """Load, validate and cross-check the curriculum; raise :class:`CurriculumError`."""
    directory = data_dir or default_data_dir()
    parts, issues = load_files(directory)
    if issues:
        raise CurriculumError(issues)
    found = cross_check(parts)
    errors = [i for i in found if i.severity == "error"]
    if errors:
        raise CurriculumError(errors)
    catalogue: ProblemCatalogue = parts["problems"]
    return Curriculum(
        program=parts["program"],
        weeks={n: w for n, (_, w) in parts["weeks"].items()},
        problems={p.number: p for p in catalogue.problems},
        targets=parts["targets"],
        mocks=parts["mocks"],
        source_dir=directory,
        warnings=[i for i in found if i.severity == "warning"],
    )
