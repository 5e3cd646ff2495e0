"""Who may look at whose progress (/log, /recap, /milestones with ``member``): cohort mates
only, and only while the member shares it (/prefs share_progress). Per-member cooldowns on the
report commands."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from discord import app_commands

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.errors import NotAMember, UserFacingError
from bot.models import Member
from bot.services.standings import NOT_A_COHORT_MATE, NOT_SHARED
from tests.helpers import expect_errors, join, make_cohort, reply_text

NOW = datetime(2027, 2, 3, 18, 0, tzinfo=UTC)  # Wed of week 5
VIEWS = ["log", "recap", "milestones", "progress chart"]
SECRETS = ("bob's secret mistake", "bob's secret lesson", "bob's ledger line")


@pytest.fixture
async def world(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Any:
    """alice, bob and erin (who left) in "main"; dave in "evening"; carol never joined."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    main = await make_cohort(guild.id, channel.id)
    evening = await make_cohort(guild.id, guild.create_text_channel("evening").id, name="evening")
    people: dict[str, Any] = {}
    for name in ("alice", "bob", "erin", "dave", "carol"):
        actor = people[name] = guild.add_member(simcord_env.create_user(name))
        if name != "carol":
            member = await join(evening if name == "dave" else main, actor.id)
            member.display_name = name
            await member.save()
    clock.set(NOW)
    simcord_bot.log_limiter.limit = 1000
    bob = people["bob"]
    await bob.slash(channel, "oops", what=SECRETS[0], lesson=SECRETS[1])
    await bob.slash(channel, "ledger", text=SECRETS[2])
    await bob.slash(channel, "solve", problem="1", minutes=9)
    await people["erin"].slash(channel, "solve", problem="1", minutes=9)
    await people["erin"].slash(channel, "leave")
    return channel, people


async def _look(channel: Any, viewer: Any, command: str, target: Any) -> str:
    result = await viewer.slash(channel, command, member=target)
    assert result.ephemeral
    return reply_text(result)


@pytest.mark.parametrize("command", VIEWS)
async def test_a_cohort_mate_may_look(world: Any, command: str) -> None:
    channel, p = world
    text = await _look(channel, p["alice"], command, p["bob"])
    assert "bob" in text and NOT_A_COHORT_MATE not in text and NOT_SHARED not in text
    if command == "log":
        assert all(secret in text for secret in SECRETS)


@pytest.mark.parametrize("command", VIEWS)
@pytest.mark.parametrize(
    ("viewer", "target", "needle", "error"),
    [
        ("dave", "bob", NOT_A_COHORT_MATE, UserFacingError),  # another cohort
        ("carol", "bob", "haven't joined a study cohort", NotAMember),  # not a member
        ("erin", "bob", "haven't joined a study cohort", NotAMember),  # left the cohort
        ("alice", "erin", NOT_A_COHORT_MATE, UserFacingError),  # she left
        ("alice", "carol", NOT_A_COHORT_MATE, UserFacingError),  # never joined
    ],
    ids=["other-cohort", "non-member", "viewer-left", "target-left", "target-never-joined"],
)
async def test_others_may_not_look(
    world: Any,
    simcord_env: Any,
    command: str,
    viewer: str,
    target: str,
    needle: str,
    error: type[Exception],
) -> None:
    channel, p = world
    text = await _look(channel, p[viewer], command, p[target])
    assert needle in text
    assert not any(secret in text for secret in SECRETS)
    expect_errors(simcord_env, error)


@pytest.mark.parametrize("command", VIEWS)
async def test_sharing_off_hides_it_from_cohort_mates_but_not_from_yourself(
    world: Any, simcord_env: Any, command: str
) -> None:
    channel, p = world
    changed = await p["bob"].slash(channel, "prefs", share_progress=False)
    assert "sharing progress: **off**" in changed.response.content
    assert (await Member.get(user_id=p["bob"].id)).share_progress is False

    text = await _look(channel, p["alice"], command, p["bob"])
    assert NOT_SHARED in text and not any(secret in text for secret in SECRETS)
    expect_errors(simcord_env, UserFacingError)
    own = await _look(channel, p["bob"], command, p["bob"])
    assert NOT_SHARED not in own and ("Your" in own or "— bob" in own)

    await p["bob"].slash(channel, "prefs", share_progress=True)
    assert NOT_SHARED not in await _look(channel, p["alice"], command, p["bob"])


async def test_sharing_is_on_by_default_and_shown_in_prefs(world: Any) -> None:
    channel, p = world
    shown = await p["alice"].slash(channel, "prefs")
    assert "sharing progress: **on**" in shown.response.content
    assert (await Member.get(user_id=p["alice"].id)).share_progress is True


# -- per-member cooldowns ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("command", "options"),
    [("recap", {}), ("milestones", {}), ("leaderboard", {}), ("recap", {"week": 2})],
)
async def test_report_commands_have_a_per_member_cooldown(
    world: Any, simcord_env: Any, clock: FixedClock, command: str, options: dict[str, Any]
) -> None:
    channel, p = world
    for _ in range(5):
        ok = await p["alice"].slash(channel, command, **options)
        assert "Slow down" not in reply_text(ok)

    refused = await p["alice"].slash(channel, command, **options)

    assert refused.ephemeral and "Slow down a little — try again in 60 s" in reply_text(refused)
    expect_errors(simcord_env, app_commands.CommandOnCooldown)
    other = await p["bob"].slash(channel, command, **options)  # bob has his own budget
    assert "Slow down" not in reply_text(other)
    clock.set(NOW + timedelta(seconds=61))
    again = await p["alice"].slash(channel, command, **options)
    assert "Slow down" not in reply_text(again)
