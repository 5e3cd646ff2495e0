"""Figure 3 — fan-out: many cohorts over 24 IANA zones; scheduler jobs, a day's posts, memory.

* build: the jobs ``PostScheduler.start`` adds (``_add_all_jobs``: cohorts with their
  pauses from the database, cron triggers and the exact next-slot trigger per cohort, the
  global jobs) on an AsyncIOScheduler that is NOT started, plus each job's first fire time
  (what starting the scheduler computes);
* render: each cohort's calendar position on its local date of the clock's instant, then
  ``plan_day`` and ``post_messages`` for every post of that day;
* memory: resident set size of this worker process afterwards (jobs and messages alive).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.common import NOW, bench_bot, bench_settings, peak_rss_mb, rss_mb, sqlite_url
from bench.report import Figure, Metric, at_most
from bench.synthetic import ZONES_24, seed_cohorts
from bot.core.calendar import InProgram, local_date
from bot.core.posts import plan_day
from bot.db import apply_migrations, close_db, init_db
from bot.models import Cohort
from bot.render.embeds import post_messages
from bot.scheduling.runner import PostScheduler
from bot.services.cohorts import calendar_for
from curriculum.loader import Curriculum, load_curriculum

TIME_TARGET_S = 1.0  # build + render
RSS_TARGET_MB = 150.0


async def _build(scheduler: PostScheduler, curriculum: Curriculum) -> int:
    """Every cohort's jobs as ``PostScheduler.start`` adds them, then each job's first fire
    time (what starting the scheduler computes); returns the job count."""
    await scheduler._add_all_jobs()  # loads the cohorts (with pauses) and adds every job
    jobs = scheduler.scheduler.get_jobs()  # pending: the scheduler was never started
    for job in jobs:
        job.trigger.get_next_fire_time(None, NOW)
    return len(jobs)


def _render(cohorts: list[Cohort], curriculum: Curriculum) -> tuple[list[Any], dict[str, int]]:
    rendered: list[Any] = []
    counts = {"posts": 0, "messages": 0, "embeds": 0, "not_in_program": 0}
    for cohort in cohorts:
        pauses = [(p.start_date, p.end_date) for p in cohort.pauses]
        calendar = calendar_for(cohort, curriculum, pauses)
        pos = calendar.position(local_date(NOW, calendar.zone))
        if not isinstance(pos, InProgram):
            counts["not_in_program"] += 1
            continue
        for post in plan_day(pos, curriculum):
            messages = post_messages(post, footer=f"{cohort.name} · week {pos.week}")
            rendered.append(messages)
            counts["posts"] += 1
            counts["messages"] += len(messages)
            counts["embeds"] += sum(len(m) for m in messages)
    return rendered, counts


async def _profile(
    bot: Any, cohorts: list[Cohort], curriculum: Curriculum, directory: Path
) -> dict[str, Any]:
    from bench.profiling import profile_async

    async def work() -> None:
        await _build(PostScheduler(bot), curriculum)
        _render(cohorts, curriculum)

    return await profile_async(work, directory, "fanout")


async def _measure(
    count: int, tmp: Path, curriculum: Curriculum, profile: Path | None
) -> dict[str, Any]:
    path = tmp / "fanout.sqlite3"
    url = sqlite_url(path)
    await apply_migrations(url)
    started = perf_counter()
    seed_cohorts(path, count, zones=ZONES_24, today=NOW.date())
    out: dict[str, Any] = {
        "cohorts": count,
        "zones": len(ZONES_24),
        "seed_s": perf_counter() - started,
    }
    await init_db(url, migrate=False)
    try:
        bot = bench_bot(bench_settings(tmp / "data", url), curriculum)
        scheduler = PostScheduler(bot)
        out["rss_before_mb"] = rss_mb()
        t0 = perf_counter()
        out["jobs"] = await _build(scheduler, curriculum)
        t1 = perf_counter()
        cohorts = await Cohort.all().prefetch_related("pauses")  # for rendering, not timed
        t2 = perf_counter()
        rendered, counts = _render(cohorts, curriculum)
        t3 = perf_counter()
        out.update(counts, build_s=t1 - t0, render_s=t3 - t2)
        out["rss_mb"] = rss_mb()
        out["peak_rss_mb"] = peak_rss_mb()
        out["kept_alive"] = len(rendered) + len(scheduler.scheduler.get_jobs())
        if profile is not None:  # a separate pass, not part of the figures
            out["profile"] = await _profile(bot, cohorts, curriculum, profile)
        await bot.close()
    finally:
        await close_db()
    return out


async def run(quick: bool, profile: Path | None = None) -> Figure:
    count = 100 if quick else 1000
    curriculum = load_curriculum()
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        d = await _measure(count, Path(tmp), curriculum, profile)
    build = d["build_s"]
    total = build + d["render_s"]
    metrics = [
        Metric(f"cohorts (over {len(ZONES_24)} zones)", count),
        Metric("scheduler jobs built", d["jobs"]),
        Metric("build jobs (load + triggers + first fire)", build * 1000, "ms"),
        Metric(
            f"render one day ({d['posts']} posts, {d['embeds']} embeds)", d["render_s"] * 1000, "ms"
        ),
        at_most("build + render", total, "s", TIME_TARGET_S),
        Metric("resident memory before cohorts (imports, ORM)", d["rss_before_mb"], "MB"),
        at_most("resident memory after (VmRSS)", d["rss_mb"], "MB", RSS_TARGET_MB),
    ]
    summary = (
        f"fan-out: {count:,} cohorts over {d['zones']} zones — {d['jobs']:,} jobs built in "
        f"{build * 1000:.0f} ms + one day's {d['posts']:,} posts rendered in "
        f"{d['render_s'] * 1000:.0f} ms = {total:.2f} s (target ≤ {TIME_TARGET_S:.0f} s); "
        f"RSS {d['rss_mb']:.0f} MB (target ≤ {RSS_TARGET_MB:.0f} MB)"
    )
    return Figure("fanout", "ok", summary, metrics, d)
