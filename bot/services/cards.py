"""``/card``: a Key Insight flash card logged as an entry (it goes into the Anki deck of
``/export``)."""

from __future__ import annotations

from bot.core import entries as rules
from bot.models import EntryKind
from bot.services.logbook import Logged
from bot.services.progress import MemberContext, record, streak_for

MAX_CARD = rules.MAX_NOTES


async def log_card(ctx: MemberContext, front: str, back: str) -> Logged:
    """A Key Insight flash card: ``text`` is the front, ``lesson`` the back."""
    front = rules.clean_text("front", front, MAX_CARD, required=True)
    back = rules.clean_text("back", back, MAX_CARD, required=True)
    entry = await record(ctx, EntryKind.CARD, ctx.today, text=front, lesson=back)
    return Logged(entry, await streak_for(ctx), ctx.today)
