"""PostgreSQL for the benchmark: a scratch database, and synthetic history written with COPY.

``python -m bench`` passes the server to the figure workers in ``BENCH_POSTGRES_URL`` (empty:
PostgreSQL figures are skipped, saying why). Each PostgreSQL figure creates its own scratch
database on that server (``studycoach_bench_…``), migrates it with the bot's migrations, and
drops it afterwards, whatever happened.

Rows come from the same generator as the SQLite figures (:func:`bench.synthetic.member_rows`)
and go in with ``COPY … FROM STDIN (FORMAT csv)`` in chunks, so seeding a million rows keeps
memory flat. Values are written as text and PostgreSQL parses them by the column's type.
"""

from __future__ import annotations

import csv
import io
import os
import random
import uuid
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from bench.common import PROGRAM_START, PROGRAM_ZONE
from bench.rawsql import STAMP, model_row
from bench.synthetic import SeededCohort, SeedPlan, Shape, member_rows
from bot.models import Cohort, Entry, GuildConfig, Member
from curriculum.loader import Curriculum

ENV = "BENCH_POSTGRES_URL"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test"
CHUNK = 20_000  # rows per COPY


def configured_url() -> str | None:
    """The server the figures may use (None: skip them)."""
    return os.environ.get(ENV) or None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url.replace("postgresql://", "postgres://", 1))
    return urlunsplit(parts._replace(path=f"/{name}"))


CONNECT_S = 5.0


async def unreachable(url: str) -> str | None:
    """Why the server cannot be used, or None when it answers."""
    try:
        conn = await asyncpg.connect(url, timeout=CONNECT_S)
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        where = urlsplit(url)
        return f"PostgreSQL at {where.hostname}:{where.port or 5432} does not answer ({exc})"
    await conn.close()
    return None


@asynccontextmanager
async def scratch_database(url: str) -> AsyncIterator[str]:
    """A new, empty database on ``url``'s server for one figure; dropped afterwards."""
    name = f"studycoach_bench_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _with_database(url, name)
    finally:
        admin = await asyncpg.connect(url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


def _csv(rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(rows)
    return buffer.getvalue().encode()


async def copy_rows(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """``COPY table (columns) FROM STDIN`` in chunks of :data:`CHUNK`; None is NULL."""
    count, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            await _copy(conn, table, columns, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        await _copy(conn, table, columns, chunk)
        count += len(chunk)
    return count


async def _copy(
    conn: asyncpg.Connection, table: str, columns: Sequence[str], rows: list[Sequence[Any]]
) -> None:
    data = _csv(rows)
    await conn.copy_to_table(
        table, source=io.BytesIO(data), columns=list(columns), format="csv", null=""
    )


def _typed(value: Any, kind: str) -> Any:
    """A text value as asyncpg wants it for a column of ``kind`` (for single-row INSERTs)."""
    if value is None:
        return None
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    if kind.startswith("timestamp") and isinstance(value, str):
        return datetime.fromisoformat(value)
    if kind == "boolean":
        return bool(value)
    return value


async def column_types(conn: asyncpg.Connection, table: str) -> dict[str, str]:
    rows = await conn.fetch(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $1",
        table,
    )
    return {r["column_name"]: r["data_type"] for r in rows}


def typed_row(
    columns: Sequence[str], values: Sequence[Any], types: dict[str, str]
) -> tuple[Any, ...]:
    return tuple(_typed(v, types[c]) for c, v in zip(columns, values, strict=True))


def _insert(table: str, values: dict[str, Any]) -> tuple[str, list[Any]]:
    columns = ", ".join(f'"{c}"' for c in values)
    params = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    return f'INSERT INTO "{table}" ({columns}) VALUES ({params}) RETURNING "id"', list(values)


async def _insert_one(
    conn: asyncpg.Connection, table: str, values: dict[str, Any], types: dict[str, str]
) -> int:
    sql, columns = _insert(table, values)
    row = typed_row(columns, list(values.values()), types)
    pk: int = await conn.fetchval(sql, *row)
    return pk


async def seed_cohort_pg(
    url: str,
    curriculum: Curriculum,
    *,
    members: int,
    seed: int = 1,
    guild_id: int | None = None,
    channel_id: int | None = None,
    user_ids: list[int] | None = None,
    last: date | None = None,
    shape: Shape | None = None,
) -> SeededCohort:
    """:func:`bench.synthetic.seed_cohort` on PostgreSQL: one cohort of ``members`` members
    with history from week 1 to ``last``, ``shape`` entries each, in one transaction."""
    plan = SeedPlan.of(
        curriculum, members, seed, guild_id, channel_id, user_ids, PROGRAM_START, PROGRAM_ZONE, last
    )
    rng, shape = random.Random(seed), shape or Shape()
    guild_id, channel_id, users, days = plan.guild_id, plan.channel_id, plan.users, plan.days
    conn = await asyncpg.connect(url)
    try:
        types = {
            t: await column_types(conn, t) for t in ("guild_config", "cohort", "member", "entry")
        }
        async with conn.transaction():
            guild = model_row(GuildConfig, guild_id=guild_id)
            guild_pk = await _insert_one(conn, "guild_config", guild, types["guild_config"])
            cohort_values = model_row(
                Cohort,
                name="main",
                channel_id=channel_id,
                timezone=PROGRAM_ZONE,
                start_date=PROGRAM_START.isoformat(),
                schedule_from=STAMP,
                setup_user_id=1,
                guild_id=guild_pk,
            )
            cohort_id = await _insert_one(conn, "cohort", cohort_values, types["cohort"])
            people = [
                model_row(
                    Member,
                    user_id=u,
                    display_name=f"member{i}",
                    cohort_id=cohort_id,
                    guild_id=guild_pk,
                )
                for i, u in enumerate(users)
            ]
            member_columns = list(people[0])
            await copy_rows(
                conn,
                "member",
                member_columns,
                ([_csv_value(v) for v in p.values()] for p in people),
            )
            member_ids = [
                r["id"]
                for r in await conn.fetch(
                    'SELECT "id" FROM "member" WHERE "cohort_id" = $1 ORDER BY "id"', cohort_id
                )
            ]
            columns = list(model_row(Entry, **dict.fromkeys(_entry_columns())))
            count = await copy_rows(
                conn,
                "entry",
                columns,
                (
                    row
                    for member_id in member_ids
                    for row in _full_rows(
                        member_rows(rng, curriculum, member_id, cohort_id, days, shape), columns
                    )
                ),
            )
        await settle(conn)
    finally:
        await conn.close()
    return SeededCohort(
        cohort_id, guild_pk, guild_id, channel_id, tuple(member_ids), tuple(users), count
    )


async def settle(conn: asyncpg.Connection) -> None:
    """After a bulk load, what a long-running server has: planner statistics (``ANALYZE``,
    which autovacuum would run) and the load's writes flushed (``CHECKPOINT``, so the first
    measured commits do not queue behind them; it needs superuser — without it the
    checkpointer catches up on its own)."""
    await conn.execute("ANALYZE")
    with suppress(asyncpg.InsufficientPrivilegeError):
        await conn.execute("CHECKPOINT")


def _entry_columns() -> tuple[str, ...]:
    from bench.synthetic import ENTRY_COLUMNS

    return ENTRY_COLUMNS


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _full_rows(
    grouped: dict[tuple[str, ...], list[tuple[Any, ...]]], columns: list[str]
) -> list[list[Any]]:
    """Rows grouped by the columns they set, as rows of every column (None = NULL)."""
    out: list[list[Any]] = []
    index = {c: i for i, c in enumerate(columns)}
    for present, rows in grouped.items():
        where = [index[c] for c in present]
        for row in rows:
            full: list[Any] = [None] * len(columns)
            for i, value in zip(where, row, strict=True):
                full[i] = _csv_value(value)
            out.append(full)
    return out
