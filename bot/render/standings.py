"""How the leaderboard and streaks read (bounded: the top rows and your own)."""

from __future__ import annotations

from bot.core.streaks import Streak
from bot.core.text import plural, span
from bot.render.durations import duration_text
from bot.render.entries import safe
from bot.render.fit import Report, Section
from bot.services.standings import Board, Leaderboard

TOP = 15  # rows shown; your own row is added below when you are further down

METRIC_NAMES = {
    Board.SOLVES: "New unique problems",
    Board.POINTS: "Points",
    Board.STREAK: "Current streak",
    Board.TIME: "Time in study rooms",
}


def _value(board: Leaderboard, value: float) -> str:
    if board.metric is Board.STREAK:
        return plural(int(value), "day")
    if board.metric is Board.POINTS:
        return plural(int(value), "point")
    if board.metric is Board.TIME:
        return duration_text(int(value) * 60)
    return plural(int(value), "problem")


def leaderboard_report(board: Leaderboard, me: int) -> Report:
    """The top ``TOP`` rows (ties share a rank) and, further down, the caller's own row."""
    lines = []
    for r in board.rows[:TOP]:
        you = " ← you" if r.key.member_id == me else ""
        lines.append(f"**{r.rank}.** {safe(r.key.name, 40)} — {_value(board, r.value)}{you}")
    mine = next((r for r in board.rows[TOP:] if r.key.member_id == me), None)
    if mine is not None:
        lines.append("…")
        lines.append(
            f"**{mine.rank}.** {safe(mine.key.name, 40)} — {_value(board, mine.value)} ← you"
        )
    title = f"🏆 {METRIC_NAMES[board.metric]} · {span(*board.weeks)}"
    footer = f"{plural(len(board.rows), 'member')} · ties share a rank"
    return Report(title, [Section("Leaderboard", lines or ["Nobody yet."])], footer=footer)


def streak_report_text(current: Streak, best: Streak, logged_today: bool, rest_days: int) -> str:
    today = "✅ logged today" if logged_today else "nothing logged yet today"
    return (
        f"🔥 Current streak: **{plural(current.length, 'day')}** ({today})\n"
        f"🏆 Longest: **{plural(best.length, 'day')}**\n"
        f"A day counts when you log anything or finish a block; up to "
        f"{plural(rest_days, 'rest day')} a week "
        "won't break it."
    )
