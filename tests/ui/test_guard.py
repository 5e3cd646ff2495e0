"""Every button, select and form of the bot answers its own errors privately."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import UTC, datetime
from typing import Any

import discord
import pytest

import bot
import cogs
from bot.core.clock import FixedClock
from bot.db import close_db
from bot.errors import StorageError
from bot.scheduling.reviews import ReviewRunner
from bot.ui.guard import GuardedModal, GuardedView
from tests.helpers import join, make_cohort


def _project_classes(base: type) -> list[type]:
    for package in (bot, cogs):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    found, todo = [], [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(("bot.", "cogs.")) and sub.__module__ != "bot.ui.guard":
                found.append(sub)
    return found


def test_every_persistent_component_callback_is_guarded() -> None:
    items = _project_classes(discord.ui.DynamicItem)
    assert items  # the review, buddy, LeetCode and peer-mock buttons at least
    unguarded = [c.__qualname__ for c in items if not getattr(c.callback, "__guarded__", False)]
    assert unguarded == []


@pytest.mark.parametrize(
    ("base", "guard"), [(discord.ui.View, GuardedView), (discord.ui.Modal, GuardedModal)]
)
def test_every_view_and_form_answers_its_errors(base: type, guard: type) -> None:
    classes = [
        c
        for c in _project_classes(base)
        if not issubclass(c, discord.ui.Modal) or base is discord.ui.Modal
    ]
    assert len(classes) >= 3  # the confirmations, the pager, the /next view … and the forms
    assert [c.__qualname__ for c in classes if not issubclass(c, guard)] == []


async def test_a_failing_button_gets_a_private_answer(simcord_env: Any, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    cohort = await make_cohort(guild.id, channel.id)
    await join(cohort, alice.id)
    clock.set(datetime(2027, 2, 3, 12, tzinfo=UTC))
    simcord_env.bot.log_limiter.limit = 1000
    await alice.slash(channel, "oops", what="off by one", lesson="draw the indices")
    clock.set(datetime(2027, 2, 4, 13, tzinfo=UTC))
    await ReviewRunner(simcord_env.bot).run_due()
    (dm,) = [m for m in alice.user.dm_channel.history() if "Oops re-review" in m.content]

    await close_db()  # the database goes away between the DM and the press
    result = await alice.user.click(dm, label="Reviewed ✅")

    assert result.ephemeral and result.response.content == str(StorageError())
