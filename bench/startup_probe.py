"""Start-up probe, run in a fresh process by the startup figure: ``python -m bench.startup_probe``.

Does what ``coach run`` does before it connects: settings from the environment, the
curriculum loaded and validated, then the bot's real ``setup_hook`` (database and migrations
on the existing file, every extension, the post scheduler), with the synced-command hash
already on disk so that it does not sync with Discord. Prints ``READY {json}`` as soon as it
is ready (seconds since this module started, per step), then closes the bot.
"""

from __future__ import annotations

import time

_T0 = time.perf_counter()

import asyncio  # noqa: E402  (imports after the start mark are part of the measure)
import json  # noqa: E402
from typing import Any  # noqa: E402


def _mark(marks: dict[str, float], name: str) -> None:
    marks[name] = round(time.perf_counter() - _T0, 4)


async def _start(bot: Any, marks: dict[str, float]) -> None:
    try:
        await bot.setup_hook()
        _mark(marks, "setup_hook")
        print("READY " + json.dumps(marks), flush=True)
    finally:
        await bot.close()


def main() -> int:
    marks: dict[str, float] = {}
    from bot.app import CoachBot
    from bot.settings import Settings
    from curriculum.loader import load_curriculum

    _mark(marks, "imports")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    _mark(marks, "settings")
    curriculum = load_curriculum()
    _mark(marks, "curriculum")
    asyncio.run(_start(CoachBot(settings, curriculum), marks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
