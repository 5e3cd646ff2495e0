"""Raw SQL for aggregates, portable between SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.connection import get_connection


async def query(sql: str, *values: Any) -> list[dict[str, Any]]:
    """Run ``sql`` whose placeholders are written ``{p}``, in order."""
    conn = get_connection("default")
    if conn.capabilities.dialect == "postgres":
        parts = sql.split("{p}")
        sql = "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], start=1)) + parts[-1]
    else:
        sql = sql.replace("{p}", "?")
    rows = await conn.execute_query_dict(sql, list(values))
    return [dict(r) for r in rows]


def as_date(value: Any) -> date:
    """A DATE column's value (SQLite returns ISO text, PostgreSQL a date)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)
