"""Answering a press of a study-session button (block check-ins, focus timers): whose press
and which block, the per-member press budget, the private answer and the public line, and
forms that carry everything in their custom id.

Only members of the post's cohort may press; each press is answered privately, with
mentions disabled; presses are rate-limited per member.
"""

from __future__ import annotations

import logging
import weakref
from datetime import date, timedelta
from typing import Any, cast

import discord

from bot.core.ratelimit import RateLimiter
from bot.errors import UserFacingError
from bot.models import Cohort
from bot.render.fit import fit_text
from bot.render.replies import send_text
from bot.runtime.host import Host
from bot.services import attendance as att
from bot.services.progress import MemberContext, member_context
from bot.ui.guard import GuardedModal

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()
SLOT_CODES = {"block_a": "a", "block_b": "b", "session": "s"}
CODE_SLOTS = {code: slot for slot, code in SLOT_CODES.items()}
PRESSES = (8, timedelta(seconds=30))  # button presses a member may make per window


def host_of(interaction: discord.Interaction[Any]) -> Host:
    return cast(Host, interaction.client)


# -- answering ------------------------------------------------------------------------------
async def private(
    interaction: discord.Interaction[Any], text: str, view: discord.ui.View | None = None
) -> None:
    await send_text(interaction, text, view=view)


_limiters: weakref.WeakKeyDictionary[Any, RateLimiter] = weakref.WeakKeyDictionary()


def slow_down(interaction: discord.Interaction[Any]) -> None:
    """Per-member press budget (on the bot's clock); raises when it is used up."""
    host = host_of(interaction)
    limiter = _limiters.get(host)
    if limiter is None:
        limiter = _limiters[host] = RateLimiter(PRESSES[0], PRESSES[1], host.clock)
    wait = limiter.hit((interaction.guild_id, interaction.user.id))
    if wait is not None:
        raise UserFacingError(f"Easy on the buttons — try again in {max(1, round(wait))} s.")


async def announce(host: Host, cohort: Cohort, text: str) -> None:
    """A public line in the cohort's channel (mentions disabled); failures never undo work."""
    channel = host.get_channel(cohort.channel_id)
    if not isinstance(channel, discord.abc.Messageable):
        return
    try:
        for part in fit_text(text)[:2]:
            await channel.send(part, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.warning("could not post a public line in channel %s", cohort.channel_id)


def display_name(ctx: MemberContext, interaction: discord.Interaction[Any]) -> str:
    return ctx.member.display_name or interaction.user.display_name


# -- whose button, which block ---------------------------------------------------------------
async def block_context(
    interaction: discord.Interaction[Any], ref: att.BlockRef, action: str
) -> tuple[MemberContext, att.BlockInfo]:
    """The presser (a member of the post's cohort) and the block, or a refusal."""
    host = host_of(interaction)
    guild_id = interaction.guild_id
    if guild_id is None:  # ✅ Done under a focus timer's DM: the cohort says which server
        cohort = await Cohort.get_or_none(id=ref.cohort_id).select_related("guild")
        if cohort is None:
            raise UserFacingError("That cohort no longer exists.")
        guild_id = cohort.guild.guild_id
    ctx = await member_context(guild_id, interaction.user.id, host.curriculum, host.clock())
    if ctx.cohort.id != ref.cohort_id:
        att.check_cohort(ctx, await Cohort.get_or_none(id=ref.cohort_id), ref)
    att.check_age(ref, ctx.calendar, ctx.now, action)
    return ctx, att.block_info(ctx.calendar, host.curriculum, ref)


def parse_day(text: str) -> date | None:
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


# -- forms ----------------------------------------------------------------------------------
class Form(GuardedModal):
    """A form whose answer is handled by :func:`bot.ui.sessions.handle_form`, found by its
    custom id.

    discord.py keeps open forms in memory under their custom id alone: a form opened before
    a restart would be dropped, and two forms with one id would replace each other. These
    carry everything in the custom id (plus the opening interaction's id, so each is its
    own), and ``cogs.sessions`` hands every submission to ``handle_form``.
    """

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        return None  # answered by handle_form (the "interaction" event)


def form_values(data: Any) -> dict[str, Any]:
    """A submitted form's values by custom id (text: a string, selects: a list)."""
    out: dict[str, Any] = {}

    def walk(nodes: Any) -> None:
        for node in nodes or []:
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("component"), dict):
                walk([node["component"]])
            walk(node.get("components"))
            custom_id = node.get("custom_id")
            if isinstance(custom_id, str):
                out[custom_id] = node.get("values", node.get("value"))

    walk(data.get("components") if isinstance(data, dict) else None)
    return out
