"""What each press on a peer mock session's card does: propose a time, Confirm, Give
feedback, My packet, Change time and Report no-show, each checked against the database (so
a stale card answers with what is true now) and followed by the card redrawn and the
partner told.

The card and its controls are :mod:`bot.mocks.ui`, whose items call these; the card is drawn
by :func:`bot.mocks.ui.card`, handed in as ``card`` when :class:`SessionPresses` is made (the
card's module imports this one, so this one can't import it back). Errors are answered by the
calling item's guard.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import discord

from bot.errors import UserFacingError
from bot.mocks import delivery
from bot.mocks.answers import NO_MENTIONS, private
from bot.mocks.feedback import feedback_allowed
from bot.mocks.feedback_ui import Card, FeedbackModal
from bot.mocks.models import MockSession, SessionStatus
from bot.mocks.packets import mark_packet
from bot.mocks.render import name, ts
from bot.mocks.sessions import (
    GONE,
    NOT_YOURS,
    Outcome,
    confirm,
    load_session,
    propose,
    report_no_show,
    reschedule,
)
from bot.models import Member
from bot.runtime.host import Host
from bot.ui.views import Answer, Confirm

log = logging.getLogger(__name__)
Press = Callable[[discord.Interaction[Any], int], Awaitable[None]]


def _session_id(interaction: discord.Interaction[Any]) -> int | None:
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    found = re.match(r"coach:mock:([0-9]+):", custom_id)
    return int(found[1]) if found else None


class SessionPresses:
    """The presses of a session card (``session_id`` is the card's session); ``card``
    draws a session's card as it is now."""

    def __init__(self, card: Card) -> None:
        self.card = card

    def by_action(self) -> dict[str, Press]:
        """The press of each of the card's buttons, by the action in its custom id."""
        return {
            "confirm": self.confirm_time,
            "feedback": self.give_feedback,
            "packet": self.my_packet,
            "reschedule": self.change_time,
            "noshow": self.no_show,
        }

    # -- the card ------------------------------------------------------------------------
    async def _refresh(
        self, interaction: discord.Interaction[Any], session_id: int
    ) -> MockSession | None:
        """Show the card as it is now (removing the controls of a settled session)."""
        session = await load_session(session_id)
        if session is None:
            await interaction.response.edit_message(view=None)
            return None
        text, view = self.card(session, interaction.client.clock())
        await interaction.response.edit_message(
            content=text, view=view, allowed_mentions=NO_MENTIONS
        )
        return session

    async def _close(self, interaction: discord.Interaction[Any], outcome: Outcome) -> None:
        """A press that can't go on: say why, and drop a settled card's controls."""
        if outcome.closed and interaction.message is not None:
            session_id = _session_id(interaction)
            if session_id is not None:
                await self._refresh(interaction, session_id)
                await private(interaction, outcome.message)
                return
        await private(interaction, outcome.message)

    async def _tell(
        self, client: Host, session: MockSession, member: Member, text: str, *, key: str
    ) -> bool:
        """A heads-up for the other member: a ping in the thread, or the card by DM."""
        if session.pair.thread_id is not None:
            return await delivery.notify(client, session.pair, member, text + " above.", key=key)
        body, view = self.card(session, client.clock())
        return await delivery.notify(
            client, session.pair, member, f"{text} below.\n\n{body}", view=view, key=key
        )

    async def _redraw(
        self, message: discord.Message | None, session: MockSession | None, now: datetime
    ) -> None:
        """Show a session's card as it is now on ``message`` (after a confirmed step)."""
        if message is None or session is None:
            return
        text, view = self.card(session, now)
        try:
            await message.edit(content=text, view=view, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.info("could not update the card of mock session %s", session.id)

    # -- the presses -----------------------------------------------------------------------
    async def propose_time(
        self, interaction: discord.Interaction[Any], session_id: int, value: str
    ) -> None:
        """A time picked in the card's select (``value``: its Unix timestamp)."""
        client: Host = interaction.client
        start = datetime.fromtimestamp(int(value), UTC)
        outcome = await propose(session_id, interaction.user.id, start, client.clock())
        if not outcome.ok:  # show the card as it is now (fresh times), then say why
            await self._refresh(interaction, session_id)
            await private(interaction, outcome.message)
            return
        session = await self._refresh(interaction, session_id)
        if session is None:
            return
        me = (
            session.interviewer
            if session.interviewer.user_id == interaction.user.id
            else (session.interviewee)
        )
        other = session.interviewee if me is session.interviewer else session.interviewer
        text = (
            f"**{name(me)}** proposed {ts(start)} ({ts(start, 'R')}) for session "
            f"{session.number} — confirm it on the card"
        )
        await self._tell(client, session, other, text, key=f"proposed:{session.id}:{value}")

    async def confirm_time(self, interaction: discord.Interaction[Any], session_id: int) -> None:
        client: Host = interaction.client
        now = client.clock()
        result = await confirm(session_id, interaction.user.id, now)
        if not result.outcome.ok or result.session is None:
            await self._close(interaction, result.outcome)
            return
        fresh = await self._refresh(interaction, session_id)  # answer first, then Discord calls
        if fresh is None:
            return
        assert fresh.starts_at is not None
        event_id = await delivery.create_event(client, fresh, fresh.interviewer.guild.guild_id)
        if event_id is not None:  # the card says it's in the server's events too
            fresh.event_id = event_id
            text, view = self.card(fresh, now)
            try:
                await interaction.edit_original_response(
                    content=text, view=view, allowed_mentions=NO_MENTIONS
                )
            except discord.HTTPException:
                log.info("could not update the card of mock session %s", fresh.id)
        me = (
            fresh.interviewer
            if fresh.interviewer.user_id == interaction.user.id
            else (fresh.interviewee)
        )
        other = fresh.interviewee if me is fresh.interviewer else fresh.interviewer
        await self._tell(
            client,
            fresh,
            other,
            f"✅ **{name(me)}** confirmed session {fresh.number} for {ts(fresh.starts_at)}",
            key=f"confirmed:{fresh.id}:{int(fresh.starts_at.timestamp())}",
        )
        sent = await delivery.send_packet_once(client, fresh, now)
        if sent is False:
            await delivery.notify(
                client,
                fresh.pair,
                fresh.interviewer,
                "I couldn't DM you your interviewer packet — allow direct messages from "
                "server members (Privacy Settings), then press **My packet**.",
                key=f"packet-failed:{fresh.id}",
            )

    async def give_feedback(self, interaction: discord.Interaction[Any], session_id: int) -> None:
        client: Host = interaction.client
        session = await feedback_allowed(session_id, interaction.user.id, client.clock())
        await interaction.response.send_modal(FeedbackModal(session, client))

    async def my_packet(self, interaction: discord.Interaction[Any], session_id: int) -> None:
        client: Host = interaction.client
        session = await load_session(session_id)
        if session is None:
            raise UserFacingError(GONE)
        if session.interviewer.user_id != interaction.user.id:
            if session.interviewee.user_id == interaction.user.id:
                raise UserFacingError(
                    "The packet is for your interviewer — no peeking 😉. You get one when it's "
                    "your turn to interview."
                )
            raise UserFacingError(NOT_YOURS)
        if session.status not in (SessionStatus.CONFIRMED, SessionStatus.DONE):
            raise UserFacingError("Your packet is ready once a time is confirmed.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        if await delivery.send_packet(client, session, client.clock()):
            await mark_packet(session.id, "sent")
            await private(interaction, "📬 Sent to your DMs.")
        else:
            await private(
                interaction,
                "I couldn't DM you — allow direct messages from server members (the server's "
                "Privacy Settings), then press **My packet** again.",
            )

    async def change_time(self, interaction: discord.Interaction[Any], session_id: int) -> None:
        """Give up the confirmed time (asks first): the card takes proposals again, the
        reminder is off, the scheduled event is deleted and the partner is told."""
        client: Host = interaction.client
        session = await load_session(session_id)
        if session is None:
            raise UserFacingError(GONE)
        if interaction.user.id not in (session.interviewer.user_id, session.interviewee.user_id):
            raise UserFacingError(NOT_YOURS)
        if session.starts_at is None:
            raise UserFacingError("No time is confirmed yet — propose one on the card.")
        card_message = interaction.message
        when = ts(session.starts_at)

        async def reopen() -> str | Answer:
            result = await reschedule(session_id, interaction.user.id, client.clock())
            if not result.outcome.ok or result.session is None:
                return result.outcome.message
            fresh, event_id = result.session, result.event_id
            mine = fresh.interviewer.user_id == interaction.user.id
            me = fresh.interviewer if mine else fresh.interviewee
            other = fresh.interviewee if me is fresh.interviewer else fresh.interviewer

            async def tell() -> None:  # Discord calls: after the press is answered
                if event_id is not None:
                    await delivery.delete_event(client, fresh.interviewer.guild.guild_id, event_id)
                await self._redraw(card_message, fresh, client.clock())
                await self._tell(
                    client,
                    fresh,
                    other,
                    f"🔁 **{name(me)}** can't make {when} for session {fresh.number} — "
                    "pick a new time on the card",
                    key=f"reschedule:{fresh.id}:{int(client.clock().timestamp())}",
                )

            return Answer(
                f"Done — {when} is off. Propose a new time on the card; **{name(other)}** "
                "was told.",
                then=tell,
            )

        await interaction.response.send_message(
            f"Give up the confirmed time {when} for session {session.number}? The reminder "
            "and the server event go, and you both pick a new time on the card.",
            view=Confirm(interaction.user.id, reopen, "Change time"),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    async def no_show(self, interaction: discord.Interaction[Any], session_id: int) -> None:
        client: Host = interaction.client
        session = await load_session(session_id)
        if session is None:
            raise UserFacingError(GONE)
        if interaction.user.id not in (session.interviewer.user_id, session.interviewee.user_id):
            raise UserFacingError(NOT_YOURS)
        other = (
            session.interviewee
            if session.interviewer.user_id == interaction.user.id
            else session.interviewer
        )
        card_message = interaction.message

        async def report() -> str | Answer:
            result = await report_no_show(session_id, interaction.user.id, client.clock())
            if not result.outcome.ok or result.absent is None:
                return result.outcome.message
            absent = result.absent
            note = (
                " That's the second time in a row, so you'll sit out the next weekly matching "
                "and are back the week after."
                if result.sits_out
                else ""
            )

            async def tell() -> None:  # Discord calls: after the press is answered
                await self._redraw(card_message, await load_session(session_id), client.clock())
                await delivery.dm(
                    client,
                    absent.user_id,
                    f"🚫 You were reported as a no-show for your peer mock (session "
                    f"{session.number}).{note} If that's wrong, talk to your partner — and "
                    "`/mocks pause` keeps you out of matching while you're busy.",
                    key=f"noshow:{session_id}",
                )

            return Answer(f"Reported — thanks. **{name(absent)}** was told.", then=tell)

        await interaction.response.send_message(
            f"Report **{name(other)}** as a no-show for session {session.number}? Twice in a "
            "row and they sit out the next matching.",
            view=Confirm(interaction.user.id, report, "Report no-show"),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
