"""`coach db copy`: every row of a SQLite database lands in PostgreSQL (or another SQLite)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.db import apply_migrations, close_db, init_db
from bot.dbcopy import CopyError, copy_database
from bot.models import Buddy, Entry, OopsReview, Post
from bot.services.reviews import schedule_ladder
from tests.conftest import PG_URL, _pg_exec, _with_db
from tests.helpers import join, make_cohort


async def _fill(url: str) -> dict[str, object]:
    await init_db(url, migrate=True)
    try:
        cohort = await make_cohort(1, 2)
        alice, bob = await join(cohort, 10), await join(cohort, 11)
        now = datetime(2027, 2, 3, 18, tzinfo=UTC)
        for i in range(1200):  # more than one batch
            await Entry.create(
                member=alice,
                cohort=cohort,
                kind="solve",
                local_date=date(2027, 2, 3),
                week=5,
                created_at=now,
                problem_key=str(i),
                difficulty="easy",
                minutes=i % 600 + 1,
            )
        oops = await Entry.create(
            member=bob,
            cohort=cohort,
            kind="oops",
            local_date=date(2027, 2, 3),
            week=5,
            created_at=now,
            text="ünïcode @everyone",
            lesson="l",
        )
        await schedule_ladder(oops, now)
        await Buddy.create(requester=alice, partner=bob, created_at=now, status="active")
        await Post.create(
            cohort=cohort,
            local_date=date(2027, 2, 3),
            slot="block_a",
            status="sent",
            due_at=now,
            nonce="n",
            claimed_at=now,
        )
        return {"entries": await Entry.all().count(), "text": oops.text}
    finally:
        await close_db()


async def _check(url: str, expected: dict[str, object]) -> None:
    await init_db(url, migrate=False)
    try:
        assert await Entry.all().count() == expected["entries"]
        oops = await Entry.get(kind="oops")
        assert oops.text == expected["text"] and oops.created_at.tzinfo is not None
        assert await OopsReview.filter(entry=oops).count() == 4
        assert (await Buddy.get()).status == "active"
        # new rows get fresh ids after the copied ones
        cohort = await oops.cohort
        post = await Post.create(
            cohort=cohort,
            local_date=date(2027, 2, 4),
            slot="block_a",
            status="sent",
            due_at=oops.created_at,
            nonce="m",
            claimed_at=oops.created_at,
        )
        assert post.id > 1
    finally:
        await close_db()


async def test_copy_sqlite_to_postgres_or_sqlite(tmp_path: Path) -> None:
    source = f"sqlite://{tmp_path / 'source.sqlite3'}"
    expected = await _fill(source)
    if PG_URL:
        name = f"coach_copy_{uuid.uuid4().hex[:10]}"
        await _pg_exec(PG_URL, f'CREATE DATABASE "{name}"')
        target = _with_db(PG_URL, name)
    else:
        target = f"sqlite://{tmp_path / 'target.sqlite3'}"
    try:
        report = await copy_database(source, target)
        assert report.rows["entry"] == expected["entries"] and report.rows["oops_review"] == 4
        await _check(target, expected)
        with pytest.raises(CopyError, match="already has rows"):
            await copy_database(source, target)
    finally:
        if PG_URL:
            await _pg_exec(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_copy_refuses_the_same_database(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'db.sqlite3'}"
    await apply_migrations(url)
    with pytest.raises(CopyError, match="same database"):
        await copy_database(url, url)


def test_cli_db_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import asyncio

    from bot.cli import main

    source = f"sqlite://{tmp_path / 'a.sqlite3'}"
    target = f"sqlite://{tmp_path / 'b.sqlite3'}"
    asyncio.run(_fill(source))

    assert main(["db", "copy", "--from", source, "--to", target]) == 0
    assert "copied" in capsys.readouterr().out
    assert main(["db", "copy", "--from", source, "--to", target]) == 1
    assert "already has rows" in capsys.readouterr().err
