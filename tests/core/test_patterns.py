"""Weak-pattern diagnosis on synthetic histories: the ranking, its reasons, the next problems."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from bot.core.pattern_data import OopsRecord, PatternData, common_words
from bot.core.pattern_names import canonical_pattern, roadmap_patterns
from bot.core.patterns import diagnose, group_weakest
from bot.core.roadmap import SolveRecord
from curriculum.loader import Curriculum

TP = "Two Pointers / Sliding Window"
AH = "Arrays & Hashing"


def solve(key: str, minutes: int, diff: str, pattern: str, mode: str = "unguided") -> SolveRecord:
    return SolveRecord(key, date(2027, 2, 9), minutes, diff, mode, pattern)


@pytest.mark.parametrize(
    ("name", "pattern"),
    [
        ("Sliding Window", TP),  # a week's pattern name → the catalogue pattern holding it
        ("two pointers", TP),
        ("Stack", "Stack / Queue / Monotonic Stack"),  # week 7's, not weeks 1–4's "Stacks"
        ("Trees", "Binary Search + Trees"),
        ("BFS/DFS", "Graphs (BFS/DFS, Union-Find)"),
        (AH, AH),
        ("Cooking", None),
        (None, None),
    ],
)
def test_logged_pattern_names_map_to_catalogue_patterns(
    curriculum: Curriculum, name: str | None, pattern: str | None
) -> None:
    assert canonical_pattern(name, curriculum) == pattern


def test_the_roadmap_patterns_so_far(curriculum: Curriculum) -> None:
    assert roadmap_patterns(curriculum, 6) == [
        "Array/Hash",
        "Array/String",
        "Array",
        "Stacks",
        AH,
        TP,
    ]


def test_the_weakest_pattern_and_why(curriculum: Curriculum) -> None:
    solves = [
        solve("125", 20, "easy", TP),
        solve("167", 31, "medium", TP, mode="guided"),
        solve("15", 31, "medium", TP),
        solve("11", 33, "medium", "Sliding Window"),
        solve("217", 12, "easy", AH),
        solve("242", 10, "easy", AH),
        solve("347", 18, "medium", AH),
        solve("49", 18, "medium", AH),
        solve("36", 18, "medium", AH),
        # weeks 1–4 all solved: no overdue problems there
        *(solve(str(n), 15, "easy", "Array/String") for n in (1, 9, 13, 14, 283, 344)),
        *(solve(str(n), 25, "medium", "Stacks") for n in (560, 739, 155, 394)),
    ]
    oops = [
        OopsRecord("Sliding Window", "Shrink the window before you update the best length"),
        OopsRecord(TP, "the window invariant: shrink while invalid"),
        OopsRecord("Two Pointers", "check bounds when both pointers move"),
        OopsRecord(None, "an Oops without a pattern counts for none"),
    ]
    group = {TP: {"medium": Counter({18: 5, 20: 2})}, AH: {"medium": Counter({18: 3, 25: 1})}}

    report = diagnose(curriculum, 6, solves, oops, group)

    assert [r.reason for r in report.needs_work] == [
        f"{TP}: 3 Oops, median 31 min vs 18 for the group (medium)",
        f"{AH}: 1 roadmap problem unsolved",  # #295, named in week 5
    ]
    tp = report.needs_work[0]
    assert (tp.named, tp.solved, tp.unique, tp.solves, tp.oops) == (7, 4, 4, 4, 3)
    assert tp.guided_share == 0.25
    assert tp.words == ("shrink", "window", "best")
    medium = next(t for t in tp.timings if t.difficulty == "medium")
    assert (medium.mine, medium.overall, medium.group) == (31.0, 25.0, 18.0)
    assert report.next_problems == ("3", "76", "424")  # week 6's unsolved ones, in order
    assert report.weakest is tp


def test_without_the_group_a_pattern_is_compared_with_the_members_own_median(
    curriculum: Curriculum,
) -> None:
    solves = [
        solve("217", 10, "easy", AH),
        solve("242", 10, "easy", AH),
        solve("1", 10, "easy", AH),
        solve("125", 25, "easy", TP),
    ]

    report = diagnose(curriculum, 6, solves, [], None)

    tp = next(r for r in report.rows if r.pattern == TP)
    assert tp.reasons == ("median 25 min vs 10 your usual (easy)",)


def test_a_mostly_guided_pattern_needs_work(curriculum: Curriculum) -> None:
    solves = [solve("125", 20, "easy", TP, "guided"), solve("167", 20, "easy", TP, "guided")]

    report = diagnose(curriculum, 6, solves, [], None)

    tp = next(r for r in report.rows if r.pattern == TP)
    assert tp.reasons == ("100 % guided",) and tp.score == 2


def test_nothing_needs_work_when_all_is_well(curriculum: Curriculum) -> None:
    weeks_1_to_5 = (1, 9, 13, 14, 283, 344, 560, 739, 155, 394, 217, 242, 347, 49, 36, 295)
    solves = [solve(str(n), 15, "easy", AH) for n in weeks_1_to_5]

    report = diagnose(curriculum, 6, solves, [], None)

    assert report.needs_work == () and report.weakest is None and report.next_problems == ()


def test_after_all_problems_the_next_three_are_revisits(curriculum: Curriculum) -> None:
    solves = [solve(str(p.number), 15, "easy", p.pattern) for p in curriculum.problems.values()]
    tp_problems = [p.number for p in curriculum.problems.values() if p.pattern == TP]
    solves.append(solve(str(tp_problems[0]), 15, "easy", TP, "guided"))  # solved again, guided
    oops = [OopsRecord(TP, "off by one")]

    report = diagnose(curriculum, 16, solves, oops, None)

    assert report.weakest is not None and report.weakest.pattern == TP
    assert report.next_problems == (str(tp_problems[0]),)  # all solved: revisit the guided one


def test_common_words_skip_filler_and_rank_by_count() -> None:
    assert common_words(["Shrink the window; shrink!", "window bounds", "Bounds"]) == (
        "bounds",
        "shrink",
        "window",
    )
    assert common_words([]) == ()


def test_the_groups_weakest_pattern(curriculum: Curriculum) -> None:
    data = {
        TP: PatternData(minutes={"medium": Counter({30: 10})}, solves=10, guided=1, oops=8),
        AH: PatternData(minutes={"medium": Counter({15: 30})}, solves=30, guided=0, oops=0),
    }
    # 4 members; every earlier roadmap problem solved by all of them
    everyone = {str(n): 4 for n in (1, 9, 13, 14, 283, 344, 560, 739, 155, 394)}
    everyone |= {str(n): 4 for n in (217, 242, 347, 49, 36, 295)}

    found = group_weakest(curriculum, 6, 4, data, everyone)

    assert found is not None
    assert found.reason == f"{TP}: 2 Oops per member, median 30 min vs 15 overall (medium)"
    assert group_weakest(curriculum, 6, 0, data, everyone) is None
