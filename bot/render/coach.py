"""How ``/next`` reads: the suggestions with their reasons and the buttons' hint.

Every suggestion lists at most :data:`PROBLEMS_SHOWN` problems, each line is bounded to
:data:`ACTION_LINE` characters, and the answer fits one message
(:data:`bot.render.fit.CONTENT_MAX`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.coach import Action, ActionKind, problem_label
from bot.core.roadmap import day_text
from bot.core.text import plural
from bot.render.fit import CONTENT_MAX, shorten
from curriculum.loader import Curriculum

ACTION_ICONS = {
    ActionKind.BLOCK: "⏱️",
    ActionKind.REVIEW: "🙈",
    ActionKind.PLAN: "🗓️",
    ActionKind.ROADMAP: "🧩",
    ActionKind.REVISIT: "↺",
    ActionKind.DELIVERABLE: "✅",
    ActionKind.ANKI: "🗂️",
    ActionKind.REST: "🌴",
    ActionKind.PAUSED: "⏸️",
    ActionKind.WAITING: "⏳",
    ActionKind.CLEAR: "🎉",
}
PROBLEMS_SHOWN = 3  # problems listed per suggestion
ACTION_LINE = 330  # characters per suggestion line


def problems_text(keys: Sequence[str], curriculum: Curriculum, shown: int = PROBLEMS_SHOWN) -> str:
    # Catalogue titles (roadmap data) or keys of [a-z0-9-]: nothing a member typed.
    labels = [shorten(problem_label(k, curriculum), 70) for k in keys[:shown]]
    more = len(keys) - shown
    return ", ".join(labels) + (f" (+{more} more)" if more > 0 else "")


def action_lines(i: int, action: Action, curriculum: Curriculum) -> list[str]:
    icon = ACTION_ICONS.get(action.kind, "•")
    head = f"**{i}.** {icon} **{shorten(action.title, 160)}**"  # roadmap text, no user text
    if action.problems:
        head += f" — {problems_text(action.problems, curriculum)}"
    return [shorten(head, ACTION_LINE), shorten(f"　↳ {action.reason}", ACTION_LINE)]


def next_text(
    actions: Sequence[Action],
    curriculum: Curriculum,
    *,
    now: datetime,
    zone: ZoneInfo,
    week: int | None,
    skipped: int = 0,
    top: str | None = None,
    more: bool = True,
) -> str:
    """The ``/next`` answer: at most five suggestions with their reasons (≤ 2,000 chars);
    the buttons' hint names only those shown (``top``: Solved it's problem; ``more``: Skip)."""
    local = now.astimezone(zone)
    where = f" · week {week}" if week else ""
    head = f"**🧭 What to do next** · {day_text(local.date())}, {local:%H:%M}{where}"
    if skipped:
        head += f" · {plural(skipped, 'suggestion')} skipped"
    lines = [head]
    if not actions:
        lines.append("That's every suggestion for now — run `/next` again to start over.")
    for i, action in enumerate(actions, start=1 + skipped):
        lines += action_lines(i, action, curriculum)
    hints = []
    if top is not None:
        label = shorten(problem_label(top, curriculum), 80)
        hints.append(f"**Solved it** logs {label} (asks the minutes)")
    if more:
        hints.append("**Skip** shows the next suggestion")
    if hints:
        lines.append("-# " + " · ".join(hints))
    return shorten("\n".join(lines), CONTENT_MAX)
