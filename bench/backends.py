"""The two databases a figure can run on: a SQLite file, or a PostgreSQL scratch database.

A figure written against :class:`Database` measures the same thing on both: migrate with the
bot's migrations, seed synthetic history (raw ``executemany`` on SQLite, ``COPY`` on
PostgreSQL), and time single-row ``INSERT`` + ``COMMIT`` beside the command path on the same
database (:meth:`Database.raw_inserts`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any, Protocol

import aiosqlite
import asyncpg

from bench.common import sqlite_url
from bench.pg import column_types, seed_cohort_pg, typed_row
from bench.rawsql import insert_sql
from bench.synthetic import SeededCohort, seed_cohort
from bot.db import apply_migrations
from curriculum.loader import Curriculum


class RawInserts(Protocol):
    async def run(self, rows: Sequence[tuple[Any, ...]]) -> float:
        """Insert and commit each row on its own; the seconds it took."""
        ...


class Database(Protocol):
    label: str  # "SQLite file" / "PostgreSQL"

    @property
    def url(self) -> str: ...

    async def migrate(self) -> None: ...

    async def seed(self, curriculum: Curriculum, **kw: Any) -> SeededCohort: ...

    def raw_inserts(
        self, table: str, columns: Sequence[str]
    ) -> contextlib.AbstractAsyncContextManager[RawInserts]: ...

    async def count(self, table: str) -> int: ...


@dataclass
class SQLiteDatabase:
    path: Path
    label: str = "SQLite file"

    @property
    def url(self) -> str:
        return sqlite_url(self.path)

    async def migrate(self) -> None:
        await apply_migrations(self.url)

    async def seed(self, curriculum: Curriculum, **kw: Any) -> SeededCohort:
        return seed_cohort(self.path, curriculum, **kw)

    @contextlib.asynccontextmanager
    async def raw_inserts(self, table: str, columns: Sequence[str]) -> AsyncIterator[RawInserts]:
        async with aiosqlite.connect(self.path) as db:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
                await db.execute(f"PRAGMA {pragma}")  # as bot.db configures Tortoise
            yield _SQLiteInserts(db, insert_sql(table, columns))

    async def count(self, table: str) -> int:
        async with aiosqlite.connect(self.path) as db:
            cursor = await db.execute(f'SELECT COUNT(*) FROM "{table}"')
            row = await cursor.fetchone()
        return int(row[0]) if row else 0


@dataclass
class _SQLiteInserts:
    db: aiosqlite.Connection
    sql: str

    async def run(self, rows: Sequence[tuple[Any, ...]]) -> float:
        started = perf_counter()
        for row in rows:
            await self.db.execute(self.sql, row)
            await self.db.commit()
        return perf_counter() - started


@dataclass
class PostgresDatabase:
    url: str
    label: str = "PostgreSQL"

    async def migrate(self) -> None:
        await apply_migrations(self.url)

    async def seed(self, curriculum: Curriculum, **kw: Any) -> SeededCohort:
        return await seed_cohort_pg(self.url, curriculum, **kw)

    @contextlib.asynccontextmanager
    async def raw_inserts(self, table: str, columns: Sequence[str]) -> AsyncIterator[RawInserts]:
        conn = await asyncpg.connect(self.url)
        try:
            types = await column_types(conn, table)
            names = ", ".join(f'"{c}"' for c in columns)
            params = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({params})'
            yield _PostgresInserts(conn, sql, list(columns), types)
        finally:
            await conn.close()

    async def count(self, table: str) -> int:
        conn = await asyncpg.connect(self.url)
        try:
            return int(await conn.fetchval(f'SELECT COUNT(*) FROM "{table}"'))
        finally:
            await conn.close()


@dataclass
class _PostgresInserts:
    conn: asyncpg.Connection
    sql: str
    columns: list[str]
    types: dict[str, str]

    async def run(self, rows: Sequence[tuple[Any, ...]]) -> float:
        typed = [typed_row(self.columns, row, self.types) for row in rows]
        started = perf_counter()
        for row in typed:  # autocommit: each INSERT is its own transaction, as a /solve is
            await self.conn.execute(self.sql, *row)
        return perf_counter() - started
