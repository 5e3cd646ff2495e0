"""``/next``'s buttons: **Solved it** (logs the top problem like ``/solve``, asking the minutes)
and **Skip** (the next suggestion). Persistent (``DynamicItem``): the custom id carries the
owner, the problem or how many were skipped, so they work after a restart.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.checks import spend_log_budget
from bot.core import entries as rules
from bot.errors import UserFacingError
from bot.failures import STORAGE_ERRORS
from bot.render.coach import next_text
from bot.render.entries import public_solve_line, solve_reply
from bot.render.fit import CONTENT_MAX, shorten
from bot.services import coach as svc
from bot.services.logbook import SolveInput, log_solve
from bot.services.progress import MemberContext, member_context
from bot.ui.guard import GuardedModal, GuardedView, guarded

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
NOT_YOURS = "These buttons belong to the person who ran `/next`."
KEY = r"[a-z0-9-]{1,40}"  # keeps the custom id within 100 characters


async def _private(interaction: discord.Interaction[Any], text: str) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def _context(interaction: discord.Interaction[Any]) -> MemberContext:
    client = interaction.client
    if interaction.guild_id is None:
        raise UserFacingError("This only works inside a server.")
    return await member_context(
        interaction.guild_id, interaction.user.id, client.curriculum, client.clock()
    )


async def next_message(
    ctx: MemberContext, curriculum: Any, *, skip: int = 0
) -> tuple[str, discord.ui.View | None]:
    """The ``/next`` text and its buttons for a member (``skip`` suggestions skipped)."""
    found = await svc.next_for(ctx, curriculum, skip=skip)
    top = found.top if found.top is not None and loggable(found.top) else None
    text = next_text(
        found.actions,
        curriculum,
        now=ctx.now,
        zone=ctx.zone,
        week=found.week,
        skipped=skip,
        top=top[0] if top else None,
        more=found.more,
    )
    return text, next_view(ctx.member.user_id, skip, top, found.more)


def loggable(top: tuple[str, str]) -> bool:
    """Whether **Solved it** can carry (problem key, mode) in its custom id."""
    return re.fullmatch(KEY, top[0]) is not None and top[1] in rules.MODES


def next_view(
    user_id: int, skip: int, top: tuple[str, str] | None, more: bool
) -> discord.ui.View | None:
    view = GuardedView(timeout=None)
    if top is not None and loggable(top):
        view.add_item(SolvedButton(user_id, top[1], top[0]))
    if more:
        view.add_item(SkipButton(user_id, skip + 1))
    return view if view.children else None


class SolvedButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=rf"coach:next:(?P<user>[0-9]+):solved:(?P<mode>[a-z]+):(?P<key>{KEY})",
):
    def __init__(self, user_id: int, mode: str, key: str) -> None:
        label = f"✅ Solved #{key}" if key.isdigit() else "✅ Solved it"
        super().__init__(
            discord.ui.Button(
                label=label[:80],
                style=discord.ButtonStyle.success,
                custom_id=f"coach:next:{user_id}:solved:{mode}:{key}",
            )
        )
        self.user_id, self.mode, self.key = user_id, mode, key

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SolvedButton:
        return cls(int(match["user"]), match["mode"], match["key"])

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.user.id != self.user_id:
            await _private(interaction, NOT_YOURS)
            return
        await interaction.response.send_modal(SolvedModal(self.key, self.mode))


class SkipButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:next:(?P<user>[0-9]+):skip:(?P<n>[0-9]{1,3})",
):
    def __init__(self, user_id: int, skip: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="⏭ Skip",
                style=discord.ButtonStyle.secondary,
                custom_id=f"coach:next:{user_id}:skip:{skip}",
            )
        )
        self.user_id, self.skip = user_id, skip

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SkipButton:
        return cls(int(match["user"]), int(match["n"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        if interaction.user.id != self.user_id:
            await _private(interaction, NOT_YOURS)
            return
        ctx = await _context(interaction)
        text, view = await next_message(ctx, interaction.client.curriculum, skip=self.skip)
        await interaction.response.edit_message(
            content=text, view=view, allowed_mentions=NO_MENTIONS
        )


class SolvedModal(GuardedModal):
    """How long it took: the one thing ``/solve`` needs that ``/next`` doesn't know."""

    minutes: discord.ui.TextInput[SolvedModal] = discord.ui.TextInput(
        label="Minutes it took (1–600)",
        custom_id="minutes",
        min_length=1,
        max_length=3,
        placeholder="25",
    )
    notes: discord.ui.TextInput[SolvedModal] = discord.ui.TextInput(
        label="Notes (optional)",
        custom_id="notes",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=rules.MAX_NOTES,
    )

    def __init__(self, key: str, mode: str) -> None:
        title = f"Solved #{key}" if key.isdigit() else "Solved it"
        super().__init__(title=title[:45], timeout=600)
        self.key, self.mode = key, mode

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Errors (bad minutes, too fast, database trouble) are answered privately by
        :class:`GuardedModal`; nothing is saved then."""
        client = interaction.client
        raw = str(self.minutes.value).strip()
        if not (raw.isascii() and raw.isdigit()):  # "²" is a digit to str.isdigit
            raise UserFacingError("`minutes` must be a whole number from 1 to 600.")
        spend_log_budget(interaction)
        ctx = await _context(interaction)
        data = SolveInput(self.key, int(raw), mode=self.mode, notes=self.notes.value or None)
        result = await log_solve(ctx, client.curriculum, data)
        await interaction.response.send_message(
            solve_reply(result), ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        if ctx.member.public_lines:
            name = ctx.member.display_name or interaction.user.display_name
            await _announce(client, ctx.cohort.channel_id, public_solve_line(name, result))
        client.dispatch("entry_logged", ctx.member.id)
        try:
            text, view = await next_message(ctx, client.curriculum)
            extra: dict[str, Any] = {"view": view} if view is not None else {}
            await interaction.followup.send(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS, **extra
            )
        except (UserFacingError, discord.HTTPException):
            log.warning("could not show the next suggestions after a solve", exc_info=True)
        except STORAGE_ERRORS:
            log.warning("could not show the next suggestions after a solve", exc_info=True)


async def _announce(client: discord.Client, channel_id: int, text: str) -> None:
    channel = client.get_channel(channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    try:
        await channel.send(shorten(text, CONTENT_MAX), allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not post a public line in channel %s", channel_id)
