"""Figure 4 — start-up: a fresh process until the bot is ready, without network.

Each run starts ``python -m bench.startup_probe`` and times it from just before the process
is spawned until it prints ``READY`` (interpreter start and every import included). Beside
it, in the same run, a bare ``python -c pass`` is timed the same way: the interpreter's own
share. Before, in the figure's own process (not timed): the database is migrated, every extension
loaded and the synced-command hash written, so timed runs see what a restart of a deployed
bot sees (no command sync, bytecode already compiled).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.common import NOW, bench_settings, median, sqlite_url
from bench.report import Figure, Metric, at_most
from bench.synthetic import seed_cohorts
from bot.app import CoachBot, extension_names
from bot.db import apply_migrations, init_db
from curriculum.loader import load_curriculum

TARGET_S = 1.5
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120


def probe_env(data_dir: Path, url: str) -> dict[str, str]:
    skip = ("DISCORD_TOKEN", "DEV_GUILD_ID", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update(
        DATABASE_URL=url,
        DATA_DIR=str(data_dir),
        LOG_LEVEL="WARNING",
        LEETCODE_POLLING="false",  # no network: the poller stays off
    )
    return env


def time_until_ready(args: list[str], env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    """Seconds from spawning ``python ARGS`` to its READY line (or to its exit if none)."""
    started = perf_counter()
    with subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        ready: float | None = None
        marks: dict[str, Any] = {}
        for line in proc.stdout:
            if line.startswith("READY "):
                ready = perf_counter() - started
                marks = json.loads(line[len("READY ") :])
                break
        _, err = proc.communicate(timeout=TIMEOUT_S)
        elapsed = perf_counter() - started
    if proc.returncode != 0:
        tail = (err.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{' '.join(args)} exited {proc.returncode}: {tail}")
    if ready is None and args[0] == "-m":
        raise RuntimeError(f"{' '.join(args)} never printed READY")
    return (ready if ready is not None else elapsed), marks


async def prepare(data_dir: Path, url: str) -> None:
    """Migrate, load every extension and write the synced-command hash, as a first start
    that synced would have (so the timed starts do not try to sync)."""
    bot = CoachBot(bench_settings(data_dir, url), load_curriculum(), start_scheduler=False)
    try:
        await init_db(url, migrate=True)
        bot.db_ready = True
        for name in extension_names():
            await bot.load_extension(name)
        path = bot.command_hash_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bot.command_hash())
    finally:
        await bot.close()


def _measure(runs: int, tmp: Path) -> dict[str, Any]:
    env = probe_env(tmp / "data", sqlite_url(tmp / "startup.sqlite3"))
    starts, bare, all_marks = [], [], []
    for _ in range(runs):  # interleaved, so both see the same machine
        seconds, marks = time_until_ready(["-m", "bench.startup_probe"], env)
        starts.append(seconds)
        all_marks.append(marks)
        bare.append(time_until_ready(["-c", "pass"], env)[0])
    steps = {k: median([m[k] for m in all_marks]) for k in all_marks[0]}
    return {"runs": runs, "ready_s": starts, "bare_s": bare, "steps_s": steps}


def _profile(env: dict[str, str], directory: Path) -> dict[str, Any]:
    """One more start under ``-X importtime`` (and pyinstrument, if installed)."""
    directory.mkdir(parents=True, exist_ok=True)
    probe = ["-m", "bench.startup_probe"]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *probe],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    (directory / "startup-importtime.txt").write_text(done.stderr)
    slowest = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            slowest.append((int(parts[1]), parts[2].rstrip()))
    slowest.sort(reverse=True)
    out: dict[str, Any] = {"importtime_top_cumulative_us": slowest[:25]}
    text = directory / "startup-profile.txt"
    pyinstrument = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(text), *probe]
    profiled = subprocess.run(
        pyinstrument, cwd=ROOT, env=env, capture_output=True, timeout=TIMEOUT_S, check=False
    )
    out["pyinstrument"] = str(text) if profiled.returncode == 0 else "pyinstrument not available"
    return out


async def run(quick: bool, profile: Path | None = None) -> Figure:
    runs = 1 if quick else 5
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        path = Path(tmp) / "startup.sqlite3"
        await apply_migrations(sqlite_url(path))
        seed_cohorts(path, 20, today=NOW.date())  # a small deployment: the scheduler loads them
        await prepare(Path(tmp) / "data", sqlite_url(path))
        d = _measure(runs, Path(tmp))
        if profile is not None:  # after the timed runs, not part of the figures
            env = probe_env(Path(tmp) / "data", sqlite_url(path))
            d["profile"] = _profile(env, profile)
    ready, bare = median(d["ready_s"]), median(d["bare_s"])
    steps = d["steps_s"]
    metrics = [
        Metric("bare interpreter (python -c pass)", bare * 1000, "ms"),
        Metric("in probe: imports done", steps["imports"] * 1000, "ms"),
        Metric("in probe: + settings, curriculum", steps["curriculum"] * 1000, "ms"),
        Metric("in probe: + setup_hook (db, cogs, scheduler)", steps["setup_hook"] * 1000, "ms"),
        at_most(f"start → ready (median of {runs})", ready, "s", TARGET_S),
        Metric("start → ready ÷ bare interpreter", ready / bare, "x"),
    ]
    summary = (
        f"startup: fresh process to ready in {ready:.2f} s, median of {runs} "
        f"(target ≤ {TARGET_S} s); a bare interpreter takes {bare * 1000:.0f} ms"
    )
    return Figure("startup", "ok", summary, metrics, d)
