"""The ``coach`` argument parser: every command, its options and their checks."""

from __future__ import annotations

import argparse
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import Any, NoReturn
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2999, 12, 31)  # room for 16 weeks and pauses after any start date


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
