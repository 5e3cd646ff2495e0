"""Plurals and ranges read as words, wherever a count or a span of weeks is shown."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import BeforeStart, InProgram
from bot.core.posts import phase_opening, plan_post
from bot.core.text import plural, span
from bot.render.cohort import off_program_text
from curriculum.loader import Curriculum


def test_plural() -> None:
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(3, "entry", "entries") == "3 entries"
    assert plural(1, "entry", "entries") == "1 entry"


def test_span() -> None:
    assert span(3, 3) == "week 3"
    assert span(2, 4) == "weeks 2–4"
    assert span(1, 2, "day") == "days 1–2"


def test_countdown_says_day_or_days() -> None:
    one = off_program_text(BeforeStart(date(2027, 1, 4), 1), "Today", 16)
    three = off_program_text(BeforeStart(date(2027, 1, 4), 3), "Today", 16)
    assert one.endswith("(1 day to go).") and three.endswith("(3 days to go).")


def test_one_week_phases_read_as_one_week(curriculum: Curriculum) -> None:
    single = [p for p in curriculum.program.phases if p.weeks[0] == p.weeks[1]]
    assert single  # the roadmap has one-week phases (the set-up week, the finale)
    for phase in single:
        first = phase_opening(curriculum, phase.number).lines[0]
        assert first.startswith(f"Week {phase.weeks[0]}") and "–" not in first.split(" · ")[0]
    phase = curriculum.phase_of_week(1).number
    first_day = InProgram(week=1, weekday="mon", phase=phase, day_index=0)
    kickoff = plan_post(first_day, "kickoff", curriculum)
    text = "\n".join(line for section in kickoff.intro for line in section.lines)
    assert "weeks 1–1" not in text and "week 1" in text
    assert "weeks 2–4" in text
