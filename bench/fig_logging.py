"""Figure 1 — logging: ``/solve`` through the real command path, beside raw INSERT + COMMIT.

The real bot (discord.py under simcord's virtual Discord) on a SQLite file that already holds
the seeded history. Commands and raw single-row inserts run in alternating rounds on the same
file, so machine noise hits both sides alike; the ratio is what the target judges.

For diagnosis (informational), each round also logs a fifth as many solves through the same
service code without Discord (member context, ``log_solve``, reply text): the gap between the
two ratios is what the Discord path (discord.py, simcord, the public line) costs.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite
import simcord

from bench.common import (
    NOW,
    PROGRAM_ZONE,
    bench_bot,
    bench_settings,
    percentile,
    sqlite_url,
)
from bench.queries import count_queries
from bench.rawsql import insert_sql, model_row
from bench.report import Figure, Metric, at_least, at_most
from bench.synthetic import ENTRY_COLUMNS, Shape, seed_cohort
from bot.db import apply_migrations
from bot.models import Entry
from curriculum.loader import Curriculum, load_curriculum

P99_TARGET_MS = 20.0
SHARE_TARGET = 25.0  # commands/s as % of raw inserts/s
RAW_COLUMNS = tuple(model_row(Entry, **dict.fromkeys(ENTRY_COLUMNS)))  # + new NOT NULL ones
RAW_INSERT = insert_sql("entry", RAW_COLUMNS)


@dataclass(frozen=True)
class Params:
    rows: int  # seeded entry rows
    commands: int
    rounds: int
    members: int = 200
    active: int = 50  # members who run the commands

    @staticmethod
    def of(quick: bool) -> Params:
        return Params(5_000, 200, 2) if quick else Params(100_000, 5_000, 5)


@dataclass
class Measured:
    latencies_ms: list[float]
    command_s: float = 0.0
    raw_s: float = 0.0
    raw_rows: int = 0
    service_s: float = 0.0
    service_calls: int = 0
    failures: int = 0
    first_failure: str = ""


def _raw_row(member_id: int, cohort_id: int, day: date, k: int) -> tuple[Any, ...]:
    """The values a /solve writes, every column bound as the ORM binds them."""
    solve = {
        "member_id": member_id,
        "cohort_id": cohort_id,
        "kind": "solve",
        "local_date": day.isoformat(),
        "week": 5,
        "created_at": f"{NOW:%Y-%m-%d %H:%M:%S}+00:00",
        "source": "command",
        "problem_key": str(k),
        "problem_number": k,
        "difficulty": "medium",
        "minutes": 20,
        "language": "python",
        "mode": "unguided",
        "pattern": "Arrays & Hashing",
    }
    values = model_row(Entry, **{**dict.fromkeys(ENTRY_COLUMNS), **solve})
    return tuple(values[c] for c in RAW_COLUMNS)


async def _raw_inserts(db: aiosqlite.Connection, rows: list[tuple[Any, ...]]) -> float:
    started = perf_counter()
    for row in rows:
        await db.execute(RAW_INSERT, row)
        await db.commit()
    return perf_counter() - started


async def _commands(
    actors: list[Any], channel: Any, problems: list[int], start: int, count: int, out: Measured
) -> None:
    started = perf_counter()
    for k in range(start, start + count):
        actor = actors[k % len(actors)]
        t0 = perf_counter()
        result = await actor.slash(
            channel, "solve", problem=str(problems[k % len(problems)]), minutes=10 + k % 50
        )
        out.latencies_ms.append((perf_counter() - t0) * 1000)
        content = result.response.content or ""
        if not content.startswith("Logged"):
            out.failures += 1
            out.first_failure = out.first_failure or content[:200]
    out.command_s += perf_counter() - started


async def _service(
    curriculum: Curriculum,
    guild_id: int,
    users: list[int],
    problems: list[int],
    start: int,
    count: int,
    out: Measured,
) -> None:
    """The same logging without Discord: member context, ``log_solve``, the reply text."""
    from bot.render.entries import solve_reply
    from bot.services.logbook import SolveInput, log_solve
    from bot.services.progress import member_context

    started = perf_counter()
    for k in range(start, start + count):
        ctx = await member_context(guild_id, users[k % len(users)], curriculum, NOW)
        data = SolveInput(str(problems[k % len(problems)]), 10 + k % 50)
        solve_reply(await log_solve(ctx, curriculum, data))
    out.service_s += perf_counter() - started
    out.service_calls += count


async def _measure(
    p: Params, path: Path, curriculum: Curriculum, profile: Path | None
) -> tuple[Measured, dict[str, Any]]:
    url = sqlite_url(path)
    await apply_migrations(url)
    bot = bench_bot(bench_settings(path.parent / "data", url), curriculum)
    bot.log_limiter.limit = 10**9  # 100 commands a member within the fixed clock's minute
    env = simcord.Env(bot)
    guild = env.create_guild("Bench")
    channel = guild.create_text_channel("study")
    actors = [guild.add_member(env.create_user(f"member{i}")) for i in range(p.members)]
    today = NOW.astimezone(ZoneInfo(PROGRAM_ZONE)).date()
    started = perf_counter()
    seeded = seed_cohort(
        path,
        curriculum,
        members=p.members,
        guild_id=guild.id,
        channel_id=channel.id,
        user_ids=[a.id for a in actors],
        last=today,
        shape=Shape().scaled(p.rows // p.members),
    )
    details: dict[str, Any] = {"seeded_rows": seeded.entries, "seed_s": perf_counter() - started}
    problems = sorted(curriculum.problems)
    out = Measured([])
    per_round = p.commands // p.rounds
    raw = [
        _raw_row(seeded.member_ids[k % p.active], seeded.cohort_id, today, 5000 + k)
        for k in range(per_round * p.rounds)
    ]
    await env.start()
    try:
        async with aiosqlite.connect(path) as db:
            for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
                await db.execute(f"PRAGMA {pragma}")  # as bot.db configures Tortoise
            with env.time_context():
                active = actors[: p.active]
                for r in range(p.rounds):
                    await _commands(active, channel, problems, r * per_round, per_round, out)
                    chunk = raw[r * per_round : (r + 1) * per_round]
                    out.raw_s += await _raw_inserts(db, chunk)
                    out.raw_rows += len(chunk)
                    users = list(seeded.user_ids[: p.active])
                    n = per_round // 5  # fewer: it only splits the cost, see the docstring
                    await _service(curriculum, guild.id, users, problems, r * n, n, out)
                with count_queries() as counted:  # one more /solve, its statements counted
                    await _commands(active, channel, problems, 10**7, 1, Measured([]))
                details["queries_per_solve"] = counted.total
                details["solve_statements"] = counted.statements
                if profile is not None:
                    details["profile"] = await _profile(active, channel, problems, profile)
            cursor = await db.execute('SELECT COUNT(*) FROM "entry"')
            row = await cursor.fetchone()
            details["entry_rows_after"] = row[0] if row else None
    finally:
        await env.shutdown()
        await bot.close()
    return out, details


async def _profile(actors: list[Any], channel: Any, problems: list[int], path: Path) -> Any:
    """A separate, profiled pass (pyinstrument, if installed); not part of the figures."""
    from bench.profiling import profile_async

    async def work() -> None:
        await _commands(actors, channel, problems, 10**6, 1000, Measured([]))

    return await profile_async(work, path, "logging")


async def run(quick: bool, profile: Path | None = None) -> Figure:
    p = Params.of(quick)
    curriculum = load_curriculum()
    with tempfile.TemporaryDirectory(prefix="bench-logging-") as tmp:
        out, details = await _measure(p, Path(tmp) / "bench.sqlite3", curriculum, profile)
    n = len(out.latencies_ms)
    cmd_rate = n / out.command_s
    raw_rate = out.raw_rows / out.raw_s
    share = 100 * cmd_rate / raw_rate
    service_rate = out.service_calls / out.service_s
    p50, p99 = percentile(out.latencies_ms, 50), percentile(out.latencies_ms, 99)
    details.update(commands=n, failures=out.failures, first_failure=out.first_failure)
    details.update(raw_rows=out.raw_rows, rounds=p.rounds, members=p.members, active=p.active)
    details.update(service_calls=out.service_calls)
    metrics = [
        Metric("seeded entry rows", details["seeded_rows"]),
        Metric("SQL statements per /solve", details["queries_per_solve"]),
        Metric("/solve p50", p50, "ms"),
        at_most("/solve p99", p99, "ms", P99_TARGET_MS),
        Metric("/solve commands/s", cmd_rate, "/s"),
        Metric("raw INSERT+COMMIT/s (same file)", raw_rate, "/s"),
        at_least("commands/s ÷ raw inserts/s", share, "%", SHARE_TARGET),
        Metric("without Discord: log_solve/s ÷ raw inserts/s", 100 * service_rate / raw_rate, "%"),
    ]
    if out.failures:
        return Figure(
            "logging",
            "error",
            f"logging: {out.failures}/{n} commands did not log: {out.first_failure!r}",
            metrics,
            details,
        )
    summary = (
        f"logging: {n:,} /solve on {details['seeded_rows']:,} rows — p99 {p99:.1f} ms "
        f"(target ≤ {P99_TARGET_MS:.0f} ms), {cmd_rate:,.0f} commands/s = {share:.1f} % of "
        f"{raw_rate:,.0f} raw inserts/s (target ≥ {SHARE_TARGET:.0f} %)"
    )
    return Figure("logging", "ok", summary, metrics, details)
