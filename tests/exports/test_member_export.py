"""bot.services.export: the data behind /export, read with a bounded number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bench.queries import count_queries
from bot.models import Cohort, Entry, Member
from bot.services.cohorts import cohort_calendar, post_times
from bot.services.export import (
    FILE_NAMES,
    Part,
    cohort_rows,
    finished_weeks,
    member_export,
    program_goals,
    render_member_files,
)
from bot.services.reviews import schedule_ladder
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

NOW = datetime(2027, 1, 27, 12, tzinfo=UTC)  # Wednesday of week 4 in Berlin
KINDS = ("solve", "oops", "ledger", "anki", "card", "done", "win", "mock", "contest")


async def _log(member: Member, cohort: Cohort, n: int, first: int = 0) -> None:
    for i in range(first, first + n):
        kind = KINDS[i % len(KINDS)]
        day = date(2027, 1, 4) + timedelta(days=i % 23)
        values: dict[str, object] = {
            "solve": {"problem_key": str(1000 + i), "problem_number": 1000 + i,
                      "difficulty": "medium", "minutes": 20},
            "oops": {"text": f"oops {i}", "lesson": f"lesson {i}"},
            "anki": {"reviewed": 10, "mature_total": i},
            "done": {"item_id": "w1-anki-5", "dedupe_key": f"done:{i}"},
            "mock": {"mock_kind": "dsa", "rating": "hire"},
            "contest": {"percentile": 30.0 + i},
        }.get(kind, {"text": f"{kind} {i}"})  # fmt: skip
        entry = await Entry.create(
            member=member,
            cohort=cohort,
            kind=kind,
            local_date=day,
            week=(day - date(2027, 1, 4)).days // 7 + 1,
            created_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            **values,
        )
        if kind == "oops":
            await schedule_ladder(entry, entry.created_at)


async def test_queries_do_not_grow_with_entries(db: str, curriculum: Curriculum) -> None:
    cohort = await make_cohort(1, 2)
    member = await join(cohort, 10)
    await _log(member, cohort, 5)
    with count_queries() as few:
        small = await member_export(1, member, cohort, curriculum, NOW)
    await _log(member, cohort, 60, first=5)
    with count_queries() as many:
        big = await member_export(1, member, cohort, curriculum, NOW)

    assert (len(small.data.entries), len(big.data.entries)) == (5, 65)
    assert many.total == few.total
    assert few.total <= 60  # 3 finished weeks of recaps + milestones, a few reads besides
    assert len(big.data.recaps) == 3
    oops = [e for e in big.data.entries if e.kind == "oops"]
    assert oops and all(e.review_state and e.review_state.startswith("due ") for e in oops)


async def test_export_fields_and_files(db: str, curriculum: Curriculum) -> None:
    cohort = await make_cohort(7, 8, name="Evening crew")
    member = await join(cohort, 70)
    member.display_name, member.timezone = "Zoë", "Asia/Tokyo"
    await member.save()
    await Entry.create(
        member=member,
        cohort=cohort,
        kind="solve",
        local_date=date(2027, 1, 5),
        week=1,
        created_at=NOW - timedelta(days=22),
        problem_key="some-slug",
        problem_slug="some-slug",
        difficulty="easy",
        minutes=5,
        source="leetcode",
    )
    bundle = await member_export(7, member, cohort, curriculum, NOW)

    data = bundle.data
    assert (data.guild_id, data.user_id, data.display_name) == (7, 70, "Zoë")
    assert (data.timezone, data.cohort_name, data.generated_at) == ("Asia/Tokyo", cohort.name, NOW)
    (row,) = data.entries
    assert (row.problem_title, row.problem_label, row.imported) == ("some-slug", "some-slug", True)
    assert bundle.today == date(2027, 1, 27)
    files = render_member_files(bundle, curriculum)
    assert [n for n, _ in files] == list(FILE_NAMES.values())
    assert all(len(b) > 100 for _, b in files)
    assert [n for n, _ in render_member_files(bundle, curriculum, Part.JSON)] == [
        "studycoach-export.json"
    ]


async def test_goals_and_finished_weeks(db: str, curriculum: Curriculum) -> None:
    goals = program_goals(curriculum, 3)
    assert goals[0] == f"Program: {curriculum.program.goal}"
    assert goals[1].startswith("Week 1 · Bootstrap & Habits: ")
    assert "Week 3 · Python OOP + FlashCard CLI" in goals  # a week without goals: its title
    assert not any(g.startswith("Week 4") for g in goals)

    cohort = await make_cohort(3, 4, recap_weekday="sat", recap_time="18:30")
    calendar, times = await cohort_calendar(cohort, curriculum), post_times(cohort)
    saturday = datetime(2027, 1, 9, 17, 30, tzinfo=UTC)  # 18:30 in Berlin: the recap is due
    assert finished_weeks(calendar, times, saturday - timedelta(seconds=1)) == []
    assert finished_weeks(calendar, times, saturday) == [1]
    assert finished_weeks(calendar, times, NOW + timedelta(days=200)) == list(range(1, 17))


async def test_cohort_rows_take_two_queries(db: str, curriculum: Curriculum) -> None:
    cohort = await make_cohort(5, 6)
    for user in (50, 51):
        member = await join(cohort, user)
        member.display_name = f"m{user}"
        await member.save()
        await _log(member, cohort, 12)
    other = await make_cohort(5, 6, name="other")
    await _log(await join(other, 52), other, 3)

    with count_queries() as counted:
        rows = await cohort_rows(cohort, curriculum)

    assert counted.total == 2
    assert len(rows) == 24 and {m for m, _ in rows} == {"m50", "m51"}
    assert [e.local_date for _, e in rows] == sorted(e.local_date for _, e in rows)
