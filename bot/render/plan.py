"""How ``/plan`` reads: the catch-up plan day by day, its progress and the gap it closes.

Problem titles are shortened and pattern names go through :func:`bot.render.entries.safe`.
"""

from __future__ import annotations

from bot.core.catchup import Plan
from bot.core.coach import problem_label
from bot.core.posts import SLOT_LABELS
from bot.core.roadmap import day_text
from bot.render.entries import safe
from bot.render.fit import Section, shorten
from bot.services.coach import PlanView
from curriculum.loader import Curriculum


def plan_lines(plan: Plan, done: frozenset[int], curriculum: Curriculum) -> list[str]:
    """One line per day: its blocks and problems, ✅ for those done; rest days marked."""
    days = sorted({it.day for it in plan.items} | set(plan.rest_days))
    lines = []
    for day in days:
        if day in plan.rest_days:
            lines.append(f"🌴 **{day_text(day)}** — rest day")
            continue
        parts = []
        for i, it in enumerate(plan.items):
            if it.day != day:
                continue
            mark = "✅ " if i in done else ""
            if it.key is None:
                what = f"any new {it.difficulty} problem" + (
                    f" ({safe(it.pattern, 60)})" if it.pattern else ""
                )
            else:
                what = shorten(problem_label(it.key, curriculum), 70)
            parts.append(f"{mark}{SLOT_LABELS.get(it.slot, it.slot)}: {what} ~{it.minutes} min")
        minutes = sum(it.minutes for it in plan.items if it.day == day)
        lines.append(f"**{day_text(day)}** ({minutes} min) — " + " · ".join(parts))
    return lines


def plan_sections(view: PlanView, curriculum: Curriculum) -> tuple[str, list[Section]]:
    """(description, sections) of ``/plan``."""
    if view.plan is None:
        note = view.result.note if view.result else "No plan."
        return note, []
    plan = view.plan
    done = len(view.done)
    head = [
        f"Week {plan.week} · {day_text(plan.starts_on)} – {day_text(plan.ends_on)} · "
        f"**{done}/{len(plan.items)}** done"
    ]
    if view.result is not None:
        head.append(view.result.note)
    if view.gap_before is not None and view.gap_now is not None and not view.created:
        head.append(
            f"Gap to the roadmap's pace: {view.gap_before} when planned → "
            f"**{max(0, view.gap_now)}** now"
        )
    head.append("`/next` walks you through it; **Solved it** there ticks a problem off.")
    return "\n".join(head), [Section("🗓️ The plan", plan_lines(plan, view.done, curriculum))]
