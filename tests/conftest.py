"""Shared fixtures: a real database (SQLite or PostgreSQL), the real curriculum, a clock.

Which database a test gets is decided here, in one place:

* by default the suite's backend: PostgreSQL when ``COACH_TEST_POSTGRES_URL`` is set, else a
  SQLite file;
* ``@pytest.mark.sqlite``: always SQLite (e.g. SQLite fault injection), whatever the suite runs on;
* ``@pytest.mark.postgres``: always PostgreSQL; such a test is skipped, with a reason saying what
  to set, when ``COACH_TEST_POSTGRES_URL`` is not set. ``on_both_backends`` runs a test once on
  each (``db_backend`` tells it which).

No test decides by itself whether to run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.db import apply_migrations, close_db, init_db
from bot.settings import Settings
from curriculum.loader import Curriculum, load_curriculum

PG_URL = os.environ.get("COACH_TEST_POSTGRES_URL")
POSTGRES_SKIP_REASON = (
    "PostgreSQL test: set COACH_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test) "
    "to run it"
)
# A test run once on SQLite and once on PostgreSQL (that half skipped without PostgreSQL).
on_both_backends = pytest.mark.parametrize(
    "db_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite: runs on SQLite whatever the suite's backend")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The one rule for PostgreSQL-only tests: skipped, saying why, without PostgreSQL."""
    if PG_URL:
        return
    skip = pytest.mark.skip(reason=POSTGRES_SKIP_REASON)
    for item in items:
        if item.get_closest_marker("postgres") is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def curriculum() -> Curriculum:
    return load_curriculum()


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_dsn(url: str) -> str:
    return _with_db(url, urlsplit(url).path.lstrip("/") or "postgres").replace(
        "postgres://", "postgresql://", 1
    )


async def _pg_exec(url: str, *sql: str) -> None:
    conn = await asyncpg.connect(_admin_dsn(url))
    try:
        for statement in sql:
            await conn.execute(statement)
    finally:
        await conn.close()


class DatabaseFactory:
    """Fresh, migrated databases: copies of one template per backend, migrated once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ready: set[str] = set()  # backends whose template exists
        self.pg_template = f"coach_tpl_{uuid.uuid4().hex[:10]}"
        self.created: list[str] = []

    @property
    def backend(self) -> str:
        """The suite's default backend."""
        return "postgres" if PG_URL else "sqlite"

    async def _template(self, backend: str) -> None:
        if backend in self.ready:
            return
        if backend == "postgres":
            assert PG_URL is not None, POSTGRES_SKIP_REASON
            await _pg_exec(PG_URL, f'CREATE DATABASE "{self.pg_template}"')
            await apply_migrations(_with_db(PG_URL, self.pg_template))
        else:
            await apply_migrations(f"sqlite://{self.root / 'template.sqlite3'}")
        self.ready.add(backend)

    async def new_url(self, backend: str | None = None) -> str:
        backend = backend or self.backend
        await self._template(backend)
        if backend == "postgres":
            assert PG_URL is not None, POSTGRES_SKIP_REASON
            name = f"coach_test_{uuid.uuid4().hex[:12]}"
            await _pg_exec(PG_URL, f'CREATE DATABASE "{name}" TEMPLATE "{self.pg_template}"')
            self.created.append(name)
            return _with_db(PG_URL, name)
        path = self.root / f"db-{uuid.uuid4().hex[:12]}.sqlite3"
        shutil.copyfile(self.root / "template.sqlite3", path)
        return f"sqlite://{path}"

    async def drop_all(self) -> None:
        if not PG_URL:
            return
        names = [*self.created, self.pg_template] if "postgres" in self.ready else self.created
        for name in names:
            await _pg_exec(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def db_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("db"))
    yield factory
    asyncio.run(factory.drop_all())


@pytest.fixture
def db_backend(request: pytest.FixtureRequest, db_factory: DatabaseFactory) -> str:
    """``sqlite`` or ``postgres``: the parameter, else the test's marker, else the suite's."""
    param = getattr(request, "param", None)
    if param is not None:
        return str(param)
    for marker in ("postgres", "sqlite"):
        if request.node.get_closest_marker(marker) is not None:
            return marker
    return db_factory.backend


@pytest.fixture
async def db_url(db_factory: DatabaseFactory, db_backend: str) -> str:
    return await db_factory.new_url(db_backend)


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[str]:
    """Tortoise initialised on a fresh migrated database in this test's task."""
    await init_db(db_url, migrate=False)
    try:
        yield db_url
    finally:
        await close_db()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2027, 2, 3, 12, 0, tzinfo=UTC))


@pytest.fixture
def settings(tmp_path: Path, db_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        discord_token=None,
        data_dir=tmp_path / "data",
        database_url=db_url,
    )


@pytest.fixture
async def simcord_bot(
    settings: Settings, curriculum: Curriculum, clock: FixedClock
) -> AsyncIterator[CoachBot]:
    """The real bot for simcord, on this test's database, without the background scheduler."""
    bot = CoachBot(settings, curriculum, clock=clock, start_scheduler=False)
    yield bot
    # simcord detaches the bot without closing it; close it the way production does.
    await bot.close()
