"""Peer mock controls that survive restarts: the time select, Confirm, Give feedback, My
packet, Report no-show (on each session's card) and "Add to my Oops List" (on the feedback
DM). Everything they need is in the custom id (``coach:mock:<session>:<action>``); the state
lives in the database, so a stale card answers with what is true now.

Callbacks of dynamic items are not routed through the command tree, so each one answers its
own errors privately (a :class:`UserFacingError`'s text, or "couldn't save").
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import discord

from bot.core.mock_windows import session_starts
from bot.errors import UserFacingError
from bot.mocks import delivery, service
from bot.mocks.models import MockSession, SessionStatus
from bot.mocks.render import feedback_report, name, session_card, time_label, ts
from bot.models import Member
from bot.render.fit import fit
from bot.runtime.host import Host
from bot.services.cohorts import member_zone
from bot.ui.guard import GuardedModal, guarded
from bot.ui.views import Confirm, OwnerView

log = logging.getLogger(__name__)
NO_MENTIONS = discord.AllowedMentions.none()


async def private(interaction: discord.Interaction[Any], text: str) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def zones_of(session: MockSession) -> tuple[ZoneInfo, ZoneInfo]:
    cohort = session.pair.round.cohort
    return member_zone(session.interviewer, cohort), member_zone(session.interviewee, cohort)


# -- the session card ----------------------------------------------------------------------
BUTTONS = {
    "confirm": ("Confirm ✅", discord.ButtonStyle.success),
    "feedback": ("Give feedback", discord.ButtonStyle.primary),
    "packet": ("My packet 📬", discord.ButtonStyle.secondary),
    "noshow": ("Report no-show", discord.ButtonStyle.secondary),
}


def session_view(session: MockSession, now: datetime) -> discord.ui.View | None:
    """The card's controls for the session's state (``None`` once it is settled)."""
    status = SessionStatus(session.status)
    view = discord.ui.View(timeout=None)
    if status in (SessionStatus.OPEN, SessionStatus.PROPOSED):
        starts = session_starts(service.overlap_of(session.pair), now + service.LEAD)
        if starts:
            view.add_item(TimeSelect(session.id, starts, zones_of(session)))
        if status is SessionStatus.PROPOSED:
            view.add_item(SessionButton(session.id, "confirm"))
        view.add_item(SessionButton(session.id, "noshow"))
    elif status is SessionStatus.CONFIRMED:
        for action in ("feedback", "packet", "noshow"):
            view.add_item(SessionButton(session.id, action))
    else:
        return None
    return view


def card(session: MockSession, now: datetime) -> tuple[str, discord.ui.View | None]:
    return session_card(session, event=session.event_id is not None), session_view(session, now)


async def _refresh(interaction: discord.Interaction[Any], session_id: int) -> MockSession | None:
    """Show the card as it is now (removing the controls of a settled session)."""
    session = await service.load_session(session_id)
    if session is None:
        await interaction.response.edit_message(view=None)
        return None
    text, view = card(session, interaction.client.clock())
    await interaction.response.edit_message(content=text, view=view, allowed_mentions=NO_MENTIONS)
    return session


async def _close(interaction: discord.Interaction[Any], outcome: service.Outcome) -> None:
    """A press that can't go on: say why, and drop a settled card's controls."""
    if outcome.closed and interaction.message is not None:
        session_id = _session_id(interaction)
        if session_id is not None:
            await _refresh(interaction, session_id)
            await private(interaction, outcome.message)
            return
    await private(interaction, outcome.message)


def _session_id(interaction: discord.Interaction[Any]) -> int | None:
    data: dict[str, Any] = dict(interaction.data or {})
    custom_id = str(data.get("custom_id", ""))
    found = re.match(r"coach:mock:([0-9]+):", custom_id)
    return int(found[1]) if found else None


class TimeSelect(
    discord.ui.DynamicItem[discord.ui.Select[Any]],
    template=r"coach:mock:(?P<id>[0-9]+):time",
):
    def __init__(
        self,
        session_id: int,
        starts: list[datetime] | None = None,
        zones: tuple[ZoneInfo, ZoneInfo] | None = None,
    ) -> None:
        options = [
            discord.SelectOption(
                label=time_label(s, zones or (ZoneInfo("UTC"),)), value=str(int(s.timestamp()))
            )
            for s in (starts or [])[:25]
        ] or [discord.SelectOption(label="(no times)", value="0")]
        super().__init__(
            discord.ui.Select(
                placeholder="Propose a time for this session…",
                options=options,
                custom_id=f"coach:mock:{session_id}:time",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TimeSelect:
        return cls(int(match["id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self._propose(interaction)

    async def _propose(self, interaction: discord.Interaction[Any]) -> None:
        client: Host = interaction.client
        value = self.item.values[0] if self.item.values else "0"
        start = datetime.fromtimestamp(int(value), UTC)
        outcome = await service.propose(self.session_id, interaction.user.id, start, client.clock())
        if not outcome.ok:  # show the card as it is now (fresh times), then say why
            await _refresh(interaction, self.session_id)
            await private(interaction, outcome.message)
            return
        session = await _refresh(interaction, self.session_id)
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
        await _tell(client, session, other, text, key=f"proposed:{session.id}:{value}")


async def _tell(client: Host, session: MockSession, member: Member, text: str, *, key: str) -> bool:
    """A heads-up for the other member: a ping in the thread, or the card by DM."""
    if session.pair.thread_id is not None:
        return await delivery.notify(client, session.pair, member, text + " above.", key=key)
    body, view = card(session, client.clock())
    return await delivery.notify(
        client, session.pair, member, f"{text} below.\n\n{body}", view=view, key=key
    )


class SessionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:mock:(?P<id>[0-9]+):(?P<action>confirm|feedback|packet|noshow)",
):
    def __init__(self, session_id: int, action: str) -> None:
        label, style = BUTTONS[action]
        super().__init__(
            discord.ui.Button(
                label=label, style=style, custom_id=f"coach:mock:{session_id}:{action}"
            )
        )
        self.session_id = session_id
        self.action = action

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SessionButton:
        return cls(int(match["id"]), match["action"])

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        handler = {
            "confirm": self._confirm,
            "feedback": self._feedback,
            "packet": self._packet,
            "noshow": self._no_show,
        }[self.action]
        await handler(interaction)

    async def _confirm(self, interaction: discord.Interaction[Any]) -> None:
        client: Host = interaction.client
        now = client.clock()
        result = await service.confirm(self.session_id, interaction.user.id, now)
        if not result.outcome.ok or result.session is None:
            await _close(interaction, result.outcome)
            return
        session = result.session
        await delivery.create_event(client, session, session.interviewer.guild.guild_id)
        fresh = await _refresh(interaction, self.session_id)
        if fresh is None:
            return
        assert fresh.starts_at is not None
        me = (
            fresh.interviewer
            if fresh.interviewer.user_id == interaction.user.id
            else (fresh.interviewee)
        )
        other = fresh.interviewee if me is fresh.interviewer else fresh.interviewer
        await _tell(
            client,
            fresh,
            other,
            f"✅ **{name(me)}** confirmed session {fresh.number} for {ts(fresh.starts_at)}",
            key=f"confirmed:{fresh.id}",
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

    async def _feedback(self, interaction: discord.Interaction[Any]) -> None:
        client: Host = interaction.client
        session = await service.feedback_allowed(
            self.session_id, interaction.user.id, client.clock()
        )
        await interaction.response.send_modal(FeedbackModal(session, client))

    async def _packet(self, interaction: discord.Interaction[Any]) -> None:
        client: Host = interaction.client
        session = await service.load_session(self.session_id)
        if session is None:
            raise UserFacingError(service.GONE)
        if session.interviewer.user_id != interaction.user.id:
            if session.interviewee.user_id == interaction.user.id:
                raise UserFacingError(
                    "The packet is for your interviewer — no peeking 😉. You get one when it's "
                    "your turn to interview."
                )
            raise UserFacingError(service.NOT_YOURS)
        if session.status not in (SessionStatus.CONFIRMED, SessionStatus.DONE):
            raise UserFacingError("Your packet is ready once a time is confirmed.")
        await interaction.response.defer(ephemeral=True, thinking=True)
        if await delivery.send_packet(client, session, client.clock()):
            await service.mark_packet(session.id, "sent")
            await private(interaction, "📬 Sent to your DMs.")
        else:
            await private(
                interaction,
                "I couldn't DM you — allow direct messages from server members (the server's "
                "Privacy Settings), then press **My packet** again.",
            )

    async def _no_show(self, interaction: discord.Interaction[Any]) -> None:
        client: Host = interaction.client
        session = await service.load_session(self.session_id)
        if session is None:
            raise UserFacingError(service.GONE)
        if interaction.user.id not in (session.interviewer.user_id, session.interviewee.user_id):
            raise UserFacingError(service.NOT_YOURS)
        other = (
            session.interviewee
            if session.interviewer.user_id == interaction.user.id
            else session.interviewer
        )
        card_message = interaction.message

        async def report() -> str:
            result = await service.report_no_show(
                self.session_id, interaction.user.id, client.clock()
            )
            if not result.outcome.ok or result.absent is None:
                return result.outcome.message
            fresh = await service.load_session(self.session_id)
            if fresh is not None and card_message is not None:
                text, view = card(fresh, client.clock())
                try:
                    await card_message.edit(content=text, view=view, allowed_mentions=NO_MENTIONS)
                except discord.HTTPException:
                    log.info("could not update the card of mock session %s", self.session_id)
            note = (
                " That's the second time in a row, so you'll sit out the next weekly matching "
                "and are back the week after."
                if result.sits_out
                else ""
            )
            await delivery.dm(
                client,
                result.absent.user_id,
                f"🚫 You were reported as a no-show for your peer mock (session "
                f"{session.number}).{note} If that's wrong, talk to your partner — and "
                "`/mocks pause` keeps you out of matching while you're busy.",
                key=f"noshow:{self.session_id}",
            )
            return f"Reported — thanks. **{name(result.absent)}** was told."

        await interaction.response.send_message(
            f"Report **{name(other)}** as a no-show for session {session.number}? Twice in a "
            "row and they sit out the next matching.",
            view=Confirm(interaction.user.id, report, "Report no-show"),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


# -- feedback ------------------------------------------------------------------------------
class FeedbackModal(GuardedModal):
    """Rubric scores, the verdict and notes: five rows (Discord's limit for a modal)."""

    def __init__(
        self, session: MockSession, client: Host, defaults: dict[str, str] | None = None
    ) -> None:
        super().__init__(
            title=f"Feedback for {(session.interviewee.display_name or 'your partner')[:30]}",
            custom_id=f"coach:mockfb:{session.id}",
            timeout=1800,
        )
        material = client.curriculum.mocks
        self.session_id = session.id
        self.rubric = material.rubric(session.pair.kind)
        self.scale = material.scale
        given = defaults or {}
        dims = len(self.rubric.dimensions)
        example = " ".join(str(min(self.scale.max, self.scale.min + 2)) for _ in range(dims))
        self.scores: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id="scores",
            placeholder=f"{dims} numbers {self.scale.min}–{self.scale.max}, e.g. {example}",
            max_length=30,
            default=given.get("scores"),
        )
        self.verdict: discord.ui.Select[Any] = discord.ui.Select(
            custom_id="verdict",
            placeholder="Strong Hire … No Hire",
            options=[
                discord.SelectOption(
                    label=v.label,
                    value=v.id,
                    description=v.guidance[:100],
                    default=v.id == given.get("verdict"),
                )
                for v in material.verdicts
            ],
        )
        self.notes: discord.ui.TextInput[Any] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            max_length=500,
            custom_id="notes",
            placeholder="What went well, what to improve — they get this by DM",
            default=given.get("notes"),
        )
        self.mistakes: discord.ui.TextInput[Any] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            max_length=400,
            required=False,
            custom_id="mistakes",
            placeholder="e.g. forgot the empty input; didn't state the complexity",
            default=given.get("mistakes"),
        )
        self.advice: discord.ui.TextInput[Any] = discord.ui.TextInput(
            style=discord.TextStyle.paragraph,
            max_length=500,
            required=False,
            custom_id="advice",
            placeholder="The lesson to remember (goes with the mistakes into their Oops List)",
            default=given.get("advice"),
        )
        self.add_item(
            discord.ui.Label(text=self.rubric.score_label(self.scale), component=self.scores)
        )
        self.add_item(discord.ui.Label(text="Verdict", component=self.verdict))
        self.add_item(discord.ui.Label(text="Notes", component=self.notes))
        self.add_item(
            discord.ui.Label(text="Mistakes to work on (optional)", component=self.mistakes)
        )
        self.add_item(
            discord.ui.Label(text="Advice for next time (optional)", component=self.advice)
        )

    def values(self) -> dict[str, str]:
        return {
            "scores": self.scores.value,
            "verdict": self.verdict.values[0] if self.verdict.values else "",
            "notes": self.notes.value,
            "mistakes": self.mistakes.value,
            "advice": self.advice.value,
        }

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await self._submit(interaction)

    async def _submit(self, interaction: discord.Interaction[Any]) -> None:
        client: Host = interaction.client
        given = self.values()
        try:
            data = service.check_feedback(
                given["scores"],
                given["verdict"],
                given["notes"],
                given["mistakes"],
                given["advice"],
                len(self.rubric.dimensions),
                self.scale.min,
                self.scale.max,
            )
        except UserFacingError as error:
            await interaction.response.send_message(
                f"{error} Nothing was saved — **Try again** keeps what you wrote.",
                view=RetryFeedback(interaction.user.id, self.session_id, given),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        now = client.clock()
        session, entry = await service.record_feedback(
            self.session_id, interaction.user.id, data, client.curriculum, now
        )
        if interaction.message is not None:
            text, view = card(session, now)
            await interaction.response.edit_message(
                content=text, view=view, allowed_mentions=NO_MENTIONS
            )
        oops = feedback_view(session)
        delivered = await delivery.send_feedback(client, session, data.notes, oops)
        where = "They got it by DM."
        if not delivered:
            where = "Their DMs are closed — they'll find it in `/mocks history`."
            thread = await delivery.thread_of(client, session.pair)
            if thread is not None:
                report = feedback_report(session, data.notes, client.curriculum.mocks)
                try:
                    messages = fit(report)
                    for i, out in enumerate(messages):
                        await thread.send(
                            content=(f"<@{session.interviewee.user_id}> " if i == 0 else None),
                            embeds=list(out.embeds),
                            view=oops
                            if oops is not None and i == len(messages) - 1
                            else (discord.utils.MISSING),
                            allowed_mentions=discord.AllowedMentions(
                                users=[discord.Object(session.interviewee.user_id)]
                            ),
                        )
                    where = "Their DMs are closed, so I posted it in your thread."
                except discord.HTTPException:
                    log.info("could not post feedback in thread %s", session.pair.thread_id)
        verdict = service.KINDS.get(session.pair.kind, "")
        await private(
            interaction,
            f"Thanks! ✅ Logged for **{name(session.interviewee)}** as a {verdict} `/mock` "
            f"(entry #{entry.id}). {where}",
        )


class RetryFeedback(OwnerView):
    """Reopen the feedback form with what was typed (after a value was refused)."""

    def __init__(self, owner_id: int, session_id: int, given: dict[str, str]) -> None:
        super().__init__(owner_id, timeout=1800)
        self.session_id = session_id
        self.given = given

    @discord.ui.button(label="Try again", style=discord.ButtonStyle.primary)
    async def again(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Any]
    ) -> None:
        async def reopen(inter: discord.Interaction[Any]) -> None:
            client: Host = inter.client
            session = await service.feedback_allowed(self.session_id, inter.user.id, client.clock())
            await inter.response.send_modal(FeedbackModal(session, client, self.given))

        await reopen(interaction)


def feedback_view(session: MockSession) -> discord.ui.View | None:
    if not session.mistakes:
        return None
    view = discord.ui.View(timeout=None)
    view.add_item(OopsButton(session.id))
    return view


class OopsButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:mockoops:(?P<id>[0-9]+)",
):
    def __init__(self, session_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Add the mistakes to my Oops List",
                emoji="🙈",
                style=discord.ButtonStyle.primary,
                custom_id=f"coach:mockoops:{session_id}",
            )
        )
        self.session_id = session_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OopsButton:
        return cls(int(match["id"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await self._add(interaction)

    async def _add(self, interaction: discord.Interaction[Any]) -> None:
        client: Host = interaction.client
        outcome = await service.add_to_oops(
            self.session_id, interaction.user.id, client.curriculum, client.clock()
        )
        if not outcome.ok and not outcome.closed:
            await private(interaction, outcome.message)
            return
        await interaction.response.edit_message(view=None)
        await private(interaction, outcome.message)


DYNAMIC_ITEMS = (TimeSelect, SessionButton, OopsButton)
