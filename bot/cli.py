"""The ``coach`` command line: run, doctor, preview, curriculum and database tools.

Every failure ends with one line on stderr saying what failed and what to do, and an exit
code by kind (see :mod:`bot.failures`: 2 settings/usage, 3 database, 4 Discord); ``--debug``
(or ``LOG_LEVEL=DEBUG``) adds the traceback. Output cut short by a closed pipe
(``coach curriculum export | head``) ends quietly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
import traceback
from collections.abc import Coroutine, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from bot.core.text import plural
from bot.failures import ConfigError, DatabaseUnavailable, Failure
from bot.logs import configure_logging
from bot.settings import Settings, check_database_url, describe_error
from curriculum.issues import CurriculumError
from curriculum.loader import Curriculum, load_curriculum

log = logging.getLogger("bot.cli")
T = TypeVar("T")
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 31)  # room for 16 weeks and pauses after any start date
EXIT_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a reader that went away
EXIT_INTERRUPTED = 130


def version() -> str:
    try:
        return metadata.version("studycoach")
    except metadata.PackageNotFoundError:  # running from a checkout without install
        return "unknown"


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors that point at ``--help``."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _iso_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2027-01-04") from exc
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"'{value}' is out of range: use a date from {FIRST_DAY} to {LAST_DAY}"
        )
    return day


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not an IANA time zone") from exc


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"'{value}' must be at least 1")
    return number


def build_parser() -> Parser:
    parser = Parser(
        prog="coach",
        description="StudyCoach: a Discord bot that coaches a study group through a 16-week "
        "interview roadmap.",
        epilog="Settings come from the environment or .env (see README, Configuration). "
        "Exit codes: 1 a check failed, 2 settings or usage, 3 database, 4 Discord.",
    )
    parser.add_argument("--version", action="version", version=f"coach (StudyCoach) {version()}")
    debug = argparse.ArgumentParser(add_help=False)
    debug.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of a failure (also LOG_LEVEL=DEBUG)",
    )
    parser.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    def command(name: str, help_text: str, target: Any = sub) -> Parser:
        found: Parser = target.add_parser(
            name, help=help_text, description=help_text, parents=[debug]
        )
        return found

    command("run", "start the bot (and keep retrying while Discord can't be reached)")
    command("sync", "sync slash commands with Discord, then exit")
    doctor = command("doctor", "check settings, database, curriculum, token and every cohort")
    doctor.add_argument(
        "--limit",
        type=_positive,
        default=25,
        help="servers whose cohorts are checked (default 25)",
    )
    cur = command("curriculum", "check or export the curriculum data")
    cur_sub = cur.add_subparsers(dest="curriculum_command", metavar="COMMAND", title="commands")
    check = command("check", "validate the data; exit 1 on errors", cur_sub)
    check.add_argument("dir", nargs="?", type=Path, help="data directory (default: shipped)")
    command("export", "print the normalised curriculum as JSON", cur_sub)
    prev = command("preview", "print the posts a cohort gets on a date")
    prev.add_argument("--start", required=True, type=_iso_date, help="cohort start date")
    prev.add_argument("--date", required=True, type=_iso_date, help="date to preview")
    prev.add_argument("--tz", default="UTC", type=_zone, help="IANA time zone (default UTC)")
    db = command("db", "database tools")
    db_sub = db.add_subparsers(dest="db_command", metavar="COMMAND", title="commands")
    command("upgrade", "apply pending migrations", db_sub)
    command("purge", "delete data of servers the bot left over 30 days ago", db_sub)
    copy = command("copy", "copy every row into a new, empty database", db_sub)
    copy.add_argument("--to", required=True, help="target URL, e.g. postgres://user@host/db")
    copy.add_argument("--from", dest="source", help="source URL (default: DATABASE_URL)")
    backup = command(
        "backup", "back the database up to PATH (SQLite; prints pg_dump for PostgreSQL)", db_sub
    )
    backup.add_argument("path", type=Path, metavar="PATH", help="a new file, or a directory")
    demo = command("demo", "write a synthetic study group's posts and exports")
    demo.add_argument("--weeks", type=int, default=4, help="weeks to simulate (default 4)")
    demo.add_argument("--out", type=Path, default=Path("demo-out"), help="output directory")
    demo.add_argument("--seed", type=int, default=2027, help="random seed (default 2027)")
    return parser


def cmd_check(directory: Path | None) -> int:
    try:
        curriculum = load_curriculum(directory)
    except CurriculumError as exc:
        for issue in exc.issues:
            print(f"error: {issue}")
        print(plural(len(exc.issues), "error"))
        return 1
    for warning in curriculum.warnings:
        print(f"warning: {warning}")
    print(
        f"ok: {len(curriculum.weeks)} weeks, {len(curriculum.problems)} problems, "
        f"{len(curriculum.targets.milestones)} milestones, "
        f"{plural(len(curriculum.warnings), 'warning')}"
    )
    return 0


def preview_text(curriculum: Curriculum, start: date, day: date, zone: ZoneInfo) -> str:
    from bot.core.calendar import CohortCalendar, InProgram
    from bot.core.posts import plan_day
    from bot.render.cohort import off_program_text
    from bot.render.text import render_post

    phases = {w: curriculum.weeks[w].phase for w in curriculum.weeks}
    calendar = CohortCalendar(start=start, zone=zone, weeks=curriculum.week_count, phases=phases)
    pos = calendar.position(day)
    if not isinstance(pos, InProgram):
        return off_program_text(pos, day.isoformat(), curriculum.week_count, date.isoformat)
    phase = curriculum.phase(curriculum.week(pos.week).phase)
    header = (
        f"{day.isoformat()} ({day.strftime('%A')}) · week {pos.week} · {phase.name} · {zone.key}"
    )
    posts = plan_day(pos, curriculum)
    return header + "\n\n" + "\n\n".join(render_post(p) for p in posts)


# -- settings, logging and the event loop ------------------------------------------------------
def load_settings(*, require_token: bool = False) -> Settings:
    """The settings, or :class:`ConfigError` naming what to set."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise ConfigError(describe_error(exc)) from None
    if require_token and (
        settings.discord_token is None or not settings.discord_token.get_secret_value()
    ):
        raise ConfigError(
            "DISCORD_TOKEN is not set: put your bot token in the environment or in .env "
            "(DISCORD_TOKEN=...)."
        )
    configure_logging(settings.log_level, settings.log_format)
    return settings


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` that ends on SIGTERM like on Ctrl-C (the bot closes cleanly)."""

    async def main() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            return await coro
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGTERM)

    return asyncio.run(main())


def _curriculum() -> Curriculum:
    try:
        return load_curriculum()
    except CurriculumError as exc:
        first = exc.issues[0] if exc.issues else exc
        raise Failure(
            f"the curriculum data is invalid ({plural(len(exc.issues), 'error')}, first: {first}); "
            "run `coach curriculum check` for all of them"
        ) from None


def _writable_dir(path: Path, option: str) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{option} {path} can't be created ({exc.strerror or exc})") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{option} {path} is not writable: choose another directory")
    return path


# -- the commands ---------------------------------------------------------------------------
def cmd_db_upgrade() -> int:
    from bot.db import apply_migrations, describe_url

    settings = load_settings()
    url = settings.resolved_database_url()
    applied = _run(apply_migrations(url))
    if applied:
        what = plural(len(applied), "migration")
        print(f"applied {what} to {describe_url(url)}: {', '.join(applied)}")
    else:
        print(f"{describe_url(url)} is up to date: no pending migrations")
    return 0


def cmd_db_purge() -> int:
    from bot.core.clock import system_clock
    from bot.services.privacy import run_purge

    settings = load_settings()
    purged = _run(run_purge(settings.resolved_database_url(), system_clock()))
    print(f"purged {plural(purged, 'server')} the bot left over 30 days ago")
    return 0


def _url_option(value: str, option: str) -> str:
    from bot.db import normalise_url

    try:
        return normalise_url(check_database_url(value.strip()))
    except ValueError as exc:
        raise ConfigError(f"{option}: {exc}") from None


def cmd_db_copy(target: str, source: str | None) -> int:
    from bot.db import database_errors, preflight, probe
    from bot.dbcopy import CopyError, copy_database

    settings = load_settings()
    source_url = _url_option(source, "--from") if source else settings.resolved_database_url()
    source_name = "--from" if source else "DATABASE_URL"
    target_url = _url_option(target, "--to")
    preflight(source_url, must_exist=True, setting=source_name)
    preflight(target_url, setting="--to")

    async def copy() -> Any:
        await probe(source_url, setting=source_name)
        await probe(target_url, setting="--to")
        with database_errors(source_url, source_name):
            return await copy_database(source_url, target_url)

    try:
        report = _run(copy())
    except CopyError as exc:
        print(f"nothing copied: {exc}", file=sys.stderr)
        return 1
    for table, count in report.rows.items():
        print(f"{table:<20} {count:>9}")
    print(f"copied {report.total} rows; now set DATABASE_URL to the new database")
    return 0


def cmd_db_backup(path: Path) -> int:
    from bot.backup import BackupError, backup_name, backup_sqlite, pg_dump_command, sqlite_file
    from bot.core.clock import system_clock

    settings = load_settings()
    url = settings.resolved_database_url()
    source = sqlite_file(url)
    if source is None:
        print("PostgreSQL is backed up with pg_dump; run:")
        print(f"  {pg_dump_command(url, str(path))}")
        print("(restore with pg_restore --dbname=… into an empty database)")
        return 0
    target = path / backup_name(system_clock()) if path.is_dir() else path
    if target.exists():
        raise ConfigError(f"{target} already exists: give a new file name (nothing was written)")
    if not target.parent.is_dir():
        raise ConfigError(f"the directory {target.parent} does not exist")
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise ConfigError(f"the directory {target.parent} is not writable")
    if not source.is_file():
        raise DatabaseUnavailable(
            f"there is no SQLite database at {source}: check DATABASE_URL / DATA_DIR"
        )
    try:
        size = backup_sqlite(source, target)
    except BackupError as exc:
        raise DatabaseUnavailable(str(exc)) from None
    print(f"backed up {source} to {target} ({size:,} bytes)")
    return 0


def cmd_run(sync_only: bool = False) -> int:
    from bot.app import run_bot

    settings = load_settings(require_token=True)
    settings.ensure_data_dir()
    curriculum = _curriculum()
    try:
        _run(run_bot(settings, curriculum, sync_only=sync_only))
    except asyncio.CancelledError:  # SIGTERM: the bot closed cleanly
        log.info("stopped")
    if sync_only:
        print("slash commands synced with Discord")
    return 0


def cmd_doctor(limit: int) -> int:
    from bot.core.clock import system_clock
    from bot.doctor import run_doctor

    settings = load_settings()
    report = _run(run_doctor(settings, system_clock(), limit=limit))
    print(report.render())
    return 0 if report.passed else 1


def cmd_demo(weeks: int, out: Path, seed: int) -> int:
    _writable_dir(out, "--out")
    from bot.demo import cmd_demo as demo

    return demo(weeks, out, seed)


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
        json.dump(_curriculum().to_json_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if command == "preview":
        print(preview_text(_curriculum(), args.start, args.date, args.tz))
        return 0
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


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
