"""How log entries and logging replies read. User text is escaped for Markdown here and
always sent with mentions disabled by the caller."""

from __future__ import annotations

from datetime import date

from discord.utils import escape_markdown, escape_mentions

from bot.core import entries as rules
from bot.core.progress import SolveSummary, target_text
from bot.core.streaks import Streak
from bot.models import Entry
from bot.render.fit import shorten, size
from bot.services.logbook import Logged, SolveLogged

ICONS = {
    "solve": "🧩",
    "oops": "🙈",
    "mock": "🎤",
    "contest": "🏆",
    "anki": "🗂️",
    "done": "✅",
    "ledger": "📓",
    "win": "🌟",
    "card": "💡",
}
KIND_NAMES = {
    "solve": "Solve",
    "oops": "Oops",
    "mock": "Mock interview",
    "contest": "Contest",
    "anki": "Anki",
    "done": "Done",
    "ledger": "Ledger",
    "win": "Win",
    "card": "Card",
}


def _escape(value: str) -> str:
    return escape_mentions(escape_markdown(value))


def safe(text: str | None, limit: int = 200) -> str:
    """User text shown in a message: Markdown and mentions neutralised, on one line, and at
    most ``limit`` characters *after* escaping (an escaped ``*`` counts twice)."""
    value = " ".join((text or "").split("\n"))
    escaped = _escape(value)
    if size(escaped) <= limit:
        return escaped
    lo, hi = 0, len(value)  # the longest raw prefix whose escaped form leaves room for "…"
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size(_escape(value[:mid].rstrip("\\"))) <= limit - 1:
            lo = mid
        else:
            hi = mid - 1
    return _escape(value[:lo].rstrip("\\")) + "…"


def short_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def problem_label(entry: Entry) -> str:
    if entry.problem_number is not None:
        title = f" {safe(entry.problem_title, 80)}" if entry.problem_title else ""
        return f"#{entry.problem_number}{title}"
    return safe(entry.problem_slug or entry.problem_key or "?", 80)


def entry_summary(entry: Entry, item_titles: dict[str, str] | None = None) -> str:
    """One line describing an entry without its id and date."""
    kind = entry.kind
    if kind == "solve":
        minutes = f"{entry.minutes} min" if entry.minutes is not None else ""
        parts = [problem_label(entry), entry.difficulty or "?", minutes]
        parts += [rules.LANGUAGES.get(entry.language or "", ""), entry.mode or ""]
        if entry.source == "leetcode":
            parts.append("imported")
        text = " · ".join(p for p in parts if p)
    elif kind == "oops":
        where = f" ({problem_label(entry)})" if entry.problem_key else ""
        text = f"{safe(entry.text, 80)} → {safe(entry.lesson, 80)}{where}"
    elif kind == "mock":
        text = (
            f"{rules.MOCK_KINDS.get(entry.mock_kind or '', '?')} · "
            f"{rules.RATINGS.get(entry.rating or '', '?')}"
        )
        if entry.platform:
            text += f" · {rules.PLATFORMS.get(entry.platform, entry.platform)}"
    elif kind == "contest":
        text = f"top {entry.percentile:g} %"
        if entry.contest_name:
            text = f"{safe(entry.contest_name, 60)} · {text}"
        if entry.rank is not None:
            text += f" · rank {entry.rank}"
        if entry.solved_count is not None:
            text += f" · {entry.solved_count} solved"
    elif kind == "anki":
        text = f"{entry.reviewed} reviewed"
        if entry.new_cards is not None:
            text += f" · {entry.new_cards} new"
        if entry.mature_total is not None:
            text += f" · {entry.mature_total} mature"
    elif kind == "done":
        titles = item_titles or {}
        text = safe(titles.get(entry.item_id or "", entry.item_id), 100)
        if entry.quantity is not None and entry.quantity != 1:
            text += f" × {entry.quantity}"
    else:
        text = safe(entry.text, 120)
    return f"{ICONS.get(kind, '•')} {KIND_NAMES.get(kind, kind)}: {text}"


ENTRY_LINE_MAX = 180  # ten lines and a heading fit one 2,000-character /log page


def entry_line(entry: Entry, item_titles: dict[str, str] | None = None) -> str:
    """``#42 · Tue 2 Feb · 🧩 Solve: #347 Top K … · medium · 24 min`` (≤ ENTRY_LINE_MAX)."""
    week = f" · W{entry.week}" if entry.week else ""
    summary = entry_summary(entry, item_titles)
    return shorten(
        f"`#{entry.id}` {short_date(entry.local_date)}{week} · {summary}", ENTRY_LINE_MAX
    )


def streak_text(streak: Streak) -> str:
    if streak.length == 0:
        return "No streak yet — log something today to start one."
    days = "day" if streak.length == 1 else "days"
    return f"🔥 Streak: {streak.length} {days}"


def totals_text(summary: SolveSummary) -> str:
    lines = []
    if summary.week is not None:
        lines.append(
            f"Week {summary.week}: **{summary.week_new}/{summary.weekly_target}** new problems"
            + (
                f" ({summary.week_entries} solves with revisits)"
                if summary.week_entries != summary.week_new
                else ""
            )
        )
    total = f"Total: **{summary.cumulative}** unique problems"
    target = target_text(summary.target)
    lines.append(f"{total} · {target}" if target else total)
    return "\n".join(lines)


def solve_reply(result: SolveLogged) -> str:
    entry = result.entry
    head = f"Logged `#{entry.id}` · {entry_summary(entry)}"
    if result.backdated:
        head += f" (for {short_date(entry.local_date)})"
    lines = [head]
    if result.revisit:
        lines.append(
            "↺ A revisit: you've solved this problem before, so it counts as practice, "
            "not as a new unique problem."
        )
    lines += [totals_text(result.summary), streak_text(result.streak)]
    return "\n".join(lines)


def public_solve_line(name: str, result: SolveLogged) -> str:
    """The short line in the cohort channel."""
    e = result.entry
    what = "revisited" if result.revisit else "solved"
    return (
        f"**{safe(name, 60)}** {what} {problem_label(e)} · {e.difficulty} · {e.minutes} min"
        f" — {result.summary.week_entries} this week"
    )


def logged_reply(result: Logged, extra: str = "") -> str:
    """The private confirmation of a non-solve entry."""
    head = f"Logged `#{result.entry.id}` · {entry_summary(result.entry)}"
    if result.backdated:
        head += f" (for {short_date(result.entry.local_date)})"
    return "\n".join(x for x in (head, extra, streak_text(result.streak)) if x)
