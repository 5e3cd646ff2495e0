"""The ``coach`` command line: run, preview, curriculum and database tools."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from bot.core.calendar import CohortCalendar, InProgram
from bot.core.posts import plan_day
from bot.render.cohort import off_program_text
from bot.render.text import render_post
from bot.settings import Settings, describe_error
from curriculum.loader import Curriculum, CurriculumError, load_curriculum


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date like 2027-01-04") from exc


def _zone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise argparse.ArgumentTypeError(f"'{value}' is not an IANA time zone") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coach", description="StudyCoach Discord bot")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start the bot")
    cur = sub.add_parser("curriculum", help="check or export the curriculum data")
    cur_sub = cur.add_subparsers(dest="curriculum_command", required=True)
    check = cur_sub.add_parser("check", help="validate the data; exit 1 on errors")
    check.add_argument("dir", nargs="?", type=Path, help="data directory (default: shipped)")
    cur_sub.add_parser("export", help="print the normalised curriculum as JSON")
    prev = sub.add_parser("preview", help="print the posts a cohort gets on a date")
    prev.add_argument("--start", required=True, type=_iso_date, help="cohort start date")
    prev.add_argument("--date", required=True, type=_iso_date, help="date to preview")
    prev.add_argument("--tz", default="UTC", type=_zone, help="IANA time zone (default UTC)")
    db = sub.add_parser("db", help="database tools")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply pending migrations")
    db_sub.add_parser("purge", help="delete data of servers the bot left over 30 days ago")
    copy = db_sub.add_parser("copy", help="copy every row into a new, empty database")
    copy.add_argument("--to", required=True, help="target URL, e.g. postgres://user@host/db")
    copy.add_argument("--from", dest="source", help="source URL (default: DATABASE_URL)")
    demo = sub.add_parser("demo", help="write a synthetic study group's posts and exports")
    demo.add_argument("--weeks", type=int, default=4, help="weeks to simulate (default 4)")
    demo.add_argument("--out", type=Path, default=Path("demo-out"), help="output directory")
    demo.add_argument("--seed", type=int, default=2027, help="random seed (default 2027)")
    sub.add_parser("sync", help="sync slash commands with Discord, then exit")
    return parser


def cmd_check(directory: Path | None) -> int:
    try:
        curriculum = load_curriculum(directory)
    except CurriculumError as exc:
        for issue in exc.issues:
            print(f"error: {issue}")
        print(f"{len(exc.issues)} error(s)")
        return 1
    for warning in curriculum.warnings:
        print(f"warning: {warning}")
    print(
        f"ok: {len(curriculum.weeks)} weeks, {len(curriculum.problems)} problems, "
        f"{len(curriculum.targets.milestones)} milestones, "
        f"{len(curriculum.warnings)} warning(s)"
    )
    return 0


def preview_text(curriculum: Curriculum, start: date, day: date, zone: ZoneInfo) -> str:
    phases = {w: curriculum.weeks[w].phase for w in curriculum.weeks}
    calendar = CohortCalendar(start=start, zone=zone, weeks=curriculum.week_count, phases=phases)
    pos = calendar.position(day)
    if not isinstance(pos, InProgram):
        return off_program_text(pos, day.isoformat(), curriculum.week_count, date.isoformat)
    phase = curriculum.phase(curriculum.week(pos.week).phase)
    header = (
        f"{day.isoformat()} ({day.strftime('%A')}) · week {pos.week} · "
        f"phase {phase.number} ({phase.title}) · {zone.key}"
    )
    posts = plan_day(pos, curriculum)
    return header + "\n\n" + "\n\n".join(render_post(p) for p in posts)


def _settings_or_exit(require_token: bool) -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        raise SystemExit(2) from None
    if require_token and (
        settings.discord_token is None or not settings.discord_token.get_secret_value()
    ):
        print(
            "DISCORD_TOKEN is not set: put your bot token in the environment or in .env "
            "(DISCORD_TOKEN=...).",
            file=sys.stderr,
        )
        raise SystemExit(2)
    return settings


def cmd_db_upgrade() -> int:
    from bot.db import apply_migrations

    settings = _settings_or_exit(require_token=False)
    url = settings.resolved_database_url()
    asyncio.run(apply_migrations(url))
    print(f"migrations applied ({url.split('://', 1)[0]})")
    return 0


def cmd_db_purge() -> int:
    from bot.core.clock import system_clock
    from bot.services.privacy import run_purge

    settings = _settings_or_exit(require_token=False)
    purged = asyncio.run(run_purge(settings.resolved_database_url(), system_clock()))
    print(f"purged {purged} server(s) the bot left over 30 days ago")
    return 0


def cmd_db_copy(target: str, source: str | None) -> int:
    from bot.db import normalise_url
    from bot.dbcopy import CopyError, copy_database

    settings = _settings_or_exit(require_token=False)
    source_url = normalise_url(source or settings.resolved_database_url())
    try:
        report = asyncio.run(copy_database(source_url, normalise_url(target)))
    except CopyError as exc:
        print(f"nothing copied: {exc}", file=sys.stderr)
        return 1
    for table, count in report.rows.items():
        print(f"{table:<20} {count:>9}")
    print(f"copied {report.total} rows; now set DATABASE_URL to the new database")
    return 0


def cmd_run(sync_only: bool = False) -> int:
    from bot.app import run_bot

    settings = _settings_or_exit(require_token=True)
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        curriculum = load_curriculum()
    except CurriculumError as exc:
        print(f"curriculum data is invalid: {exc.issues[0]}", file=sys.stderr)
        return 1
    asyncio.run(run_bot(settings, curriculum, sync_only=sync_only))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "curriculum":
        if args.curriculum_command == "check":
            return cmd_check(args.dir)
        try:
            curriculum = load_curriculum()
        except CurriculumError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        json.dump(curriculum.to_json_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if args.command == "preview":
        try:
            curriculum = load_curriculum()
        except CurriculumError as exc:
            print(str(exc), file=sys.stderr)
            return 1
        print(preview_text(curriculum, args.start, args.date, args.tz))
        return 0
    if args.command == "db":
        if args.db_command == "copy":
            return cmd_db_copy(args.to, args.source)
        return cmd_db_purge() if args.db_command == "purge" else cmd_db_upgrade()
    if args.command == "demo":
        from bot.demo import cmd_demo

        return cmd_demo(args.weeks, args.out, args.seed)
    if args.command == "sync":
        return cmd_run(sync_only=True)
    return cmd_run()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
