"""The building blocks every curriculum data file's models share.

:class:`Strict` forbids unknown keys so a typo in a data file is an error, not a silently
ignored field; the annotated types (week numbers, ids, weekdays) and :class:`Link` are used
by the models of each file: :mod:`curriculum.program_schema` (``program.yaml``),
:mod:`curriculum.week_schema` (``weeks/``), :mod:`curriculum.problem_schema`
(``problems.yaml``), :mod:`curriculum.target_schema` (``targets.yaml``) and
:mod:`curriculum.mock_schema` (``mocks.yaml``). Those models validate one file at a time;
cross-file checks (problems exist, weeks are contiguous, ...) live in :mod:`curriculum.checker`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_NAMES: dict[str, str] = {
    "mon": "Mon",
    "tue": "Tue",
    "wed": "Wed",
    "thu": "Thu",
    "fri": "Fri",
    "sat": "Sat",
    "sun": "Sun",
}
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WeekNumber = Annotated[int, Field(ge=1, le=52)]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Link(Strict):
    url: HttpUrl
    title: str | None = None
