"""Every study-session message fits Discord: each block post of the program with its buttons,
the Done form of every block, check-in and focus texts with hostile names and the largest
routines, /studytime over a phase, and the room list at its 25-room bound."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from bot.core.focus import MAX_ROUNDS, from_curriculum, parse_routine, timeline
from bot.core.posts import plan_post, slots_for
from bot.core.voice import BLOCK_SLOTS
from bot.render.fit import (
    CONTENT_MAX,
    CUSTOM_ID_MAX,
    OutMessage,
    Report,
    Section,
    fit,
    size,
    text_messages,
    violations,
)
from bot.render.sessions import (
    focus_started_text,
    focus_status_text,
    phase_text,
    press_text,
    rooms_lines,
    solves_text,
    studytime_report,
)
from bot.scheduling.compose import day_post_report
from bot.services.attendance import BlockRef, BlockSolves, Pressed, block_info
from bot.services.focus import TimerView
from bot.services.study_rooms import MAX_ROOMS, Room
from bot.ui.sessions import BlockDoneModal, block_view
from curriculum.loader import Curriculum
from tests.render.test_report_sizes import HOSTILE, ROLE, calendar, long_name

BIG_ID = 2**31 - 1  # the largest cohort id
T0 = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)


def _check(messages: list[OutMessage]) -> None:
    for m in messages:
        assert violations(m) == [], violations(m)


async def test_every_block_post_with_its_buttons_fits(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    seen = 0
    for day, pos in cal.program_days():
        for slot in slots_for(pos, curriculum):
            if slot not in BLOCK_SLOTS:
                continue
            post = plan_post(pos, slot, curriculum)
            report = day_post_report(
                post, role_id=ROLE, footer="Posted late", view=block_view(BIG_ID, day, slot)
            )
            messages = fit(report)
            _check(messages)
            assert messages[-1].view is not None and len(messages[-1].view.children) == 3
            seen += 1
            info = block_info(cal, curriculum, BlockRef(BIG_ID, day, slot))
            if info.problems:  # the Done form: ≤ 25 options, labels ≤ 100, title ≤ 45
                form = BlockDoneModal(info, 2**63 - 1).to_dict()
                assert len(form["title"]) <= 45 and len(form["custom_id"]) <= CUSTOM_ID_MAX
                options = form["components"][0]["component"]["options"]
                assert 1 <= len(options) <= 25
                assert all(len(o["label"]) <= 100 for o in options)
    assert seen == 16 * 5 * 2 + 15 * 2 + 2 * 2  # weekday blocks, sessions, week 16's weekend


def _row(status: str | None, **kw: Any) -> Any:
    values = {
        "status": status,
        "started_at": T0,
        "done_at": T0,
        "done_by": "voice",
        "solves_at": T0,
        "solve_count": 25,
    }
    values.update(kw)
    return SimpleNamespace(**values)


def test_check_in_answers_fit(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    info = block_info(cal, curriculum, BlockRef(BIG_ID, date(2027, 2, 6), "session"))
    for action in ("start", "done", "skip"):
        for status, previous, changed in (
            ("started", "skipped", True),
            ("done", None, False),
            ("skipped", "started", True),
            ("started", None, False),
        ):
            text = press_text(info, Pressed(_row(status), changed, previous), action)
            assert size(text) <= CONTENT_MAX and "<@" not in text


def test_solves_answer_with_the_most_problems_fits(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    info = block_info(cal, curriculum, BlockRef(BIG_ID, date(2027, 2, 6), "session"))
    entry = SimpleNamespace(
        id=10**9,
        kind="solve",
        problem_number=3999,
        problem_title=long_name(3) * 3,
        problem_key="3999",
        problem_slug=None,
        difficulty="medium",
        minutes=600,
        language="cpp",
        mode="unguided",
        source="leetcode",
    )
    summary = SimpleNamespace(
        week=5, week_new=12, weekly_target=12, week_entries=40, cumulative=999, target=None
    )
    result = SimpleNamespace(
        entry=entry, revisit=True, summary=summary, streak=SimpleNamespace(length=400)
    )
    text = solves_text(info, BlockSolves(_row("done"), tuple([result] * 25), False))  # type: ignore[arg-type]
    (message,) = text_messages(text)
    _check([message])


def _view(routine_text: str | None, curriculum: Curriculum) -> TimerView:
    routine = parse_routine(routine_text, from_curriculum(curriculum))
    steps = timeline(routine, T0)
    timer = SimpleNamespace(ends_at=steps[-1].start, id=1)
    phases = [
        SimpleNamespace(
            position=s.position,
            name=(s.spec.name if s.spec else "Done") * 5,
            kind=s.spec.kind if s.spec else "end",
            minutes=s.spec.minutes if s.spec else 0,
            due_at=s.start,
        )
        for s in steps
    ]
    return TimerView(timer, phases)  # type: ignore[arg-type]


def test_focus_texts_fit_for_the_largest_routine(curriculum: Curriculum) -> None:
    for spec in (None, f"5/1 x{MAX_ROUNDS}", "180"):
        view = _view(spec, curriculum)
        label = HOSTILE[0] * 3
        for group in (False, True):
            texts = [focus_started_text(view, label, group=group, where="by DM")]
            texts.append(focus_status_text(view, T0 + timedelta(minutes=7), group=group))
            late = T0 + timedelta(hours=9)
            texts += [phase_text(view, p, late, group=group) for p in view.phases[1:]]  # type: ignore[arg-type]
            for text in texts:
                assert size(text) <= CONTENT_MAX, text[:80]


def test_studytime_over_a_phase_fits() -> None:
    first = date(2027, 1, 4)
    days = {first + timedelta(days=i): 24 * 3600 for i in range(35)}
    for period in ("today", "week", "phase"):
        report = studytime_report(
            period,
            first,
            first + timedelta(days=34),
            first + timedelta(days=34),
            days,
            100_000,
            100_000,
            {"block_a": 25, "block_b": 25, "session": 10},
            60,
            True,
            {d: 1 + i // 7 for i, d in enumerate(days)},
            False,
        )
        _check(fit(report))


def test_the_room_list_at_its_bound_fits() -> None:
    rooms = [Room(i, 1, 10**18 + i, i, long_name(i) * 2) for i in range(MAX_ROOMS)]
    lines = rooms_lines(rooms, {r.cohort_id: bool(r.id % 2) for r in rooms})
    _check(fit(Report("🎧 Study rooms · 25 rooms of 25", [Section("Rooms", lines)])))
    assert all("@everyone" not in line for line in lines)
