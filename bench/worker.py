"""Run one figure in this process: ``python -m bench.worker NAME [--quick] [--profile DIR]``.

``python -m bench`` starts one worker per figure, so each figure gets a fresh interpreter
(its own memory figure, no Tortoise or simcord state left over from another). The result is
printed as JSON on the last line of stdout, after :data:`MARKER`.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from pathlib import Path

MARKER = "BENCH-RESULT "
FIGURES = {  # name → "module:function", an ``async def f(quick, profile) -> Figure``
    "logging": "bench.fig_logging:run",
    "recap": "bench.fig_recap:run",
    "export": "bench.fig_export:run",
    "fanout": "bench.fig_fanout:run",
    "startup": "bench.fig_startup:run",
    "coach": "bench.fig_coach:run",
    "voice": "bench.fig_voice:run",
    "web": "bench.fig_web:run",
    "pg-logging": "bench.fig_pg:logging",
    "pg-recap": "bench.fig_pg:recap",
    "pg-export": "bench.fig_pg:export",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("name", choices=sorted(FIGURES))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args(argv)
    module_name, function = FIGURES[args.name].split(":")
    run = getattr(importlib.import_module(module_name), function)
    figure = asyncio.run(run(args.quick, args.profile))
    sys.stdout.write(MARKER + json.dumps(figure.to_json(), default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
