"""``coach db upgrade|purge|copy|backup``: the database tools."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from bot.cli.support import load_settings, run
from bot.core.text import plural
from bot.failures import ConfigError, DatabaseUnavailable
from bot.settings import check_database_url


def cmd_db_upgrade() -> int:
    from bot.db import apply_migrations, describe_url

    settings = load_settings()
    url = settings.resolved_database_url()
    applied = run(apply_migrations(url))
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
    purged = run(run_purge(settings.resolved_database_url(), system_clock()))
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
        report = run(copy())
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
