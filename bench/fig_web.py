"""Figure — web: the cohort's progress page of 50 and 500 members in week 16.

Two cohorts with 16 weeks of synthetic history (``bench.synthetic``, ~556 entries a member, as
the ``recap`` figure) on a SQLite file, each with a ``/coach web`` link. The page is requested
over HTTP from the real aiohttp application (:class:`bot.web.app.ProgressSite`, on loopback,
gzip accepted) on the Wednesday of week 16, and three things are timed (median of a few runs
after a warm-up) with their SQL statements counted (``bench.queries``):

* **built**: the page built from the database (the cache emptied first) — what the first
  request after a new entry costs: the reports' aggregates, the view model, the HTML;
* **cached**: the page served again while nothing changed (one statement: the link and the
  fingerprint of what the page shows);
* **right after a new entry**: one entry is added, so the next request starts a rebuild
  and waits for it up to ``bot.web.app.REBUILD_WAIT`` (else it gets the previous page).

Targets: the 500-member page within :data:`TIME_TARGET_MS` built, cached or right after a new
entry, the same
number of statements for 50 and 500 members, and 10 × the members at most 10 × the time.
"""

from __future__ import annotations

import tempfile
from datetime import datetime, time
from pathlib import Path
from statistics import median
from time import perf_counter
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bench.backends import SQLiteDatabase
from bench.common import PROGRAM_START, PROGRAM_ZONE
from bench.queries import count_queries
from bench.report import MISS, PASS, Figure, Metric, at_most
from bench.synthetic import calendar_of
from bot.core.calendar import local_to_utc
from bot.core.clock import FixedClock
from bot.db import close_db, init_db
from bot.models import Cohort, Entry
from bot.web.app import ProgressSite
from bot.web.links import issue_cohort_link
from curriculum.loader import Curriculum, load_curriculum

TIME_TARGET_MS = 300.0


def page_instant(curriculum: Curriculum, week: int) -> datetime:
    """Wednesday of ``week`` at 18:00 in the cohort's zone (forecasts still open)."""
    calendar = calendar_of(PROGRAM_START, PROGRAM_ZONE, curriculum)
    return local_to_utc(calendar.date_of(week, "wed"), time(18), calendar.zone)


async def _get(client: TestClient, path: str) -> tuple[float, int, int]:
    """(ms, bytes sent, statements) of one request."""
    with count_queries() as counted:
        started = perf_counter()
        response = await client.get(path, headers={"Accept-Encoding": "gzip"})
        await response.read()
        ms = (perf_counter() - started) * 1000
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    return ms, int(response.headers.get("Content-Length", 0)), counted.total


async def _measure(
    curriculum: Curriculum, clock: FixedClock, cohorts: dict[int, Cohort], repeats: int
) -> dict[str, Any]:
    site = ProgressSite(curriculum, clock, rate_limit=10_000)
    out: dict[str, Any] = {}
    client = TestClient(TestServer(site.app()))
    await client.start_server()
    try:
        for size, cohort in cohorts.items():
            link = await issue_cohort_link(cohort, 1, clock())
            path = f"/{link.path}"
            site.cache.clear()
            await _get(client, path)  # warm-up (templates, curriculum memos)
            built, cached, rebuilt = [], [], []
            for _ in range(repeats):
                site.cache.clear()
                built.append(await _get(client, path))
                cached.append(await _get(client, path))
            member = await cohort.members.all().order_by("id").first()
            assert member is not None
            for i in range(repeats):
                await Entry.create(
                    member=member,
                    cohort=cohort,
                    kind="ledger",
                    local_date=clock().date(),
                    week=curriculum.week_count,
                    created_at=clock(),
                    text=f"bench ledger line {i}",
                )
                rebuilt.append(await _get(client, path))
                await site.settled()  # the rebuild finishes before the next step
            response = await client.get(path, headers={"Accept-Encoding": "identity"})
            out[size] = {
                "built_ms": median(b[0] for b in built),
                "built_queries": built[-1][2],
                "cached_ms": median(c[0] for c in cached),
                "cached_queries": cached[-1][2],
                "rebuilt_ms": median(r[0] for r in rebuilt),
                "gzip_bytes": built[-1][1],
                "html_bytes": len(await response.read()),
                "builds": site.cache.builds,
                "served_stale": site.cache.served_stale,
            }
    finally:
        await client.close()
    return out


def _same(name: str, small: int, large: int) -> Metric:
    metric = Metric(name, large - small, "", "= 0 (same count)")
    metric.verdict = PASS if large == small else MISS
    return metric


async def run(quick: bool, profile: Path | None = None) -> Figure:
    small, large = sizes = (5, 25) if quick else (50, 500)
    curriculum = load_curriculum()
    week = curriculum.week_count
    now = page_instant(curriculum, week)
    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        db = SQLiteDatabase(Path(tmp) / "web.sqlite3")
        await db.migrate()
        last = now.astimezone(calendar_of(PROGRAM_START, PROGRAM_ZONE, curriculum).zone).date()
        seeded = {
            n: await db.seed(curriculum, members=n, seed=i, last=last)
            for i, n in enumerate(sizes, 1)
        }
        await init_db(db.url, migrate=False)
        try:
            cohorts = {n: await Cohort.get(id=s.cohort_id) for n, s in seeded.items()}
            d = await _measure(curriculum, FixedClock(now), cohorts, 1 if quick else 3)
        finally:
            await close_db()
    d["rows"] = sum(s.entries for s in seeded.values())
    s, g = d[small], d[large]
    ratio = g["built_ms"] / s["built_ms"]
    metrics = [
        Metric(f"synthetic rows ({small:,} + {large:,} members, week {week})", d["rows"]),
        Metric(f"page built, {small:,} members", s["built_ms"], "ms"),
        at_most(f"page built, {large:,} members", g["built_ms"], "ms", TIME_TARGET_MS),
        at_most(f"built: {large:,} ÷ {small:,} members time", ratio, "x", large / small),
        Metric(f"statements to build ({small:,} members)", s["built_queries"]),
        _same(
            f"extra statements {small:,} → {large:,} members",
            s["built_queries"],
            g["built_queries"],
        ),
        at_most(f"page cached, {large:,} members", g["cached_ms"], "ms", TIME_TARGET_MS),
        at_most("statements for a cached page", g["cached_queries"], "", 1),
        at_most(
            f"request right after a new entry, {large:,} members",
            g["rebuilt_ms"],
            "ms",
            TIME_TARGET_MS,
        ),
        Metric(f"page size, {large:,} members (HTML)", g["html_bytes"] / 1000, "kB"),
        Metric(f"page size, {large:,} members (gzip)", g["gzip_bytes"] / 1000, "kB"),
    ]
    summary = (
        f"web: the week-{week} cohort page of {large:,} members built in "
        f"{g['built_ms']:.0f} ms and cached in {g['cached_ms']:.0f} ms (target ≤ "
        f"{TIME_TARGET_MS:.0f} ms), {s['built_queries']} vs {g['built_queries']} statements "
        f"(target: the same), {g['cached_queries']} per cached request; "
        f"{g['gzip_bytes'] / 1000:.0f} kB gzipped (SQLite file)"
    )
    return Figure("web", "ok", summary, metrics, {str(k): v for k, v in d.items()})
