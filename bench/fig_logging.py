"""Figure 1 — logging: ``/solve`` through the real command path, beside raw INSERT + COMMIT.

The real bot (discord.py under simcord's virtual Discord) on a database that already holds
the seeded history: a SQLite file with 100,000 entries (``logging``), or a PostgreSQL
scratch database with 1,000,000 (``pg-logging``, :mod:`bench.fig_pg`). Commands and raw
single-row inserts run in alternating rounds on the same database, so machine noise hits
both sides alike; the ratio is what the target judges.

For diagnosis (informational), each round also logs a fifth as many solves through the same
service code without Discord (member context, ``log_solve``, reply text): the gap between the
two ratios is what the Discord path (discord.py, simcord, the public line) costs.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from time import perf_counter
from typing import Any
from zoneinfo import ZoneInfo

import simcord

from bench.backends import Database, SQLiteDatabase
from bench.common import NOW, PROGRAM_ZONE, bench_bot, bench_settings, percentile
from bench.queries import count_queries
from bench.rawsql import model_row
from bench.report import Figure, Metric, at_least, at_most
from bench.synthetic import ENTRY_COLUMNS, Shape
from bot.models import Entry
from curriculum.loader import Curriculum, load_curriculum

P99_TARGET_MS = 20.0
SHARE_TARGET = 25.0  # commands/s as % of raw inserts/s
RAW_COLUMNS = tuple(model_row(Entry, **dict.fromkeys(ENTRY_COLUMNS)))  # + new NOT NULL ones


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

    @staticmethod
    def large(quick: bool) -> Params:
        """A big server: a million entries over 2,000 members (PostgreSQL)."""
        return Params(5_000, 200, 2) if quick else Params(1_000_000, 5_000, 5, members=2_000)


@dataclass
class Measured:
    latencies_ms: list[float]
    command_s: float = 0.0
    raw_s: float = 0.0
    raw_rows: int = 0
    service_s: float = 0.0
    service_calls: int = 0
    service_ms: list[float] = field(default_factory=list)
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
        t0 = perf_counter()
        ctx = await member_context(guild_id, users[k % len(users)], curriculum, NOW)
        data = SolveInput(str(problems[k % len(problems)]), 10 + k % 50)
        solve_reply(await log_solve(ctx, curriculum, data))
        out.service_ms.append((perf_counter() - t0) * 1000)
    out.service_s += perf_counter() - started
    out.service_calls += count


async def _measure(
    p: Params, db: Database, data_dir: Path, curriculum: Curriculum, profile: Path | None
) -> tuple[Measured, dict[str, Any]]:
    await db.migrate()
    bot = bench_bot(bench_settings(data_dir, db.url), curriculum)
    bot.log_limiter.limit = 10**9  # 100 commands a member within the fixed clock's minute
    env = simcord.Env(bot)
    guild = env.create_guild("Bench")
    channel = guild.create_text_channel("study")
    actors = [guild.add_member(env.create_user(f"member{i}")) for i in range(p.members)]
    today = NOW.astimezone(ZoneInfo(PROGRAM_ZONE)).date()
    started = perf_counter()
    seeded = await db.seed(
        curriculum,
        members=p.members,
        guild_id=guild.id,
        channel_id=channel.id,
        user_ids=[a.id for a in actors],
        last=today,
        shape=Shape().scaled(p.rows // p.members),
    )
    details: dict[str, Any] = {
        "database": db.label,
        "seeded_rows": seeded.entries,
        "seed_s": perf_counter() - started,
    }
    problems = sorted(curriculum.problems)
    out = Measured([])
    per_round = p.commands // p.rounds
    raw = [
        _raw_row(seeded.member_ids[k % p.active], seeded.cohort_id, today, 5000 + k)
        for k in range(per_round * p.rounds)
    ]
    await env.start()
    try:
        async with db.raw_inserts("entry", RAW_COLUMNS) as inserts:
            with env.time_context():
                active = actors[: p.active]
                for r in range(p.rounds):
                    await _commands(active, channel, problems, r * per_round, per_round, out)
                    chunk = raw[r * per_round : (r + 1) * per_round]
                    out.raw_s += await inserts.run(chunk)
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
    finally:
        await env.shutdown()
        await bot.close()
    details["entry_rows_after"] = await db.count("entry")
    return out, details


async def _profile(actors: list[Any], channel: Any, problems: list[int], path: Path) -> Any:
    """A separate, profiled pass (pyinstrument, if installed); not part of the figures."""
    from bench.profiling import profile_async

    async def work() -> None:
        await _commands(actors, channel, problems, 10**6, 1000, Measured([]))

    return await profile_async(work, path, "logging")


async def measure(
    name: str, p: Params, db: Database, data_dir: Path, profile: Path | None
) -> Figure:
    """The figure ``name`` for ``p`` on ``db`` (the SQLite or PostgreSQL one)."""
    curriculum = load_curriculum()
    out, details = await _measure(p, db, data_dir, curriculum, profile)
    n = len(out.latencies_ms)
    cmd_rate = n / out.command_s
    raw_rate = out.raw_rows / out.raw_s
    share = 100 * cmd_rate / raw_rate
    service_rate = out.service_calls / out.service_s
    p50, p99 = percentile(out.latencies_ms, 50), percentile(out.latencies_ms, 99)
    details.update(commands=n, failures=out.failures, first_failure=out.first_failure)
    details.update(raw_rows=out.raw_rows, rounds=p.rounds, members=p.members, active=p.active)
    details.update(service_calls=out.service_calls)
    where = "same file" if isinstance(db, SQLiteDatabase) else "same database"
    metrics = [
        Metric("seeded entry rows", details["seeded_rows"]),
        Metric("SQL statements per /solve", details["queries_per_solve"]),
        Metric("/solve p50", p50, "ms"),
        at_most("/solve p99", p99, "ms", P99_TARGET_MS),
        Metric("/solve commands/s", cmd_rate, "/s"),
        Metric(f"raw INSERT+COMMIT/s ({where})", raw_rate, "/s"),
        at_least("commands/s ÷ raw inserts/s", share, "%", SHARE_TARGET),
        Metric("without Discord: log_solve/s ÷ raw inserts/s", 100 * service_rate / raw_rate, "%"),
        Metric("without Discord: log_solve p99", percentile(out.service_ms, 99), "ms"),
    ]
    if out.failures:
        return Figure(
            name,
            "error",
            f"{name}: {out.failures}/{n} commands did not log: {out.first_failure!r}",
            metrics,
            details,
        )
    summary = (
        f"{name}: {n:,} /solve on {details['seeded_rows']:,} rows ({db.label}) — p99 "
        f"{p99:.1f} ms (target ≤ {P99_TARGET_MS:.0f} ms), {cmd_rate:,.0f} commands/s = "
        f"{share:.1f} % of {raw_rate:,.0f} raw inserts/s (target ≥ {SHARE_TARGET:.0f} %)"
    )
    return Figure(name, "ok", summary, metrics, details)


async def run(quick: bool, profile: Path | None = None) -> Figure:
    with tempfile.TemporaryDirectory(prefix="bench-logging-") as tmp:
        db = SQLiteDatabase(Path(tmp) / "bench.sqlite3")
        return await measure("logging", Params.of(quick), db, Path(tmp) / "data", profile)
