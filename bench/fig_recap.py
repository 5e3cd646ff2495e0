"""Figure 2 — recap: the weekly recap of a small and a ten times larger cohort.

Two cohorts with 16 weeks of synthetic history (``bench.synthetic``; ~556 entries a member)
in one database: 50 and 500 members on a SQLite file (``recap``), 500 and 5,000 on a
PostgreSQL scratch database (``pg-recap``, :mod:`bench.fig_pg`). For the last week, at the
recap's local time on its Sunday, two things are timed (median of a few runs after one
warm-up call) and their SQL statements counted (``bench.queries``):

* the data: ``bot.services.recap.cohort_week_report`` — what every recap view reads;
* the post: ``bot.scheduling.compose.PostComposer.recap`` — the data, the channel post
  fitted into Discord's limits and its chart, as the scheduler sends it.

The statement count must not grow with the cohort (no per-member queries), and ten times the
members may take at most ten times as long (the same run, the same database).
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, time
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.backends import Database, SQLiteDatabase
from bench.common import PROGRAM_START, PROGRAM_ZONE, median
from bench.queries import count_queries
from bench.report import MISS, PASS, Figure, Metric, at_most
from bench.synthetic import calendar_of
from bot.core.calendar import local_to_utc
from bot.db import close_db, init_db
from bot.models import Cohort
from bot.scheduling.compose import PostComposer
from bot.services.recap import cohort_week_report
from curriculum.loader import Curriculum, load_curriculum

TIME_TARGET_MS = 500.0  # the data for the larger SQLite cohort
# larger ÷ smaller time: at most the ratio of the sizes (linear in the members, never worse)


def recap_instant(curriculum: Curriculum, week: int) -> datetime:
    """Sunday of ``week`` at 20:00 (the recap time) in the cohort's zone."""
    calendar = calendar_of(PROGRAM_START, PROGRAM_ZONE, curriculum)
    return local_to_utc(calendar.date_of(week, "sun"), time(20), calendar.zone)


async def _timed(
    call: Callable[[], Awaitable[Any]], repeats: int
) -> tuple[list[float], int, list[str], Any]:
    """Seconds of ``repeats`` calls, and the statements of one more (and its result)."""
    seconds = []
    for _ in range(repeats):
        started = perf_counter()
        await call()
        seconds.append(perf_counter() - started)
    with count_queries() as counted:
        result = await call()
    return seconds, counted.total, counted.statements[:50], result


async def _time_reports(
    ids: dict[int, int], week: int, curriculum: Curriculum, repeats: int, profile: Path | None
) -> dict[str, Any]:
    now = recap_instant(curriculum, week)
    out: dict[str, Any] = {"week": week, "now": now.isoformat()}
    cohorts = {size: await Cohort.get(id=cohort_id) for size, cohort_id in ids.items()}
    composer = PostComposer(curriculum)
    smallest = cohorts[min(cohorts)]
    await cohort_week_report(smallest, week, curriculum, now)  # warm-up
    await composer.recap(smallest, week, now)  # warm-up (matplotlib's first figure)
    for size, cohort in cohorts.items():

        async def data(cohort: Cohort = cohort) -> Any:
            return await cohort_week_report(cohort, week, curriculum, now)

        async def post(cohort: Cohort = cohort) -> Any:
            return await composer.recap(cohort, week, now)

        seconds, queries, statements, _ = await _timed(data, repeats)
        out[f"ms_{size}"] = median(seconds) * 1000
        out[f"runs_ms_{size}"] = [s * 1000 for s in seconds]
        out[f"queries_{size}"] = queries
        out[f"statements_{size}"] = statements
        seconds, queries, _, composed = await _timed(post, repeats)
        out[f"post_ms_{size}"] = median(seconds) * 1000
        out[f"post_queries_{size}"] = queries
        out[f"post_messages_{size}"] = len(composed.messages)
    if profile is not None:  # a separate pass on the larger cohort, not part of the figures
        from bench.profiling import profile_async

        largest = cohorts[max(cohorts)]

        async def work() -> None:
            await cohort_week_report(largest, week, curriculum, now)

        out["profile"] = await profile_async(work, profile, "recap")
    return out


def _same(name: str, small: int, large: int) -> Metric:
    metric = Metric(name, large - small, "", "= 0 (same count)")
    metric.verdict = PASS if large == small else MISS
    return metric


async def measure(
    name: str,
    sizes: tuple[int, int],
    db: Database,
    *,
    quick: bool,
    time_target_ms: float,
    profile: Path | None = None,
) -> Figure:
    """The figure ``name``: cohorts of ``sizes`` members on ``db``."""
    small, large = sizes
    curriculum = load_curriculum()
    week = curriculum.week_count
    await db.migrate()
    started = perf_counter()
    seeded = {n: await db.seed(curriculum, members=n, seed=i) for i, n in enumerate(sizes, 1)}
    d: dict[str, Any] = {"database": db.label, "seed_s": perf_counter() - started}
    d["rows"] = {n: s.entries for n, s in seeded.items()}
    await init_db(db.url, migrate=False)
    try:
        d.update(
            await _time_reports(
                {n: s.cohort_id for n, s in seeded.items()},
                week,
                curriculum,
                1 if quick else 3,
                profile,
            )
        )
    finally:
        await close_db()
    rows = sum(d["rows"].values())
    linear = large / small
    ratio = d[f"ms_{large}"] / d[f"ms_{small}"]
    post_ratio = d[f"post_ms_{large}"] / d[f"post_ms_{small}"]
    q_small, q_large = d[f"queries_{small}"], d[f"queries_{large}"]
    pq_small, pq_large = d[f"post_queries_{small}"], d[f"post_queries_{large}"]
    data, post = "data (cohort_week_report)", "post (PostComposer.recap + chart)"
    metrics = [
        Metric(f"synthetic rows ({small:,} + {large:,} members, 16 weeks)", rows),
        Metric("seeding rate (generate + write)", rows / d["seed_s"], "/s"),
        Metric(f"{data}, {small:,} members", d[f"ms_{small}"], "ms"),
        at_most(f"{data}, {large:,} members", d[f"ms_{large}"], "ms", time_target_ms),
        at_most(f"data: {large:,} ÷ {small:,} members time", ratio, "x", linear),
        Metric(f"statements ({small:,} members)", q_small),
        _same(f"extra statements {small:,} → {large:,} members", q_small, q_large),
        Metric(f"{post}, {small:,} members", d[f"post_ms_{small}"], "ms"),
        Metric(f"{post}, {large:,} members", d[f"post_ms_{large}"], "ms"),
        at_most(f"post: {large:,} ÷ {small:,} members time", post_ratio, "x", linear),
        _same(f"post: extra statements {small:,} → {large:,}", pq_small, pq_large),
        Metric(f"post: messages for {large:,} members", d[f"post_messages_{large}"]),
    ]
    summary = (
        f"{name}: week {week} data for {large:,} members in {d[f'ms_{large}']:.0f} ms "
        f"(target ≤ {time_target_ms:.0f} ms), {ratio:.1f}× the {small:,}-member time (target "
        f"≤ {linear:.0f}×), {q_small} vs {q_large} statements "
        f"(target: the same); the post with its chart {d[f'post_ms_{large}']:.0f} ms "
        f"({db.label})"
    )
    return Figure(name, "ok", summary, metrics, d)


async def run(quick: bool, profile: Path | None = None) -> Figure:
    sizes = (5, 25) if quick else (50, 500)
    with tempfile.TemporaryDirectory(prefix="bench-recap-") as tmp:
        db = SQLiteDatabase(Path(tmp) / "recap.sqlite3")
        return await measure(
            "recap", sizes, db, quick=quick, time_target_ms=TIME_TARGET_MS, profile=profile
        )
