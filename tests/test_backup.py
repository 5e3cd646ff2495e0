"""Backups: consistent while the bot writes, restorable, rotated; pg_dump for PostgreSQL."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.backup import BackupError, DailyBackup, backup_sqlite, pg_dump_command
from bot.cli import main
from bot.core.clock import FixedClock
from bot.db import pending_migrations, sqlite_path
from bot.models import GuildConfig


@pytest.mark.sqlite  # the SQLite online backup is what is tested
async def test_a_backup_taken_during_writes_has_every_committed_row(
    db: str, tmp_path: Path
) -> None:
    source = sqlite_path(db)
    committed: list[int] = []
    goal = {"rows": 200}
    reached = asyncio.Event()

    async def writer() -> None:
        n = 0
        while goal["rows"]:
            n += 1
            await GuildConfig.create(guild_id=n)  # one transaction per row
            committed.append(n)
            if len(committed) >= goal["rows"]:
                reached.set()

    task = asyncio.create_task(writer())
    await reached.wait()
    before = set(committed)  # committed before the backup began
    reached.clear()
    goal["rows"] = len(before) + 100  # the writer goes on during and after the backup
    target = tmp_path / "backup.sqlite3"
    await asyncio.to_thread(backup_sqlite, source, target)
    await reached.wait()
    goal["rows"] = 0
    await task

    restored = tmp_path / "restored.sqlite3"
    shutil.copyfile(target, restored)  # a restore is putting the file back
    conn = sqlite3.connect(restored)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = {r for (r,) in conn.execute("SELECT guild_id FROM guild_config")}
    finally:
        conn.close()
    assert before <= rows  # every row committed before the backup
    assert rows == set(range(1, len(rows) + 1))  # a consistent prefix: nothing half written
    assert rows <= set(committed)
    assert await pending_migrations(f"sqlite://{restored}") == []  # ready to run on


def test_a_missing_source_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no SQLite database"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "copy.db")
    assert not (tmp_path / "missing.db").exists() and not (tmp_path / "copy.db").exists()


async def test_daily_backups_are_rotated(tmp_path: Path) -> None:
    source = tmp_path / "live.sqlite3"
    sqlite3.connect(source).close()
    clock = FixedClock(datetime(2027, 2, 1, 3, 45, tzinfo=UTC))
    daily = DailyBackup(source, tmp_path / "backups", keep=7, clock=clock)
    for day in range(10):
        clock.set(datetime(2027, 2, 1, 3, 45, tzinfo=UTC) + timedelta(days=day))
        await daily.run()
    await daily.run()  # twice on one day: the day's file is replaced, not added
    names = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert names == [f"studycoach-2027-02-{d:02d}.sqlite3" for d in range(4, 11)]


def test_cli_backup_of_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    (tmp_path / "out").mkdir()
    assert main(["db", "backup", str(tmp_path / "out")]) == 0
    (written,) = (tmp_path / "out").iterdir()
    assert written.name.startswith("studycoach-") and str(written) in capsys.readouterr().out
    assert main(["db", "backup", str(written)]) == 2  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_cli_backup_of_postgres_prints_pg_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgres://coach:s3cret@db.internal:5433/studycoach")
    assert main(["db", "backup", "coach.dump"]) == 0
    out = capsys.readouterr().out
    assert (
        "pg_dump --format=custom --file=coach.dump --host=db.internal --port=5433 "
        "--username=coach studycoach" in out
    )
    assert "s3cret" not in out
    assert pg_dump_command("postgres://u@h/d", "x").startswith("pg_dump")
