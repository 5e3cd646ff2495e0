"""Durations and progress bars as short text (no imports: recap, leaderboard and sessions
all use them)."""

from __future__ import annotations

BAR = 12  # cells of a progress bar


def duration_text(seconds: int) -> str:
    """``45 min``, ``2 h``, ``7 h 30 min`` (whole minutes, rounded down)."""
    minutes = max(0, seconds) // 60
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def hours_text(seconds: int) -> str:
    """Compact hours for lists: ``7.5 h``, ``12 h``."""
    text = f"{max(0, seconds) / 3600:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + " h"


def bar(done: float, total: float, width: int = BAR) -> str:
    """``▰▰▰▱▱▱▱▱▱▱▱▱ 25 %`` (full past 100 %)."""
    share = done / total if total > 0 else 0.0
    filled = min(width, round(width * share))
    return "▰" * filled + "▱" * (width - filled) + f" {round(100 * share)} %"


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"
