"""How check-ins, study time, study rooms and focus timers read.

Every text here is short and bounded (a handful of lines, names escaped with ``safe``);
callers send it with mentions disabled through :mod:`bot.render.fit`. Times are shown as
Discord timestamps (``<t:…:t>``), which every reader sees in their own zone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.core.posts import SLOT_LABELS
from bot.core.text import plural
from bot.render.durations import bar, duration_text
from bot.render.entries import entry_summary, safe, short_date, streak_text, totals_text
from bot.render.fit import Report, Section, shorten
from bot.services.attendance import BlockInfo, BlockSolves, Pressed
from bot.services.focus import TimerView
from bot.services.study_rooms import Room
from bot.sessions.models import BlockAttendance, FocusPhase

ICONS = {"anki": "🗂️", "focus": "⌨️", "reflect": "📓", "break": "☕", "end": "🏁"}


def at(moment: datetime, style: str = "t") -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def slot_label(slot: str) -> str:
    return SLOT_LABELS.get(slot, slot)


# -- block check-ins -----------------------------------------------------------------------
def _already(label: str, row: BlockAttendance) -> str:
    if row.status == "done":
        how = " (your time in a study room counted it)" if row.done_by == "voice" else ""
        when = f" at {at(row.done_at)}" if row.done_at else ""
        solves = (
            f" and logged {plural(row.solve_count, 'solve')} (`/log` shows them)"
            if row.solves_at is not None and row.solve_count
            else ""
        )
        return f"**{label}** is already ✅ done{when}{how}{solves}."
    if row.status == "started":
        when = f" at {at(row.started_at)}" if row.started_at else ""
        return f"You already pressed ▶ Starting{when} — press ✅ Done when you finish."
    return "You already skipped this block. Changed your mind? ▶ Starting or ✅ Done still work."


def press_text(info: BlockInfo, pressed: Pressed, action: str) -> str:
    """The private answer to ▶ Starting / ✅ Done / Skip today."""
    label = info.ref.label
    day = short_date(info.ref.day)
    if not pressed.changed:
        return _already(label, pressed.row)
    mind = "Changed your mind — " if pressed.previous == "skipped" else ""
    if action == "start":
        return (
            f"{mind}▶ **{label}** ({day}) started — good luck! Press ✅ Done on the post when "
            "you finish; the timer below runs the roadmap's micro-routine."
        )
    if action == "skip":
        gave_up = "Okay — " if pressed.previous != "started" else "No problem — "
        return (
            f"{gave_up}**{label}** ({day}) skipped. Changed your mind? "
            "▶ Starting or ✅ Done still work."
        )
    return f"{mind}✅ **{label}** ({day}) done — nice work!"


def public_start_line(name: str, label: str) -> str:
    return f"▶ **{safe(name, 60)}** started {label}"


SOLVES_SHOWN = 8  # solve lines in the Done answer (one message whatever the block)


def solves_text(info: BlockInfo, result: BlockSolves) -> str:
    label = info.ref.label
    if result.already:
        return (
            f"This {label}'s solves were already logged with its ✅ Done — nothing was logged "
            "twice (`/log` shows them)."
        )
    if not result.results:
        return f"✅ **{label}** done — nothing to log. `/solve` logs anything else you did."
    lines = [f"✅ **{label}** done · logged {plural(len(result.results), 'solve')}:"]
    for r in result.results[:SOLVES_SHOWN]:
        revisit = " ↺ revisit" if r.revisit else ""
        lines.append(shorten(f"`#{r.entry.id}` {entry_summary(r.entry)}{revisit}", 200))
    hidden = len(result.results) - SOLVES_SHOWN
    if hidden > 0:
        lines.append(f"…and {hidden} more — `/log` shows them")
    last = result.results[-1]
    lines += [totals_text(last.summary), streak_text(last.streak)]
    return "\n".join(lines)


# -- study time ----------------------------------------------------------------------------
PERIOD_TITLES = {"today": "today", "week": "this week", "phase": "this phase"}


def studytime_report(
    period: str,
    first: date,
    last: date,
    today: date,
    by_day: dict[date, int],
    planned_so_far: int,
    planned_total: int,
    blocks: dict[str, int],
    blocks_planned: int,
    in_room: bool,
    week_of: dict[date, int],
    has_rooms: bool,
) -> Report:
    """``/studytime``: time in study rooms against the roadmap's planned hours, with bars."""
    total = sum(by_day.values())
    done_blocks = sum(blocks.values())
    lines = [
        f"🎧 **{duration_text(total)}** in study rooms"
        + (" (you're in one now)" if in_room else ""),
        f"🗓️ Planned so far: {duration_text(planned_so_far * 60)}"
        + (f" of {duration_text(planned_total * 60)}" if planned_total != planned_so_far else ""),
        bar(total, planned_so_far * 60) if planned_so_far else "Nothing planned yet.",
        f"🧱 Blocks done: **{done_blocks} / {blocks_planned}**"
        + (
            " (" + " · ".join(f"{slot_label(s)} {n}" for s, n in sorted(blocks.items()) if n) + ")"
            if done_blocks
            else ""
        ),
    ]
    if not has_rooms:
        lines.append(
            "No study rooms here yet — a server manager adds them with `/coach rooms add`."
        )
    sections = [Section("So far", lines)]
    if period == "week":
        rows = []
        day = first
        while day <= min(last, today):
            seconds = by_day.get(day, 0)
            rows.append(f"`{day:%a}` {duration_text(seconds)}")
            day = date.fromordinal(day.toordinal() + 1)
        sections.append(Section("By day", rows or ["—"]))
    elif period == "phase":
        weeks: dict[int, int] = {}
        for day, seconds in by_day.items():
            weeks[week_of.get(day, 0)] = weeks.get(week_of.get(day, 0), 0) + seconds
        rows = [f"Week {w}: {duration_text(s)}" for w, s in sorted(weeks.items()) if w]
        sections.append(Section("By week", rows or ["—"]))
    span = short_date(first) if first == last else f"{short_date(first)} – {short_date(last)}"
    return Report(
        f"⏱️ Study time — {PERIOD_TITLES.get(period, period)}",
        sections,
        footer=f"{span} · weekday blocks 2 × 90 min, weekend sessions 3 h · your time zone",
    )


# -- study rooms ---------------------------------------------------------------------------
def rooms_lines(rooms: Sequence[Room], ignore: dict[int, bool]) -> list[str]:
    lines = []
    for r in rooms:
        deaf = "self-deafened time not counted" if ignore.get(r.cohort_id) else "all time counted"
        lines.append(f"🎧 <#{r.channel_id}> → cohort **{safe(r.cohort_name, 64)}** · {deaf}")
    return lines


# -- focus timers --------------------------------------------------------------------------
def phase_line(phase: FocusPhase) -> str:
    icon = ICONS.get(phase.kind, "⏱️")
    return f"{icon} **{phase.minutes} min** {safe(phase.name, 120)}"


def _steps(view: TimerView) -> list[FocusPhase]:
    return [p for p in view.phases if p.kind != "end"]


def focus_started_text(view: TimerView, label: str, *, group: bool, where: str) -> str:
    steps = _steps(view)
    first = steps[0]
    then = " → ".join(f"{ICONS.get(p.kind, '⏱️')} {p.minutes} min" for p in steps[1:])
    what = "Shared focus timer started" if group else "Focus timer started"
    lines = [
        f"⏱️ **{what}** — {safe(label, 60)} "
        f"({duration_text(view.total_minutes * 60)}), ends {at(view.timer.ends_at)}.",
        f"Now: {phase_line(first)} — until {at(view.phases[1].due_at)}",
    ]
    if then:
        lines.append(f"Then: {then}")
    lines.append(f"I'll announce each change {where}. `/focus status` · `/focus stop`")
    return "\n".join(lines)


def phase_text(view: TimerView, phase: FocusPhase, now: datetime, *, group: bool) -> str:
    """The announcement of one phase change (or of the end)."""
    steps = _steps(view)
    late = int((now - phase.due_at).total_seconds() // 60)
    note = f"\n_(I was offline — this is {plural(late, 'minute')} late.)_" if late >= 1 else ""
    head = "⏱️ Focus room" if group else "⏱️ Focus"
    if phase.kind == "end":
        minutes = sum(p.minutes for p in steps)
        ledger = " The button below opens your 📓 Learning Ledger line."
        return (
            f"🏁 **{head}: routine done** — {duration_text(minutes * 60)} well spent.{ledger}{note}"
        )
    nxt = next((p for p in view.phases if p.position == phase.position + 1), None)
    until = f", until {at(nxt.due_at)}" if nxt is not None else ""
    lines = [f"{head} · phase {phase.position + 1} of {len(steps)}: {phase_line(phase)}{until}"]
    following = next((p for p in steps if p.position == phase.position + 1), None)
    if following is not None:
        icon = ICONS.get(following.kind, "⏱️")
        lines.append(f"Next: {icon} {following.minutes} min {safe(following.name, 80)}")
    if phase.kind == "reflect":
        lines.append("Reflect on the session — the 📓 button opens your ledger line.")
    return "\n".join(lines) + note


def focus_status_text(view: TimerView, now: datetime, *, group: bool) -> str:
    running = view.at(now)
    who = "This room's focus timer" if group else "Your focus timer"
    lines = [f"⏱️ **{who}** — ends {at(view.timer.ends_at)} ({at(view.timer.ends_at, 'R')})"]
    for p in _steps(view):
        mark = (
            "▶" if p.position == running.position else ("✅" if p.due_at < running.due_at else "·")
        )
        lines.append(f"{mark} {phase_line(p)} — {at(p.due_at)}")
    return "\n".join(lines)
