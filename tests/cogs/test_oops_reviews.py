"""Oops re-review buttons through simcord: two open reviews of one Oops, answered one after the
other, restart the ladder once and never raise; a database failure gets a private answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from tortoise.connection import get_connection

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.errors import StorageError
from bot.models import Entry, OopsReview
from bot.scheduling.reviews import ReviewRunner
from bot.services import reviews
from tests.helpers import join, make_cohort

T0 = datetime(2027, 1, 5, 12, tzinfo=UTC)


@pytest.fixture
async def dms(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Any:
    """alice logged an Oops; steps 1 and 2 were both delivered (the runner was late)."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await join(await make_cohort(guild.id, channel.id), alice.id)
    clock.set(T0)
    await alice.slash(channel, "oops", what="forgot the empty case", lesson="test n == 0")
    clock.set(T0 + timedelta(days=3, minutes=1))
    assert await ReviewRunner(simcord_bot).run_due() == 2
    first, second = [m for m in alice.user.dm_channel.history() if "Oops re-review" in m.content]
    return alice, first, second


def _now(alice: Any, message: Any) -> Any:
    return next(m for m in alice.user.dm_channel.history() if m.id == message.id)


async def test_still_shaky_on_both_dms_restarts_once(dms: Any, clock: FixedClock) -> None:
    alice, first, second = dms

    await alice.user.click(first, label="Still shaky")
    await alice.user.click(second, label="Still shaky")

    assert reviews.SHAKY in _now(alice, first).content
    later = _now(alice, second)
    assert "already restarted this Oops" in later.content and later.components == []
    entry = await Entry.get()
    rows = await OopsReview.filter(entry_id=entry.id).order_by("round", "step")
    assert [(r.round, r.status) for r in rows if r.status != "superseded"] == [
        (1, "shaky"),
        (2, "scheduled"),
        (2, "scheduled"),
        (2, "scheduled"),
        (2, "scheduled"),
    ]
    assert rows[4].due_at == clock() + timedelta(days=1)


async def test_reviewed_on_the_other_dm_after_a_restart(dms: Any) -> None:
    alice, first, second = dms
    await alice.user.click(second, label="Still shaky")

    await alice.user.click(first, label="Reviewed ✅")

    assert "already restarted this Oops" in _now(alice, first).content
    assert await OopsReview.filter(status="reviewed").count() == 0


@pytest.mark.sqlite  # a read-only SQLite database is the fault
async def test_a_database_failure_is_answered_privately(dms: Any) -> None:
    alice, first, _ = dms
    conn = get_connection("default")
    await conn.execute_script("PRAGMA query_only = ON")

    pressed = await alice.user.click(first, label="Still shaky")

    assert pressed.ephemeral and pressed.response.content == str(StorageError())
    await conn.execute_script("PRAGMA query_only = OFF")
    assert await OopsReview.filter(round=2).count() == 0
    assert len(_now(alice, first).components) == 1  # the buttons stay: press again later
    await alice.user.click(first, label="Still shaky")
    assert await OopsReview.filter(round=2).count() == 4


async def test_someone_elses_press_changes_nothing(dms: Any, clock: FixedClock) -> None:
    """A review answers only its owner (the buttons carry just the review's id)."""
    alice, first, _ = dms
    review = await OopsReview.filter(status="sent").order_by("step").first()
    assert review is not None
    stranger = alice.id + 1

    for shaky in (False, True):
        refused = await reviews.answer(review.id, stranger, shaky, clock())
        assert not refused.ok and refused.message == "This review belongs to someone else."

    assert (await OopsReview.get(id=review.id)).status == "sent"
    assert await OopsReview.filter(round=2).count() == 0
    await alice.user.click(first, label="Reviewed ✅")  # its owner still can
    assert await OopsReview.filter(status="reviewed").count() == 1
