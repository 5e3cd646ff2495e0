"""The shipped data, checked against the roadmap on real examples."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.core.calendar import CohortCalendar, InProgram
from bot.core.posts import plan_day
from curriculum.loader import Curriculum
from curriculum.schema import WEEKDAYS
from curriculum.target_schema import Metric


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
            if week.number == 16:  # "Sat-Sun: Outreach & applications + decompression"
                continue
            assert week.days[day].session


def test_week16_weekend_is_block_a_and_block_b_of_90_minutes(curriculum: Curriculum) -> None:
    sat, sun = curriculum.day(16, "sat"), curriculum.day(16, "sun")
    for day in (sat, sun):
        assert day.session is None
        assert day.block_a is not None and day.block_b is not None
        assert (day.block_a.minutes, day.block_b.minutes) == (90, 90)
    assert sat.block_a is not None and sat.block_b is not None
    assert [t.deliverables for t in sat.block_a.tasks] == [
        ["w16-referral-asks"],
        ["w16-applications"],
    ]
    assert [t.text for t in sat.block_b.tasks] == [
        "Draft follow-up email templates.",
        "Backup Ledger & Anki deck to cloud.",
    ]
    assert sun.block_b is not None and sun.block_b.tasks[0].kind.value == "retro"


def test_contradictions_are_warnings(curriculum: Curriculum) -> None:
    text = "\n".join(str(w) for w in curriculum.warnings)
    assert "week 7 → 8 jumps from 65 to 110" in text
    assert "week 8 states different targets" in text and "110 → 120" in text
    assert "__ /12" in text
    assert "Sentiment" in text and "never schedules 'w12-ml-project-sentiment'" in text


def test_the_roadmap_names_more_than_it_schedules_as_warnings(curriculum: Curriculum) -> None:
    """Each count that needs a deliverable no day schedules is a warning naming it."""
    unscheduled = {
        w.path: w.message.rsplit("never schedules ", 1)[1]
        for w in curriculum.warnings
        if "never schedules" in w.message
    }
    assert unscheduled == {
        "milestones[1].criteria[6]": "'w8-linkedin-halftime'",
        "milestones[2].criteria[4]": "'w12-ml-project-sentiment'",
        "milestones[2].criteria[9]": "'w12-contest-trend-chart'",
        "milestones[3].criteria[6]": "'w14-adr-2-feature-store'",
        "milestones[4].criteria[8]": "'w14-adr-2-feature-store'",
        "milestones[4].criteria[14]": "'w8-linkedin-halftime', 'w16-linkedin-article'",
        "milestones[4].criteria[18]": "'w12-ml-project-sentiment'",
        "milestones[4].criteria[20]": "'w15-rag-design-doc'",
    }
    (adrs,) = [w for w in curriculum.warnings if w.path == "milestones[3].criteria[6]"]
    assert str(adrs) == (
        'targets.yaml: milestones[3].criteria[6]: "Ledger includes ADR #1 (cache) & ADR #2 '
        '(feature store technology)" (p4-adrs) needs 2, but the days schedule only 1 of what it '
        "counts; the roadmap names but never schedules 'w14-adr-2-feature-store'"
    )
    # Everything else that is a warning: the solve targets' own contradictions.
    others = [w for w in curriculum.warnings if "never schedules" not in w.message]
    assert len(others) == 3 and all(w.file == "targets.yaml" for w in others)


def test_micro_routine_from_week_3(curriculum: Curriculum) -> None:
    routine = curriculum.program.micro_routine
    assert routine is not None and routine.from_week == 3
    assert [s.minutes for s in routine.steps] == [10, 50, 10]


def test_every_final_checklist_row_links_the_criteria_that_judge_it(
    curriculum: Curriculum,
) -> None:
    (final,) = curriculum.milestones_for_week(16)
    ids = {c.id for c in final.criteria}
    rows = {row.section: row.criteria for row in curriculum.program.final_checklist}
    assert rows == {
        "DS&A Solves": ["final-solves", "final-medium", "final-hard"],
        "Mock Interviews": ["final-mocks", "final-mocks-dsa", "final-mocks-sd"],
        "Projects": ["final-projects"],
        "Documentation": ["final-mind-maps", "final-adrs", "final-diagrams"],
        "Anki Deck": ["final-anki-mature", "final-anki-streak"],
        "Public Portfolio": ["final-github-pinned", "final-personal-site", "final-articles"],
        "Job Outreach": ["final-outreach"],
    }
    assert {c for linked in rows.values() for c in linked} <= ids
    assert not any("links no criterion" in w.message for w in curriculum.warnings)


def _counted(curriculum: Curriculum, criterion_id: str) -> list[str]:
    everything = [d for _, d in curriculum.deliverables.values()]
    return curriculum.criterion(criterion_id).counted_items(everything)


def test_counts_count_exactly_the_items_the_roadmap_names(curriculum: Curriculum) -> None:
    mind_maps = [
        i for i, (_, d) in curriculum.deliverables.items() if d.category.value == "mind_map"
    ]
    assert len(mind_maps) == 8  # weeks 5-12, one per pattern week
    sd_diagrams = ["w13-diagram-llia-overview", "w14-diagram-feature-pipeline", "w15-diagram-cicd"]
    # "Mind-maps (≥ 11)" and "11 system-design diagrams": the 8 mind-maps + LLIA, pipeline, CI/CD
    for ident in ("final-mind-maps", "p4-diagrams"):
        assert sorted(_counted(curriculum, ident)) == sorted(mind_maps + sd_diagrams)
        assert curriculum.criterion(ident).threshold == 11
    assert _counted(curriculum, "final-diagrams") == sd_diagrams
    assert _counted(curriculum, "final-articles") == [
        "w8-linkedin-halftime",
        "w15-linkedin-update",
        "w16-linkedin-article",
    ]
    assert _counted(curriculum, "eow12-ml-titanic") == [
        "w10-ml-notebook-trees-forest",
        "w11-ml-notebook-boosting",
    ]
    assert _counted(curriculum, "eow12-ml-sentiment") == ["w12-ml-project-sentiment"]
    assert _counted(curriculum, "glance-design-docs") == [
        "w13-llia-design-doc",
        "w14-feature-defs-doc",
        "w15-rag-design-doc",
    ]
    outreach = curriculum.criterion("final-outreach")
    assert (outreach.metric, outreach.threshold) == (Metric.ITEM_COUNT, 10)
    assert _counted(curriculum, "final-outreach") == ["w16-applications"]
    _, applications = curriculum.deliverables["w16-applications"]
    assert applications.countable and applications.unit == "applications"
    assert curriculum.count_goal("w16-applications") == 10
    assert curriculum.count_goal("w15-mlflow-experiments") == 3
    assert curriculum.count_goal("w3-flashcard-cli") is None


def test_phase_exit_criteria_are_milestone_criteria(curriculum: Curriculum) -> None:
    ids = {c.id for m in curriculum.targets.milestones for c in m.criteria}
    assert {"p4-docker", "p4-prefect-feast", "p4-mlflow", "p4-evidently"} <= ids
    assert {"eow8-patterns", "eow12-ml-repo", "eow12-contest-chart"} <= ids
    assert {"final-diagrams", "final-github-pinned", "final-personal-site"} <= ids
    assert curriculum.criterion("eow8-patterns").params.item == "w8-patterns-committed"


def test_cpp_ports_name_exactly_the_problems_their_day_names(curriculum: Curriculum) -> None:
    ports = {
        (n, key): [p for t in block.tasks if t.kind.value == "cpp_port" for p in t.problems]
        for n, week in curriculum.weeks.items()
        for key, day in week.days.items()
        for block in (day.block_a, day.block_b, day.session)
        if block is not None and any(t.kind.value == "cpp_port" for t in block.tasks)
    }
    assert ports == {
        (4, "thu"): [],  # linked_list.cpp
        (5, "thu"): [],  # "Port both mediums": names none
        (6, "thu"): [15],  # "optimise 3-Sum"
        (7, "thu"): [739],  # "Port `dailyTemperatures`"
        (8, "thu"): [56],  # "Port Merge Intervals"
        (9, "thu"): [],
        (10, "thu"): [],
        (11, "thu"): [212],  # "Port Word Search"
        (12, "thu"): [],
    }


def test_weeks_1_to_4_patterns_in_the_roadmaps_own_words(curriculum: Curriculum) -> None:
    got = {
        n: curriculum.problems[n].pattern
        for n, weeks in curriculum.problem_weeks.items()
        if weeks[0] <= 4
    }
    assert got == {
        1: "Array/Hash",  # week 1: "Two Sum (array/hash)"
        9: "Array/String",
        13: "Array/String",
        14: "Array/String",
        283: "Array/String",  # week 2: "10 easy Array/String problems"
        344: "Array/String",
        560: "Array",  # week 3: "2 medium array questions"
        739: "Stacks",  # week 4: "3 LeetCode mediums involving stacks"
        155: "Stacks",
        394: "Stacks",
    }
    assert curriculum.problems[347].pattern == "Arrays & Hashing"  # week 5's table


def test_one_name_per_phase_in_every_post(curriculum: Curriculum) -> None:
    names = {p.number: p.title for p in curriculum.program.phases}
    assert names[2] == "LeetCode Pattern Pass ①" and names[5] == "Mock Loops & Launch"
    calendar = CohortCalendar(
        start=date(2027, 1, 4), zone=ZoneInfo("UTC"), weeks=curriculum.week_count
    )
    text = []
    day = calendar.program_start
    while day <= calendar.end_date:
        pos = calendar.position(day)
        assert isinstance(pos, InProgram)
        for post in plan_day(pos, curriculum):
            text += [post.title] + [line for s in post.intro for line in (s.title, *s.lines)]
        day += timedelta(days=1)
    joined = "\n".join(text)
    for other in ("LeetCode Patterns ①", "LeetCode Patterns ②", "Mock Loops ＋ Launch"):
        assert other not in joined
    for phase in curriculum.program.phases:
        assert phase.name in joined  # the kick-off lists every phase by its name
        assert f"Phase {phase.number} begins: {phase.title}" in joined
