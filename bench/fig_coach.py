"""Figure — coach: ``/next`` and ``/patterns`` for members with 1,000 entries, and what the
coach adds to the weekly recap of 50 and 500 members.

* **Commands**: the real bot under simcord (as ``bench.fig_logging``) on a SQLite file with a
  cohort of members who each have 1,000 entries (``bench.synthetic``, weeks 1 to today,
  Wed of week 5). ``/next`` and ``/patterns`` run in turn across the members (their
  cooldowns are per member); latency per command (p50, p99) and the statements of one each.
  ``/patterns`` reuses the cohort's solve times for 10 minutes: the median of its first call
  (the cohort's solves read again) is shown beside.
* **Recap**: two cohorts of 50 and 500 members with 16 weeks of history (~556 entries a
  member, as the ``recap`` figure), at the week-16 recap: ``cohort_week_report`` (the recap's
  data, its budget is 500 ms for 500 members) and
  ``bot.services.coach_recap.recap_coaching`` (the coach's extras: the next milestone's
  forecast and catch-up plans of every member, the group's weakest pattern) timed side by
  side (median of a few runs after a warm-up), with the statements of each. The extras must
  not add statements per member, and their time for 500 members must stay within half of
  the recap's budget, so that the data stays within the budget as well as it did without
  them.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import simcord

from bench.backends import SQLiteDatabase
from bench.common import NOW, PROGRAM_ZONE, bench_bot, bench_settings, median, percentile
from bench.fig_recap import TIME_TARGET_MS as RECAP_BUDGET_MS
from bench.fig_recap import recap_instant
from bench.queries import count_queries
from bench.report import MISS, PASS, Figure, Metric, at_most
from bench.synthetic import Shape
from bot.db import close_db, init_db
from bot.models import Cohort
from bot.services.coach_history import forget_solve_times
from bot.services.coach_recap import recap_coaching
from bot.services.recap import cohort_week_report
from curriculum.loader import Curriculum, load_curriculum

NEXT_P99_MS = 50.0
PATTERNS_P99_MS = 100.0
EXTRA_TARGET_MS = RECAP_BUDGET_MS / 2  # the coach's share of the recap's budget
ENTRIES = 1_000  # per member for the commands
# discord.py keeps the buttons of an ephemeral reply for 15 minutes; the virtual clock stands
# still, so every few commands it is moved past that (untimed), as real time would: otherwise
# simcord's bookkeeping of the pending timers grows with every reply and swamps the figure.
EXPIRE_EVERY = 20
VIEW_LIFETIME_S = 16 * 60


async def _commands(curriculum: Curriculum, tmp: Path, members: int, calls: int) -> dict[str, Any]:
    db = SQLiteDatabase(tmp / "commands.sqlite3")
    await db.migrate()
    bot = bench_bot(bench_settings(tmp / "data", db.url), curriculum)
    env = simcord.Env(bot)
    guild = env.create_guild("Bench")
    channel = guild.create_text_channel("study")
    actors = [guild.add_member(env.create_user(f"member{i}")) for i in range(members)]
    today = NOW.astimezone(ZoneInfo(PROGRAM_ZONE)).date()
    seeded = await db.seed(
        curriculum,
        members=members,
        guild_id=guild.id,
        channel_id=channel.id,
        user_ids=[a.id for a in actors],
        last=today,
        shape=Shape().scaled(ENTRIES),
    )
    out: dict[str, Any] = {"rows": seeded.entries, "members": members}
    await env.start()
    try:
        with env.time_context():
            for name, expect in (("next", "🧭"), ("patterns", "🧩")):
                await actors[0].slash(channel, name)  # warm-up
                times = []
                for k in range(calls):
                    actor = actors[1 + k % (members - 1)]
                    t0 = perf_counter()
                    result = await actor.slash(channel, name)
                    times.append((perf_counter() - t0) * 1000)
                    shown = result.response.content or "".join(
                        e.title or "" for e in result.response.embeds
                    )
                    if expect not in shown:
                        raise RuntimeError(f"/{name} answered {shown[:200]!r}")
                    if k % EXPIRE_EVERY == EXPIRE_EVERY - 1:
                        await env.advance_time(VIEW_LIFETIME_S)  # untimed: see EXPIRE_EVERY
                with count_queries() as counted:
                    await actors[-1].slash(channel, name)
                out[name] = {
                    "p50": percentile(times, 50),
                    "p99": percentile(times, 99),
                    "calls": len(times),
                    "queries": counted.total,
                }
            # /patterns reuses the cohort's solve times for 10 minutes: the first call after
            # that reads every solve row of the cohort
            first = []
            for k in range(5):
                forget_solve_times()
                t0 = perf_counter()
                await actors[1 + k].slash(channel, "patterns")
                first.append((perf_counter() - t0) * 1000)
            out["patterns"]["first_ms"] = median(first)
    finally:
        await env.shutdown()
        await bot.close()
    return out


async def _recap(
    curriculum: Curriculum, tmp: Path, sizes: tuple[int, int], repeats: int
) -> dict[str, Any]:
    db = SQLiteDatabase(tmp / "recap.sqlite3")
    await db.migrate()
    seeded = {n: await db.seed(curriculum, members=n, seed=i) for i, n in enumerate(sizes, 1)}
    week = curriculum.week_count
    now = recap_instant(curriculum, week)
    out: dict[str, Any] = {"rows": sum(s.entries for s in seeded.values())}
    await init_db(db.url, migrate=False)
    try:
        for n, s in seeded.items():
            cohort = await Cohort.get(id=s.cohort_id)
            report = await cohort_week_report(cohort, week, curriculum, now)  # warm-up
            await recap_coaching(cohort, report, curriculum, detailed=False)
            base, extra = [], []
            for _ in range(repeats):
                t0 = perf_counter()
                report = await cohort_week_report(cohort, week, curriculum, now)
                t1 = perf_counter()
                await recap_coaching(cohort, report, curriculum, detailed=False)
                t2 = perf_counter()
                base.append((t1 - t0) * 1000)
                extra.append((t2 - t1) * 1000)
            with count_queries() as counted:
                await recap_coaching(cohort, report, curriculum, detailed=False)
            out[n] = {
                "base_ms": median(base),
                "extra_ms": median(extra),
                "queries": counted.total,
                "statements": counted.statements[:20],
            }
    finally:
        await close_db()
    return out


async def run(quick: bool, profile: Path | None = None) -> Figure:
    del profile  # no profiled pass for this figure
    curriculum = load_curriculum()
    members, calls = (8, 28) if quick else (70, 300)  # ≤ 5 /patterns a minute per member
    sizes = (5, 25) if quick else (50, 500)
    with tempfile.TemporaryDirectory(prefix="bench-coach-") as tmp:
        commands = await _commands(curriculum, Path(tmp), members, calls)
        recap = await _recap(curriculum, Path(tmp), sizes, 1 if quick else 3)
    small, large = sizes
    nxt, pat = commands["next"], commands["patterns"]
    same = Metric(
        f"coach extras: extra statements {small:,} → {large:,} members",
        recap[large]["queries"] - recap[small]["queries"],
        "",
        "= 0 (same count)",
    )
    same.verdict = PASS if recap[large]["queries"] == recap[small]["queries"] else MISS
    metrics = [
        Metric(f"command rows ({members} members × {ENTRIES:,} entries)", commands["rows"]),
        Metric("/next p50", nxt["p50"], "ms"),
        at_most("/next p99", nxt["p99"], "ms", NEXT_P99_MS),
        Metric("SQL statements per /next", nxt["queries"]),
        Metric("/patterns p50", pat["p50"], "ms"),
        at_most("/patterns p99", pat["p99"], "ms", PATTERNS_P99_MS),
        Metric("SQL statements per /patterns", pat["queries"]),
        Metric("/patterns, first in 10 minutes (reads the cohort's solves)", pat["first_ms"], "ms"),
        Metric(
            f"recap data (cohort_week_report), {large:,} members", recap[large]["base_ms"], "ms"
        ),
        Metric(f"coach extras (recap_coaching), {small:,} members", recap[small]["extra_ms"], "ms"),
        at_most(
            f"coach extras (recap_coaching), {large:,} members",
            recap[large]["extra_ms"],
            "ms",
            EXTRA_TARGET_MS,
        ),
        Metric("coach extras: statements", recap[small]["queries"]),
        same,
    ]
    summary = (
        f"coach: /next p99 {nxt['p99']:.1f} ms (target ≤ {NEXT_P99_MS:.0f}), /patterns p99 "
        f"{pat['p99']:.1f} ms (target ≤ {PATTERNS_P99_MS:.0f}) for members with {ENTRIES:,} "
        f"entries; the recap's coaching extras for {large:,} members "
        f"{recap[large]['extra_ms']:.0f} ms (target ≤ {EXTRA_TARGET_MS:.0f} ms, beside "
        f"{recap[large]['base_ms']:.0f} ms of recap data), {recap[small]['queries']} vs "
        f"{recap[large]['queries']} statements (target: the same)"
    )
    details = {"commands": commands, "recap": {str(k): v for k, v in recap.items()}}
    return Figure("coach", "ok", summary, metrics, details)
