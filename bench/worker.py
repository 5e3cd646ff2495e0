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
FIGURES = {  # name → module with ``async def run(quick, profile) -> Figure``
    "logging": "bench.fig_logging",
    "recap": "bench.fig_recap",
    "fanout": "bench.fig_fanout",
    "startup": "bench.fig_startup",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("name", choices=sorted(FIGURES))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", type=Path, default=None)
    args = parser.parse_args(argv)
    module = importlib.import_module(FIGURES[args.name])
    figure = asyncio.run(module.run(args.quick, args.profile))
    sys.stdout.write(MARKER + json.dumps(figure.to_json(), default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
