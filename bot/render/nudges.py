"""Nudge and buddy-alert text: bounded whatever the group's size."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.text import plural
from bot.render.entries import safe

# Mentions per Block-A post: 25 × ~22 characters keeps the text far below 2,000 characters.
MAX_NUDGES = 25


def nudge_text(user_ids: Sequence[int], more: int = 0) -> str | None:
    """``👋 <@1> <@2> — haven't seen a log from you…`` (``more``: due but not mentioned today)."""
    if not user_ids:
        return None
    mentions = " ".join(f"<@{u}>" for u in user_ids[:MAX_NUDGES])
    text = (
        f"👋 {mentions} — haven't seen a log from you for two days. "
        "Even one `/solve` or `/ledger` line today keeps you moving. We're rooting for you!"
    )
    if more > 0:
        text += f" (And {plural(more, 'more member')} who went quiet: you're next.)"
    return text


def buddy_alert_text(name: str | None, last_active: date) -> str:
    who = safe(name or "Your buddy", 60)
    return (
        f"🤝 Your study buddy **{who}** hasn't logged anything for two days "
        f"(last on {last_active:%a} {last_active.day} {last_active:%b}). "
        "A friendly message might help!"
    )
