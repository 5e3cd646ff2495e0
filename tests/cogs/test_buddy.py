"""/buddy through simcord: who can ask whom, who can answer, withdraw, expiry, cooldowns,
/buddy end, and that a failed post leaves no request behind."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.models import Buddy, BuddySeat
from tests.helpers import bot_posts, expect_errors, join, make_cohort

MONDAY = datetime(2027, 1, 4, 12, tzinfo=UTC)
NAMES = ("alice", "bob", "carol", "erin", "frank")


@pytest.fixture
async def world(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Any:
    """Five members of cohort "main" (channel #study) and dave in cohort "evening"."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    other_channel = guild.create_text_channel("evening")
    main = await make_cohort(guild.id, channel.id)
    evening = await make_cohort(guild.id, other_channel.id, name="evening")
    people: dict[str, Any] = {}
    for name in (*NAMES, "dave"):
        actor = guild.add_member(simcord_env.create_user(name))
        member = await join(evening if name == "dave" else main, actor.id)
        member.display_name = name
        await member.save()
        people[name] = actor
    people["zoe"] = guild.add_member(simcord_env.create_user("zoe"))  # never joined
    clock.set(MONDAY)
    return channel, people


async def _ask(channel: Any, asker: Any, partner: Any) -> Any:
    """/buddy ask and confirm; returns the reply (its content says what happened)."""
    asked = await asker.slash(channel, "buddy ask", member=partner)
    await asker.click(asked.response, label="Send request")
    return asked


def _request(channel: Any) -> Any:
    return [m for m in bot_posts(channel) if "accountability buddy" in m.content][-1]


def _now(channel: Any, message: Any) -> Any:
    """The message as it is now (after the bot edited it)."""
    return next(m for m in channel.history() if m.id == message.id)


async def _refused(env: Any, channel: Any, asker: Any, partner: Any, needle: str) -> None:
    before = await Buddy.all().count()
    result = await asker.slash(channel, "buddy ask", member=partner)
    assert result.ephemeral and needle in result.response.content, result.response.content
    assert result.response.components == []  # no "Send request" button
    expect_errors(env, UserFacingError)
    assert await Buddy.all().count() == before


async def test_accept_makes_a_pair_with_two_seats(world: Any) -> None:
    channel, p = world
    asked = await _ask(channel, p["alice"], p["bob"])
    assert "Request sent to **bob**" in asked.response.content
    request = _request(channel)
    assert f"<@{p['bob'].id}>" in request.content and [u.id for u in request.mentions] == [
        p["bob"].id
    ]

    await p["bob"].click(request, label="Accept 🤝")

    request = _now(channel, request)
    assert "**alice** and **bob** are accountability buddies now" in request.content
    assert request.components == []
    assert (await Buddy.get()).status == "active" and await BuddySeat.all().count() == 2
    status = await p["bob"].slash(channel, "buddy status")
    assert f"Your buddy is <@{p['alice'].id}>" in status.response.content


async def test_who_can_be_asked(world: Any, simcord_env: Any) -> None:
    channel, p = world
    await _refused(simcord_env, channel, p["alice"], p["alice"], "can't be your own buddy")
    await _refused(simcord_env, channel, p["alice"], p["dave"], "same cohort")
    await _refused(simcord_env, channel, p["alice"], p["zoe"], "haven't joined a cohort")

    await _ask(channel, p["alice"], p["bob"])
    await p["bob"].click(_request(channel), label="Accept 🤝")

    await _refused(simcord_env, channel, p["carol"], p["alice"], "They already have a buddy")
    await _refused(simcord_env, channel, p["alice"], p["carol"], "You already have a buddy")


async def test_only_the_partner_answers(world: Any, simcord_env: Any) -> None:
    channel, p = world
    await _ask(channel, p["alice"], p["bob"])
    request = _request(channel)

    for someone in (p["carol"], p["alice"]):  # a bystander, and the asker herself
        pressed = await someone.click(request, label="Accept 🤝")
        assert pressed.ephemeral and "Only the person who was asked" in pressed.response.content
    assert (await Buddy.get()).status == "pending" and await BuddySeat.all().count() == 0
    assert len(_now(channel, request).components) == 1  # the buttons are still there for bob

    await p["bob"].click(request, label="No thanks")
    assert "**bob** declined the buddy request from **alice**" in _now(channel, request).content
    assert (await Buddy.get()).status == "declined" and await BuddySeat.all().count() == 0


async def test_end_frees_both(world: Any, simcord_env: Any) -> None:
    channel, p = world
    await _ask(channel, p["alice"], p["bob"])
    await p["bob"].click(_request(channel), label="Accept 🤝")

    ended = await p["bob"].slash(channel, "buddy end")

    assert f"Your pairing with <@{p['alice'].id}> has ended" in ended.response.content
    assert (await Buddy.get()).status == "ended" and await BuddySeat.all().count() == 0
    again = await p["alice"].slash(channel, "buddy end")
    assert "don't have a buddy" in again.response.content
    expect_errors(simcord_env, UserFacingError)
    asked = await _ask(channel, p["alice"], p["carol"])  # free to pair again
    assert "Request sent" in asked.response.content


async def test_withdraw_with_the_command(world: Any, simcord_env: Any) -> None:
    channel, p = world
    await _ask(channel, p["alice"], p["bob"])
    await _ask(channel, p["alice"], p["carol"])
    to_bob = [m for m in bot_posts(channel) if f"<@{p['bob'].id}>" in m.content][-1]

    shown = await p["alice"].slash(channel, "buddy status")
    assert shown.response.content.count("You asked") == 2

    done = await p["alice"].slash(channel, "buddy withdraw", member=p["bob"])
    assert f"Withdrawn: your buddy request to <@{p['bob'].id}>" in done.response.content
    late = await p["bob"].click(to_bob, label="Accept 🤝")
    to_bob = _now(channel, to_bob)
    assert "**alice** withdrew this buddy request" in to_bob.content and to_bob.components == []
    assert not late.ephemeral
    statuses = sorted(await Buddy.all().values_list("status", flat=True))
    assert statuses == ["pending", "withdrawn"] and await BuddySeat.all().count() == 0

    rest = await p["alice"].slash(channel, "buddy withdraw")
    assert f"<@{p['carol'].id}>" in rest.response.content
    nothing = await p["alice"].slash(channel, "buddy withdraw")
    assert "no open buddy request" in nothing.response.content
    expect_errors(simcord_env, UserFacingError)


async def test_withdraw_with_the_button(world: Any) -> None:
    channel, p = world
    await _ask(channel, p["alice"], p["bob"])
    request = _request(channel)

    refused = await p["bob"].click(request, label="Withdraw (asker only)")
    assert refused.ephemeral and "Only the member who asked" in refused.response.content
    await p["alice"].click(request, label="Withdraw (asker only)")

    request = _now(channel, request)
    assert "**alice** withdrew this buddy request" in request.content
    assert request.components == [] and (await Buddy.get()).status == "withdrawn"


async def test_requests_expire_after_48_hours(world: Any, clock: FixedClock) -> None:
    channel, p = world
    await _ask(channel, p["alice"], p["bob"])
    request = _request(channel)
    clock.set(MONDAY + timedelta(hours=48, minutes=1))

    await p["bob"].click(request, label="Accept 🤝")

    request = _now(channel, request)
    assert "expired" in request.content and request.components == []
    assert (await Buddy.get()).status == "expired" and await BuddySeat.all().count() == 0
    status = await p["alice"].slash(channel, "buddy status")
    assert "You asked" not in status.response.content
    asked = await _ask(channel, p["alice"], p["bob"])  # asking again is fine after a day
    assert "Request sent" in asked.response.content


async def test_an_open_request_expires_for_the_checks_too(
    world: Any, clock: FixedClock, simcord_env: Any
) -> None:
    channel, p = world
    await _ask(channel, p["alice"], p["bob"])
    await _refused(simcord_env, channel, p["bob"], p["alice"], "already an open buddy request")
    clock.set(MONDAY + timedelta(hours=49))
    asked = await _ask(channel, p["bob"], p["alice"])
    assert "Request sent" in asked.response.content


async def test_cooldown_on_the_same_member_and_per_day(
    world: Any, clock: FixedClock, simcord_env: Any
) -> None:
    channel, p = world
    await _ask(channel, p["alice"], p["bob"])
    await p["bob"].click(_request(channel), label="No thanks")
    clock.set(MONDAY + timedelta(hours=1))

    await _refused(simcord_env, channel, p["alice"], p["bob"], "less than a day ago")
    await _ask(channel, p["alice"], p["carol"])
    await _ask(channel, p["alice"], p["erin"])
    await _refused(simcord_env, channel, p["alice"], p["frank"], "3 buddy requests in the last")
    other = await _ask(channel, p["frank"], p["bob"])  # the limits are per member
    assert "Request sent" in other.response.content

    clock.set(MONDAY + timedelta(hours=24, minutes=1))
    again = await _ask(channel, p["alice"], p["bob"])
    assert "Request sent" in again.response.content
    assert await Buddy.filter(partner__user_id=p["bob"].id).count() == 3


async def test_a_failed_post_leaves_no_pending_request(world: Any, simcord_env: Any) -> None:
    channel, p = world
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=50013, times=1)

    failed = await _ask(channel, p["alice"], p["bob"])

    assert "couldn't post your request" in failed.response.content
    assert await Buddy.all().count() == 0 and bot_posts(channel) == []
    retried = await _ask(channel, p["alice"], p["bob"])  # not counted as a repeated ask
    assert "Request sent" in retried.response.content
    assert (await Buddy.get()).status == "pending" and len(bot_posts(channel)) == 1
