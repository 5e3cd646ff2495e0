"""Buttons that survive restarts: their custom id carries everything needed to act.

Registered once with ``bot.add_dynamic_items`` (see ``cogs.reviews`` and ``cogs.buddy``);
discord.py rebuilds them from the custom id on any click, even on messages sent before a
restart, so no view state is kept in memory.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services import buddies, reviews

NO_MENTIONS = discord.AllowedMentions.none()


class ReviewButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:oops:(?P<id>[0-9]+):(?P<action>ok|shaky)",
):
    def __init__(self, review_id: int, action: str) -> None:
        ok = action == "ok"
        super().__init__(
            discord.ui.Button(
                label="Reviewed ✅" if ok else "Still shaky",
                style=discord.ButtonStyle.success if ok else discord.ButtonStyle.secondary,
                custom_id=f"coach:oops:{review_id}:{action}",
            )
        )
        self.review_id = review_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ReviewButton:
        return cls(int(match["id"]), match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        result = await reviews.answer(
            self.review_id, interaction.user.id, self.action == "shaky", interaction.client.clock()
        )
        if not result.ok:
            await interaction.response.send_message(
                result.message, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        content = (interaction.message.content if interaction.message else "") or ""
        await interaction.response.edit_message(
            content=f"{content}\n\n**{result.message}**", view=None
        )


def review_view(review_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReviewButton(review_id, "ok"))
    view.add_item(ReviewButton(review_id, "shaky"))
    return view


class BuddyButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:buddy:(?P<id>[0-9]+):(?P<action>yes|no)",
):
    def __init__(self, pair_id: int, action: str) -> None:
        yes = action == "yes"
        super().__init__(
            discord.ui.Button(
                label="Accept 🤝" if yes else "No thanks",
                style=discord.ButtonStyle.success if yes else discord.ButtonStyle.secondary,
                custom_id=f"coach:buddy:{pair_id}:{action}",
            )
        )
        self.pair_id = pair_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> BuddyButton:
        return cls(int(match["id"]), match["action"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        result = await buddies.respond(
            self.pair_id, interaction.user.id, self.action == "yes", interaction.client.clock()
        )
        if not result.ok:
            await interaction.response.send_message(
                result.message, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
            return
        await interaction.response.edit_message(
            content=result.message, view=None, allowed_mentions=NO_MENTIONS
        )


def buddy_view(pair_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(BuddyButton(pair_id, "yes"))
    view.add_item(BuddyButton(pair_id, "no"))
    return view
