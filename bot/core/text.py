"""Small pure helpers for showing user text safely."""

from __future__ import annotations


def echo(value: str, limit: int = 40) -> str:
    """User text made safe to show inside inline code, shortened to ``limit`` characters."""
    text = value.replace("`", "ˋ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``3 days``, ``2 more members`` (``many``: an irregular plural)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def span(first: int, last: int, word: str = "week", many: str | None = None) -> str:
    """``week 3``, ``weeks 3–5`` (an en dash; ``many``: an irregular plural)."""
    if first == last:
        return f"{word} {first}"
    return f"{many or word + 's'} {first}–{last}"
