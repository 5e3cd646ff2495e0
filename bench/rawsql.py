"""Raw SQL helpers for seeding a migrated SQLite file fast (``sqlite3``, ``executemany``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from tortoise.models import Model

from bot.models import Cohort, GuildConfig

STAMP = "2026-12-01 00:00:00+00:00"  # created_at / joined_at of seeded rows
Rows = dict[tuple[str, ...], list[tuple[Any, ...]]]  # column names → rows of those columns


def insert_rows(conn: sqlite3.Connection, table: str, rows: Rows) -> int:
    for columns, values in rows.items():
        conn.executemany(insert_sql(table, columns), values)
    return sum(len(v) for v in rows.values())


def open_db(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode: callers BEGIN / COMMIT themselves."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def model_row(model: type[Model], **values: Any) -> dict[str, Any]:
    """Column → value for a raw INSERT: ``values``, then every other NOT NULL column's model
    default (Tortoise keeps defaults in Python, not in the schema), so new columns with a
    default need no change here."""
    out = dict(values)
    meta = model._meta
    for name, column in meta.fields_db_projection.items():
        field = meta.fields_map[name]
        if column in out or field.generated or field.null:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            out[column] = STAMP
        elif field.default is not None and not callable(field.default):
            out[column] = int(field.default) if isinstance(field.default, bool) else field.default
        else:
            raise ValueError(f"{meta.db_table}.{column} needs a value")
    return out


def insert_sql(table: str, columns: Iterable[str]) -> str:
    names = list(columns)
    quoted = ", ".join(f'"{c}"' for c in names)
    return f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" for _ in names)})'


def guild_and_cohort(
    conn: sqlite3.Connection, guild_id: int, channel_id: int, start: date, zone: str, **kw: Any
) -> tuple[int, int]:
    """A guild row and its cohort named ``main``; returns (guild pk, cohort id)."""
    guild = model_row(GuildConfig, guild_id=guild_id)
    guild_pk = conn.execute(insert_sql("guild_config", guild), tuple(guild.values())).lastrowid
    cohort = model_row(
        Cohort,
        name="main",
        channel_id=channel_id,
        timezone=zone,
        start_date=start.isoformat(),
        schedule_from=STAMP,
        setup_user_id=1,
        guild_id=guild_pk,
        **kw,
    )
    cohort_id = conn.execute(insert_sql("cohort", cohort), tuple(cohort.values())).lastrowid
    assert guild_pk is not None and cohort_id is not None
    return guild_pk, cohort_id
