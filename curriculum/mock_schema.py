"""Pydantic models of ``mocks.yaml``: the peer mock interviewer's material.

The rubric of each kind of interview, the verdict scale (the same five verdicts ``/mock``
records), two hints and a follow-up question per catalogue problem, system-design prompts
from the roadmap's phase 4/5 material, behavioral prompts and the STAR checklist. Cross-file
checks (every catalogue problem has hints, the verdicts are the milestone vocabulary, the
feedback form's labels fit Discord) live in :mod:`curriculum.mock_checks`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from curriculum.schema import Ident, Strict, WeekNumber

MockKind = Literal["dsa", "system_design", "behavioral"]
VerdictId = Literal["strong_hire", "hire", "lean_hire", "lean_no_hire", "no_hire"]
MOCK_KINDS: tuple[str, ...] = ("dsa", "system_design", "behavioral")
VERDICT_IDS: tuple[str, ...] = ("strong_hire", "hire", "lean_hire", "lean_no_hire", "no_hire")
Text = Annotated[str, Field(min_length=1, max_length=400)]
SCORE_LABEL = "Scores {low}–{high}: "  # the feedback form's field label starts so
FIELD_LABEL_MAX = 45  # Discord's limit for a modal field's label


class Verdict(Strict):
    id: VerdictId
    label: Annotated[str, Field(min_length=1, max_length=20)]
    guidance: Text


class Scale(Strict):
    """The score scale of every rubric dimension, with what each score means."""

    min: Annotated[int, Field(ge=0, le=9)]
    max: Annotated[int, Field(ge=1, le=9)]
    anchors: dict[int, Annotated[str, Field(min_length=1, max_length=80)]]

    @model_validator(mode="after")
    def _anchors_cover_scale(self) -> Scale:
        if self.min >= self.max:
            raise ValueError(f"min {self.min} must be below max {self.max}")
        wanted = set(range(self.min, self.max + 1))
        if set(self.anchors) != wanted:
            raise ValueError(f"anchors must name every score {self.min}–{self.max}")
        return self


class Dimension(Strict):
    id: Ident
    name: Annotated[str, Field(min_length=1, max_length=40)]
    short: Annotated[str, Field(min_length=1, max_length=16)]  # in the form's one-line label
    looks_for: Text


class Rubric(Strict):
    kind: MockKind
    title: Annotated[str, Field(min_length=1, max_length=60)]
    minutes: Annotated[int, Field(ge=10, le=120)]
    dimensions: Annotated[list[Dimension], Field(min_length=1, max_length=6)]

    @field_validator("dimensions")
    @classmethod
    def _unique(cls, dims: list[Dimension]) -> list[Dimension]:
        ids = [d.id for d in dims]
        if len(set(ids)) != len(ids):
            raise ValueError("dimension ids must be unique")
        return dims

    def score_label(self, scale: Scale) -> str:
        """The feedback form's label for the scores field: ``Scores 1–4: solving, code, …``."""
        head = SCORE_LABEL.format(low=scale.min, high=scale.max)
        return head + ", ".join(d.short for d in self.dimensions)


class ProblemCoaching(Strict):
    """Two hints to give if the interviewee is stuck, and a follow-up question."""

    number: Annotated[int, Field(ge=1, le=4000)]
    hints: Annotated[list[Text], Field(min_length=2, max_length=2)]
    follow_up: Text


class DesignPrompt(Strict):
    id: Ident
    title: Annotated[str, Field(min_length=1, max_length=80)]
    week: WeekNumber  # the roadmap week whose material it comes from
    source: Text
    prompt: Text
    hints: Annotated[list[Text], Field(min_length=2, max_length=2)]
    follow_up: Text


class BehavioralPrompt(Strict):
    id: Ident
    question: Text
    follow_up: Text
    source: Text


class MockMaterial(Strict):
    verdicts: Annotated[list[Verdict], Field(min_length=1)]
    scale: Scale
    rubrics: Annotated[list[Rubric], Field(min_length=1)]
    star_checklist: Annotated[list[Text], Field(min_length=1, max_length=10)]
    design_prompts: Annotated[list[DesignPrompt], Field(min_length=1)]
    behavioral_prompts: Annotated[list[BehavioralPrompt], Field(min_length=1)]
    problems: list[ProblemCoaching]

    def rubric(self, kind: str) -> Rubric:
        for rubric in self.rubrics:
            if rubric.kind == kind:
                return rubric
        raise KeyError(kind)

    def coaching(self, number: int) -> ProblemCoaching | None:
        for entry in self.problems:
            if entry.number == number:
                return entry
        return None

    def verdict(self, ident: str) -> Verdict:
        for v in self.verdicts:
            if v.id == ident:
                return v
        raise KeyError(ident)
