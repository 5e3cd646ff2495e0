"""Figure 2 — recap: ``bot.services.recap.cohort_week_report`` for 50 and for 500 members.

Two cohorts with 16 weeks of synthetic history (``bench.synthetic``) in one SQLite file; the
report of the last week, at the recap's local time on its Sunday, is timed (median of a few
runs after one warm-up call) and its SQL statements are counted (``bench.queries``). The
query count must not grow with the cohort (no per-member queries).

PENDING SLOT: while ``import bot.services.recap`` fails, the data is still generated (the
generator is exercised) and the recap metrics read "pending".
"""

from __future__ import annotations

import importlib
import tempfile
from datetime import datetime, time
from pathlib import Path
from time import perf_counter
from types import ModuleType
from typing import Any

from bench.common import PROGRAM_START, PROGRAM_ZONE, median, sqlite_url
from bench.queries import count_queries
from bench.report import MISS, PASS, Figure, Metric, at_most, pending
from bench.synthetic import calendar_of, seed_cohort
from bot.core.calendar import local_to_utc
from bot.db import apply_migrations, close_db, init_db
from bot.models import Cohort
from curriculum.loader import Curriculum, load_curriculum

TIME_TARGET_MS = 500.0  # for the larger cohort
MODULE = "bot.services.recap"


def recap_module() -> ModuleType | str:
    """The recap service, or why it cannot be used yet."""
    try:
        return importlib.import_module(MODULE)
    except ImportError as exc:
        return f"{MODULE} not available ({exc})"


def recap_instant(curriculum: Curriculum, week: int) -> datetime:
    """Sunday of ``week`` at 20:00 (the recap time) in the cohort's zone."""
    calendar = calendar_of(PROGRAM_START, PROGRAM_ZONE, curriculum)
    return local_to_utc(calendar.date_of(week, "sun"), time(20), calendar.zone)


async def _time_reports(
    recap: ModuleType,
    ids: dict[int, int],
    week: int,
    curriculum: Curriculum,
    repeats: int,
    profile: Path | None,
) -> dict[str, Any]:
    now = recap_instant(curriculum, week)
    out: dict[str, Any] = {"week": week, "now": now.isoformat()}
    cohorts = {size: await Cohort.get(id=cohort_id) for size, cohort_id in ids.items()}
    await recap.cohort_week_report(cohorts[min(cohorts)], week, curriculum, now)  # warm-up
    for size, cohort in cohorts.items():
        with count_queries() as counted:
            await recap.cohort_week_report(cohort, week, curriculum, now)
        seconds = []
        for _ in range(repeats):
            started = perf_counter()
            await recap.cohort_week_report(cohort, week, curriculum, now)
            seconds.append(perf_counter() - started)
        out[f"ms_{size}"] = median(seconds) * 1000
        out[f"runs_ms_{size}"] = [s * 1000 for s in seconds]
        out[f"queries_{size}"] = counted.total
        out[f"statements_{size}"] = counted.statements[:50]
    if profile is not None:  # a separate pass on the larger cohort, not part of the figures
        from bench.profiling import profile_async

        largest = cohorts[max(cohorts)]
        out["profile"] = await profile_async(
            lambda: recap.cohort_week_report(largest, week, curriculum, now), profile, "recap"
        )
    return out


async def run(quick: bool, profile: Path | None = None) -> Figure:
    small, large = (5, 25) if quick else (50, 500)
    curriculum = load_curriculum()
    recap = recap_module()
    week = curriculum.week_count
    with tempfile.TemporaryDirectory(prefix="bench-recap-") as tmp:
        path = Path(tmp) / "recap.sqlite3"
        url = sqlite_url(path)
        await apply_migrations(url)
        started = perf_counter()
        seeded = {
            n: seed_cohort(path, curriculum, members=n, seed=i)
            for i, n in enumerate((small, large), 1)
        }
        d: dict[str, Any] = {"seed_s": perf_counter() - started}
        d["rows"] = {n: s.entries for n, s in seeded.items()}
        if not isinstance(recap, str):
            await init_db(url, migrate=False)
            try:
                d.update(
                    await _time_reports(
                        recap,
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
    metrics = [
        Metric(f"synthetic rows ({small} + {large} members, 16 weeks)", rows),
        Metric("seeding rate (generate + executemany)", rows / d["seed_s"], "/s"),
    ]
    if isinstance(recap, str):
        metrics += [
            pending(f"report, {small} members", "ms", "—"),
            pending(f"report, {large} members", "ms", f"≤ {TIME_TARGET_MS:.0f} ms"),
            pending(f"queries {small} → {large} members", "", "same count"),
        ]
        summary = (
            f"recap: pending: {recap} — targets ≤ {TIME_TARGET_MS:.0f} ms for {large} "
            f"members, the same query count for {small} and {large}"
        )
        return Figure("recap", "pending", summary, metrics, d)
    q_small, q_large = d[f"queries_{small}"], d[f"queries_{large}"]
    same = Metric(
        f"extra queries {small} → {large} members", q_large - q_small, "", "= 0 (same count)"
    )
    same.verdict = PASS if q_large == q_small else MISS
    metrics += [
        Metric(f"report, {small} members", d[f"ms_{small}"], "ms"),
        at_most(f"report, {large} members", d[f"ms_{large}"], "ms", TIME_TARGET_MS),
        Metric(f"queries ({small} members)", q_small),
        Metric(f"queries ({large} members)", q_large),
        same,
    ]
    summary = (
        f"recap: week {week} report in {d[f'ms_{large}']:.0f} ms for {large} members "
        f"(target ≤ {TIME_TARGET_MS:.0f} ms), {d[f'ms_{small}']:.0f} ms for {small}; "
        f"{q_small} vs {q_large} queries (target: the same)"
    )
    return Figure("recap", "ok", summary, metrics, d)
