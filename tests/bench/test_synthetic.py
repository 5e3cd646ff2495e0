"""bench.synthetic: deterministic, the requested amounts, rows the bot reads back."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from bench.common import NOW
from bench.synthetic import ZONES_24, Shape, calendar_of, seed_cohort, seed_cohorts
from bot.core.calendar import InProgram, Pause, local_date
from bot.db import apply_migrations, close_db, init_db
from bot.models import Cohort, Entry
from bot.services.progress import solve_rows
from curriculum.loader import Curriculum


async def _migrated(path: Path) -> Path:
    await apply_migrations(f"sqlite://{path}")
    return path


def _entries(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT * FROM entry ORDER BY id").fetchall()


def test_shape_scales_to_an_exact_total() -> None:
    assert Shape().scaled(500).total == 500
    assert Shape().scaled(25).total == 25
    assert Shape().solves >= 300


async def test_same_seed_same_rows(tmp_path: Path, curriculum: Curriculum) -> None:
    a = await _migrated(tmp_path / "a.sqlite3")
    b = await _migrated(tmp_path / "b.sqlite3")

    seed_cohort(a, curriculum, members=3, seed=5)
    seed_cohort(b, curriculum, members=3, seed=5)

    assert _entries(a) == _entries(b)


async def test_history_has_every_kind_in_the_requested_amounts(
    tmp_path: Path, curriculum: Curriculum
) -> None:
    path = await _migrated(tmp_path / "h.sqlite3")

    seeded = seed_cohort(path, curriculum, members=4, seed=3)

    shape = Shape()
    assert seeded.entries == 4 * shape.total == len(_entries(path))
    with sqlite3.connect(path) as conn:
        kinds = Counter(dict(conn.execute("SELECT kind, COUNT(*) FROM entry GROUP BY kind")))
        per_member = conn.execute("SELECT COUNT(*) FROM entry GROUP BY member_id").fetchall()
        rows = conn.execute("SELECT local_date, week FROM entry").fetchall()
    assert set(kinds) == {"solve", "oops", "mock", "contest", "anki", "done", "ledger", "win"}
    assert kinds["solve"] + kinds["done"] == 4 * (shape.solves + shape.done)
    assert kinds["oops"] == 4 * shape.oops and kinds["win"] == 4 * shape.wins
    assert {n for (n,) in per_member} == {shape.total}
    calendar = calendar_of(date(2027, 1, 4), "Europe/Berlin", curriculum)
    weeks = {w for _, w in rows}
    assert weeks == set(range(1, 17))  # 16 weeks of history
    for day, week in rows[:500]:
        pos = calendar.position(date.fromisoformat(day))
        assert isinstance(pos, InProgram) and pos.week == week


async def test_the_bot_reads_the_seeded_rows(tmp_path: Path, curriculum: Curriculum) -> None:
    path = await _migrated(tmp_path / "r.sqlite3")
    seeded = seed_cohort(path, curriculum, members=2, seed=9, last=date(2027, 2, 3))

    await init_db(f"sqlite://{path}", migrate=False)
    try:
        rows = await solve_rows(seeded.member_ids[0])
        entry = await Entry.filter(member_id=seeded.member_ids[0]).first()
        cohort = await Cohort.get(id=seeded.cohort_id)
    finally:
        await close_db()

    assert rows and all(r.local_date <= date(2027, 2, 3) for r in rows)
    assert entry is not None and entry.created_at.tzinfo is not None
    assert cohort.timezone == "Europe/Berlin" and cohort.start_date == date(2027, 1, 4)


async def test_many_cohorts_spread_over_24_zones_all_in_program(
    tmp_path: Path, curriculum: Curriculum
) -> None:
    path = await _migrated(tmp_path / "c.sqlite3")

    ids = seed_cohorts(path, 48, today=NOW.date())

    assert len(ids) == 48 and len(ZONES_24) == 24
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT id, timezone, start_date FROM cohort").fetchall()
        pauses = conn.execute("SELECT cohort_id, start_date, end_date FROM cohort_pause").fetchall()
    assert {zone for _, zone, _ in rows} == set(ZONES_24)
    assert pauses  # some cohorts had a holiday
    for cohort_id, zone, start in rows:
        own = tuple(
            Pause(date.fromisoformat(a), date.fromisoformat(b))
            for c, a, b in pauses
            if c == cohort_id
        )
        calendar = replace(calendar_of(date.fromisoformat(start), zone, curriculum), pauses=own)
        assert isinstance(calendar.position(local_date(NOW, calendar.zone)), InProgram)
