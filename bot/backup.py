"""Backups: ``coach db backup PATH`` and the optional daily SQLite backup (``BACKUP_DIR``).

SQLite is copied with its online backup API (``sqlite3.Connection.backup``) from a separate
connection: the copy is one consistent snapshot even while the bot writes (WAL mode lets the
writer go on; the copy holds every transaction committed before it started and none half).
The copy goes to a temporary file next to the target and is renamed into place when
complete, so a crash never leaves a truncated backup under the real name.

PostgreSQL is not copied here: ``pg_dump`` does that properly, and
:func:`pg_dump_command` prints the command for the configured database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shlex
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

log = logging.getLogger(__name__)

PREFIX = "studycoach-"
SUFFIX = ".sqlite3"


class BackupError(Exception):
    """The backup could not be written; nothing was left under the target's name."""


def sqlite_file(url: str) -> Path | None:
    """The file of a ``sqlite://`` URL (``None`` for other databases)."""
    if not url.startswith("sqlite://"):
        return None
    return Path(url[len("sqlite://") :])


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy the SQLite database ``source`` to ``target`` (a new file); its size in bytes.

    Never creates ``source``. Raises :class:`BackupError` with a one-line reason.
    """
    if not source.is_file():
        raise BackupError(f"there is no SQLite database at {source}")
    tmp = target.with_name(f".{target.name}.partial")
    try:
        src = sqlite3.connect(f"file:{source}?mode=rw", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise BackupError(f"can't open {source}: {exc}") from exc
    try:
        tmp.unlink(missing_ok=True)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # all pages in one step: one consistent snapshot
            (result,) = dst.execute("PRAGMA quick_check").fetchone()
            if result != "ok":
                raise BackupError(f"the copy failed its integrity check: {result}")
        finally:
            dst.close()
        os.replace(tmp, target)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise BackupError(f"can't write {target}: {getattr(exc, 'strerror', None) or exc}") from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    return target.stat().st_size


def pg_dump_command(url: str, target: str) -> str:
    """The ``pg_dump`` command that backs up a PostgreSQL URL (the password is left out)."""
    parts = urlsplit(url)
    args = ["pg_dump", "--format=custom", f"--file={target}"]
    if parts.hostname:
        args.append(f"--host={parts.hostname}")
    if parts.port:
        args.append(f"--port={parts.port}")
    if parts.username:
        args.append(f"--username={unquote(parts.username)}")
    args.append(unquote(parts.path.lstrip("/")) or "postgres")
    command = " ".join(shlex.quote(a) for a in args)
    if parts.password:
        command = f"PGPASSWORD=… {command}"
    return command


def backup_name(moment: datetime) -> str:
    """One file per UTC day: ``studycoach-2027-02-03.sqlite3``."""
    return f"{PREFIX}{moment:%Y-%m-%d}{SUFFIX}"


def rotate(directory: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest daily backups in ``directory``; the deleted ones."""
    backups = sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())
    old = backups[: max(0, len(backups) - keep)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


@dataclass
class DailyBackup:
    """The daily SQLite backup into ``directory``, keeping the ``keep`` newest."""

    source: Path
    directory: Path
    keep: int
    clock: Callable[[], datetime]

    async def run(self) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / backup_name(self.clock())
        size = await asyncio.to_thread(backup_sqlite, self.source, target)
        removed = rotate(self.directory, self.keep)
        log.info(
            "backed up the database to %s (%d bytes); %d old backup(s) removed",
            target,
            size,
            len(removed),
        )
        return target
