"""/coach web (Manage Server) and /progress link | chart: the links they give open the pages
(served by the real aiohttp app), a new link kills the old one, and nobody else gets one."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
import pytest
from aiohttp.test_utils import TestClient, TestServer
from discord import app_commands

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.web.app import ProgressSite
from bot.web.links import WEB_OFF
from bot.web.models import LinkKind, WebLink
from tests.helpers import expect_errors, join, make_cohort, reply_text

NOW = datetime(2027, 2, 3, 18, 0, tzinfo=UTC)  # Wed of week 5
BASE = "https://coach.example.org/study"
LINK = re.compile(r"<(https://coach\.example\.org/study/([cm])/([A-Za-z0-9_-]{32}))>")


@pytest.fixture
async def world(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Any:
    """ada (Manage Server) and bob (a member) in the cohort "main"; pages on."""
    simcord_bot.settings.web_port = 8089
    simcord_bot.settings.web_base_url = BASE
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    ada = guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    bob = guild.add_member(simcord_env.create_user("bob"))
    cohort = await make_cohort(guild.id, channel.id)
    for actor in (ada, bob):
        member = await join(cohort, actor.id)
        member.display_name = actor.name
        await member.save()
    clock.set(NOW)
    await bob.slash(channel, "solve", problem="1", minutes=9)
    return channel, ada, bob


def link_of(text: str) -> tuple[str, str, str]:
    found = LINK.search(text)
    assert found is not None, text
    return found[1], found[2], found[3]


async def status(site: ProgressSite, path: str) -> tuple[int, str]:
    async with TestClient(TestServer(site.app())) as client:
        response = await client.get(path)
        return response.status, await response.text()


async def test_an_admin_gets_the_cohorts_link_and_a_new_one_kills_it(
    world: Any, simcord_bot: CoachBot
) -> None:
    channel, ada, _ = world
    site = ProgressSite(simcord_bot.curriculum, simcord_bot.clock, rebuild_wait=None)

    first = await ada.slash(channel, "coach web")

    assert first.ephemeral
    url, kind, token = link_of(first.response.content)
    assert kind == "c" and url.startswith(BASE + "/c/")
    assert "never shows notes, Oops or ledger lines" in first.response.content
    code, html = await status(site, f"/c/{token}")
    assert code == 200 and "<h1>main</h1>" in html and "bob" in html

    second = await ada.slash(channel, "coach web")
    _, _, token2 = link_of(second.response.content)
    assert "The previous link no longer works." in second.response.content
    assert (await status(site, f"/c/{token}"))[0] == 404
    assert (await status(site, f"/c/{token2}"))[0] == 200

    off = await ada.slash(channel, "coach web", off=True)
    assert "is off" in off.response.content
    assert (await status(site, f"/c/{token2}"))[0] == 404
    assert await WebLink.filter(kind=LinkKind.COHORT).count() == 0


async def test_a_member_without_manage_server_gets_no_link(
    world: Any, simcord_bot: CoachBot, simcord_env: Any
) -> None:
    """Even when an admin shows /coach to bob with an override, the server-side check holds."""
    channel, _, bob = world
    synced = await simcord_bot.tree.fetch_commands()
    coach = next(c for c in synced if c.name == "coach")
    channel.guild.set_command_permissions(coach, {bob: True})

    result = await bob.slash(channel, "coach web")

    assert result.ephemeral
    assert "You need the **Manage Server** permission" in result.response.content
    assert "/c/" not in result.response.content
    assert await WebLink.all().count() == 0
    expect_errors(simcord_env, app_commands.MissingPermissions)


async def test_the_pages_off_means_no_link(
    world: Any, simcord_bot: CoachBot, simcord_env: Any
) -> None:
    channel, ada, bob = world
    simcord_bot.settings.web_port = None
    for actor, command in ((ada, "coach web"), (bob, "progress link")):
        result = await actor.slash(channel, command)
        assert result.ephemeral and WEB_OFF in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await WebLink.all().count() == 0


async def test_progress_link_opens_the_members_own_page_for_seven_days(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    channel, _, bob = world
    await bob.slash(channel, "oops", what="forgot the empty input", lesson="test edge cases")
    site = ProgressSite(simcord_bot.curriculum, simcord_bot.clock, rebuild_wait=None)

    result = await bob.slash(channel, "progress link")

    assert result.ephemeral
    text = result.response.content
    _, kind, token = link_of(text)
    assert kind == "m" and "Only for you" in text and "Wed 10 Feb 19:00" in text
    code, html = await status(site, f"/m/{token}")
    assert code == 200 and "<h1>bob</h1>" in html and "test edge cases" in html

    again = await bob.slash(channel, "progress link")
    _, _, token2 = link_of(again.response.content)
    assert "Your previous link no longer works." in again.response.content
    assert (await status(site, f"/m/{token}"))[0] == 404
    clock.set(NOW + timedelta(days=7))
    assert (await status(site, f"/m/{token2}"))[0] == 404


async def test_progress_link_needs_a_member(world: Any, simcord_env: Any) -> None:
    channel = world[0]
    stranger = channel.guild.add_member(simcord_env.create_user("carol"))
    result = await stranger.slash(channel, "progress link")
    assert result.ephemeral and "/join" in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await WebLink.all().count() == 0


async def test_progress_chart_is_the_old_progress(world: Any) -> None:
    channel, _, bob = world
    result = await bob.slash(channel, "progress chart")
    assert result.ephemeral
    assert "Progress — bob" in reply_text(result) and "Forecast" in reply_text(result)
    assert any(a.filename.endswith(".png") for a in result.response.attachments)
