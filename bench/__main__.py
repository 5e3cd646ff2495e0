"""``python -m bench [--quick] [--only NAME] [--json PATH] [--profile DIR] [--postgres URL]``.

Runs each figure in its own worker process, then prints one table (figure, measured value,
target, verdict) and one line per figure with its targets. Exit status 1 when a figure could
not be measured (error); a missed target is a result, not a failure. The ``pg-*`` figures run
on a scratch database of the PostgreSQL server at ``--postgres`` (default: the local one);
when it does not answer they are reported as skipped, with the reason.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.pg import DEFAULT_URL, ENV
from bench.report import Figure, error_figure, render_summaries, render_table
from bench.worker import FIGURES, MARKER

ROOT = Path(__file__).resolve().parent.parent
ALIASES = {"fan-out": "fanout"}


def _name(value: str) -> str:
    name = ALIASES.get(value, value)
    if name not in FIGURES:
        raise argparse.ArgumentTypeError(f"unknown figure {value!r}: one of {', '.join(FIGURES)}")
    return name


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="a small run (about a minute), for smoke tests"
    )
    parser.add_argument(
        "--only", type=_name, action="append", metavar="NAME", help=f"one of {', '.join(FIGURES)}"
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="also profile each figure with pyinstrument into DIR",
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per figure")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--postgres",
        metavar="URL",
        default=DEFAULT_URL,
        help=f"PostgreSQL server for the pg-* figures (default {DEFAULT_URL})",
    )
    where.add_argument(
        "--no-postgres", action="store_true", help="skip the pg-* figures (reported as skipped)"
    )
    return parser


def run_figure(
    name: str, quick: bool, profile: Path | None, timeout: float, postgres: str = ""
) -> Figure:
    command = [sys.executable, "-m", "bench.worker", name]
    command += ["--quick"] if quick else []
    command += ["--profile", str(profile.resolve())] if profile else []
    env = {**os.environ, ENV: postgres}
    try:
        done = subprocess.run(
            command,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return error_figure(name, f"no result within {timeout:.0f} s")
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(MARKER):
            return Figure.from_json(json.loads(line[len(MARKER) :]))
    sys.stderr.write(done.stderr)
    tail = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
    return error_figure(name, tail)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.profile and importlib.util.find_spec("pyinstrument") is None:
        parser.error("--profile needs pyinstrument: pip install pyinstrument")
    names = list(dict.fromkeys(args.only or FIGURES))
    started = datetime.now(UTC)
    figures = []
    for name in names:
        print(f"… {name}", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        postgres = "" if args.no_postgres else args.postgres
        figure = run_figure(name, args.quick, args.profile, args.timeout, postgres)
        figure.details["wall_s"] = round(time.perf_counter() - t0, 2)
        print(f"  {name}: {figure.verdict} in {figure.details['wall_s']} s", file=sys.stderr)
        figures.append(figure)
    print(render_table(figures))
    print()
    print(render_summaries(figures))
    if args.json:
        report = {
            "started": started.isoformat(),
            "quick": args.quick,
            "python": sys.version.split()[0],
            "cpus": os.cpu_count(),
            "loadavg": os.getloadavg(),
            "postgres": None if args.no_postgres else args.postgres.split("@")[-1],
            "figures": [f.to_json() for f in figures],
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n")
    return 1 if any(f.status == "error" for f in figures) else 0


if __name__ == "__main__":
    raise SystemExit(main())
