"""Raw SQL for aggregates, portable between SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.connection import get_connection

# Group aggregates that differ by dialect: one short row per member instead of many.
AGGREGATES = {
    "{dates}": (  # the distinct local dates, comma-joined
        "GROUP_CONCAT(DISTINCT e.local_date)",
        "STRING_AGG(DISTINCT CAST(e.local_date AS TEXT), ',')",
    ),
}


async def query(sql: str, *values: Any) -> list[dict[str, Any]]:
    """Run ``sql`` whose placeholders are written ``{p}``, in order.

    ``{dates}`` stands for the group aggregate in ``AGGREGATES``.
    """
    conn = get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    for name, (sqlite, pg) in AGGREGATES.items():
        sql = sql.replace(name, pg if postgres else sqlite)
    if postgres:
        parts = sql.split("{p}")
        sql = "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], start=1)) + parts[-1]
    else:
        sql = sql.replace("{p}", "?")
    rows: list[dict[str, Any]] = await conn.execute_query_dict(sql, list(values))
    return rows


def as_date(value: Any) -> date:
    """A DATE column's value (SQLite returns ISO text, PostgreSQL a date)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def as_dates(value: Any) -> list[date]:
    """The days of a ``{dates}`` aggregate."""
    return [date.fromisoformat(d) for d in str(value).split(",")] if value else []


def as_float(value: Any) -> float | None:
    return None if value is None else float(value)
