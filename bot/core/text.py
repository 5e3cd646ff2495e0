"""Small pure helpers for showing user text safely."""

from __future__ import annotations


def echo(value: str, limit: int = 40) -> str:
    """User text made safe to show inside inline code, shortened to ``limit`` characters."""
    text = value.replace("`", "ˋ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
