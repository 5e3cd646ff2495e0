"""Peer mock feedback controls: the interviewer's form (rubric scores, verdict, notes,
mistakes, advice), "Try again" after a refused value, and "Add to my Oops List" on the
feedback DM — a persistent button (``coach:mockoops:<session>``) that works after a restart.

The form is opened from the session card's **Give feedback** button; its answer is handled
by its custom id (``coach:mockfb:<session>``, :func:`handle_feedback_form`, called by
``cogs.mocks``), so a form opened before a restart still counts. It redraws that card; the
card is drawn by :func:`bot.mocks.ui.card`, handed in as ``card`` (the card's module imports
this one, so this one can't import it back).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import discord

from bot.errors import UserFacingError
from bot.mocks import delivery
from bot.mocks.answers import NO_MENTIONS, private
from bot.mocks.feedback import add_to_oops, check_feedback, feedback_allowed, record_feedback
from bot.mocks.models import MockSession
from bot.mocks.profiles import KINDS
from bot.mocks.render import feedback_report, name
from bot.render.fit import fit
from bot.runtime.host import Host
from bot.ui.guard import answer_error, guarded
from bot.ui.presses import Form, form_values
from bot.ui.views import OwnerView

log = logging.getLogger(__name__)
Card = Callable[[MockSession, datetime], tuple[str, discord.ui.View | None]]


class FeedbackModal(Form):
    """Rubric scores, the verdict and notes: five rows (Discord's limit for a modal).

    Answered by :func:`handle_feedback_form` from its custom id, so a form opened before a
    restart still counts when it is sent (discord.py forgets open forms on restart)."""

    def __init__(
        self,
        session: MockSession,
        client: Host,
        defaults: dict[str, str] | None = None,
    ) -> None:
        super().__init__(
            title=f"Feedback for {(session.interviewee.display_name or 'your partner')[:30]}",
            custom_id=f"coach:mockfb:{session.id}",
            timeout=1800,
        )
        material = client.curriculum.mocks
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


FEEDBACK_FORM = re.compile(r"coach:mockfb:([0-9]{1,20})")


async def handle_feedback_form(interaction: discord.Interaction[Any], card: Card) -> bool:
    """Answer a submitted feedback form (found by its custom id); False when it isn't one."""
    if interaction.type is not discord.InteractionType.modal_submit:
        return False
    data: dict[str, Any] = dict(interaction.data or {})
    found = FEEDBACK_FORM.fullmatch(str(data.get("custom_id", "")))
    if found is None:
        return False
    values = form_values(data)
    verdict = values.get("verdict")
    given = {key: str(values.get(key) or "") for key in ("scores", "notes", "mistakes", "advice")}
    given["verdict"] = str(verdict[0]) if isinstance(verdict, list) and verdict else ""
    try:
        await submit_feedback(interaction, int(found[1]), given, card)
    except Exception as error:  # noqa: BLE001 - answered privately (and logged) like commands
        await answer_error(interaction, error, "feedback form")
    return True


async def submit_feedback(
    interaction: discord.Interaction[Any], session_id: int, given: dict[str, str], card: Card
) -> None:
    client: Host = interaction.client
    allowed = await feedback_allowed(session_id, interaction.user.id, client.clock())
    material = client.curriculum.mocks
    rubric, scale = material.rubric(allowed.pair.kind), material.scale
    try:
        data = check_feedback(
            given["scores"],
            given["verdict"],
            given["notes"],
            given["mistakes"],
            given["advice"],
            len(rubric.dimensions),
            scale.min,
            scale.max,
        )
    except UserFacingError as error:
        await interaction.response.send_message(
            f"{error} Nothing was saved — **Try again** keeps what you wrote.",
            view=RetryFeedback(interaction.user.id, session_id, given),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )
        return
    now = client.clock()
    session, entry = await record_feedback(
        session_id, interaction.user.id, data, client.curriculum, now
    )
    client.dispatch("entry_logged", session.interviewee.id)  # as after a typed /mock
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
    verdict = KINDS.get(session.pair.kind, "")
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
        client: Host = interaction.client
        session = await feedback_allowed(self.session_id, interaction.user.id, client.clock())
        await interaction.response.send_modal(FeedbackModal(session, client, self.given))


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
        outcome = await add_to_oops(
            self.session_id, interaction.user.id, client.curriculum, client.clock()
        )
        if not outcome.ok and not outcome.closed:
            await private(interaction, outcome.message)
            return
        await interaction.response.edit_message(view=None)
        await private(interaction, outcome.message)
