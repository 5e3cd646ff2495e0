"""Views: owner-only pagination and an owner-only confirmation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.errors import UserFacingError
from bot.ui.guard import GuardedView

NO_MENTIONS = discord.AllowedMentions.none()
PageFetcher = Callable[[int], Awaitable[tuple[str, int]]]  # page → (text, page count)


class OwnerView(GuardedView):
    """A view only the member who opened it can use."""

    def __init__(self, owner_id: int, *, timeout: float = 300) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "These buttons belong to the person who ran the command.",
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return False


class Pager(OwnerView):
    """◀ / ▶ through pages produced by ``fetch(page)``."""

    def __init__(self, owner_id: int, fetch: PageFetcher, pages: int) -> None:
        super().__init__(owner_id)
        self.fetch = fetch
        self.page = 0
        self.pages = pages
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def _show(self, interaction: discord.Interaction[Any], page: int) -> None:
        text, self.pages = await self.fetch(page)
        self.page = min(page, max(self.pages - 1, 0))
        self._sync()
        await interaction.response.edit_message(content=text, view=self)

    @discord.ui.button(label="◀ Newer", style=discord.ButtonStyle.secondary)
    async def previous(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Older ▶", style=discord.ButtonStyle.secondary)
    async def next(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._show(interaction, self.page + 1)


@dataclass(frozen=True)
class Answer:
    """What a confirmed action says, and slower work (DMs, message edits) to do once the
    press is answered, so Discord's 3 seconds are never spent on it."""

    text: str
    then: Callable[[], Awaitable[None]] | None = None


class Confirm(OwnerView):
    """Two buttons; ``on_confirm`` returns the text that replaces the question (or an
    :class:`Answer` with a follow-up)."""

    def __init__(
        self,
        owner_id: int,
        on_confirm: Callable[[], Awaitable[str | Answer]],
        confirm_label: str,
    ) -> None:
        super().__init__(owner_id, timeout=120)
        self.on_confirm = on_confirm
        self.yes.label = confirm_label

    async def _finish(self, interaction: discord.Interaction[Any], text: str) -> None:
        self.stop()
        await interaction.response.edit_message(content=text, view=None)

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def yes(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        try:
            answer = await self.on_confirm()
        except UserFacingError as error:
            answer = str(error)
        if isinstance(answer, str):
            answer = Answer(answer)
        try:
            await self._finish(interaction, answer.text)
        finally:  # the action happened: its follow-up goes even if the answer failed
            if answer.then is not None:
                await answer.then()

    @discord.ui.button(label="Keep it", style=discord.ButtonStyle.secondary)
    async def no(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        await self._finish(interaction, "Nothing was changed.")
