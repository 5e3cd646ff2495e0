"""/buddy ask|status|withdraw|end — accountability buddies (the partner accepts with a button)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands
from discord.utils import escape_markdown

from bot.app import CoachBot
from bot.errors import StorageError, UserFacingError
from bot.failures import STORAGE_ERRORS
from bot.models import Buddy, Member
from bot.services import buddies
from bot.services.progress import find_member
from bot.ui.persistent import buddy_view
from bot.ui.views import Confirm
from cogs._common import context_for, reply

log = logging.getLogger(__name__)


class BuddyCog(commands.Cog):
    buddy = app_commands.Group(
        name="buddy",
        description="Accountability buddies: a study partner who checks in on you.",
        guild_only=True,
    )

    def __init__(self, bot: CoachBot) -> None:
        self.bot = bot

    async def _cohort_member(self, interaction: discord.Interaction, user_id: int) -> Member:
        assert interaction.guild_id is not None
        found = await find_member(interaction.guild_id, user_id)
        if found is None or found.left_at is not None:
            raise UserFacingError("They haven't joined a cohort here yet.")
        return found

    @buddy.command(name="ask")
    @app_commands.describe(member="The cohort member you'd like as your buddy")
    async def ask(self, interaction: discord.Interaction, member: discord.Member) -> None:
        """Ask someone to be your buddy: you'll hear from each other after two quiet days."""
        ctx = await context_for(self.bot, interaction)
        partner = await self._cohort_member(interaction, member.id)
        name = escape_markdown(member.display_name)
        await buddies.request_allowed(ctx.member, partner, self.bot.clock())
        me = escape_markdown(interaction.user.display_name)

        async def post(pair: Buddy) -> None:
            channel = self.bot.get_channel(ctx.cohort.channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                raise UserFacingError(
                    "I can't reach your cohort's channel right now, so no request was sent."
                )
            until = buddies.ts(pair.created_at + buddies.ASK_LIFETIME)
            await channel.send(
                f"<@{member.id}> — **{me}** would like you as their accountability buddy. "
                "You'd each get a friendly heads-up when the other goes quiet for two days. "
                f"The request stays open until {until}.",
                view=buddy_view(pair.id),
                allowed_mentions=discord.AllowedMentions(users=[discord.Object(member.id)]),
            )

        async def send_request() -> str:
            try:
                await buddies.ask(ctx.member, partner, self.bot.clock(), post)
            except discord.HTTPException:
                return (
                    "I couldn't post your request in the cohort channel (missing permissions or "
                    "a Discord hiccup), so nothing was sent. Please try again later."
                )
            except STORAGE_ERRORS:
                log.exception("buddy request from member %s failed", ctx.member.id)
                return str(StorageError())
            return (
                f"Request sent to **{name}** in the cohort channel. It stays open for 48 hours; "
                "`/buddy withdraw` takes it back."
            )

        await reply(
            interaction,
            f"Ask **{name}** to be your accountability buddy?",
            Confirm(interaction.user.id, send_request, "Send request"),
        )

    @buddy.command(name="status")
    async def status(self, interaction: discord.Interaction) -> None:
        """Who your buddy is, and your open buddy requests."""
        ctx = await context_for(self.bot, interaction)
        now = self.bot.clock()
        await buddies.expire_stale(ctx.member.id, now)
        pair = await buddies.current_pair(ctx.member.id)
        lines = []
        if pair is None:
            lines.append("No buddy yet — `/buddy ask` pairs you with someone.")
        else:
            other = pair.partner if pair.requester.id == ctx.member.id else pair.requester
            lines.append(f"Your buddy is <@{other.user_id}> 🤝")
        found = await buddies.open_requests(ctx.member.id, now)
        for p in found.sent:
            expires = buddies.ts(p.created_at + buddies.ASK_LIFETIME)
            lines.append(f"• You asked <@{p.partner.user_id}> — open until {expires}")
        for p in found.received:
            expires = buddies.ts(p.created_at + buddies.ASK_LIFETIME)
            lines.append(
                f"• <@{p.requester.user_id}> asked you — answer with the buttons in the "
                f"cohort channel by {expires}"
            )
        if found.sent:
            lines.append("`/buddy withdraw` takes back a request you sent.")
        await reply(interaction, "\n".join(lines))

    @buddy.command(name="withdraw")
    @app_commands.describe(member="Only the request to this member (default: all you sent)")
    async def withdraw(
        self, interaction: discord.Interaction, member: discord.Member | None = None
    ) -> None:
        """Take back a buddy request you sent that hasn't been answered yet."""
        ctx = await context_for(self.bot, interaction)
        partner = None
        if member is not None:
            assert interaction.guild_id is not None
            partner = await find_member(interaction.guild_id, member.id)
            if partner is None:
                raise UserFacingError("You have no open buddy request to them.")
        gone = await buddies.withdraw(ctx.member, partner, self.bot.clock())
        names = ", ".join(f"<@{m.user_id}>" for m in gone[:10])
        more = f" and {len(gone) - 10} more" if len(gone) > 10 else ""
        await reply(interaction, f"Withdrawn: your buddy request to {names}{more}.")

    @buddy.command(name="end")
    async def end(self, interaction: discord.Interaction) -> None:
        """End your buddy pairing."""
        ctx = await context_for(self.bot, interaction)
        other = await buddies.end(ctx.member.id, self.bot.clock())
        await reply(interaction, f"Your pairing with <@{other.user_id}> has ended.")


async def setup(bot: CoachBot) -> None:
    await bot.add_cog(BuddyCog(bot))
