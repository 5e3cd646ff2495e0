"""The interviewer's packet (pure, on the shipped curriculum): never a solved problem, the
roadmap's pattern order, prompts from the phase 4/5 material, and it fits Discord."""

from __future__ import annotations

import pytest

from bot.core.mock_packets import (
    build_packet,
    choose_behavioral_prompt,
    choose_design_prompt,
    choose_problem,
    eligible_problems,
    problem_week,
)
from bot.mocks.render import packet_report
from bot.models import Member
from bot.render.fit import fit, violations
from curriculum.loader import Curriculum


@pytest.mark.parametrize("week", range(0, 18))
def test_never_a_solved_problem_and_never_a_later_pattern(
    curriculum: Curriculum, week: int
) -> None:
    solved: set[int] = set()
    while True:
        problem = choose_problem(curriculum, week, solved)
        if problem is None:
            break
        assert problem.number not in solved
        first = problem_week(curriculum, problem.number)
        assert first is not None and first <= max(1, min(week, curriculum.week_count))
        assert not problem.premium
        solved.add(problem.number)
    # everything eligible got offered exactly once before running out
    assert solved == {p.number for p in eligible_problems(curriculum, week, set())}


def test_the_current_pattern_comes_first_then_earlier_ones(curriculum: Curriculum) -> None:
    ranked = eligible_problems(curriculum, 6, set())
    weeks = [problem_week(curriculum, p.number) for p in ranked]
    assert weeks == sorted(weeks, reverse=True)  # week 6 first, back to week 1
    assert weeks[0] == 6
    assert ranked[0].difficulty.value == "medium"  # interviews are usually mediums
    assert ranked[0].pattern == "Two Pointers / Sliding Window"
    # solve all of week 6 and the next pick is from week 5
    week6 = {p.number for p in ranked if problem_week(curriculum, p.number) == 6}
    nxt = choose_problem(curriculum, 6, week6)
    assert nxt is not None and problem_week(curriculum, nxt.number) == 5


def test_problems_given_before_come_after_fresh_ones(curriculum: Curriculum) -> None:
    first = choose_problem(curriculum, 6, set())
    assert first is not None
    second = choose_problem(curriculum, 6, set(), given={first.number})
    assert second is not None and second.number != first.number


def test_everything_solved_gives_no_problem_and_a_clear_packet(curriculum: Curriculum) -> None:
    everything = set(curriculum.problems)
    packet = build_packet(curriculum, "dsa", 3, everything)
    assert packet.problem is None
    report = packet_report(packet, curriculum.mocks, Member(display_name="bob"), None, 1)
    text = "\n".join(f.value or "" for m in fit(report) for e in m.embeds for f in e.fields)
    assert "solved every roadmap problem up to week 3" in text


def test_design_prompts_follow_the_roadmap(curriculum: Curriculum) -> None:
    assert choose_design_prompt(curriculum, 16).title == "Realtime Chat Service"
    assert choose_design_prompt(curriculum, 13).week == 13
    assert choose_design_prompt(curriculum, 14).id == "feature-store"
    # before phase 4, the earliest material; never one they had while others are left
    early = choose_design_prompt(curriculum, 5)
    assert early.week == 13
    given = {p.id for p in curriculum.mocks.design_prompts[:-1]}
    assert choose_design_prompt(curriculum, 16, given).id not in given
    assert choose_behavioral_prompt(curriculum, {"proud-project"}).id != "proud-project"


@pytest.mark.parametrize("kind", ["dsa", "system_design", "behavioral"])
def test_every_packet_fits_and_has_rubric_and_verdicts(curriculum: Curriculum, kind: str) -> None:
    packet = build_packet(curriculum, kind, 16, set())
    member = Member(display_name="**bob** @everyone " + "x" * 200)
    messages = fit(packet_report(packet, curriculum.mocks, member, None, 2))
    assert len(messages) == 1 and violations(messages[0]) == []
    names = [f.name for e in messages[0].embeds for f in e.fields]
    assert any(n.startswith("Rubric") for n in names) and "Verdict" in names
    text = "\n".join(f.value or "" for e in messages[0].embeds for f in e.fields)
    if kind == "dsa":
        assert packet.problem is not None and packet.problem.url in text
        assert "Hints if they're stuck" in names and "Follow-up question" in names
    else:
        assert "STAR checklist" in names
    assert "@everyone" not in (messages[0].embeds[0].description or "")
