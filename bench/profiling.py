"""Optional profiling with pyinstrument (``pip install pyinstrument``; not a dependency).

The main thread is sampled as a whole (``async_mode="disabled"``): time the event loop spends
in ``select`` is time it waited, mostly for aiosqlite's worker thread running SQLite.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = (  # first match wins
    ("selectors.py", "event loop idle (waiting for the SQLite thread)"),
    ("/iso8601/", "iso8601 (Tortoise parsing SQLite dates)"),
    ("/simcord/", "simcord (virtual Discord)"),
    ("/discord/", "discord.py"),
    ("/tortoise/", "tortoise ORM"),
    ("/pypika", "pypika (SQL building)"),
    ("/aiosqlite/", "aiosqlite"),
    ("/apscheduler/", "apscheduler"),
    *((f"{ROOT}/{d}/", f"{d}/") for d in ("bot", "cogs", "curriculum", "bench")),
    ("/asyncio/", "asyncio"),
    ("/pydantic", "pydantic"),
    ("/zoneinfo/", "zoneinfo"),
)


def category(file_path: str | None, function: str = "") -> str:
    if function in ("epoll.poll", "select.select", "kqueue.control"):
        return CATEGORIES[0][1]
    path = file_path or "<native>"
    for needle, name in CATEGORIES:
        if needle in path:
            return name
    return "other (stdlib / native)"


def _walk(root: Any) -> list[tuple[Any, str]]:
    """Every frame with its category; native frames (no file) count for their caller's."""
    out: list[tuple[Any, str]] = []
    todo = [(root, category(root.file_path, root.function))]
    while todo:
        frame, name = todo.pop()
        out.append((frame, name))
        for child in frame.children:
            native = child.file_path is None or child.file_path.startswith("<")
            inherited = category(None, child.function) if native else None
            if inherited == CATEGORIES[0][1]:  # the loop's poll: idle, whoever called it
                todo.append((child, inherited))
            else:
                todo.append((child, name if native else category(child.file_path)))
    return out


def summarise(root: Any, top: int = 20) -> dict[str, Any]:
    """Self time by package and the functions with the most self time, in seconds."""
    by_package: Counter[str] = Counter()
    by_function: Counter[str] = Counter()
    for frame, name in _walk(root):
        if frame.is_synthetic:
            continue
        spent = frame.total_self_time
        by_package[name] += spent
        by_function[f"{frame.function} ({frame.file_path_short}:{frame.line_no})"] += spent
    total = root.time or 1.0
    return {
        "total_s": root.time,
        "by_package": {k: round(v, 4) for k, v in by_package.most_common()},
        "by_package_pct": {k: round(100 * v / total, 1) for k, v in by_package.most_common()},
        "top_functions": [[k, round(v, 4)] for k, v in by_function.most_common(top)],
    }


async def profile_async(
    work: Callable[[], Awaitable[None]], directory: Path, name: str
) -> dict[str, Any]:
    """Run ``work`` under pyinstrument; write ``name``-profile.txt / .html into ``directory``.

    ``python -m bench --profile`` checks that pyinstrument is installed before any figure
    runs, so a missing profiler is a clear error, never a silently skipped profile."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    try:
        await work()
    finally:
        profiler.stop()
    return _write(profiler, directory, name)


def _write(profiler: Any, directory: Path, name: str) -> dict[str, Any]:
    directory.mkdir(parents=True, exist_ok=True)
    text = directory / f"{name}-profile.txt"
    text.write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    html = directory / f"{name}-profile.html"
    html.write_text(profiler.output_html())
    root = profiler.last_session.root_frame() if profiler.last_session else None
    summary = summarise(root) if root is not None else {}
    return {"text": str(text), "html": str(html), **summary}
