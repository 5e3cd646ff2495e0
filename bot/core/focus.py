"""Focus-timer routines as pure data: the roadmap's micro-routine or a custom ``50/10 x3``.

A routine is a list of phases; a timer started at ``t`` announces each phase at its start
and the end after the last one (:func:`timeline`). Parsing bad input raises
:class:`RoutineError` with a message meant for the user.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from curriculum.loader import Curriculum

ROADMAP = "roadmap"
ROADMAP_WORDS = ("", "roadmap", "micro", "micro-routine", "microroutine", "default")
FOCUS_MINUTES = (5, 180)
BREAK_MINUTES = (1, 60)
MAX_ROUNDS = 12
MAX_TOTAL = 8 * 60  # minutes
KIND_ICONS = {"anki": "🗂️", "focus": "⌨️", "reflect": "📓", "break": "☕", "end": "🏁"}
SPEC = re.compile(r"^(\d{1,3})(?:/(\d{1,3}))?(?:[x×*](\d{1,3}))?$")
EXAMPLE = "`roadmap` (the daily micro-routine) or a custom one like `50/10 x3`"


class RoutineError(ValueError):
    """A routine the user typed that can't be used (the message says why)."""


@dataclass(frozen=True)
class PhaseSpec:
    name: str
    minutes: int
    kind: str  # anki / focus / reflect / break

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(self.kind, "⏱️")


@dataclass(frozen=True)
class Routine:
    key: str  # what is stored: "roadmap" or the normalised spec ("50/10 x3")
    label: str
    phases: tuple[PhaseSpec, ...]

    @property
    def minutes(self) -> int:
        return sum(p.minutes for p in self.phases)

    @property
    def has_reflection(self) -> bool:
        return any(p.kind == "reflect" for p in self.phases)


def step_kind(action: str) -> str:
    text = action.lower()
    if "anki" in text:
        return "anki"
    if "reflect" in text or "ledger" in text:
        return "reflect"
    return "focus"


def roadmap_routine(steps: Sequence[tuple[int, str]]) -> Routine:
    """The roadmap's daily micro-routine (10 min Anki → 50 min coding → 10 min reflection)."""
    phases = tuple(
        PhaseSpec(action.strip().rstrip(".") or "Focus", minutes, step_kind(action))
        for minutes, action in steps
    )
    return Routine(ROADMAP, "the roadmap's micro-routine", phases)


def _in(name: str, value: int, bounds: tuple[int, int], unit: str = "minutes") -> int:
    low, high = bounds
    if not low <= value <= high:
        raise RoutineError(f"{name} must be {low}–{high} {unit} (you gave {value}).")
    return value


def parse_routine(text: str | None, roadmap: Routine | None) -> Routine:
    """``roadmap`` (or nothing), ``50`` (one focus), ``50/10`` or ``50/10 x3`` (rounds)."""
    raw = "".join((text or "").lower().split())
    if raw in ROADMAP_WORDS:
        if roadmap is None:
            raise RoutineError(
                f"The roadmap has no micro-routine — give a custom one, e.g. {EXAMPLE}."
            )
        return roadmap
    match = SPEC.match(raw)
    if match is None:
        raise RoutineError(f"`routine` must be {EXAMPLE}: 50 min focus, 10 min break, 3 times.")
    focus = _in("The focus time", int(match[1]), FOCUS_MINUTES)
    pause = int(match[2]) if match[2] is not None else 0
    if match[2] is not None:
        _in("The break", pause, BREAK_MINUTES)
    rounds = _in("The number of rounds", int(match[3] or 1), (1, MAX_ROUNDS), "")
    total = focus * rounds + pause * (rounds - 1)
    if total > MAX_TOTAL:
        raise RoutineError(
            f"That routine runs {total} min — keep it within {MAX_TOTAL // 60} hours."
        )
    phases: list[PhaseSpec] = []
    for i in range(1, rounds + 1):
        name = f"Focus {i} of {rounds}" if rounds > 1 else "Focus"
        phases.append(PhaseSpec(name, focus, "focus"))
        if pause and i < rounds:  # no break after the last round
            phases.append(PhaseSpec("Break", pause, "break"))
    key = (
        f"{focus}"
        + (f"/{pause}" if match[2] is not None else "")
        + (f" x{rounds}" if rounds > 1 else "")
    )
    label = f"{focus} min focus" + (f" / {pause} min break" if pause else "")
    label += f" × {rounds}" if rounds > 1 else ""
    return Routine(key, label, tuple(phases))


@dataclass(frozen=True)
class TimedPhase:
    position: int  # 0 … len(phases); the last one is the end
    spec: PhaseSpec | None  # None: the routine is over
    start: datetime

    @property
    def is_end(self) -> bool:
        return self.spec is None

    @property
    def end(self) -> datetime | None:
        return None if self.spec is None else self.start + timedelta(minutes=self.spec.minutes)


def timeline(routine: Routine, start: datetime) -> list[TimedPhase]:
    """Each phase with its start instant, then the end."""
    out = []
    at = start
    for i, spec in enumerate(routine.phases):
        out.append(TimedPhase(i, spec, at))
        at += timedelta(minutes=spec.minutes)
    out.append(TimedPhase(len(routine.phases), None, at))
    return out


def current(phases: Sequence[TimedPhase], now: datetime) -> TimedPhase:
    """The phase running at ``now`` (the end once it is over)."""
    running = phases[0]
    for phase in phases:
        if phase.start <= now:
            running = phase
    return running


def from_curriculum(curriculum: Curriculum) -> Routine | None:
    """The roadmap's micro-routine, if the program has one."""
    routine = curriculum.program.micro_routine
    if routine is None:
        return None
    return roadmap_routine([(s.minutes, s.action) for s in routine.steps])
