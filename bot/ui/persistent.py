"""Buttons that survive restarts: their custom id carries everything needed to act.

Registered once with ``bot.add_dynamic_items`` (see ``cogs.reviews`` and ``cogs.buddy``);
discord.py rebuilds them from the custom id on any click, even on messages sent before a
restart, so no view state is kept in memory.
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.render.fit import CONTENT_MAX, shorten, size
from bot.services import buddies, reviews
from bot.ui.guard import guarded

NO_MENTIONS = discord.AllowedMentions.none()


async def _private(interaction: discord.Interaction[Any], text: str) -> None:
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def _appended(content: str, note: str) -> str:
    """The message with the answer below it (the note always fits; the head is cut first)."""
    tail = f"\n\n**{note}**"
    return shorten(content, CONTENT_MAX - size(tail)) + tail


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

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        result = await reviews.answer(  # database trouble: answered by @guarded
            self.review_id, interaction.user.id, self.action == "shaky", interaction.client.clock()
        )
        if not result.ok and not result.closed:
            await _private(interaction, result.message)
            return
        content = (interaction.message.content if interaction.message else "") or ""
        await interaction.response.edit_message(
            content=_appended(content, result.message), view=None, allowed_mentions=NO_MENTIONS
        )


def review_view(review_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(ReviewButton(review_id, "ok"))
    view.add_item(ReviewButton(review_id, "shaky"))
    return view


BUDDY_LABELS = {"yes": "Accept 🤝", "no": "No thanks", "withdraw": "Withdraw (asker only)"}


class BuddyButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:buddy:(?P<id>[0-9]+):(?P<action>yes|no|withdraw)",
):
    def __init__(self, pair_id: int, action: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=BUDDY_LABELS[action],
                style=discord.ButtonStyle.success
                if action == "yes"
                else discord.ButtonStyle.secondary,
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

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        now = interaction.client.clock()
        if self.action == "withdraw":  # database trouble: answered by @guarded
            result = await buddies.withdraw_one(self.pair_id, interaction.user.id, now)
        else:
            result = await buddies.respond(
                self.pair_id, interaction.user.id, self.action == "yes", now
            )
        if not result.ok and not result.closed:
            await _private(interaction, result.message)
            return
        await interaction.response.edit_message(
            content=result.message, view=None, allowed_mentions=NO_MENTIONS
        )


def buddy_view(pair_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in ("yes", "no", "withdraw"):
        view.add_item(BuddyButton(pair_id, action))
    return view
