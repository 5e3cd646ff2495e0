"""Fixtures for the LeetCode client tests: a fake site on localhost and clients for it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.leetcode.client import LeetCodeClient
from tests.leetcode.fake_server import FakeLeetCode

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
