"""The figures at a big server's size, on PostgreSQL (each in its own scratch database).

* ``pg-logging`` — ``/solve`` through the real command path on 1,000,000 entries (2,000
  members), beside raw single-row ``INSERT`` + ``COMMIT`` on the same database;
* ``pg-recap`` — the weekly recap (data and post) for 500 and for 5,000 members;
* ``pg-export`` — the memory and time of a 50,000-entry ``/export`` against 5,000.

The server comes from ``BENCH_POSTGRES_URL`` (``python -m bench --postgres URL``); when it
is not set or does not answer, the figure is reported as skipped, saying why — never as
passed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench import fig_export, fig_logging, fig_recap
from bench.backends import PostgresDatabase
from bench.pg import ENV, configured_url, scratch_database, unreachable
from bench.report import Figure, skipped_figure

RECAP_TARGET_MS = 5000.0  # the data for 5,000 members


async def _on_postgres(
    name: str, measure: Callable[[PostgresDatabase, Path], Awaitable[Figure]]
) -> Figure:
    url = configured_url()
    if url is None:
        return skipped_figure(name, f"no PostgreSQL server given ({ENV} is empty)")
    why = await unreachable(url)
    if why is not None:
        return skipped_figure(name, why)
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        async with scratch_database(url) as scratch:
            return await measure(PostgresDatabase(scratch), Path(tmp))


async def logging(quick: bool, profile: Path | None = None) -> Figure:
    params = fig_logging.Params.large(quick)

    async def measure(db: PostgresDatabase, tmp: Path) -> Figure:
        return await fig_logging.measure("pg-logging", params, db, tmp / "data", profile)

    return await _on_postgres("pg-logging", measure)


async def recap(quick: bool, profile: Path | None = None) -> Figure:
    sizes = (5, 50) if quick else (500, 5_000)

    async def measure(db: PostgresDatabase, tmp: Path) -> Figure:
        return await fig_recap.measure(
            "pg-recap", sizes, db, quick=quick, time_target_ms=RECAP_TARGET_MS, profile=profile
        )

    return await _on_postgres("pg-recap", measure)


async def export(quick: bool, profile: Path | None = None) -> Figure:
    async def measure(db: PostgresDatabase, tmp: Path) -> Figure:
        return await fig_export.measure(
            "pg-export", fig_export.sizes_of(quick), db, tmp, quick=quick
        )

    return await _on_postgres("pg-export", measure)
