"""The shipped data, checked against the roadmap on real examples."""

from __future__ import annotations

from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAYS, Metric


def test_every_shipped_file_loads(curriculum: Curriculum) -> None:
    assert sorted(curriculum.weeks) == list(range(1, 17))
    assert [p.number for p in curriculum.program.phases] == [0, 1, 2, 3, 4, 5]
    for week in curriculum.weeks.values():
        assert set(week.days) == set(WEEKDAYS)


def test_week5_wednesday_block_a_holds_347_and_49(curriculum: Curriculum) -> None:
    block = curriculum.day(5, "wed").block_a
    assert block is not None and block.minutes == 90
    assert [p for t in block.tasks for p in t.problems] == [347, 49]


def test_week12_tuesday_is_guided_union_find(curriculum: Curriculum) -> None:
    block = curriculum.day(12, "tue").block_a
    assert block is not None
    task = block.tasks[0]
    assert task.kind.value == "guided_solve"
    assert 547 in task.problems
    assert "Union-Find" in task.text


def test_week1_sunday_session_is_90_45_45(curriculum: Curriculum) -> None:
    session = curriculum.day(1, "sun").session
    assert session is not None and session.minutes == 180
    assert [t.minutes for t in session.tasks] == [90, 45, 45]
    assert session.tasks[0].problems == [9, 13, 14]


def test_eow8_requires_110_solves(curriculum: Curriculum) -> None:
    (eow8,) = [m for m in curriculum.targets.milestones if m.id == "eow-8"]
    assert eow8.week == 8
    solves = [c for c in eow8.criteria if c.metric is Metric.UNIQUE_SOLVES]
    assert {c.threshold for c in solves} == {110}
    contest = [c for c in eow8.criteria if c.metric is Metric.BEST_CONTEST_PERCENTILE]
    assert contest[0].op == "<=" and contest[0].threshold == 40


def test_eow2_metrics(curriculum: Curriculum) -> None:
    (eow2,) = curriculum.milestones_for_week(2)
    got = {(c.metric.value, c.op, c.threshold) for c in eow2.criteria}
    assert got == {
        ("unique_solves", ">=", 14),
        ("median_solve_minutes", "<=", 13),
        ("ledger_entries", ">=", 10),
    }


def test_final_checklist_criteria(curriculum: Curriculum) -> None:
    (final,) = curriculum.milestones_for_week(16)
    by_id = {c.id: c for c in final.criteria}
    assert by_id["final-solves"].threshold == 300
    assert by_id["final-medium"].threshold == 60 and by_id["final-hard"].threshold == 15
    assert by_id["final-mocks-dsa"].params.rating == "strong_hire"
    assert by_id["final-mocks-dsa"].threshold == 2
    assert by_id["final-anki-mature"].threshold == 150
    assert by_id["final-anki-streak"].threshold == 30
    assert by_id["final-mind-maps"].threshold == 11
    assert len(curriculum.program.final_checklist) == 7


def test_cumulative_targets_as_the_roadmap_states(curriculum: Curriculum) -> None:
    got = [(t.week, t.minimum, t.maximum) for t in curriculum.targets.solve_targets]
    assert got == [
        (2, 14, None),
        (5, 24, None),
        (6, 40, 45),
        (7, 65, None),
        (8, 110, None),
        (8, 110, 120),
        (9, 140, None),
        (10, 165, None),
        (11, 190, None),
        (12, 220, None),
        (16, 300, None),
    ]
    assert curriculum.targets.weekly_recap_solves == 12


def test_every_named_problem_is_in_the_catalogue_with_a_link(curriculum: Curriculum) -> None:
    assert set(curriculum.problem_weeks) <= set(curriculum.problems)
    assert curriculum.problems[347].url == "https://leetcode.com/problems/top-k-frequent-elements/"
    assert curriculum.problems[76].difficulty.value == "hard"
    assert curriculum.problem_weeks[347] == [5, 10]


def test_weekend_sessions_and_weekday_blocks_everywhere(curriculum: Curriculum) -> None:
    for week in curriculum.weeks.values():
        for day in WEEKDAYS[:5]:
            assert week.days[day].block_a and week.days[day].block_b
        for day in WEEKDAYS[5:]:
            assert week.days[day].session


def test_contradictions_are_warnings(curriculum: Curriculum) -> None:
    text = "\n".join(str(w) for w in curriculum.warnings)
    assert "week 7 → 8 jumps from 65 to 110" in text
    assert "week 8 states different targets" in text and "110 → 120" in text
    assert "__ /12" in text
    assert "2 ML mini projects" in text and "4 ML notebooks" in text


def test_micro_routine_from_week_3(curriculum: Curriculum) -> None:
    routine = curriculum.program.micro_routine
    assert routine is not None and routine.from_week == 3
    assert [s.minutes for s in routine.steps] == [10, 50, 10]
