"""Fixtures for the LeetCode client tests: a fake site on localhost and clients for it."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.core.clock import FixedClock
from bot.leetcode.client import LeetCodeClient
from bot.leetcode.policy import RequestPacer
from bot.leetcode.service import LeetCodeService, install_service
from bot.settings import Settings
from tests.helpers import join, make_cohort
from tests.leetcode.fake_server import FakeLeetCode
from tests.leetcode.linkutil import NOW, Room

TEST_TIMEOUT = 2.0


@pytest.fixture
async def fake_leetcode() -> AsyncIterator[FakeLeetCode]:
    fake = FakeLeetCode()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
async def http_session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def com_client(http_session: aiohttp.ClientSession, fake_leetcode: FakeLeetCode) -> LeetCodeClient:
    return LeetCodeClient(http_session, fake_leetcode.base_url, "leetcode.com", TEST_TIMEOUT)


@pytest.fixture
def cn_client(http_session: aiohttp.ClientSession, fake_leetcode: FakeLeetCode) -> LeetCodeClient:
    return LeetCodeClient(http_session, fake_leetcode.base_url, "leetcode.cn", TEST_TIMEOUT)


# --- the bot against the fake site (DB + simcord tests) ------------------------------------


@pytest.fixture
def settings(tmp_path: Path, db_url: str, fake_leetcode: FakeLeetCode) -> Settings:
    """The root ``settings`` fixture, with both LeetCode sites pointing at the fake server."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        discord_token=None,
        data_dir=tmp_path / "data",
        database_url=db_url,
        leetcode_base_url=fake_leetcode.base_url,
        leetcode_cn_base_url=fake_leetcode.base_url,
    )


@pytest.fixture
def lc(simcord_env: Any) -> LeetCodeService:
    """The bot's LeetCode service without request spacing and with a seeded rng."""
    service = LeetCodeService(simcord_env.bot, pacer=RequestPacer(0.0), rng=random.Random(7))
    install_service(simcord_env.bot, service)
    return service


@pytest.fixture
async def room(simcord_env: Any, clock: FixedClock) -> Room:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice_user = simcord_env.create_user("alice")
    bob_user = simcord_env.create_user("bob")
    alice = guild.add_member(alice_user)
    bob = guild.add_member(bob_user)
    cohort = await make_cohort(guild.id, channel.id)
    clock.set(NOW)
    return Room(
        guild,
        channel,
        alice,
        bob,
        alice_user,
        bob_user,
        await join(cohort, alice.id),
        await join(cohort, bob.id),
    )
