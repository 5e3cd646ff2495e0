"""Focus routines: the roadmap's micro-routine from the data, custom specs, their timelines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.focus import RoutineError, current, from_curriculum, parse_routine, timeline
from curriculum.loader import Curriculum

T0 = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)


def test_the_roadmaps_micro_routine(curriculum: Curriculum) -> None:
    routine = from_curriculum(curriculum)
    assert routine is not None
    assert [(p.minutes, p.kind) for p in routine.phases] == [
        (10, "anki"),
        (50, "focus"),
        (10, "reflect"),
    ]
    assert routine.phases[1].name == "Primary coding task (see weekly plan)"
    assert routine.minutes == 70 and routine.has_reflection
    assert parse_routine(None, routine) is routine
    assert parse_routine(" Roadmap ", routine) is routine


@pytest.mark.parametrize(
    ("spec", "key", "phases"),
    [
        ("50/10 x3", "50/10 x3", [50, 10, 50, 10, 50]),
        ("25/5x4", "25/5 x4", [25, 5, 25, 5, 25, 5, 25]),
        ("90", "90", [90]),
        ("45 × 2", "45 x2", [45, 45]),
    ],
)
def test_custom_routines(spec: str, key: str, phases: list[int]) -> None:
    routine = parse_routine(spec, None)
    assert routine.key == key
    assert [p.minutes for p in routine.phases] == phases
    assert not routine.has_reflection


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("lots", "`routine` must be"),
        ("2", "The focus time must be 5–180"),
        ("50/90", "The break must be 1–60"),
        ("50/10 x20", "The number of rounds must be 1–12"),
        ("180/60 x4", "keep it within 8 hours"),
    ],
)
def test_bad_routines_are_explained(spec: str, message: str) -> None:
    with pytest.raises(RoutineError, match=message):
        parse_routine(spec, None)


def test_roadmap_without_a_micro_routine() -> None:
    with pytest.raises(RoutineError, match="no micro-routine"):
        parse_routine("roadmap", None)


def test_timeline_and_the_running_phase(curriculum: Curriculum) -> None:
    routine = from_curriculum(curriculum)
    assert routine is not None
    steps = timeline(routine, T0)
    assert [(s.position, s.start - T0) for s in steps] == [
        (0, timedelta(0)),
        (1, timedelta(minutes=10)),
        (2, timedelta(minutes=60)),
        (3, timedelta(minutes=70)),
    ]
    assert steps[-1].is_end and steps[-1].end is None and steps[0].end == T0 + timedelta(minutes=10)
    assert current(steps, T0 + timedelta(minutes=59, seconds=59)).position == 1
    assert current(steps, T0 + timedelta(minutes=60)).position == 2
    assert current(steps, T0 + timedelta(hours=5)).is_end
