"""Interaction replies, fitted by :mod:`bot.render.fit`: private, mentions disabled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import discord

from bot.render.fit import OutMessage, Report, ensure_fits, fit, text_messages

NO_MENTIONS = discord.AllowedMentions.none()


async def send_messages(
    interaction: discord.Interaction[Any],
    messages: Sequence[OutMessage],
    *,
    view: discord.ui.View | None = None,
    ephemeral: bool = True,
) -> None:
    """The first message answers the interaction, the rest are follow-ups; ``view`` goes
    with the last one (buttons under the whole answer)."""
    for i, out in enumerate(messages):
        ensure_fits(out)
        extra: dict[str, Any] = {}
        if view is not None and i == len(messages) - 1:
            extra["view"] = view
        if out.files:
            extra["files"] = out.discord_files()
        kwargs: dict[str, Any] = {
            "content": out.content,
            "embeds": list(out.embeds),
            "ephemeral": ephemeral,
            "allowed_mentions": NO_MENTIONS,
            **extra,
        }
        if i == 0 and not interaction.response.is_done():
            await interaction.response.send_message(**kwargs)
        else:
            await interaction.followup.send(**kwargs)


async def send_report(
    interaction: discord.Interaction[Any],
    report: Report,
    *,
    view: discord.ui.View | None = None,
    ephemeral: bool = True,
) -> None:
    await send_messages(interaction, fit(report), view=view, ephemeral=ephemeral)


async def send_text(
    interaction: discord.Interaction[Any],
    text: str,
    *,
    view: discord.ui.View | None = None,
    ephemeral: bool = True,
) -> None:
    await send_messages(interaction, text_messages(text), view=view, ephemeral=ephemeral)


async def send_embed_messages(
    interaction: discord.Interaction[Any], messages: Sequence[Sequence[discord.Embed]]
) -> None:
    """Already packed embeds (``pack_embeds``), one list per message."""
    await send_messages(interaction, [OutMessage(embeds=list(m)) for m in messages])
