"""Figure 5 — export: a member's whole ``/export`` at 5,000 and at 50,000 entries.

Two members with synthetic history (every kind of entry over 16 weeks) on a SQLite file
(``export``) or a PostgreSQL scratch database (``pg-export``, :mod:`bench.fig_pg`). For each,
what ``/export`` does before it uploads: read the goals, recaps and milestones
(``member_export``), stream every entry in batches into the five files on disk
(``write_member_files``), and fit them into Discord's upload limit (``bundle.pack``).

* memory: the peak of Python's traced allocations (``tracemalloc``) during that export, for
  both sizes in the same run — ten times the entries must hold about the same memory;
* time: the same export untraced, and entries per second.
"""

from __future__ import annotations

import shutil
import tempfile
import tracemalloc
from pathlib import Path
from time import perf_counter
from typing import Any

from bench.backends import Database, SQLiteDatabase
from bench.common import MB, NOW
from bench.report import Figure, Metric, at_most
from bench.synthetic import Shape
from bot.db import close_db, init_db
from bot.exports.bundle import UPLOAD_LIMIT, pack
from bot.models import Cohort, Member
from bot.services.export import member_export
from bot.services.export_files import Part, write_member_files
from curriculum.loader import Curriculum, load_curriculum

FLAT_TARGET = 1.5  # peak at ten times the entries ÷ peak at the smaller size
PEAK_TARGET_MB = 64.0  # the larger export's traced peak


async def _export(member: Member, cohort: Cohort, curriculum: Curriculum, workdir: Path) -> Any:
    bundle = await member_export(1, member, cohort, curriculum, NOW)
    files = await write_member_files(bundle, curriculum, Part.ALL, workdir)
    size = sum(f.size for f in files)
    packed = pack(files, workdir, limit=UPLOAD_LIMIT)
    return bundle.entries, size, len(packed.messages)


async def _one(member_id: int, curriculum: Curriculum, tmp: Path, traced: bool) -> dict[str, Any]:
    member = await Member.get(id=member_id).select_related("cohort")
    cohort = member.cohort
    assert cohort is not None
    workdir = Path(tempfile.mkdtemp(dir=tmp))
    try:
        if traced:
            tracemalloc.start()
        started = perf_counter()
        entries, size, messages = await _export(member, cohort, curriculum, workdir)
        seconds = perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else None
    finally:
        if traced:
            tracemalloc.stop()
        shutil.rmtree(workdir)
    return {"entries": entries, "bytes": size, "messages": messages, "s": seconds, "peak": peak}


async def measure(
    name: str, sizes: tuple[int, int], db: Database, tmp: Path, *, quick: bool
) -> Figure:
    small, large = sizes
    curriculum = load_curriculum()
    await db.migrate()
    started = perf_counter()
    seeded = {
        n: await db.seed(curriculum, members=1, seed=i, shape=Shape().scaled(n))
        for i, n in enumerate(sizes, 1)
    }
    d: dict[str, Any] = {"database": db.label, "seed_s": perf_counter() - started}
    await init_db(db.url, migrate=False)
    try:
        ids = {n: s.member_ids[0] for n, s in seeded.items()}
        await _one(ids[small], curriculum, tmp, traced=False)  # warm-up: imports, caches
        for n, member_id in ids.items():
            d[f"run_{n}"] = await _one(member_id, curriculum, tmp, traced=False)
            d[f"traced_{n}"] = await _one(member_id, curriculum, tmp, traced=True)
    finally:
        await close_db()
    few, many = d[f"traced_{small}"]["peak"] / MB, d[f"traced_{large}"]["peak"] / MB
    run = d[f"run_{large}"]
    metrics = [
        Metric(f"entries exported ({small:,} / {large:,})", run["entries"]),
        Metric(f"files for {large:,} entries (before packing)", run["bytes"] / MB, "MB"),
        Metric(f"messages to send them (≤ {UPLOAD_LIMIT // 2**20} MiB each)", run["messages"]),
        Metric(f"export of {large:,} entries", run["s"], "s"),
        Metric("entries exported per second", run["entries"] / run["s"], "/s"),
        Metric(f"traced memory peak, {small:,} entries", few, "MB"),
        at_most(f"traced memory peak, {large:,} entries", many, "MB", PEAK_TARGET_MB),
        at_most(f"peak {large:,} ÷ peak {small:,} entries", many / few, "x", FLAT_TARGET),
    ]
    summary = (
        f"{name}: /export of {large:,} entries ({run['bytes'] / MB:.0f} MB of files, "
        f"{run['messages']} messages) in {run['s']:.1f} s; traced memory peak {many:.1f} MB vs "
        f"{few:.1f} MB at {small:,} entries = {many / few:.2f}× (target ≤ {FLAT_TARGET}×, "
        f"≤ {PEAK_TARGET_MB:.0f} MB) ({db.label})"
    )
    if quick:
        d["note"] = "quick: smaller sizes; the numbers only prove the figure runs"
    return Figure(name, "ok", summary, metrics, d)


def sizes_of(quick: bool) -> tuple[int, int]:
    return (2_000, 8_000) if quick else (5_000, 50_000)


async def run(quick: bool, profile: Path | None = None) -> Figure:
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        db = SQLiteDatabase(Path(tmp) / "export.sqlite3")
        return await measure("export", sizes_of(quick), db, Path(tmp), quick=quick)
