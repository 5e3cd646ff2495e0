"""Where a cohort is in its program on a page's day (pure): the state line both progress
pages' headers show ("Week 5 of 16 · Wed", "Paused — resumes …",
"Finished on …", "Starts …")."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import CohortCalendar, Finished, InProgram, Paused
from bot.core.roadmap import day_text


def state_text(calendar: CohortCalendar, today: date) -> str:
    pos = calendar.position(today)
    if isinstance(pos, InProgram):
        return f"Week {pos.week} of {calendar.weeks} · {day_text(today)}"
    if isinstance(pos, Paused):
        return f"Paused — resumes {day_text(pos.resumes_on)}"
    if isinstance(pos, Finished):
        return f"Finished on {day_text(pos.ended_on)}"
    return f"Starts {day_text(calendar.program_start)}"
