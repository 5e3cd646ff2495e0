"""Two shard processes on one database never mark each other's servers as left.

Process A is the real bot for simcord, sharded (shard 0 of 2): it sees only its shard's
guilds. Process B (shard 1) reconciles at the same moment on the same database (PostgreSQL
when ``COACH_TEST_POSTGRES_URL`` is set). A guild of A's shard that A no longer sees is
marked left (and purged 30 days later); nothing of B's is touched, by either.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.app import CoachBot, ShardedCoachBot, create_bot
from bot.core.clock import FixedClock
from bot.models import GuildConfig
from bot.services import privacy
from bot.settings import Settings
from bot.shards import ShardScope, shard_of
from curriculum.loader import Curriculum
from tests.helpers import make_cohort

SHARDS = 2


def guild_id_on(shard: int, n: int) -> int:
    return ((n * SHARDS + shard) << 22) | 4242


@pytest.fixture
async def simcord_bot(
    settings: Settings, curriculum: Curriculum, clock: FixedClock
) -> AsyncIterator[CoachBot]:
    """Process A: shard 0 of 2."""
    ours = settings.model_copy(update={"shard_count": SHARDS, "shard_ids": [0]})
    bot = create_bot(ours, curriculum, clock=clock, start_scheduler=False)
    assert isinstance(bot, ShardedCoachBot)
    yield bot
    await bot.close()


async def left_at(guild_id: int) -> Any:
    return (await GuildConfig.get(guild_id=guild_id)).left_at


def test_scope_follows_the_settings(settings: Settings) -> None:
    assert ShardScope.of(settings).everything
    scope = ShardScope.of(settings.model_copy(update={"shard_count": 4, "shard_ids": [1, 3]}))
    assert [scope.owns(guild_id_on(s, 7)) for s in range(2)] == [False, True]
    assert scope.describe() == "shards 1, 3 of 4"
    assert ShardScope.of(settings.model_copy(update={"shard_count": 4})).everything
    assert shard_of(guild_id_on(1, 5), SHARDS) == 1


async def test_neither_process_marks_the_others_servers(
    simcord_env: Any, clock: FixedClock
) -> None:
    bot = simcord_env.bot
    visible = simcord_env.create_guild("ours", shard_id=0)
    theirs = simcord_env.create_guild("theirs", shard_id=1)  # process B's: A never sees it
    gone = guild_id_on(0, 3)  # A's shard; removed from it while A was down
    for guild_id in (visible.id, theirs.id, gone):
        await make_cohort(guild_id, 1)
    assert {g.id for g in bot.guilds} == {visible.id}
    now = clock()

    # A (the real listener, after READY) and B (shard 1) reconcile at the same moment.
    export = bot.get_cog("Export")
    await asyncio.gather(
        export.on_ready(),
        privacy.sync_guilds([theirs.id], now, ShardScope(SHARDS, frozenset({1}))),
    )

    assert await left_at(gone) == now  # a real departure is recorded ...
    assert await left_at(visible.id) is None
    assert await left_at(theirs.id) is None  # ... and the other shard's server is untouched

    # 30 days later only the departed server's data is purged.
    assert await privacy.purge_departed(now + timedelta(days=29)) == 0
    assert await privacy.purge_departed(now + privacy.RETENTION + timedelta(minutes=1)) == 1
    remaining = await GuildConfig.all().values_list("guild_id", flat=True)
    assert sorted(remaining) == sorted([visible.id, theirs.id])


async def test_a_server_that_comes_back_is_kept(simcord_env: Any, clock: FixedClock) -> None:
    visible = simcord_env.create_guild("ours", shard_id=0)
    await make_cohort(visible.id, 1)
    await GuildConfig.filter(guild_id=visible.id).update(left_at=clock() - timedelta(days=3))
    await simcord_env.bot.get_cog("Export").on_ready()
    assert await left_at(visible.id) is None
