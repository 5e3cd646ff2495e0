"""Database set-up: Tortoise config, migrations, init and close — and clear failures.

Every way in (``init_db``, ``apply_migrations``, ``pending_migrations``) first checks that the
database can be opened (:func:`preflight` for a SQLite file, a timed connection for
PostgreSQL) and turns what goes wrong into :class:`bot.failures.DatabaseUnavailable`: one line
naming the database (never its password) and what to do. Opening a connection is bounded by
:data:`CONNECT_TIMEOUT`: Tortoise 1.1.9 keeps a SQLite client's lock when its connection
fails, so the next query would otherwise wait forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.config import TortoiseConfig
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext, get_current_context
from tortoise.exceptions import DBConnectionError
from tortoise.migrations.executor import MigrationExecutor

from bot.failures import DatabaseUnavailable

log = logging.getLogger(__name__)

APP = "coach"
MODELS = "bot.models"
MIGRATIONS = "migrations"
CONNECT_TIMEOUT = 10.0  # seconds to open a connection before giving up


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// spellings."""
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://") :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite://")


def sqlite_path(url: str) -> Path:
    return Path(url[len("sqlite://") :])


def describe_url(url: str) -> str:
    """The database in words, without the password: for messages and logs."""
    if is_sqlite(url):
        return f"the SQLite database {sqlite_path(url)}"
    parts = urlsplit(url)
    where = f"{parts.hostname or '?'}:{parts.port or 5432}"
    name = unquote(parts.path.lstrip("/")) or "?"
    return f"PostgreSQL database '{name}' at {where}"


def tortoise_config(url: str) -> dict[str, Any]:
    db_url = normalise_url(url)
    connection: str | dict[str, Any] = db_url
    if is_sqlite(db_url):
        connection = {
            "engine": "tortoise.backends.sqlite",
            "credentials": {
                "file_path": str(sqlite_path(db_url)),
                "journal_mode": "WAL",
                "synchronous": "NORMAL",
                "foreign_keys": "ON",
                "busy_timeout": 10000,
                # a 64 MiB page cache and memory-mapped reads: the recap's aggregates
                # read whole indexes (the defaults are 2 MiB and no mmap)
                "cache_size": -65536,
                "mmap_size": 268435456,
            },
        }
    return {
        "connections": {"default": connection},
        "apps": {
            APP: {
                "models": [
                    MODELS,
                    "bot.leetcode.models",
                    "bot.sessions.models",
                    "bot.coaching.models",
                    "bot.mocks.models",
                    "bot.web.models",
                ],
                "migrations": MIGRATIONS,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


# -- checks before connecting ------------------------------------------------------------
def preflight(url: str, *, must_exist: bool = False, setting: str = "DATABASE_URL") -> None:
    """Check that a SQLite database can be opened (and written), without waiting on it.

    ``must_exist``: the file must already be there (a copy's source): it is never created.
    PostgreSQL URLs are checked by connecting (:func:`probe`).
    """
    if not is_sqlite(url):
        return
    path = sqlite_path(url)
    what = f"can't open the SQLite database {path}"
    fix = f"fix {setting}"
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DatabaseUnavailable(f"{what}: it is a directory, not a file ({fix})")
    if not path.exists():
        if must_exist:
            raise DatabaseUnavailable(f"there is no SQLite database at {path} ({fix})")
        if not parent.is_dir():
            raise DatabaseUnavailable(
                f"{what}: the directory {parent} does not exist (create it, or {fix})"
            )
    _check_writable_dir(parent, what, fix)
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseUnavailable(f"{what}: the file is not writable for this user")
    mode = "rw" if must_exist else "rwc"
    try:
        conn = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=CONNECT_TIMEOUT)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise DatabaseUnavailable(f"{what}: {exc} ({fix})") from exc


def _check_writable_dir(directory: Path, what: str, fix: str) -> None:
    """SQLite creates its journal files next to the database: try writing there (a real
    write, since ``os.access`` says yes to root even on an immutable directory)."""
    try:
        with tempfile.TemporaryFile(dir=directory, prefix=".coach-write-check-"):
            pass
    except OSError as exc:
        raise DatabaseUnavailable(
            f"{what}: the directory {directory} is not writable ({exc.strerror or exc}); "
            f"{fix} or change the permissions"
        ) from None


def _pg_dsn(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


async def probe(url: str, *, setting: str = "DATABASE_URL") -> None:
    """Connect once to a PostgreSQL database (within :data:`CONNECT_TIMEOUT`) and close."""
    if is_sqlite(url):
        return
    with database_errors(url, setting):
        async with asyncio.timeout(CONNECT_TIMEOUT):
            conn = await asyncpg.connect(_pg_dsn(url), timeout=CONNECT_TIMEOUT)
        await conn.close()


def _root_cause(exc: BaseException) -> BaseException:
    """The first error in the chain that says what went wrong (not a wrapper)."""
    seen: set[int] = set()
    while not isinstance(exc, asyncpg.PostgresError | OSError | sqlite3.Error):
        nxt = exc.__cause__ or exc.__context__
        if nxt is None or id(nxt) in seen:
            break
        seen.add(id(exc))
        exc = nxt
    return exc


def explain(exc: BaseException, url: str, setting: str = "DATABASE_URL") -> str:
    """One line for a failure to reach ``url`` (no password, no traceback)."""
    cause = _root_cause(exc)
    name = describe_url(url)
    parts = urlsplit(url) if not is_sqlite(url) else None
    host = parts.hostname if parts else None
    if isinstance(cause, TimeoutError):
        return (
            f"{name} did not answer within {CONNECT_TIMEOUT:.0f} s: is it running and "
            f"reachable? (check {setting})"
        )
    if isinstance(cause, socket.gaierror):
        return f"can't resolve the database host '{host}' ({cause.strerror}): check {setting}"
    if isinstance(cause, asyncpg.InvalidCatalogNameError):
        db = unquote(parts.path.lstrip("/")) if parts else "?"
        return f"{name} does not exist: create it (createdb {db}) or fix {setting}"
    if isinstance(
        cause, asyncpg.InvalidAuthorizationSpecificationError | asyncpg.InvalidPasswordError
    ):
        return f"{name} refused the login: {cause} (fix the user or password in {setting})"
    if isinstance(cause, asyncpg.PostgresError):
        return f"{name}: {cause} (check {setting})"
    if isinstance(cause, ConnectionRefusedError):
        return f"can't reach {name} (connection refused): is it running? (check {setting})"
    if isinstance(cause, OSError):
        return f"can't reach {name}: {cause.strerror or cause} (check {setting})"
    return f"{name}: {cause} (check {setting})"  # sqlite3.Error and the rest


@contextlib.contextmanager
def database_errors(url: str, setting: str = "DATABASE_URL") -> Iterator[None]:
    """Turn a failure to connect into :class:`DatabaseUnavailable` with one clear line."""
    try:
        yield
    except DatabaseUnavailable:
        raise
    except (
        OSError,
        TimeoutError,
        sqlite3.Error,
        asyncpg.PostgresError,
        asyncpg.InterfaceError,
        DBConnectionError,
    ) as exc:
        raise DatabaseUnavailable(explain(exc, url, setting)) from exc


async def _connect(setting: str, url: str) -> BaseDBAsyncClient:
    """Open the context's default connection now, within the timeout."""
    conn = get_connection("default")
    with database_errors(url, setting):
        async with asyncio.timeout(CONNECT_TIMEOUT):
            await conn.create_connection(with_db=True)
    return conn


async def _executor(url: str, setting: str) -> MigrationExecutor:
    config = TortoiseConfig.resolve_args(tortoise_config(url)).to_dict()
    await Tortoise.init(config=config, init_connections=False)
    conn = await _connect(setting, url)
    return MigrationExecutor(conn, {APP: config["apps"][APP]})


# -- migrations ----------------------------------------------------------------------------
async def apply_migrations(url: str, *, setting: str = "DATABASE_URL") -> list[str]:
    """Apply every pending migration in an isolated Tortoise context, closed afterwards.

    Returns the names of the migrations applied (empty: the database was up to date).
    The migration API leaves Tortoise half-initialised, so it never shares the app's context.
    """
    preflight(url, setting=setting)
    await probe(url, setting=setting)
    applied: list[str] = []

    def progress(event: str, app: str, name: str) -> None:
        if event == "apply_done":
            applied.append(name)

    async with TortoiseContext():
        executor = await _executor(url, setting)
        await executor.migrate(progress=progress)
    if applied:
        log.info("applied %d migration(s): %s", len(applied), ", ".join(applied))
    return applied


async def pending_migrations(url: str, *, setting: str = "DATABASE_URL") -> list[str]:
    """The migrations not yet applied to ``url`` (nothing is changed)."""
    preflight(url, setting=setting)
    await probe(url, setting=setting)
    async with TortoiseContext():
        executor = await _executor(url, setting)
        plan = await executor.plan()
    return [step.migration.name for step in plan if not step.backward]


async def init_db(url: str, *, migrate: bool = True) -> None:
    """Apply migrations (optional) and initialise Tortoise for this task and its children.

    The global fallback lets work started outside this task's context (test fixtures,
    executor callbacks) reach the same connections. Raises :class:`DatabaseUnavailable`
    (nothing left open) when the database can't be reached.
    """
    if migrate:
        await apply_migrations(url)
    else:
        preflight(url)
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    try:
        await _connect("DATABASE_URL", url)
    except BaseException:
        await close_db()
        raise
    log.info("database ready (%s)", url.split("://", 1)[0])


async def close_db() -> None:
    """Close connections and reset the context so a later init starts clean."""
    ctx = get_current_context()
    if ctx is None:
        return
    await ctx.close_connections()
    await Tortoise._reset_apps()
    # Tortoise caches SQL per (connection name, table): a later init on another backend
    # under the same name would reuse the old dialect's statements.
    EXECUTOR_CACHE.clear()
    ctx._inited = False


# For the ``tortoise`` CLI (makemigrations): ``tortoise -c bot.db.TORTOISE_ORM makemigrations``.
TORTOISE_ORM = tortoise_config("sqlite://:memory:")
