"""Synthetic cohorts and history, written fast with raw SQL (one transaction, ``executemany``).

Deterministic: the same arguments give the same rows (``random.Random(seed)``). The database
must already be migrated (``bot.db.apply_migrations``). Values follow what the logging
commands store: program week from the cohort's calendar, catalogue problems with their title,
difficulty and pattern, ``done`` items with their dedupe key, aware-UTC text timestamps.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.common import PROGRAM_START, PROGRAM_ZONE
from bench.rawsql import STAMP, Rows, guild_and_cohort, insert_rows, insert_sql, model_row, open_db
from bot.core import entries as rules
from bot.core.calendar import CohortCalendar, InProgram
from bot.models import Entry, Member
from curriculum.loader import Curriculum
from curriculum.problem_schema import Problem


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ZONES_24 = _words(
    """Pacific/Honolulu America/Anchorage America/Los_Angeles America/Denver America/Chicago
    America/New_York America/Sao_Paulo Atlantic/Azores Europe/London Europe/Berlin Europe/Athens
    Europe/Moscow Asia/Tehran Asia/Dubai Asia/Karachi Asia/Kolkata Asia/Kathmandu Asia/Dhaka
    Asia/Bangkok Asia/Shanghai Asia/Tokyo Australia/Adelaide Australia/Sydney Pacific/Auckland
    """
)
ENTRY_COLUMNS = _words(
    """member_id cohort_id kind local_date week created_at source dedupe_key problem_key
    problem_number problem_slug problem_title difficulty minutes language mode pattern text lesson
    mock_kind rating platform percentile contest_name rank solved_count reviewed new_cards
    mature_total item_id"""
)


_ENTRY_EXTRA = {
    c: v
    for c, v in model_row(Entry, **dict.fromkeys(ENTRY_COLUMNS)).items()
    if c not in ENTRY_COLUMNS
}
# Weighted choices as pools (rng.choices is slow): mostly Python, mostly unguided.
_LANGUAGES = ["python"] * 8 + ["cpp"] * 2 + ["other"]
_MODES = ["guided"] * 2 + ["unguided"] * 10 + ["timed"] * 3 + ["contest", "revisit", "revisit"]
assert set(_LANGUAGES) == set(rules.LANGUAGES) and set(_MODES) == set(rules.MODES)


@dataclass(frozen=True)
class Shape:
    """Entries per member over the whole history (~300 solves and the rest, 16 weeks)."""

    solves: int = 300
    oops: int = 40
    mocks: int = 12
    contests: int = 10
    anki: int = 100
    done: int = 30
    ledger: int = 48
    wins: int = 16

    @property
    def total(self) -> int:
        return sum(asdict(self).values())

    def scaled(self, total: int) -> Shape:
        """The same mix with exactly ``total`` entries (solves take the rounding)."""
        factor = total / self.total
        counts = {k: int(v * factor) for k, v in asdict(self).items()}
        counts["solves"] += total - sum(counts.values())
        return Shape(**counts)


@dataclass(frozen=True)
class SeededCohort:
    cohort_id: int
    guild_pk: int
    guild_id: int  # Discord snowflake
    channel_id: int
    member_ids: tuple[int, ...]
    user_ids: tuple[int, ...]
    entries: int


@dataclass(frozen=True)
class _Day:
    iso: str  # the local date
    week: int | None
    stamps: tuple[str, ...]  # created_at values: every 10 minutes from 07:00 to 21:50 local


def calendar_of(start: date, zone: str, curriculum: Curriculum) -> CohortCalendar:
    phases = {n: w.phase for n, w in curriculum.weeks.items()}
    return CohortCalendar(start, ZoneInfo(zone), curriculum.week_count, (), phases)


def _days(calendar: CohortCalendar, first: date, last: date) -> list[_Day]:
    out: list[_Day] = []
    day = first
    while day <= last:
        pos = calendar.position(day)
        noon = datetime.combine(day, time(12), tzinfo=calendar.zone)
        midnight = datetime.combine(day, time()) - (noon.utcoffset() or timedelta())
        stamps = tuple(
            f"{midnight + timedelta(minutes=m):%Y-%m-%d %H:%M:%S}+00:00"
            for m in range(7 * 60, 22 * 60, 10)
        )
        out.append(_Day(day.isoformat(), pos.week if isinstance(pos, InProgram) else None, stamps))
        day += timedelta(days=1)
    return out


def _problem(p: Problem) -> dict[str, Any]:
    return {
        "problem_key": str(p.number),
        "problem_number": p.number,
        "problem_slug": p.slug,
        "problem_title": p.title,
        "difficulty": p.difficulty.value,
        "pattern": p.pattern,
    }


def member_rows(
    rng: random.Random,
    curriculum: Curriculum,
    member_id: int,
    cohort_id: int,
    days: list[_Day],
    shape: Shape,
) -> Rows:
    """One member's history: exactly ``shape.total`` entry rows, dated inside ``days``."""
    rows: Rows = {}
    problems = [curriculum.problems[n] for n in sorted(curriculum.problems)]
    last_week = max((d.week for d in days if d.week), default=1)
    items = [
        d.id
        for n in sorted(curriculum.weeks)
        if n <= last_week
        for d in curriculum.weeks[n].deliverables
    ]
    done = rng.sample(items, min(shape.done, len(items)))

    fixed = {"member_id": member_id, "cohort_id": cohort_id, "source": "command", **_ENTRY_EXTRA}

    def add(kind: str, **values: Any) -> None:
        # Only the non-null columns: binding None is slow in sqlite3 (it goes through adapters).
        d = days[int(rng.random() * len(days))]
        stamp = d.stamps[int(rng.random() * len(d.stamps))]
        row = {**fixed, "kind": kind, "local_date": d.iso, "week": d.week, "created_at": stamp}
        row.update(values)
        present = {k: v for k, v in row.items() if v is not None}
        rows.setdefault(tuple(present), []).append(tuple(present.values()))

    for _ in range(shape.solves + shape.done - len(done)):
        if rng.random() < 0.9:
            p = rng.choice(problems)
            ref = _problem(p)
        else:
            number = rng.randint(1, rules.MAX_PROBLEM_NUMBER)
            ref = {"problem_key": str(number), "problem_number": number}
            ref["difficulty"] = rng.choice(list(rules.DIFFICULTIES))
        add(
            "solve",
            minutes=5 + int(rng.random() * 86),
            language=_LANGUAGES[int(rng.random() * len(_LANGUAGES))],
            mode=_MODES[int(rng.random() * len(_MODES))],
            text="remember the invariant" if rng.random() < 0.2 else None,
            **ref,
        )
    for i in range(shape.oops):
        ref = _problem(rng.choice(problems))
        ref.pop("difficulty")
        add("oops", text=f"off-by-one #{i}", lesson="check the loop bounds", **ref)
    for _ in range(shape.mocks):
        add(
            "mock",
            mock_kind=rng.choice(list(rules.MOCK_KINDS)),
            rating=rng.choice(list(rules.RATINGS)),
            platform=rng.choice(list(rules.PLATFORMS)),
        )
    for i in range(shape.contests):
        add(
            "contest",
            percentile=round(rng.uniform(1, 90), 2),
            contest_name=f"Weekly {400 + i}",
            rank=rng.randint(100, 30_000),
            solved_count=rng.randint(0, 4),
        )
    for _ in range(shape.anki):
        add(
            "anki",
            reviewed=rng.randint(0, 300),
            new_cards=rng.randint(0, 30),
            mature_total=rng.randint(0, 3000),
        )
    for item in done:
        add("done", item_id=item, dedupe_key=f"done:{item}")
    for i in range(shape.ledger):
        add("ledger", text=f"ledger line {i}: why the two-pointer invariant holds")
    for i in range(shape.wins):
        add("win", text=f"win {i}: first hard problem without hints")
    return rows


@dataclass(frozen=True)
class SeedPlan:
    """The ids and program days a seeded cohort gets (SQLite and PostgreSQL seeding alike)."""

    guild_id: int
    channel_id: int
    users: list[int]
    days: list[_Day]

    @classmethod
    def of(
        cls,
        curriculum: Curriculum,
        members: int,
        seed: int,
        guild_id: int | None,
        channel_id: int | None,
        user_ids: list[int] | None,
        start: date,
        zone: str,
        last: date | None,
    ) -> SeedPlan:
        guild = guild_id or 10**17 + seed * 1000
        users = user_ids or [2 * 10**17 + seed * 10**6 + i for i in range(members)]
        if len(users) != members:
            raise ValueError("need one user id per member")
        calendar = calendar_of(start, zone, curriculum)
        days = _days(calendar, calendar.program_start, last or calendar.end_date)
        return cls(guild, channel_id or guild + 1, users, days)


def seed_cohort(
    path: Path,
    curriculum: Curriculum,
    *,
    members: int,
    seed: int = 1,
    guild_id: int | None = None,
    channel_id: int | None = None,
    user_ids: list[int] | None = None,
    zone: str = PROGRAM_ZONE,
    start: date = PROGRAM_START,
    last: date | None = None,
    shape: Shape | None = None,
) -> SeededCohort:
    """One cohort of ``members`` members with history from week 1 to ``last`` (default: the
    program's last day); ``shape`` entries per member (default :class:`Shape`)."""
    plan = SeedPlan.of(curriculum, members, seed, guild_id, channel_id, user_ids, start, zone, last)
    rng, shape = random.Random(seed), shape or Shape()
    guild_id, channel_id, users, days = plan.guild_id, plan.channel_id, plan.users, plan.days
    conn = open_db(path)
    try:
        conn.execute("BEGIN")
        guild_pk, cohort_id = guild_and_cohort(conn, guild_id, channel_id, start, zone)
        people = [
            model_row(
                Member, user_id=u, display_name=f"member{i}", cohort_id=cohort_id, guild_id=guild_pk
            )
            for i, u in enumerate(users)
        ]
        conn.executemany(insert_sql("member", people[0]), [tuple(r.values()) for r in people])
        member_ids = [
            r[0]
            for r in conn.execute(
                'SELECT "id" FROM "member" WHERE "cohort_id" = ? ORDER BY "id"', (cohort_id,)
            )
        ]
        count = 0
        for member_id in member_ids:
            count += insert_rows(
                conn, "entry", member_rows(rng, curriculum, member_id, cohort_id, days, shape)
            )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return SeededCohort(
        cohort_id, guild_pk, guild_id, channel_id, tuple(member_ids), tuple(users), count
    )


def seed_cohorts(
    path: Path, count: int, *, seed: int = 7, zones: tuple[str, ...] = ZONES_24, today: date
) -> list[int]:
    """``count`` cohorts (one guild each, no members) spread over ``zones``, at every program
    week on ``today`` (start Mondays 0–15 weeks back), varied post times, some paused."""
    rng = random.Random(seed)
    monday = today - timedelta(days=today.weekday())
    ids: list[int] = []
    conn = open_db(path)
    try:
        conn.execute("BEGIN")
        pauses = []
        for i in range(count):
            weeks_back = i % 16
            start = monday - timedelta(weeks=weeks_back)
            guild_id = 3 * 10**17 + seed * 10**6 + i
            _, cohort_id = guild_and_cohort(
                conn,
                guild_id,
                guild_id + 10**12,
                start,
                zones[i % len(zones)],
                block_a_time=f"{rng.randint(5, 8):02d}:{rng.choice((0, 30)):02d}",
                block_b_time=f"{rng.randint(17, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}",
                weekend_time=rng.choice(("09:00", "10:00", "11:30")),
                recap_weekday=rng.choice(("sat", "sun")),
            )
            ids.append(cohort_id)
            if i % 10 == 0 and 3 <= weeks_back < 15:  # a past holiday: three days, one week
                first = start + timedelta(weeks=1, days=2)
                pauses.append(
                    (first.isoformat(), (first + timedelta(days=2)).isoformat(), STAMP, cohort_id)
                )
        columns = ("start_date", "end_date", "created_at", "cohort_id")
        conn.executemany(insert_sql("cohort_pause", columns), pauses)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return ids
