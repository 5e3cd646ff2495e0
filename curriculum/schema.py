"""Pydantic models of the curriculum data files.

Every model forbids unknown keys so a typo in a data file is an error, not a silently
ignored field. Cross-file checks (problems exist, weeks are contiguous, ...) live in
:mod:`curriculum.checker`; these models validate one file at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

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
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=120)]
Ident = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Difficulty(StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class TaskKind(StrEnum):
    """What a task asks the member to do; drives icons and which log command fits."""

    SETUP = "setup"  # install / configure tools
    READ = "read"  # read an article, chapter, docs
    WATCH = "watch"  # watch a video
    IMPLEMENT = "implement"  # write code (templates, data structures, features)
    GUIDED_SOLVE = "guided_solve"  # LeetCode with editorial allowed
    UNGUIDED_SOLVE = "unguided_solve"  # LeetCode without help
    TIMED_SOLVE = "timed_solve"  # LeetCode under a time box / drill set
    CPP_PORT = "cpp_port"  # re-implement in C++
    ANKI = "anki"  # make or review Anki cards
    DIAGRAM = "diagram"  # mind-map, UML, architecture diagram
    WRITE = "write"  # notes, summaries, blog drafts, docs, ADRs
    PUBLISH = "publish"  # publish a post / gist / tag / article
    REVIEW = "review"  # self-review, reflection, Oops List
    QUIZ = "quiz"  # AlgoMonster quizzes and practice
    CONTEST = "contest"  # LeetCode weekly contest
    RETRO = "retro"  # weekly / phase retrospective and planning
    MOCK = "mock"  # mock interview
    BUILD = "build"  # hands-on infra / ML / project build
    BENCHMARK = "benchmark"  # profile / measure / load-test
    NOTEBOOK = "notebook"  # ML notebook work
    OUTREACH = "outreach"  # résumé, referrals, applications
    REST = "rest"  # rest / celebration


class DeliverableCategory(StrEnum):
    """What a `/done` item counts towards in milestone criteria."""

    PROJECT = "project"
    ML_NOTEBOOK = "ml_notebook"
    MIND_MAP = "mind_map"
    DIAGRAM = "diagram"
    ADR = "adr"
    DESIGN_DOC = "design_doc"
    ARTICLE = "article"
    ANKI = "anki"
    RELEASE = "release"  # git tags / versions
    SETUP = "setup"
    OUTREACH = "outreach"
    OTHER = "other"


class Link(Strict):
    url: HttpUrl
    title: str | None = None


class Task(Strict):
    """One unit of work inside a block or weekend session."""

    text: Annotated[str, Field(min_length=1, max_length=1000)]
    kind: TaskKind
    minutes: Annotated[int, Field(ge=5, le=180)] | None = None
    problems: list[Annotated[int, Field(ge=1)]] = []  # checked against the catalogue
    links: list[Link] = []
    ledger: str | None = None  # 📓 action to record in the Learning Ledger
    checkpoint: str | None = None  # 🏁 deliverable / checkpoint text
    deliverables: list[Ident] = []  # ids of the week's deliverables this task produces


class Block(Strict):
    """A weekday 90-minute block (Block-A or Block-B)."""

    minutes: Annotated[int, Field(ge=15, le=240)] = 90
    tasks: Annotated[list[Task], Field(min_length=1)]


class Session(Strict):
    """The weekend 3-hour focus session; tasks carry minutes where the roadmap splits it."""

    minutes: Annotated[int, Field(ge=15, le=360)] = 180
    tasks: Annotated[list[Task], Field(min_length=1)]


class Day(Strict):
    block_a: Block | None = None
    block_b: Block | None = None
    session: Session | None = None

    @model_validator(mode="after")
    def _blocks_or_session(self) -> Day:
        has_blocks = self.block_a is not None or self.block_b is not None
        if has_blocks and self.session is not None:
            raise ValueError("a day has either Block-A/Block-B or a weekend session, not both")
        if not has_blocks and self.session is None:
            raise ValueError("a day needs Block-A/Block-B or a session")
        return self


class Deliverable(Strict):
    """Something a member can tick with `/done`.

    A *countable* deliverable (applications sent, experiments tracked) is logged again and
    again, or with a quantity (`/done item 3`); ``unit`` names what it counts, in the plural
    ("applications"). Any other deliverable is ticked once.
    """

    id: Ident
    title: Annotated[str, Field(min_length=1, max_length=200)]
    category: DeliverableCategory
    countable: bool = False
    unit: Annotated[str, Field(min_length=1, max_length=40)] | None = None

    @model_validator(mode="after")
    def _unit_iff_countable(self) -> Deliverable:
        if self.countable and self.unit is None:
            raise ValueError("a countable deliverable needs a unit (e.g. 'applications')")
        if not self.countable and self.unit is not None:
            raise ValueError("only a countable deliverable has a unit")
        return self


class Week(Strict):
    number: WeekNumber
    phase: Annotated[int, Field(ge=0, le=9)]
    title: Annotated[str, Field(min_length=1, max_length=120)]
    patterns: list[str] = []
    ml_topic: str | None = None
    ml_resource: str | None = None
    goals: list[str] = []  # Goal / Theme / Focus / Objectives / Key Ideas lines
    checklist: list[str] = []  # the high-level "Week-by-Week Checklist" items
    key_deliverables: list[str] = []
    notes: list[str] = []  # week-level notes (e.g. "Block lengths identical...")
    deliverables: list[Deliverable] = []
    days: dict[Weekday, Day]

    @field_validator("days")
    @classmethod
    def _all_days(cls, days: dict[str, Day]) -> dict[str, Day]:
        missing = [d for d in WEEKDAYS if d not in days]
        if missing:
            raise ValueError(f"missing days: {', '.join(missing)}")
        return days


class Problem(Strict):
    number: Annotated[int, Field(ge=1, le=4000)]
    title: Annotated[str, Field(min_length=1, max_length=120)]
    difficulty: Difficulty
    slug: Slug
    pattern: str
    premium: bool = False

    @property
    def url(self) -> str:
        return f"https://leetcode.com/problems/{self.slug}/"


class ProblemCatalogue(Strict):
    problems: list[Problem]


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
