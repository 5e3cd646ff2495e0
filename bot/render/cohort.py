"""Text about a cohort: where a date falls in its program, its next posts, its last post.

Shared by `/today`, `/coach status|preview|setup` and `coach preview`, so each position
(before start, paused, finished) is described the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import discord

from bot.core.calendar import BeforeStart, Finished, InProgram, Paused, Position
from bot.core.posts import SLOT_LABELS
from bot.core.schedule import DueSlot
from bot.core.text import echo, plural
from bot.models import Cohort, Post
from bot.render.embeds import Chunk
from curriculum.loader import Curriculum

DateFormat = Callable[[date], str]


def day_label(day: date) -> str:
    """``Mon 4 Jan 2027``."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def off_program_text(
    pos: BeforeStart | Paused | Finished, when: str, weeks: int, fmt: DateFormat = day_label
) -> str:
    """Why there are no posts on a day (``when`` is already formatted, e.g. "Today")."""
    if isinstance(pos, BeforeStart):
        return (
            f"{when} is before the start: week 1 begins {fmt(pos.starts_on)} "
            f"({plural(pos.days_until, 'day')} to go)."
        )
    if isinstance(pos, Paused):
        return f"{when} is paused; posts resume {fmt(pos.resumes_on)}."
    return f"{when} is after week {weeks} — the program ended {fmt(pos.ended_on)}."


def position_text(pos: Position, curriculum: Curriculum) -> str:
    """Where the cohort is now, for `/coach status`."""
    if not isinstance(pos, InProgram):
        return off_program_text(pos, "Today", curriculum.week_count)
    phase = curriculum.phase_of_week(pos.week)
    return (
        f"Week {pos.week} · {pos.weekday.title()} · {phase.name} — "
        f"{curriculum.week(pos.week).title}"
    )


def slot_line(slot: DueSlot, zone: ZoneInfo) -> str:
    """``Wed 3 Feb 2027 **07:00** (06:00 UTC) · Week 5 Block-A``."""
    local: datetime = slot.due_at.astimezone(zone)
    utc = slot.due_at
    utc_text = f"{utc:%H:%M}" if utc.date() == local.date() else f"{utc:%a %H:%M}"
    return (
        f"{day_label(slot.local_date)} **{local:%H:%M}** ({utc_text} UTC) · "
        f"Week {slot.week} {SLOT_LABELS[slot.slot]}"
    )


def last_post_text(post: Post | None) -> str:
    if post is None:
        return "No posts yet."
    label = SLOT_LABELS.get(post.slot, post.slot)
    text = f"{label} of {day_label(post.local_date)}: **{post.status}**"
    if post.error:
        text += f"\n`{echo(post.error, 300)}`"
    return text


def mentions_text(role: discord.Role | None, perms: discord.Permissions) -> str:
    if role is None:
        return "nobody"
    if role.mentionable or perms.mention_everyone:
        return role.mention
    return f"{role.mention} — ⚠️ not mentionable and I lack Mention Everyone, so it won't ping"


def permissions_text(channel_found: bool, missing: Sequence[str]) -> str:
    if not channel_found:
        return "⚠️ I can't find the channel — run `/coach setup` with a new one."
    if missing:
        return "⚠️ missing " + ", ".join(missing)
    return "✅ all set"


def post_times_text(cohort: Cohort, recap_day_name: str) -> str:
    return (
        f"Weekdays: Block-A {cohort.block_a_time} · Block-B {cohort.block_b_time}\n"
        f"Weekends: session {cohort.weekend_time}\n"
        f"Weekly recap: {recap_day_name} {cohort.recap_time}"
    )


def status_chunks(
    cohort: Cohort,
    *,
    now_text: str,
    program_start: date,
    end_date: date,
    pauses: Sequence[tuple[date, date]],
    upcoming: Sequence[DueSlot],
    last: Post | None,
    permissions: str,
) -> list[Chunk]:
    zone = ZoneInfo(cohort.timezone)
    program = f"Week 1 {day_label(program_start)} → ends {day_label(end_date)}" + "".join(
        f"\nPause {day_label(a)} – {day_label(b)}" for a, b in pauses
    )
    return [
        Chunk("Channel", f"<#{cohort.channel_id}>"),
        Chunk("Time zone", cohort.timezone),
        Chunk("Now", now_text),
        Chunk("Program", program),
        Chunk("Next posts", "\n".join(slot_line(s, zone) for s in upcoming) or "none"),
        Chunk("Last post", last_post_text(last)),
        Chunk("My channel permissions", permissions),
    ]
