"""/week — a program week at a glance: theme, patterns, targets and one line per day."""

from __future__ import annotations

import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import CoachBot
from bot.core.calendar import BeforeStart, InProgram, Paused
from bot.core.posts import week_heading, week_targets
from bot.render.cohort import day_label
from bot.render.embeds import Chunk, pack_embeds
from bot.render.fit import FIELD_VALUE_MAX
from bot.render.replies import send_embed_messages
from bot.services.progress import member_context
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


def _fields(name: str, lines: list[str]) -> list[Chunk]:
    """Lines packed into as few fields as fit (each line is far below the field limit)."""
    chunks: list[Chunk] = []
    current = ""
    for line in (_clip(x, FIELD_VALUE_MAX) for x in lines):
        if current and len(current) + 1 + len(line) > FIELD_VALUE_MAX:
            chunks.append(Chunk(name if not chunks else f"{name} (cont.)", current))
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(Chunk(name if not chunks else f"{name} (cont.)", current))
    return chunks


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
    chunks = _fields("Overview", overview)
    chunks += _fields("Targets", week_targets(curriculum, week) or ["—"])
    chunks += _fields("Days", [day_line(curriculum, week, d) for d in WEEKDAYS])
    footer = f"Week {week} of {curriculum.week_count}" + (f" · {note}" if note else "")
    return pack_embeds(f"📅 {week_heading(curriculum, week)}", chunks, footer=footer)


class Week(commands.Cog):
    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    @app_commands.command(name="week")
    @app_commands.guild_only()
    @app_commands.describe(number="Week number 1–16 (default: your cohort's current week)")
    async def week(
        self,
        interaction: discord.Interaction,
        number: app_commands.Range[int, 1, 16] | None = None,
    ) -> None:
        """Show a program week at a glance: theme, patterns, targets and each day's blocks."""
        note = None
        if number is None:
            assert interaction.guild_id is not None
            number, note = await self._current_week(interaction.guild_id, interaction.user.id)
        number = min(number, self.bot.curriculum.week_count)
        await send_embed_messages(interaction, week_messages(self.bot.curriculum, number, note))

    async def _current_week(self, guild_id: int, user_id: int) -> tuple[int, str | None]:
        ctx = await member_context(guild_id, user_id, self.bot.curriculum, self.bot.clock())
        cohort, calendar = ctx.cohort, ctx.calendar
        pos = calendar.position(ctx.today)
        if isinstance(pos, InProgram):
            return pos.week, f"your current week ({cohort.name})"
        if isinstance(pos, BeforeStart):
            return 1, f"{cohort.name} starts {day_label(pos.starts_on)}"
        if isinstance(pos, Paused):
            resumed = calendar.position(pos.resumes_on)
            week = resumed.week if isinstance(resumed, InProgram) else 1
            return week, f"{cohort.name} resumes {day_label(pos.resumes_on)}"
        return self.bot.curriculum.week_count, f"{cohort.name} has finished the program"


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(Week(bot))
