"""/week's answer: a program week at a glance — theme, patterns, targets and one line per
day, each task shortened to a few words (pure: curriculum in, embeds out)."""

from __future__ import annotations

import re

import discord

from bot.core.posts import week_heading, week_targets
from bot.render.fit import Report, Section, fit
from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAY_NAMES, WEEKDAYS
from curriculum.week_schema import Block, Session, Task

LABEL_MAX = 60
BLOCK_MAX = 140
# Where a task's short label ends: "Guided LC: …", "Timed mediums (…", "Read X. Then…".
_CUT = re.compile(r":\s|\s\(|(?<!e\.g)(?<!i\.e)\.\s|;\s|\s[—–]\s")


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    return text[: cut if cut > limit // 2 else limit - 1].rstrip(" ,;:") + "…"


def task_label(task: Task) -> str:
    """A task in a few words: ``Timed mediums (LC-347, LC-49)``, ``Self-review…``."""
    match = _CUT.search(task.text)
    head = (task.text[: match.start()] if match else task.text).strip().rstrip(".")
    shortened = head != task.text.strip().rstrip(".")
    head = _clip(head, LABEL_MAX)
    if task.problems:
        return f"{head} ({', '.join(f'LC-{n}' for n in task.problems)})"
    return head + "…" if shortened and not head.endswith("…") else head


def _block(block: Block | Session) -> str:
    return _clip(" + ".join(task_label(t) for t in block.tasks), BLOCK_MAX)


def day_line(curriculum: Curriculum, week: int, weekday: str) -> str:
    day = curriculum.day(week, weekday)
    parts = [WEEKDAY_NAMES[weekday]]
    if day.session is not None:
        parts.append(f"Session: {_block(day.session)}")
    if day.block_a is not None:
        parts.append(f"A: {_block(day.block_a)}")
    if day.block_b is not None:
        parts.append(f"B: {_block(day.block_b)}")
    if len(parts) == 1:
        parts.append("rest")
    return " · ".join(parts)


def week_messages(
    curriculum: Curriculum, week: int, note: str | None = None
) -> list[list[discord.Embed]]:
    """The week at a glance as packed embed messages (always within Discord's limits)."""
    w = curriculum.week(week)
    phase = curriculum.phase_of_week(week)
    overview = [phase.name]
    if w.patterns:
        overview.append("Patterns: " + ", ".join(w.patterns))
    if w.ml_topic:
        overview.append(f"ML topic: {w.ml_topic}")
    overview += list(w.goals)
    sections = [
        Section("Overview", overview),
        Section("Targets", week_targets(curriculum, week) or ["—"]),
        Section("Days", [day_line(curriculum, week, d) for d in WEEKDAYS]),
    ]
    footer = f"Week {week} of {curriculum.week_count}" + (f" · {note}" if note else "")
    report = Report(f"📅 {week_heading(curriculum, week)}", sections, footer=footer)
    return [m.embeds for m in fit(report)]
