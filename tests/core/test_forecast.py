"""Pace forecasts on synthetic members: ahead, on track, far behind, paused, week 16, done.

The cohort starts Mon 4 Jan 2027; week 5 ends Sun 7 Feb, week 8 (EOW-8) ends Sun 28 Feb. At
the week-5 recap the rate counts the 14 days since the end of week 3, with 21 days left.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.core.forecast import (
    Method,
    MilestoneForecast,
    Outlook,
    forecast_milestone,
    solve_projection,
    upcoming,
)
from bot.core.forecast_window import PastCounts, needed_kinds, past_stats, window
from bot.core.stats import CriterionResult, MemberStats, MilestoneResult, evaluate
from bot.services.recap import item_categories
from curriculum.loader import Curriculum
from tests.core.test_coach_next import calendar

SUNDAY_W5 = date(2027, 2, 7)


def member(weeks: dict[int, list[int]], week: int = 5, **kw: object) -> MemberStats:
    s = MemberStats(1, 100, "ada", week)
    s.first_solves = {w: list(c) for w, c in weeks.items()}
    for key, value in kw.items():
        setattr(s, key, value)
    return s


def outlooks(curriculum: Curriculum, s: MemberStats, counts: PastCounts | None, today: date):
    cal = calendar(curriculum)
    eow8 = next(m for m in curriculum.targets.milestones if m.id == "eow-8")
    win = window(cal, today, eow8.week)
    past = past_stats(s, win.past_week, counts)
    found = forecast_milestone(
        eow8, s, past, win, curriculum=curriculum, categories=item_categories(curriculum)
    )
    return found, {c.criterion.id: c for c in found.criteria}


def test_the_window_at_the_recap_and_mid_week(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    recap = window(cal, SUNDAY_W5, 8)
    assert (recap.week, recap.since, recap.days_done) == (5, date(2027, 1, 24), 14)
    assert (recap.deadline, recap.days_left, recap.past_week) == (date(2027, 2, 28), 21, 3)
    wed = window(cal, date(2027, 2, 3), 8)
    assert (wed.days_done, wed.days_left) == (10, 25)
    first = window(cal, date(2027, 1, 6), 2)  # week 1: the window starts with the program
    assert (first.since, first.days_done, first.days_left, first.past_week) == (
        date(2027, 1, 3),
        3,
        11,
        0,
    )


def test_ahead_is_on_track(curriculum: Curriculum) -> None:
    s = member(
        {1: [5, 5, 0], 2: [5, 5, 0], 3: [5, 5, 0], 4: [15, 10, 0], 5: [15, 10, 0]},
        anki_mature=30,
        best_percentile=35.0,
        done_items={"w5-mindmap-arrays-hashing"},
        item_counts={"w5-mindmap-arrays-hashing": 1},
    )
    found, by = outlooks(curriculum, s, PastCounts({"anki": 20}, 0, 10), SUNDAY_W5)

    solves = by["eow8-solves"]
    assert (solves.method, solves.current, solves.met) == (Method.RATE, 80, False)
    assert solves.rate == pytest.approx(50 / 14)
    assert solves.projected == pytest.approx(80 + 50 / 14 * 21)  # 155
    assert solves.required == pytest.approx(30 / 21)
    assert solves.outlook is Outlook.ON_TRACK
    assert by["eow8-contest"].met and by["eow8-contest"].outlook is Outlook.ON_TRACK
    assert by["eow8-anki"].projected == pytest.approx(30 + 20 / 14 * 21)  # 60: on track
    assert by["eow8-mind-maps"].projected == 4  # 1 done + weeks 6–8 still scheduled
    assert found.outlook is Outlook.ON_TRACK


def test_on_track_and_at_risk(curriculum: Curriculum) -> None:
    s = member({1: [10, 5, 0], 2: [5, 5, 0], 3: [3, 2, 0], 4: [12, 6, 0], 5: [12, 6, 0]})
    found, by = outlooks(curriculum, s, None, SUNDAY_W5)

    assert by["eow8-solves"].projected == pytest.approx(66 + 36 / 14 * 21)  # 120 ≥ 110
    assert by["eow8-solves"].outlook is Outlook.ON_TRACK
    # no contest yet: it can still come (as it stands), no Anki logged: the pace is nothing
    assert (by["eow8-contest"].method, by["eow8-contest"].outlook) == (
        Method.STANDING,
        Outlook.AT_RISK,
    )
    assert by["eow8-anki"].outlook is Outlook.OFF_TRACK
    # the mind-maps of weeks 5–8 are all still scheduled (this week's too)
    assert (by["eow8-mind-maps"].projected, by["eow8-mind-maps"].overdue) == (4, 0)
    assert by["eow8-mind-maps"].outlook is Outlook.ON_TRACK
    assert found.outlook is Outlook.OFF_TRACK  # the worst criterion's
    # a week later week 5's mind-map is overdue: catching up on it closes the gap
    _, later = outlooks(curriculum, s, None, date(2027, 2, 10))
    assert (later["eow8-mind-maps"].projected, later["eow8-mind-maps"].overdue) == (3, 1)
    assert later["eow8-mind-maps"].outlook is Outlook.AT_RISK


def test_half_the_needed_pace_is_at_risk_less_is_off_track(curriculum: Curriculum) -> None:
    half = member({1: [20, 0, 0], 3: [10, 0, 0], 4: [10, 0, 0], 5: [15, 0, 0]})
    _, by = outlooks(curriculum, half, None, SUNDAY_W5)
    # 55 now, +25 in 14 days → 55 + 37.5 = 92.5: short of 110, but ≥ 55 + 27.5
    assert by["eow8-solves"].projected == pytest.approx(92.5)
    assert by["eow8-solves"].outlook is Outlook.AT_RISK

    behind = member({1: [10, 0, 0], 2: [8, 0, 0], 4: [1, 0, 0], 5: [1, 0, 0]})
    _, by = outlooks(curriculum, behind, None, SUNDAY_W5)
    assert by["eow8-solves"].projected == pytest.approx(20 + 2 / 14 * 21)  # 23
    assert by["eow8-solves"].required == pytest.approx(90 / 21)
    assert by["eow8-solves"].outlook is Outlook.OFF_TRACK


def test_shares_project_the_recent_mix(curriculum: Curriculum) -> None:
    eow12 = next(m for m in curriculum.targets.milestones if m.id == "eow-12")
    s = member({1: [10, 10, 0], 4: [5, 0, 0], 5: [5, 0, 0]})  # 20 easy, 10 medium
    cal = calendar(curriculum)
    win = window(cal, SUNDAY_W5, eow12.week)  # 49 days left
    found = forecast_milestone(
        eow12,
        s,
        past_stats(s, win.past_week, None),
        win,
        curriculum=curriculum,
        categories=item_categories(curriculum),
    )
    medium = next(c for c in found.criteria if c.criterion.id == "eow12-medium")

    easy_then = 20 + 10 / 14 * 49  # only easies lately: the medium share falls
    assert medium.projected == pytest.approx(100 * 10 / (easy_then + 10))
    assert medium.rate == 0  # 0 % of the recent solves were medium
    assert medium.outlook is Outlook.OFF_TRACK


def test_a_paused_cohort_counts_only_program_days(curriculum: Curriculum) -> None:
    from bot.core.calendar import Pause

    cal = calendar(curriculum, [Pause(date(2027, 2, 8), date(2027, 2, 14))])
    win = window(cal, date(2027, 2, 10), 8)  # in the pause

    assert win.week == 5  # a paused day counts towards the week before the pause
    assert (win.days_done, win.deadline, win.days_left) == (14, date(2027, 3, 7), 21)


def test_week_16_final_checklist(curriculum: Curriculum) -> None:
    final = next(m for m in curriculum.targets.milestones if m.id == "final")
    anki = [date(2027, 4, 21) - timedelta(days=i) for i in range(25)]  # 25 days up to today
    s = member(
        {w: [6, 10, 3] for w in range(1, 17)},
        week=16,
        anki_days=anki,
        mocks=[("dsa", "strong_hire", 14, 2), ("system_design", "hire", 15, 1)],
        item_counts={"w16-applications": 4},
        done_items={"w16-applications"},
    )
    cal = calendar(curriculum)
    win = window(cal, date(2027, 4, 21), 16)  # Wed of week 16: 4 days left
    found = forecast_milestone(
        final,
        s,
        past_stats(s, win.past_week, None),
        win,
        curriculum=curriculum,
        categories=item_categories(curriculum),
    )
    by = {c.criterion.id: c for c in found.criteria}

    assert (win.days_done, win.days_left) == (10, 4)
    assert by["final-solves"].met  # 304 unique
    assert by["final-medium"].current == pytest.approx(100 * 160 / 304)
    assert by["final-mocks-dsa"].met and by["final-mocks-sd"].met
    assert by["final-mocks"].outlook is Outlook.OFF_TRACK  # 3 of 5, none lately
    streak = by["final-anki-streak"]
    assert (streak.method, streak.projected, streak.outlook) == (
        Method.STREAK,
        29,
        Outlook.OFF_TRACK,
    )
    # the applications are this week's: 4 logged, the other 6 still scheduled
    assert (by["final-outreach"].projected, by["final-outreach"].outlook) == (10, Outlook.ON_TRACK)


def test_after_everything_is_done_every_criterion_is_met(curriculum: Curriculum) -> None:
    eow2 = next(m for m in curriculum.targets.milestones if m.id == "eow-2")
    s = member(
        {1: [10, 4, 0], 2: [2, 2, 0]}, week=2, minutes_hist={10: 9}, kind_total={"ledger": 12}
    )
    cal = calendar(curriculum)
    win = window(cal, date(2027, 1, 17), 2)
    found = forecast_milestone(
        eow2,
        s,
        past_stats(s, win.past_week, None),
        win,
        curriculum=curriculum,
        categories=item_categories(curriculum),
    )

    assert found.met == 3 and found.outlook is Outlook.ON_TRACK
    assert win.days_left == 0


def test_upcoming_and_what_they_need(curriculum: Curriculum) -> None:
    ids = [m.id for m in upcoming(curriculum, 8, include_current=True)]
    assert ids == ["eow-8", "eow-12", "phase-4-exit", "final"]
    assert next(m.id for m in upcoming(curriculum, 8, include_current=False)) == "eow-12"
    assert needed_kinds(upcoming(curriculum, 1, include_current=True)[:1]) == ["ledger"]
    assert upcoming(curriculum, 16, include_current=False) == []


def test_the_solve_projection_for_the_chart(curriculum: Curriculum) -> None:
    s = member({1: [7, 0, 0], 4: [7, 0, 0], 5: [7, 0, 0]})  # 21 now, +14 in 14 days
    cal = calendar(curriculum)
    win = window(cal, SUNDAY_W5, 16)

    ahead = solve_projection(s, past_stats(s, 3, None), win, cal)

    assert ahead[5] == 21 and ahead[6] == 28 and ahead[16] == 21 + 77


def test_an_evaluation_already_made_gives_the_same_forecast(curriculum: Curriculum) -> None:
    """The board and the recap pass their own evaluation of the milestone: its values are
    used as the current ones (not computed again); one of another milestone is ignored."""
    s = member(
        {1: [5, 5, 0], 2: [5, 5, 0], 3: [5, 5, 0], 4: [5, 6, 1], 5: [4, 5, 2]},
        anki_mature=30,
        minutes_hist={12: 20, 30: 5},
        done_items={"w5-mindmap-arrays-hashing"},
        item_counts={"w5-mindmap-arrays-hashing": 1},
        mocks=[("dsa", "hire", 4, 1)],
    )
    cal = calendar(curriculum)
    categories = item_categories(curriculum)
    by_id = {m.id: m for m in curriculum.targets.milestones}
    eow8, eow2 = by_id["eow-8"], by_id["eow-2"]
    win = window(cal, date(2027, 2, 3), eow8.week)
    past = past_stats(s, win.past_week, PastCounts({"anki": 20}, 0, 10))

    def forecast(evaluated: MilestoneResult | None) -> MilestoneForecast:
        return forecast_milestone(
            eow8,
            s,
            past,
            win,
            curriculum=curriculum,
            categories=categories,
            evaluated=evaluated,
        )

    fresh = forecast(None)
    assert forecast(evaluate(eow8, s, categories)) == fresh
    assert forecast(evaluate(eow2, s, categories)) == fresh  # another milestone: not used
    # the values given are the ones used (a stale evaluation would show)
    result = evaluate(eow8, s, categories)
    first = result.results[0]
    changed = MilestoneResult(
        eow8, (CriterionResult(first.criterion, 999.0, True), *result.results[1:])
    )
    assert forecast(changed).criteria[0].current == 999.0
    assert fresh.criteria[0].current == first.value
