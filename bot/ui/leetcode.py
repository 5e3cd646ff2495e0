"""The Verify button under a fresh LeetCode link code: it answers every press.

A persistent button (``discord.ui.DynamicItem``): its custom id carries the owner, the member
row and the code, so it keeps working after the view would have timed out and after a
restart — a press on an old code is told the code expired instead of "interaction failed".
"""

from __future__ import annotations

import logging
import math
import re
from typing import Any

import discord

from bot.leetcode import linking
from bot.leetcode.service import get_service
from bot.ui.guard import guarded

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()


class VerifyButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:lcv:(?P<user>[0-9]+):(?P<member>[0-9]+):(?P<code>[A-Za-z0-9-]{1,40})",
):
    def __init__(self, user_id: int, member_id: int, code: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Verify",
                style=discord.ButtonStyle.success,
                custom_id=f"coach:lcv:{user_id}:{member_id}:{code}",
            )
        )
        self.user_id = user_id
        self.member_id = member_id
        self.code = code

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> VerifyButton:
        return cls(int(match["user"]), int(match["member"]), match["code"])

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.user.id != self.user_id:
            await _private(interaction, "These buttons belong to the person who ran the command.")
            return
        service = get_service(interaction.client)
        wait = service.verify_limiter.hit(self.user_id)
        if wait is not None:
            again = f"press **Verify** again in {math.ceil(wait)} s"
            await _private(interaction, f"Give LeetCode a moment — {again}.")
            return
        await interaction.response.defer()  # reading the profile can take a few seconds
        result = await linking.verify_link(
            service, self.member_id, self.code, interaction.client.clock()
        )
        if result.final:
            await interaction.edit_original_response(
                content=result.text, view=None, allowed_mentions=NO_MENTIONS
            )
            return
        # Keep the code on screen so the member can fix the profile and press again.
        shown = (interaction.message.content if interaction.message else "") or ""
        instructions = shown.split("\n\n", 1)[0]
        await interaction.edit_original_response(
            content=f"{instructions}\n\n{result.text}"[:2000],
            view=verify_view(self.user_id, self.member_id, self.code),
            allowed_mentions=NO_MENTIONS,
        )


async def _private(interaction: discord.Interaction[Any], text: str) -> None:
    await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def verify_view(user_id: int, member_id: int, code: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(VerifyButton(user_id, member_id, code))
    return view
