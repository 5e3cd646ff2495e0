"""Database faults: the command says "couldn't save", nothing is half written, the bot keeps
running and recovers when the database is back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from tortoise.connection import get_connection

from bot.core.clock import FixedClock
from bot.models import Entry
from tests.conftest import PG_URL
from tests.helpers import join, make_cohort

COULDNT = "Couldn't save that right now"


@pytest.fixture
async def room(simcord_env: Any, simcord_bot: Any, clock: FixedClock) -> Any:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await join(await make_cohort(guild.id, channel.id), alice.id)
    clock.set(datetime(2027, 2, 3, 18, 0, tzinfo=UTC))
    simcord_bot.log_limiter.limit = 1000
    return channel, alice


async def _fails_cleanly(env: Any, channel: Any, alice: Any, text: str) -> None:
    before = await Entry.all().count()
    result = await alice.slash(channel, "ledger", text=text)
    assert result.ephemeral and COULDNT in result.response.content
    _ = env.errors  # the failure was handled (and logged)
    assert await Entry.all().count() == before


sqlite_only = pytest.mark.sqlite  # SQLite fault injection: runs on SQLite on every CI run


@sqlite_only
async def test_read_only_database(room: Any, simcord_env: Any) -> None:
    channel, alice = room
    conn = get_connection("default")
    await conn.execute_script("PRAGMA query_only = ON")
    await _fails_cleanly(simcord_env, channel, alice, "while read-only")
    await conn.execute_script("PRAGMA query_only = OFF")
    ok = await alice.slash(channel, "ledger", text="back")
    assert "Logged" in ok.response.content


@sqlite_only
async def test_disk_full(room: Any, simcord_env: Any) -> None:
    channel, alice = room
    conn = get_connection("default")
    (row,) = await conn.execute_query_dict("PRAGMA page_count")
    await conn.execute_script(f"PRAGMA max_page_count = {row['page_count']}")
    saved = 0
    for i in range(200):
        result = await alice.slash(channel, "ledger", text=f"{i} " + "x" * 900)
        if COULDNT in result.response.content:
            break
        saved += 1
    else:
        pytest.fail("the database never filled up")
    _ = simcord_env.errors
    assert await Entry.all().count() == saved  # the failed insert left nothing behind
    await conn.execute_script("PRAGMA max_page_count = 1073741823")
    ok = await alice.slash(channel, "ledger", text="room again")
    assert "Logged" in ok.response.content


@sqlite_only
async def test_database_locked(room: Any, simcord_env: Any, db_url: str) -> None:
    channel, alice = room
    conn = get_connection("default")
    await conn.execute_script("PRAGMA busy_timeout = 100")
    other = sqlite3.connect(db_url.removeprefix("sqlite://"), isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        await _fails_cleanly(simcord_env, channel, alice, "while locked")
    finally:
        other.execute("ROLLBACK")
        other.close()
    ok = await alice.slash(channel, "ledger", text="unlocked")
    assert "Logged" in ok.response.content


@pytest.mark.postgres
async def test_postgres_restart_mid_run(room: Any, simcord_env: Any, db_url: str) -> None:
    assert PG_URL is not None
    channel, alice = room
    await alice.slash(channel, "ledger", text="before")
    name = db_url.rsplit("/", 1)[1]
    admin = await asyncpg.connect(PG_URL.replace("postgres://", "postgresql://", 1))
    try:  # what a server restart does to our connections
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
        )
    finally:
        await admin.close()
    first = await alice.slash(channel, "ledger", text="during")
    _ = simcord_env.errors
    assert "Logged" in first.response.content or COULDNT in first.response.content
    after = await alice.slash(channel, "ledger", text="after")
    assert "Logged" in after.response.content
    texts = await Entry.all().order_by("id").values_list("text", flat=True)
    assert texts[0] == "before" and texts[-1] == "after" and len(texts) in (2, 3)
