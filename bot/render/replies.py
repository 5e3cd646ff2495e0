"""Helpers for sending rendered content as interaction replies."""

from __future__ import annotations

from collections.abc import Sequence

import discord


async def send_embed_messages(
    interaction: discord.Interaction, messages: Sequence[Sequence[discord.Embed]]
) -> None:
    """Send each packed message privately: the first as the response, the rest as follow-ups."""
    none = discord.AllowedMentions.none()
    for i, embeds in enumerate(messages):
        if i == 0 and not interaction.response.is_done():
            await interaction.response.send_message(
                embeds=list(embeds), ephemeral=True, allowed_mentions=none
            )
        else:
            await interaction.followup.send(
                embeds=list(embeds), ephemeral=True, allowed_mentions=none
            )
