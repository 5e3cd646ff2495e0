"""``coach curriculum check|export`` and ``coach preview``: the curriculum data, checked, as
JSON, or as the posts a cohort gets on a date."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.support import shipped_curriculum
from bot.core.text import plural
from curriculum.issues import CurriculumError
from curriculum.loader import Curriculum, load_curriculum


def cmd_check(directory: Path | None) -> int:
    try:
        curriculum = load_curriculum(directory)
    except CurriculumError as exc:
        for issue in exc.issues:
            print(f"error: {issue}")
        print(plural(len(exc.issues), "error"))
        return 1
    for warning in curriculum.warnings:
        print(f"warning: {warning}")
    print(
        f"ok: {len(curriculum.weeks)} weeks, {len(curriculum.problems)} problems, "
        f"{len(curriculum.targets.milestones)} milestones, "
        f"{plural(len(curriculum.warnings), 'warning')}"
    )
    return 0


def preview_text(curriculum: Curriculum, start: date, day: date, zone: ZoneInfo) -> str:
    from bot.core.calendar import CohortCalendar, InProgram
    from bot.core.posts import plan_day
    from bot.render.cohort import off_program_text
    from bot.render.text import render_post

    phases = {w: curriculum.weeks[w].phase for w in curriculum.weeks}
    calendar = CohortCalendar(start=start, zone=zone, weeks=curriculum.week_count, phases=phases)
    pos = calendar.position(day)
    if not isinstance(pos, InProgram):
        return off_program_text(pos, day.isoformat(), curriculum.week_count, date.isoformat)
    phase = curriculum.phase(curriculum.week(pos.week).phase)
    header = (
        f"{day.isoformat()} ({day.strftime('%A')}) · week {pos.week} · {phase.name} · {zone.key}"
    )
    posts = plan_day(pos, curriculum)
    return header + "\n\n" + "\n\n".join(render_post(p) for p in posts)


def cmd_export() -> int:
    json.dump(shipped_curriculum().to_json_dict(), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def cmd_preview(start: date, day: date, zone: ZoneInfo) -> int:
    print(preview_text(shipped_curriculum(), start, day, zone))
    return 0
