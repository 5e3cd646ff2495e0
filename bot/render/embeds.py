"""Planned posts as embeds; ``pack_embeds`` for titled chunks. Fitting is :mod:`bot.render.fit`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import discord

from bot.core.posts import PlannedPost, TaskView
from bot.render.fit import COLOUR, Report, Section, fit

DIFFICULTY_ICONS = {"easy": "🟢", "medium": "🟡", "hard": "🔴"}


@dataclass(frozen=True)
class Chunk:
    """A titled block of text; packed into one or more fields (split at line breaks)."""

    name: str
    value: str


def task_markdown(task: TaskView) -> str:
    minutes = f"**{task.minutes} min** · " if task.minutes else ""
    lines = [f"☐ {task.icon} {minutes}{task.text}"]
    for p in task.problems:
        icon = DIFFICULTY_ICONS.get(p.difficulty, "")
        lines.append(f"　{icon} [LC {p.number} · {p.title}]({p.url}) · {p.difficulty}")
    for link in task.links:
        lines.append(f"　🔗 [{link.title}]({link.url})")
    if task.ledger:
        lines.append(f"　📓 Ledger: {task.ledger}")
    if task.checkpoint:
        lines.append(f"　🏁 **Checkpoint:** {task.checkpoint}")
    return "\n".join(lines)


def post_sections(post: PlannedPost) -> list[Section]:
    sections = [Section(section.title, list(section.lines) or ["—"]) for section in post.intro]
    if post.tasks:
        sections.append(Section("Tasks", [task_markdown(t) for t in post.tasks]))
    return sections


def post_report(
    post: PlannedPost, *, footer: str | None = None, content: str | None = None
) -> Report:
    return Report(post.title, post_sections(post), footer=footer, content=content)


def pack_embeds(
    title: str,
    chunks: Sequence[Chunk],
    *,
    footer: str | None = None,
    colour: discord.Colour = COLOUR,
) -> list[list[discord.Embed]]:
    """Chunks as fields of embeds, one list per message (see :mod:`bot.render.fit`)."""
    report = Report(
        title, [Section(c.name, [c.value]) for c in chunks], footer=footer, colour=colour
    )
    return [m.embeds for m in fit(report)]


def post_messages(post: PlannedPost, *, footer: str | None = None) -> list[list[discord.Embed]]:
    """A planned post as one or more messages of embeds."""
    return [m.embeds for m in fit(post_report(post, footer=footer))]
