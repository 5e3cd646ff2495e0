"""``next_actions`` on synthetic histories, with the exact ranked answer for each.

The cohort starts Mon 4 Jan 2027 in Berlin (week 5 is 1–7 Feb); posts at the default times
(Block-A 07:00, Block-B 19:00, weekend 10:00). Times below are UTC (Berlin is UTC+1/+2).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar import CohortCalendar, Pause
from bot.core.catchup import Plan, PlanItem
from bot.core.coach import Action, ActionKind, next_actions, rank_actions, top_problem
from bot.core.history import DueReview, History
from bot.core.revisits import due_revisits
from bot.core.roadmap import SolveRecord, week_problems
from bot.core.schedule import PostTimes
from curriculum.loader import Curriculum

ZONE = ZoneInfo("Europe/Berlin")
TIMES = PostTimes.parse("07:00", "19:00", "10:00", "sun", "20:00")
WED_NOON = datetime(2027, 2, 3, 12, tzinfo=UTC)  # Wed of week 5, 13:00 in Berlin: no block
ANKI = (
    "anki",
    "Anki review (10 min)",
    "nothing logged today yet — a review keeps your streak; log it with `/anki`",
    (),
)
W5_DELIVERABLES = (
    "deliverable",
    "Tick off: 8 Anki cards (dict vs unordered_map, load-factor, amortized O(1)) (+1 more)",
    "2 of this week's 2 deliverables not ticked — `/done` ticks one",
    (),
)


def calendar(curriculum: Curriculum, pauses: Iterable[Pause] = ()) -> CohortCalendar:
    phases = {n: w.phase for n, w in curriculum.weeks.items()}
    return CohortCalendar(date(2027, 1, 4), ZONE, 16, tuple(pauses), phases)


def solves(
    curriculum: Curriculum, weeks: Iterable[int], extra: Iterable[str] = ()
) -> tuple[SolveRecord, ...]:
    """Every problem of ``weeks`` (and ``extra``) solved on 10 Jan, unguided, in 20 minutes."""
    keys = [str(p) for w in weeks for p in week_problems(curriculum, w)] + list(extra)
    out = []
    for key in dict.fromkeys(keys):
        p = curriculum.problems[int(key)]
        out.append(
            SolveRecord(key, date(2027, 1, 10), 20, p.difficulty.value, "unguided", p.pattern)
        )
    return tuple(out)


def shown(actions: list[Action]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    return [(a.kind.value, a.title, a.reason, a.problems) for a in actions]


def test_far_behind_gets_this_week_then_earlier_weeks_oldest_first(curriculum: Curriculum) -> None:
    history = History(calendar(curriculum), TIMES)

    ranked = rank_actions(curriculum, history, WED_NOON, ZONE)

    assert shown(ranked) == [
        (
            "roadmap",
            "This week's roadmap (week 5)",
            "7 of its 7 problems not solved yet",
            ("217", "242", "347", "49", "1", "36", "295"),
        ),
        # #1 is named in weeks 1, 3 and 5: listed once, where it comes first
        ("roadmap", "Catch up on week 1", "4 of its 4 problems still unsolved", ("9", "13", "14")),
        ("roadmap", "Catch up on week 2", "2 of its 2 problems still unsolved", ("283", "344")),
        ("roadmap", "Catch up on week 3", "2 of its 2 problems still unsolved", ("560",)),
        (
            "roadmap",
            "Catch up on week 4",
            "3 of its 3 problems still unsolved",
            ("739", "155", "394"),
        ),
        W5_DELIVERABLES,
        ANKI,
    ]
    assert next_actions(curriculum, history, WED_NOON, ZONE) == ranked[:5]
    assert next_actions(curriculum, history, WED_NOON, ZONE, skip=5) == ranked[5:]
    assert top_problem(ranked) == ("217", "unguided")


def test_on_track_during_a_block_gets_the_block_first(curriculum: Curriculum) -> None:
    history = History(
        calendar(curriculum),
        TIMES,
        solves(curriculum, range(1, 5), extra=("217", "242")),
        active_days=frozenset({date(2027, 2, 3)}),  # logged today: no Anki nudge
    )
    now = datetime(2027, 2, 3, 6, 45, tzinfo=UTC)  # 07:45 in Berlin: Block-A 07:00–08:30

    ranked = rank_actions(curriculum, history, now, ZONE)

    assert shown(ranked) == [
        (
            "block",
            "Block-A 07:00–08:30 — Timed mediums (LC-347 Top K Freq Elements, LC-49 Group "
            "Anagrams). Record start/stop; no editorials until done.",
            "Block-A is on now; 2 of its 2 problems still open",
            ("347", "49"),
        ),
        (
            "roadmap",
            "This week's roadmap (week 5)",
            "4 of its 7 problems not solved yet",
            ("36", "295"),
        ),
        W5_DELIVERABLES,
    ]
    assert top_problem(ranked) == ("347", "timed")  # a timed block logs a timed solve


def test_just_before_a_block_it_starts_soon(curriculum: Curriculum) -> None:
    history = History(calendar(curriculum), TIMES, solves(curriculum, range(1, 6)))
    now = datetime(2027, 2, 3, 17, 40, tzinfo=UTC)  # 18:40 in Berlin: Block-B at 19:00

    (block, *_) = rank_actions(curriculum, history, now, ZONE)

    assert block.kind is ActionKind.BLOCK
    assert block.reason == "Block-B starts soon (1 task)"
    assert block.problems == ()


def test_ahead_gets_only_the_revisit_that_is_due(curriculum: Curriculum) -> None:
    guided = SolveRecord(
        "15", date(2027, 1, 31), 40, "medium", "guided", "Two Pointers / Sliding Window"
    )
    history = History(
        calendar(curriculum),
        TIMES,
        (*solves(curriculum, range(1, 6), extra=("125", "167")), guided),
        done_items=frozenset(d.id for d in curriculum.week(5).deliverables),
        active_days=frozenset({date(2027, 2, 3)}),
    )

    ranked = rank_actions(curriculum, history, WED_NOON, ZONE)

    assert shown(ranked) == [
        (
            "revisit",
            "Revisit #15 3Sum",
            "#15 3Sum solved guided on Sun 31 Jan — day-3 revisit",
            ("15",),
        )
    ]
    assert ranked[0].mode == "revisit"


def test_a_rest_day_of_the_plan_keeps_only_due_reviews(curriculum: Curriculum) -> None:
    plan = Plan(
        5,
        date(2027, 2, 3),
        date(2027, 2, 7),
        (
            PlanItem(date(2027, 2, 3), "block_b", "217", "easy", 20),
            PlanItem(date(2027, 2, 5), "block_a", "242", "easy", 20),
        ),
        rest_days=(date(2027, 2, 4),),
    )
    review = DueReview(7, datetime(2027, 2, 3, 9, tzinfo=UTC))
    history = History(calendar(curriculum), TIMES, due_reviews=(review,), plan=plan)

    ranked = rank_actions(curriculum, history, datetime(2027, 2, 4, 12, tzinfo=UTC), ZONE)

    assert shown(ranked) == [
        (
            "review",
            "Re-review 1 Oops",
            "due since Wed 3 Feb — press Reviewed ✅ or Still shaky on the review message",
            (),
        ),
        ("rest", "Rest day", "your catch-up plan keeps today free — back on Fri 5 Feb", ()),
    ]


def test_the_plan_comes_before_the_rest_of_the_roadmap(curriculum: Curriculum) -> None:
    plan = Plan(
        5,
        date(2027, 2, 3),
        date(2027, 2, 7),
        (
            PlanItem(date(2027, 2, 3), "block_b", "217", "easy", 20),
            PlanItem(date(2027, 2, 5), "block_a", "242", "easy", 20),
            PlanItem(date(2027, 2, 6), "session", None, "medium", 35, "Arrays & Hashing"),
        ),
    )
    history = History(
        calendar(curriculum),
        TIMES,
        solves(curriculum, range(1, 5)),
        active_days=frozenset({date(2027, 2, 3)}),
        plan=plan,
    )

    ranked = rank_actions(curriculum, history, WED_NOON, ZONE)

    assert shown(ranked)[:2] == [
        (
            "plan",
            "Your catch-up plan for today",
            "1 problem for today, about 20 min · 2 more on later days",
            ("217",),
        ),
        # 242 is planned for Friday: not listed again
        (
            "roadmap",
            "This week's roadmap (week 5)",
            "6 of its 7 problems not solved yet",
            ("347", "49", "36", "295"),
        ),
    ]


def test_once_todays_plan_is_done_the_next_day_gets_ahead(curriculum: Curriculum) -> None:
    plan = Plan(
        5,
        date(2027, 2, 3),
        date(2027, 2, 7),
        (
            PlanItem(date(2027, 2, 3), "block_b", "217", "easy", 20),
            PlanItem(date(2027, 2, 4), "block_a", "242", "easy", 20),
            PlanItem(date(2027, 2, 4), "block_a", None, "medium", 35, "Arrays & Hashing"),
            PlanItem(date(2027, 2, 6), "session", "347", "medium", 35),
        ),
    )
    done = (SolveRecord("217", date(2027, 2, 3)),)
    history = History(calendar(curriculum), TIMES, done, plan=plan)

    (first, *_) = rank_actions(curriculum, history, WED_NOON, ZONE)

    assert shown([first]) == [
        (
            "plan",
            "Get ahead on your catch-up plan: Thu 4 Feb (+1 new problem of Arrays & Hashing "
            "of your choice)",
            "today's plan is done ✅ — 2 problems, about 55 min · 1 more on later days",
            ("242",),
        )
    ]


def test_a_paused_cohort_says_so_and_offers_catching_up(curriculum: Curriculum) -> None:
    paused = calendar(curriculum, [Pause(date(2027, 2, 8), date(2027, 2, 14))])
    history = History(paused, TIMES, solves(curriculum, range(1, 5)))

    ranked = rank_actions(curriculum, history, datetime(2027, 2, 10, 12, tzinfo=UTC), ZONE)

    assert shown(ranked) == [
        (
            "paused",
            "Your cohort is paused until Sun 14 Feb",
            "posts resume Mon 15 Feb — a good time to catch up (optional)",
            (),
        ),
        (
            "roadmap",
            "This week's roadmap (week 5)",
            "6 of its 7 problems not solved yet",
            ("217", "242", "347", "49", "36", "295"),
        ),
        W5_DELIVERABLES,
        ANKI,
    ]


def test_week_16_has_its_weekend_block_and_old_gaps(curriculum: Curriculum) -> None:
    done = tuple(s for s in solves(curriculum, range(1, 13)) if s.problem_key != "695")
    history = History(calendar(curriculum), TIMES, done)
    now = datetime(2027, 4, 24, 8, 30, tzinfo=UTC)  # Sat of week 16, 10:30 in Berlin

    ranked = rank_actions(curriculum, history, now, ZONE)

    assert shown(ranked) == [
        (
            "block",
            "Block-A 10:00–11:30 — Job-search batch: Send referral asks to 5 LinkedIn contacts "
            "(templated msg).",
            "Block-A is on now (2 tasks)",
            (),
        ),
        ("roadmap", "Catch up on week 12", "1 of its 6 problems still unsolved", ("695",)),
        (
            "deliverable",
            "Tick off: Final résumé update: stats, projects, OSS PRs (+5 more)",
            "6 of this week's 6 deliverables not ticked — `/done` ticks one",
            (),
        ),
        ANKI,
    ]


def test_after_every_problem_is_solved_nothing_is_due(curriculum: Curriculum) -> None:
    history = History(
        calendar(curriculum),
        TIMES,
        solves(curriculum, range(1, 17)),
        done_items=frozenset(d.id for d in curriculum.week(14).deliverables),
        active_days=frozenset({date(2027, 4, 7)}),
    )

    ranked = rank_actions(curriculum, history, datetime(2027, 4, 7, 12, tzinfo=UTC), ZONE)

    assert shown(ranked) == [
        (
            "clear",
            "You're all caught up",
            "every roadmap problem so far is solved and nothing is due — try a contest or a "
            "harder problem of this week's pattern",
            (),
        )
    ]
    assert top_problem(ranked) is None


def test_before_the_start_only_the_countdown_and_anki(curriculum: Curriculum) -> None:
    history = History(calendar(curriculum), TIMES)

    ranked = rank_actions(curriculum, history, datetime(2027, 1, 1, 12, tzinfo=UTC), ZONE)

    assert shown(ranked) == [
        (
            "waiting",
            "Week 1 starts Mon 4 Jan",
            "in 3 days — until then, reviews and Anki keep you warm",
            (),
        ),
        ANKI,
    ]


@pytest.mark.parametrize(
    ("revisits", "today", "due"),
    [
        ((), date(2027, 2, 2), []),  # day 2: not yet
        ((), date(2027, 2, 3), [(1, date(2027, 2, 3))]),  # day 3
        ((date(2027, 2, 3),), date(2027, 2, 6), []),
        ((date(2027, 2, 3),), date(2027, 2, 7), [(2, date(2027, 2, 7))]),  # day 7
        ((date(2027, 2, 3), date(2027, 2, 7)), date(2027, 2, 20), []),
        ((date(2027, 2, 3), date(2027, 2, 7)), date(2027, 2, 21), [(3, date(2027, 2, 21))]),
        ((date(2027, 2, 3), date(2027, 2, 7), date(2027, 2, 21)), date(2027, 6, 1), []),
    ],
)
def test_revisits_come_at_3_7_and_21_days(
    revisits: tuple[date, ...], today: date, due: list[tuple[int, date]]
) -> None:
    first = SolveRecord("15", date(2027, 1, 31), 20, "medium", "guided")
    later = [SolveRecord("15", d, 15, "medium", "revisit") for d in revisits]

    found = due_revisits([first, *later], today)

    assert [(r.step, r.due) for r in found] == due


def test_a_slow_solve_is_revisited_and_a_slow_revisit_restarts_the_ladder() -> None:
    usual = [SolveRecord(str(n), date(2027, 1, 20), 20, "medium", "unguided") for n in (1, 2, 3)]
    slow = SolveRecord("4", date(2027, 1, 25), 30, "medium", "unguided")  # 30 ≥ 1.5 × 20
    fine = SolveRecord("5", date(2027, 1, 25), 29, "medium", "unguided")

    (found,) = due_revisits([*usual, slow, fine], date(2027, 1, 28))

    assert (found.key, found.step) == ("4", 1)
    assert found.why == "took 30 min on Mon 25 Jan, your median for medium is 20"
    again = SolveRecord("4", date(2027, 1, 28), 45, "medium", "revisit")  # slow again
    assert due_revisits([*usual, slow, fine, again], date(2027, 1, 30)) == []
    assert [r.step for r in due_revisits([*usual, slow, fine, again], date(2027, 1, 31))] == [1]
