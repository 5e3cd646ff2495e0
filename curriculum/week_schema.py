"""Pydantic models of the week files (``weeks/``): a week's days, blocks, tasks and
deliverables.

Each model forbids unknown keys (:class:`curriculum.schema.Strict`); cross-file checks (the
tasks' problems exist, weeks are contiguous, ...) live in :mod:`curriculum.checker`.
"""

# ruff: noqa: RUF012 - pydantic copies a mutable default per model (ruff only sees that for
# classes that name BaseModel in the same file, not for subclasses of the imported Strict)
from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, field_validator, model_validator

from curriculum.schema import WEEKDAYS, Ident, Link, Strict, Weekday, WeekNumber


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
