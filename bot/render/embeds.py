"""Render planned posts as Discord embeds, splitting (never truncating) at Discord's limits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import discord

from bot.core.posts import PlannedPost, TaskView

TITLE_MAX = 256
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
EMBED_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
COLOUR = discord.Colour.from_rgb(88, 101, 242)
DIFFICULTY_ICONS = {"easy": "🟢", "medium": "🟡", "hard": "🔴"}


@dataclass(frozen=True)
class Chunk:
    name: str
    value: str


def _split_text(text: str, limit: int) -> list[str]:
    """Split at line breaks, then spaces, then hard; every piece ≤ limit, nothing lost."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line) > limit:
            cut = line.rfind(" ", 0, limit)
            cut = cut if cut > limit // 2 else limit
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        current = line
    if current:
        pieces.append(current)
    return pieces or [""]


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


def post_chunks(post: PlannedPost) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in post.intro:
        body = "\n".join(section.lines) or "—"
        chunks += _chunks(section.title, body)
    if post.tasks:
        body = "\n".join(task_markdown(t) for t in post.tasks)
        chunks += _chunks("Tasks", body)
    return chunks


def _chunks(name: str, body: str) -> list[Chunk]:
    parts = _split_text(body, FIELD_VALUE_MAX)
    name = name[:FIELD_NAME_MAX]
    return [
        Chunk(name if i == 0 else f"{name} (cont.)"[:FIELD_NAME_MAX], part)
        for i, part in enumerate(parts)
    ]


def pack_embeds(
    title: str,
    chunks: Sequence[Chunk],
    *,
    footer: str | None = None,
    colour: discord.Colour = COLOUR,
) -> list[list[discord.Embed]]:
    """Pack fields into embeds and embeds into messages; returns one list per message."""
    titles = _split_text(title, TITLE_MAX)
    head, extra_title = titles[0], "\n".join(titles[1:])
    chunk_list = list(chunks)
    if extra_title:
        chunk_list.insert(0, Chunk("​", extra_title))
    embeds: list[discord.Embed] = []
    embed = discord.Embed(title=head, colour=colour)
    size = len(head) + len(footer or "")
    for chunk in chunk_list:
        cost = len(chunk.name) + len(chunk.value)
        if len(embed.fields) >= FIELDS_MAX or size + cost > EMBED_TOTAL_MAX:
            embeds.append(embed)
            cont = f"{head} (cont.)"[:TITLE_MAX]
            embed = discord.Embed(title=cont, colour=colour)
            size = len(cont) + len(footer or "")
        embed.add_field(name=chunk.name, value=chunk.value, inline=False)
        size += cost
    embeds.append(embed)
    if footer:
        for e in embeds:
            e.set_footer(text=footer)
    return _pack_messages(embeds)


def _pack_messages(embeds: Iterable[discord.Embed]) -> list[list[discord.Embed]]:
    messages: list[list[discord.Embed]] = [[]]
    total = 0
    for embed in embeds:
        size = len(embed)
        if len(messages[-1]) >= EMBEDS_PER_MESSAGE or (
            messages[-1] and total + size > EMBED_TOTAL_MAX
        ):
            messages.append([])
            total = 0
        messages[-1].append(embed)
        total += size
    return messages


def post_messages(post: PlannedPost, *, footer: str | None = None) -> list[list[discord.Embed]]:
    """A planned post as one or more messages of embeds."""
    return pack_embeds(post.title, post_chunks(post), footer=footer)
