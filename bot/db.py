"""Database set-up: Tortoise config, migrations, init and close."""

from __future__ import annotations

import logging
from typing import Any

from tortoise import Tortoise
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.context import TortoiseContext, get_current_context
from tortoise.migrations.api import migrate as migrate_api

log = logging.getLogger(__name__)

APP = "coach"
MODELS = "bot.models"
MIGRATIONS = "migrations"


def normalise_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// spellings."""
    if url.startswith("postgresql://"):
        return "postgres://" + url[len("postgresql://") :]
    return url


def tortoise_config(url: str) -> dict[str, Any]:
    db_url = normalise_url(url)
    connection: str | dict[str, Any] = db_url
    if db_url.startswith("sqlite://"):
        path = db_url[len("sqlite://") :]
        connection = {
            "engine": "tortoise.backends.sqlite",
            "credentials": {
                "file_path": path,
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
                "models": [MODELS, "bot.leetcode.models"],
                "migrations": MIGRATIONS,
                "default_connection": "default",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def apply_migrations(url: str) -> None:
    """Apply every pending migration in an isolated Tortoise context, closed afterwards.

    The migration API leaves Tortoise half-initialised, so it never shares the app's context.
    """
    async with TortoiseContext():
        await migrate_api(config=tortoise_config(url))


async def init_db(url: str, *, migrate: bool = True) -> None:
    """Apply migrations (optional) and initialise Tortoise for this task and its children.

    The global fallback lets work started outside this task's context (test fixtures,
    executor callbacks) reach the same connections.
    """
    if migrate:
        await apply_migrations(url)
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
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
