"""Pydantic models of ``program.yaml``: the program's phases, weekly rhythms, micro-routine,
recap template, final checklist and resources.

Each model forbids unknown keys (:class:`curriculum.schema.Strict`); cross-file checks live in
:mod:`curriculum.checker`.
"""

# ruff: noqa: RUF012 - pydantic copies a mutable default per model (ruff only sees that for
# classes that name BaseModel in the same file, not for subclasses of the imported Strict)
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, HttpUrl, field_validator

from curriculum.schema import Ident, Link, Strict, Weekday, WeekNumber


class Phase(Strict):
    """A phase of the program; ``title`` is its one name everywhere (see :attr:`name`)."""

    number: Annotated[int, Field(ge=0, le=9)]
    title: str
    weeks: tuple[WeekNumber, WeekNumber]
    focus: str | None = None  # the timeline's Focus column, where it says more than the title
    exit_criteria: list[str] = []

    @property
    def name(self) -> str:
        """``Phase 2 · LeetCode Pattern Pass ①`` — how every message names the phase."""
        return f"Phase {self.number} · {self.title}"

    @field_validator("weeks")
    @classmethod
    def _ordered(cls, weeks: tuple[int, int]) -> tuple[int, int]:
        if weeks[0] > weeks[1]:
            raise ValueError(f"week range {weeks[0]}-{weeks[1]} is reversed")
        return weeks


class Rhythm(Strict):
    """A named weekly rhythm (Mon–Sun roles) that applies to a range of weeks."""

    id: Ident
    title: str
    weeks: tuple[WeekNumber, WeekNumber]
    days: dict[Weekday, str]
    rules: list[str] = []


class RoutineStep(Strict):
    minutes: Annotated[int, Field(ge=1, le=180)]
    action: str


class MicroRoutine(Strict):
    from_week: WeekNumber
    steps: list[RoutineStep]
    note: str | None = None


class RecapField(Strict):
    key: Ident
    label: str
    kind: Literal["count", "text", "check", "percent"]
    out_of: int | None = None  # "__ /12"


class Resource(Strict):
    area: str
    resource: str
    url: HttpUrl | None = None


class ChecklistRow(Strict):
    section: str
    target: str
    criteria: list[Ident] = []  # ids of the final milestone's criteria that check this row


class Program(Strict):
    title: str
    audience: str
    goal: str
    commitment: str
    hours_per_week: Annotated[float, Field(gt=0, le=80)]
    weeks: Annotated[int, Field(ge=1, le=52)]
    anchors: list[Link] = []
    phases: list[Phase]
    rhythms: list[Rhythm] = []
    micro_routine: MicroRoutine | None = None
    recap_template: list[RecapField]
    deliverables_at_a_glance: list[str]
    final_checklist: list[ChecklistRow]
    resources: list[Resource]
    epilogue: list[str] = []
