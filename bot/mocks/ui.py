"""A peer mock session's card and its controls that survive restarts: the time select,
Confirm, Give feedback, My packet, Change time and Report no-show, drawn for the session's
state. Everything a control needs is in its custom id (``coach:mock:<session>:<action>``);
the state lives in the database, so a stale card answers with what is true now.

What each press does is :mod:`bot.mocks.session_presses`; the feedback form and "Add to my
Oops List" are :mod:`bot.mocks.feedback_ui`. :data:`DYNAMIC_ITEMS` lists the persistent
controls (registered in ``cogs.mocks``).

Callbacks of dynamic items are not routed through the command tree, so each one answers its
own errors privately (a :class:`UserFacingError`'s text, or "couldn't save").
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import discord

from bot.core.mock_windows import session_starts
from bot.mocks.feedback_ui import OopsButton
from bot.mocks.matching_service import LEAD, overlap_of
from bot.mocks.models import MockSession, SessionStatus
from bot.mocks.render import session_card, time_label
from bot.mocks.session_presses import SessionPresses
from bot.services.cohorts import member_zone
from bot.ui.guard import guarded


def zones_of(session: MockSession) -> tuple[ZoneInfo, ZoneInfo]:
    cohort = session.pair.round.cohort
    return member_zone(session.interviewer, cohort), member_zone(session.interviewee, cohort)


BUTTONS = {
    "confirm": ("Confirm ✅", discord.ButtonStyle.success),
    "feedback": ("Give feedback", discord.ButtonStyle.primary),
    "packet": ("My packet 📬", discord.ButtonStyle.secondary),
    "reschedule": ("Change time 🔁", discord.ButtonStyle.secondary),
    "noshow": ("Report no-show", discord.ButtonStyle.secondary),
}


def session_view(session: MockSession, now: datetime) -> discord.ui.View | None:
    """The card's controls for the session's state (``None`` once it is settled)."""
    status = SessionStatus(session.status)
    view = discord.ui.View(timeout=None)
    if status in (SessionStatus.OPEN, SessionStatus.PROPOSED):
        starts = session_starts(overlap_of(session.pair), now + LEAD)
        if starts:
            view.add_item(TimeSelect(session.id, starts, zones_of(session)))
        if status is SessionStatus.PROPOSED:
            view.add_item(SessionButton(session.id, "confirm"))
        view.add_item(SessionButton(session.id, "noshow"))
    elif status is SessionStatus.CONFIRMED:
        upcoming = session.starts_at is not None and now < session.starts_at
        for action in ("feedback", "packet", "reschedule", "noshow"):
            if action != "reschedule" or upcoming:
                view.add_item(SessionButton(session.id, action))
    else:
        return None
    return view


def card(session: MockSession, now: datetime) -> tuple[str, discord.ui.View | None]:
    return session_card(session, event=session.event_id is not None), session_view(session, now)


PRESSES = SessionPresses(card)  # what each press does, with this module's card to redraw


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
        value = self.item.values[0] if self.item.values else "0"
        await PRESSES.propose_time(interaction, self.session_id, value)


class SessionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"coach:mock:(?P<id>[0-9]+):(?P<action>confirm|feedback|packet|reschedule|noshow)",
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
        await PRESSES.by_action()[self.action](interaction, self.session_id)


DYNAMIC_ITEMS = (TimeSelect, SessionButton, OopsButton)
