"""Shared pieces of the benchmark: the program's clock, settings, percentiles and memory."""

from __future__ import annotations

import math
import resource
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.settings import Settings
from curriculum.loader import Curriculum

PROGRAM_START = date(2027, 1, 4)  # a Monday: week 1 begins that day
PROGRAM_ZONE = "Europe/Berlin"
NOW = datetime(2027, 2, 3, 18, 0, tzinfo=UTC)  # Wed of week 5, 19:00 in Berlin
MB = 1_000_000


def sqlite_url(path: Path) -> str:
    return f"sqlite://{path}"


def bench_settings(data_dir: Path, database_url: str, *, log_rate_limit: int = 1000) -> Settings:
    """Settings that never read the environment or ``.env`` and carry no token."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        discord_token=None,
        data_dir=data_dir,
        database_url=database_url,
        log_rate_limit=log_rate_limit,
        leetcode_polling=False,  # never reach the network (ignored by older settings)
    )


def bench_bot(settings: Settings, curriculum: Curriculum, now: datetime = NOW) -> CoachBot:
    """The real bot as the tests build it: a fixed clock and no background scheduler."""
    return CoachBot(settings, curriculum, clock=FixedClock(now), start_scheduler=False)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100), linear between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def _status_kib(field: str) -> int | None:
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def rss_mb() -> float:
    """Resident memory now (VmRSS) in MB (10⁶ bytes); the peak from getrusage if no /proc."""
    kib = _status_kib("VmRSS")
    return kib * 1024 / MB if kib is not None else peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM / ru_maxrss) in MB."""
    kib = _status_kib("VmHWM")
    if kib is not None:
        return kib * 1024 / MB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak * 1024 / MB  # bytes on macOS
