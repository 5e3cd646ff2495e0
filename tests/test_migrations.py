"""Every migration applied to a fresh database gives exactly the schema the models describe."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext

from bot import models
from bot.coaching import models as coaching_models
from bot.db import apply_migrations, tortoise_config
from bot.mocks import models as mock_models
from bot.sessions import models as session_models
from bot.web import models as web_models
from tests.conftest import PG_URL, _pg_exec, _with_db


async def _introspect_sqlite(conn: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _, tables = await conn.execute_query(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'tortoise_%'"
    )
    for row in tables:
        table = row["name"]
        _, cols = await conn.execute_query(f'PRAGMA table_info("{table}")')
        columns = sorted(
            (c["name"], c["type"].upper(), bool(c["notnull"]), bool(c["pk"])) for c in cols
        )
        _, idx = await conn.execute_query(f'PRAGMA index_list("{table}")')
        indexes = []
        for i in idx:
            _, info = await conn.execute_query(f'PRAGMA index_info("{i["name"]}")')
            indexes.append((tuple(sorted(x["name"] for x in info)), bool(i["unique"])))
        out[table] = {"columns": columns, "indexes": sorted(indexes)}
    return out


async def _introspect_pg(conn: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _, cols = await conn.execute_query(
        "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_schema='public' AND table_name NOT LIKE 'tortoise_%'"
    )
    for c in cols:
        t = out.setdefault(c["table_name"], {"columns": [], "indexes": []})
        t["columns"].append((c["column_name"], c["data_type"], c["is_nullable"]))
    _, idx = await conn.execute_query(
        "SELECT t.relname AS table_name, ix.indisunique AS uniq, "
        "array_agg(a.attname ORDER BY a.attname) AS cols "
        "FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(ix.indkey) "
        "WHERE n.nspname='public' AND t.relname NOT LIKE 'tortoise_%' "
        "GROUP BY t.relname, ix.indexrelid, ix.indisunique"
    )
    for i in idx:
        out[i["table_name"]]["indexes"].append((tuple(i["cols"]), i["uniq"]))
    for t in out.values():
        t["columns"].sort()
        t["indexes"].sort()
    return out


async def _schema(url: str, *, via_migrations: bool) -> dict[str, Any]:
    if via_migrations:
        await apply_migrations(url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(url))
        if not via_migrations:
            await Tortoise.generate_schemas()
        conn = get_connection("default")
        if url.startswith("sqlite"):
            return await _introspect_sqlite(conn)
        return await _introspect_pg(conn)


async def test_sqlite_migrations_match_models(tmp_path) -> None:
    migrated = await _schema(f"sqlite://{tmp_path / 'a.db'}", via_migrations=True)
    generated = await _schema(f"sqlite://{tmp_path / 'b.db'}", via_migrations=False)
    assert {"guild_config", "cohort", "cohort_pause", "member", "post"} <= set(migrated)
    assert migrated == generated
    assert (("cohort_id", "local_date", "slot"), True) in migrated["post"]["indexes"]


@pytest.mark.postgres
async def test_postgres_migrations_match_models() -> None:
    assert PG_URL is not None
    names = [f"coach_mig_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    for name in names:
        await _pg_exec(PG_URL, f'CREATE DATABASE "{name}"')
    try:
        migrated = await _schema(_with_db(PG_URL, names[0]), via_migrations=True)
        generated = await _schema(_with_db(PG_URL, names[1]), via_migrations=False)
        assert migrated == generated
        assert (("cohort_id", "local_date", "slot"), True) in migrated["post"]["indexes"]
    finally:
        for name in names:
            await _pg_exec(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_migrations_are_idempotent(tmp_path) -> None:
    url = f"sqlite://{tmp_path / 'twice.db'}"
    first = await apply_migrations(url)
    shipped = sorted(p.stem for p in (Path(__file__).parents[1] / "migrations").glob("0*.py"))
    assert first == shipped  # every migration, in order
    assert await apply_migrations(url) == []  # nothing pending: a no-op, no error


def test_model_docstrings_have_no_semicolons() -> None:
    # Tortoise turns docstrings into table comments and splits migration SQL at ";".
    for model in (
        models.GuildConfig,
        models.Cohort,
        models.CohortPause,
        models.Member,
        models.Post,
        models.BuddySeat,
        mock_models.MockSettings,
        mock_models.MockProfile,
        mock_models.MockRound,
        mock_models.MockPair,
        mock_models.MockSession,
        coaching_models.CoachPlan,
        coaching_models.RewardRole,
        coaching_models.RoleGrant,
        session_models.BlockAttendance,
        session_models.StudyRoom,
        session_models.RoomSettings,
        session_models.VoiceSession,
        session_models.VoiceDay,
        session_models.FocusTimer,
        session_models.FocusPhase,
        web_models.WebLink,
    ):
        assert ";" not in (model.__doc__ or ""), model.__name__
