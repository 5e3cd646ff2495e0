"""The ``coach`` command line: run, doctor, preview, curriculum and database tools.

Every failure ends with one line on stderr saying what failed and what to do, and an exit
code by kind (see :mod:`bot.failures`: 2 settings/usage, 3 database, 4 Discord); ``--debug``
(or ``LOG_LEVEL=DEBUG``) adds the traceback. Output cut short by a closed pipe
(``coach curriculum export | head``) ends quietly.

This module is the entry point (:func:`main`): it dispatches to the commands and reports
their failures, and runs the bot itself (``run``, ``sync``), ``doctor`` and ``demo``. The
parser is :mod:`bot.cli.parser`, the other commands are :mod:`bot.cli.curriculum` and
:mod:`bot.cli.db`, and what they share is :mod:`bot.cli.support`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from bot.cli.curriculum import cmd_check, cmd_export, cmd_preview
from bot.cli.db import cmd_db_backup, cmd_db_copy, cmd_db_purge, cmd_db_upgrade
from bot.cli.parser import Parser, build_parser
from bot.cli.support import load_settings, run, shipped_curriculum
from bot.core.text import plural
from bot.failures import ConfigError, Failure
from bot.settings import writable_dir

log = logging.getLogger("bot.cli")
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a reader that went away
EXIT_INTERRUPTED = 130


def cmd_run(sync_only: bool = False) -> int:
    from bot.app import run_bot

    settings = load_settings(require_token=True)
    settings.ensure_data_dir()
    curriculum = shipped_curriculum()
    try:
        run(run_bot(settings, curriculum, sync_only=sync_only))
    except asyncio.CancelledError:  # SIGTERM: the bot closed cleanly
        log.info("stopped")
    if sync_only:
        print("slash commands synced with Discord")
    return 0


def cmd_doctor(limit: int) -> int:
    from bot.core.clock import system_clock
    from bot.doctor import run_doctor

    settings = load_settings()
    report = run(run_doctor(settings, system_clock(), limit=limit))
    print(report.render())
    return 0 if report.passed else 1


def cmd_demo(weeks: int, out: Path, seed: int) -> int:
    """Offline, no settings read: a throw-away database, files written into ``out``."""
    writable_dir(out, "--out", "choose another directory")
    from bot.demo import clear_old_output, run_demo

    curriculum = shipped_curriculum()
    if not 1 <= weeks <= curriculum.week_count:
        raise ConfigError(f"--weeks must be between 1 and {curriculum.week_count}")
    removed = clear_old_output(out)
    written = run(run_demo(curriculum, weeks, out, seed))
    if removed:
        print(f"Removed {plural(len(removed), 'file')} of an earlier demo from {out}")
    print(f"StudyCoach demo: {len(written)} files in {out} (week {weeks}, seed {seed})")
    for path in written:
        print(f"  {path.relative_to(out).as_posix():<48} {path.stat().st_size:>9,} bytes")
    print(f"Open {out / 'index.md'} to start.")
    return 0


def _usage(prog: str, message: str) -> NoReturn:
    Parser(prog=prog).error(message)


def dispatch(args: argparse.Namespace) -> int:
    command = args.command
    if command is None:
        _usage("coach", "choose a command: run, sync, doctor, preview, curriculum, db, demo")
    if command == "curriculum":
        if args.curriculum_command is None:
            _usage("coach curriculum", "choose what to do: check or export")
        if args.curriculum_command == "check":
            return cmd_check(args.dir)
        return cmd_export()
    if command == "preview":
        return cmd_preview(args.start, args.date, args.tz)
    if command == "db":
        sub = args.db_command
        if sub is None:
            _usage("coach db", "choose what to do: upgrade, purge, copy or backup")
        if sub == "copy":
            return cmd_db_copy(args.to, args.source)
        if sub == "backup":
            return cmd_db_backup(args.path)
        return cmd_db_purge() if sub == "purge" else cmd_db_upgrade()
    if command == "demo":
        return cmd_demo(args.weeks, args.out, args.seed)
    if command == "doctor":
        return cmd_doctor(args.limit)
    return cmd_run(sync_only=command == "sync")


def _wants_traceback(argv: Sequence[str]) -> bool:
    return "--debug" in argv or os.environ.get("LOG_LEVEL", "").strip().upper() == "DEBUG"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _quiet_stdout() -> None:
    """After the reader of stdout went away: point stdout at /dev/null so the interpreter's
    final flush doesn't complain."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = _wants_traceback(args_list)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
        code = dispatch(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_PIPE
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Failure as exc:
        if debug:
            traceback.print_exc()
        print(_one_line(str(exc)), file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, never a traceback
        if debug:
            traceback.print_exc()
        print(
            _one_line(f"unexpected error: {type(exc).__name__}: {exc}")
            + " (run again with --debug for the details)",
            file=sys.stderr,
        )
        return 1
