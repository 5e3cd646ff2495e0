"""Pydantic models of ``targets.yaml``: the roadmap's solve targets and its milestones,
whose criteria are machine-checkable metrics over a member's logs.

Each model forbids unknown keys (:class:`curriculum.schema.Strict`); the cross-file checks of
targets and milestones live in :mod:`curriculum.target_checks` and :mod:`curriculum.checker`.
"""

# ruff: noqa: RUF012 - pydantic copies a mutable default per model (ruff only sees that for
# classes that name BaseModel in the same file, not for subclasses of the imported Strict)
from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, model_validator

from curriculum.schema import Ident, Strict, WeekNumber
from curriculum.week_schema import Deliverable, DeliverableCategory


class Metric(StrEnum):
    """Machine-checkable quantities computed from a member's logs."""

    UNIQUE_SOLVES = "unique_solves"  # distinct problems solved
    SOLVE_ENTRIES = "solve_entries"  # every /solve including revisits
    MEDIUM_PCT = "medium_pct"  # % of unique solves that are medium
    HARD_PCT = "hard_pct"  # % of unique solves that are hard
    MEDIAN_SOLVE_MINUTES = "median_solve_minutes"
    BEST_CONTEST_PERCENTILE = "best_contest_percentile"  # lower is better (top x %)
    DELIVERABLES = "deliverables"  # /done items of params.category
    DELIVERABLE_DONE = "deliverable_done"  # params.item ticked (1) or not (0)
    # How many of params.items and of the items of params.categories were logged: a ticked
    # item counts 1, a countable one the quantities logged for it ("7 of 10 applications").
    ITEM_COUNT = "item_count"
    MOCKS = "mocks"  # mocks, optionally of params.kind, rated at least params.rating
    ANKI_MATURE_CARDS = "anki_mature_cards"  # latest mature-card total reported
    ANKI_CARDS_ADDED = "anki_cards_added"  # sum of new cards logged
    ANKI_REVIEW_STREAK = "anki_review_streak"  # longest run of consecutive review days
    LEDGER_ENTRIES = "ledger_entries"


class CriterionParams(Strict):
    category: DeliverableCategory | None = None
    item: Ident | None = None
    items: list[Ident] = []  # item_count: these deliverables …
    categories: list[DeliverableCategory] = []  # … and every deliverable of these categories
    kind: Literal["dsa", "system_design", "behavioral"] | None = None
    rating: Literal["strong_hire", "hire", "lean_hire", "lean_no_hire", "no_hire"] | None = None


class Criterion(Strict):
    id: Ident
    label: str  # what the roadmap says, as shown to members
    metric: Metric
    op: Literal[">=", "<="]
    threshold: Annotated[float, Field(ge=0)]
    params: CriterionParams = CriterionParams()
    source: str  # where in the roadmap this comes from

    @model_validator(mode="after")
    def _params_fit_metric(self) -> Criterion:
        p = self.params
        if self.metric is Metric.DELIVERABLES and p.category is None:
            raise ValueError("metric 'deliverables' needs params.category")
        if self.metric is Metric.DELIVERABLE_DONE and p.item is None:
            raise ValueError("metric 'deliverable_done' needs params.item")
        if self.metric is not Metric.MOCKS and (p.kind or p.rating):
            raise ValueError("params.kind/params.rating only apply to metric 'mocks'")
        if self.metric is Metric.ITEM_COUNT and not (p.items or p.categories):
            raise ValueError("metric 'item_count' needs params.items or params.categories")
        if self.metric is not Metric.ITEM_COUNT and (p.items or p.categories):
            raise ValueError("params.items/params.categories only apply to metric 'item_count'")
        if self.metric is not Metric.DELIVERABLES and p.category is not None:
            raise ValueError("params.category only applies to metric 'deliverables'")
        if self.metric is not Metric.DELIVERABLE_DONE and p.item is not None:
            raise ValueError("params.item only applies to metric 'deliverable_done'")
        return self

    def met_by(self, value: float | None) -> bool:
        """Whether a member's ``value`` (None: nothing to judge yet) meets this criterion."""
        if value is None:
            return False
        return value >= self.threshold if self.op == ">=" else value <= self.threshold

    def counted_items(self, deliverables: Iterable[Deliverable]) -> list[str]:
        """The ids of the deliverables this criterion counts (in data order)."""
        p = self.params
        if self.metric is Metric.DELIVERABLE_DONE:
            return [d.id for d in deliverables if d.id == p.item]
        if self.metric is Metric.DELIVERABLES:
            return [d.id for d in deliverables if d.category is p.category]
        if self.metric is Metric.ITEM_COUNT:
            listed = set(p.items)
            return [d.id for d in deliverables if d.id in listed or d.category in p.categories]
        return []

    @property
    def is_count(self) -> bool:
        """Whether the threshold counts deliverables (so the data bounds what is possible)."""
        return self.metric in (Metric.DELIVERABLES, Metric.DELIVERABLE_DONE, Metric.ITEM_COUNT)


class Milestone(Strict):
    id: Ident
    week: WeekNumber
    title: str
    source: str
    criteria: Annotated[list[Criterion], Field(min_length=1)]


class SolveTarget(Strict):
    """A cumulative solve target the roadmap states for the end of a week."""

    week: WeekNumber
    minimum: Annotated[int, Field(ge=0)]
    maximum: Annotated[int, Field(ge=0)] | None = None
    weekly_gain: Annotated[int, Field(ge=0)] | None = None  # "goal ≥ +18 this week"
    text: str  # the roadmap's words
    source: str

    @model_validator(mode="after")
    def _range(self) -> SolveTarget:
        if self.maximum is not None and self.maximum < self.minimum:
            raise ValueError(f"maximum {self.maximum} is below minimum {self.minimum}")
        return self


class Targets(Strict):
    weekly_recap_solves: Annotated[int, Field(ge=0)]  # the recap template's "__ /12"
    solve_targets: list[SolveTarget]
    milestones: list[Milestone]
