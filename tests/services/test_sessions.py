"""Study sessions in the database: the Done form's solves exactly once under truly concurrent
submits (both backends), the recap's and leaderboard's session numbers from one aggregate
each, a done block as streak activity, and /forget-me removing every session row."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.focus import parse_routine
from bot.errors import UserFacingError
from bot.models import Entry, Member
from bot.render.channel_recap import channel_sections, member_line
from bot.render.member_recap import member_recap_lines
from bot.services import attendance as att
from bot.services.focus import start_timer
from bot.services.privacy import SINGULAR, TABLE_LABELS, coach_models, forget_member, references
from bot.services.progress import active_days, member_context
from bot.services.recap import cohort_week_report
from bot.services.standings import Board, Period, leaderboard
from bot.services.study_rooms import Room as VoiceRoom
from bot.services.voice import CohortClock, close_session, cohort_clock, start_session, studiers
from bot.sessions.models import BlockAttendance, VoiceDay, VoiceSession
from curriculum.loader import Curriculum
from tests.conftest import on_both_backends
from tests.helpers import join, make_cohort

GUILD = 1 << 22
WED = datetime(2027, 2, 3, 6, 30, tzinfo=UTC)  # Wed of week 5, Block-A (LC 347 and 49)


async def _people(n: int) -> tuple[object, list[Member]]:
    cohort = await make_cohort(GUILD, 2)
    members = []
    for i in range(n):
        member = await join(cohort, 100 + i)
        member.display_name = f"m{i}"
        await member.save()
        members.append(member)
    return cohort, members


@on_both_backends
async def test_concurrent_done_forms_log_the_solves_once(
    db: str, db_backend: str, curriculum: Curriculum
) -> None:
    _, (member,) = await _people(1)
    ctx = await member_context(GUILD, member.user_id, curriculum, WED)
    info = att.block_info(
        ctx.calendar, curriculum, att.BlockRef(ctx.cohort.id, date(2027, 2, 3), "block_a")
    )

    async def submit() -> att.BlockSolves:
        mine = await member_context(GUILD, member.user_id, curriculum, WED)
        return await att.log_block_solves(mine, info, ["347", "49"], "60", curriculum, WED)

    results = await asyncio.gather(*(submit() for _ in range(5)))

    assert sorted(r.already for r in results) == [False, True, True, True, True]
    assert await Entry.filter(kind="solve").count() == 2
    row = await BlockAttendance.get()
    assert (row.status, row.solve_count, row.solves_at) == ("done", 2, WED)


async def test_a_failed_form_logs_nothing_and_can_be_sent_again(
    db: str, curriculum: Curriculum
) -> None:
    _, (member,) = await _people(1)
    ctx = await member_context(GUILD, member.user_id, curriculum, WED)
    info = att.block_info(
        ctx.calendar, curriculum, att.BlockRef(ctx.cohort.id, date(2027, 2, 3), "block_a")
    )
    with pytest.raises(UserFacingError, match="`minutes` must be from 2 to 1200"):
        await att.log_block_solves(ctx, info, ["347", "49"], "1", curriculum, WED)
    with pytest.raises(UserFacingError, match="Pick problems from this block"):
        await att.log_block_solves(ctx, info, ["1"], "30", curriculum, WED)
    assert await Entry.all().count() == 0
    assert (await BlockAttendance.get()).solves_at is None  # the claim was rolled back
    done = await att.log_block_solves(ctx, info, ["49"], "45 min", curriculum, WED)
    assert [r.entry.minutes for r in done.results] == [45]


async def _stay(
    member: Member,
    cohort_id: int,
    clock: CohortClock,
    curriculum: Curriculum,
    start: datetime,
    minutes: int,
) -> None:
    """A closed study-room session of ``member``."""
    found = await studiers(member.guild_id, cohort_id, [member.user_id])  # type: ignore[attr-defined]
    room = VoiceRoom(1, member.guild_id, 999, cohort_id, "main")  # type: ignore[attr-defined]
    session = await start_session(found[member.user_id], room, False, start)
    assert session is not None
    session = await VoiceSession.get(id=session.id).select_related("member")
    end = start + timedelta(minutes=minutes)
    await close_session(session, end, "left", clock, curriculum, end)


async def test_recap_and_leaderboard_count_blocks_and_hours(
    db: str, curriculum: Curriculum
) -> None:
    cohort, (a, b, c) = await _people(3)
    clock = await cohort_clock(cohort.id, curriculum)  # type: ignore[attr-defined]
    assert clock is not None
    # a: in a room through Block-A (attended by presence) and 2 h on Saturday
    await _stay(a, cohort.id, clock, curriculum, datetime(2027, 2, 3, 6, 0, tzinfo=UTC), 90)  # type: ignore[attr-defined]
    await _stay(a, cohort.id, clock, curriculum, datetime(2027, 2, 6, 14, 0, tzinfo=UTC), 120)  # type: ignore[attr-defined]
    # b: pressed ✅ Done on two blocks, no room time
    for day, slot in ((date(2027, 2, 1), "block_a"), (date(2027, 2, 2), "block_b")):
        ctx = await member_context(GUILD, b.user_id, curriculum, WED)
        info = att.block_info(ctx.calendar, curriculum, att.BlockRef(ctx.cohort.id, day, slot))
        await att.press(ctx, info, "done", WED)
    now = datetime(2027, 2, 7, 19, 0, tzinfo=UTC)  # Sunday of week 5, recap time

    report = await cohort_week_report(cohort, 5, curriculum, now)  # type: ignore[arg-type]
    by_name = {m.name: m for m in report.members}
    assert by_name["m0"].stats.blocks_week == {"block_a": 1}
    assert by_name["m0"].stats.study_seconds == {5: 3 * 3600 + 30 * 60}
    assert by_name["m1"].stats.blocks_week == {"block_a": 1, "block_b": 1}
    assert report.blocks_planned == 12 and report.tracks_blocks and report.tracks_time
    assert "🧱1/12" in member_line(by_name["m0"], report)
    assert "⏱️3.5 h" in member_line(by_name["m0"], report)
    assert "🧱0/12" in member_line(by_name["m2"], report)
    (section,) = [s for s in channel_sections(report) if s.name == "🧱 Blocks & study time"]
    assert section.lines[0] == (
        "🧱 Blocks done: Block-A **2 / 15** (13 %) · Block-B **1 / 15** (7 %) · "
        "Weekend session **0 / 6** (0 %)"
    )
    assert section.lines[1] == "⏱️ **3.5 h** in study rooms by 1 member: m0 3.5 h"
    lines = member_recap_lines(report, by_name["m1"], curriculum.program)
    assert "- 🧱 Blocks done: 2 / 12 (Block-A 1 · Block-B 1) · ⏱️ Study rooms: 0 min" in lines

    board = await leaderboard(cohort, Period.WEEK, Board.TIME, curriculum, now)  # type: ignore[arg-type]
    assert [(r.key.name, r.rank, r.value) for r in board.rows] == [
        ("m0", 1, 210.0),
        ("m1", 2, 0.0),
        ("m2", 2, 0.0),
    ]
    # a done block is activity: b's streak days include the two blocks
    assert set(await active_days(b.id)) == {date(2027, 2, 1), date(2027, 2, 2)}


async def test_no_sessions_no_section(db: str, curriculum: Curriculum) -> None:
    cohort, _ = await _people(2)
    report = await cohort_week_report(cohort, 5, curriculum, datetime(2027, 2, 7, 19, tzinfo=UTC))  # type: ignore[arg-type]
    assert not report.tracks_blocks and not report.tracks_time
    assert all(s.name != "🧱 Blocks & study time" for s in channel_sections(report))
    assert "🧱" not in member_line(report.members[0], report)


async def test_forget_me_removes_every_session_row(db: str, curriculum: Curriculum) -> None:
    cohort, (a, b) = await _people(2)
    clock = await cohort_clock(cohort.id, curriculum)  # type: ignore[attr-defined]
    assert clock is not None
    for m in (a, b):
        await _stay(m, cohort.id, clock, curriculum, WED - timedelta(minutes=30), 80)  # type: ignore[attr-defined]
        await start_timer(m, m.guild_id, parse_routine("25", None), WED)  # type: ignore[attr-defined]
    assert await BlockAttendance.all().count() == 2 and await VoiceDay.all().count() == 2

    forgotten = await forget_member(GUILD, a.user_id, owner_id=None)

    for table in ("block_attendance", "voice_session", "voice_day", "focus_timer", "focus_phase"):
        assert TABLE_LABELS[table] in forgotten.counts, table
        assert TABLE_LABELS[table] in SINGULAR
    checked = set()
    for model in coach_models():
        for name in references(model, Member):
            assert await model.filter(**{f"{name}_id": a.id}).count() == 0, model
            checked.add(model)
    assert {BlockAttendance, VoiceDay} <= checked
    assert await BlockAttendance.filter(member_id=b.id).count() == 1  # bob keeps his


def test_every_session_table_is_labelled_for_forget_me() -> None:
    for table in ("block_attendance", "voice_session", "voice_day", "focus_timer", "focus_phase"):
        assert table in TABLE_LABELS
