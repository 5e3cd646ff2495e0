"""The input model of the export renderers: plain frozen dataclasses, no ORM, no Discord.

Whoever gathers a member's data (a cog or service) builds a :class:`MemberExport`; the
renderers in :mod:`bot.exports` turn it into Markdown, CSV, JSON, ``.apkg`` or ``.ics``.
Every instant is an aware UTC datetime; every ``local_date`` is already a date in the
member's zone (the day the entry counts for).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

ENTRY_KINDS: tuple[str, ...] = (
    "solve",
    "oops",
    "mock",
    "contest",
    "anki",
    "done",
    "ledger",
    "win",
    "card",
)
"""Every value :attr:`EntryRow.kind` may take."""


@dataclass(frozen=True)
class EntryRow:
    """One logged entry of a member.

    Only the fields that fit ``kind`` are set; the rest stay ``None``:

    * ``solve`` — problem_number, problem_title, difficulty ("easy"/"medium"/"hard"),
      minutes, language, mode, pattern, notes;
    * ``oops`` — notes (what went wrong), lesson, problem_number/problem_title, pattern,
      review_state (e.g. ``"due 2027-02-10 (step 2 of 4)"`` or ``"reviewed"``);
    * ``mock`` — mock_kind, rating, platform, minutes, notes;
    * ``contest`` — contest_name, rank, solved_count, percentile, notes;
    * ``anki`` — reviewed, new_cards, mature_total;
    * ``done`` — item_id, item_title, quantity (a countable item's amount), notes;
    * ``ledger`` / ``win`` — notes (the text);
    * ``card`` — notes (front), lesson (back): a Key Insight flash card.

    ``imported`` marks entries that came from a bulk import rather than a command.
    """

    id: int
    kind: str
    local_date: date
    created_at: datetime  # aware UTC
    week: int | None = None
    problem_number: int | None = None
    problem_title: str | None = None
    difficulty: str | None = None
    minutes: int | None = None
    language: str | None = None
    mode: str | None = None
    pattern: str | None = None
    notes: str | None = None
    lesson: str | None = None
    mock_kind: str | None = None
    rating: str | None = None
    platform: str | None = None
    percentile: float | None = None
    contest_name: str | None = None
    rank: int | None = None
    solved_count: int | None = None
    reviewed: int | None = None
    new_cards: int | None = None
    mature_total: int | None = None
    item_id: str | None = None
    item_title: str | None = None
    quantity: int | None = None
    imported: bool = False
    review_state: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ENTRY_KINDS:
            raise ValueError(f"unknown entry kind {self.kind!r}")
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")

    @property
    def problem_label(self) -> str | None:
        """``"LC 1 · Two Sum"``, ``"LC 1"``, the title alone, or ``None``."""
        if self.problem_number is not None and self.problem_title:
            return f"LC {self.problem_number} · {self.problem_title}"
        if self.problem_number is not None:
            return f"LC {self.problem_number}"
        return self.problem_title or None


@dataclass(frozen=True)
class CriterionRow:
    """One milestone criterion as evaluated for the member (``value`` None = no data).

    ``value_text`` and ``need_text`` are the value and the threshold with their units, as
    every other view shows them (``16.5 min``, ``≤ 13 min``); empty in exports written
    before they existed, when the renderers fall back to the bare numbers.
    """

    label: str
    value: float | None
    threshold: float
    op: str  # ">=" or "<="
    ok: bool
    value_text: str = ""
    need_text: str = ""


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone as judged for the member.

    ``due``: its week has ended, so it is passed or missed (otherwise in progress, judged
    on the numbers so far); ``verdict`` is the shared wording (``❌ Missed · 2/3``).
    """

    title: str
    week: int
    criteria: tuple[CriterionRow, ...]
    verdict: str = ""
    due: bool = False

    @property
    def reached(self) -> bool:
        return bool(self.criteria) and all(c.ok for c in self.criteria)


@dataclass(frozen=True)
class MemberExport:
    """Everything exported for one member of one guild.

    ``recaps`` are already rendered Markdown texts, one per program week so far: the
    first is week 1, the second week 2, and so on. ``timezone`` is an IANA name.
    """

    guild_id: int
    user_id: int
    display_name: str
    timezone: str
    cohort_name: str
    goals: tuple[str, ...]
    entries: tuple[EntryRow, ...]
    recaps: tuple[str, ...]
    milestones: tuple[MilestoneRow, ...]
    generated_at: datetime  # aware UTC

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None:
            raise ValueError("generated_at must be timezone-aware")
        ZoneInfo(self.timezone)  # fail early on an unknown zone

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def entries_of(self, *kinds: str) -> list[EntryRow]:
        """Entries of the given kinds (all when none given), oldest first."""
        rows = [e for e in self.entries if not kinds or e.kind in kinds]
        return sorted(rows, key=lambda e: (e.local_date, e.created_at, e.id))
