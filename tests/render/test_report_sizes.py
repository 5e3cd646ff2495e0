"""Every report the bot sends fits Discord's limits, for groups of 1, 8, 50 and 500 members,
in every program week, with hostile display names and maximum-length notes.

The reports are built by the same functions the bot uses (``day_post_report``,
``recap_report``, ``member_recap_sections``, ``leaderboard_report`` …) from synthetic member
statistics, then fitted by ``bot.render.fit`` and checked against every limit.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.calendar import CohortCalendar, InProgram
from bot.core.coach import rank_actions
from bot.core.forecast import forecast_milestone, upcoming
from bot.core.forecast_window import past_stats, window
from bot.core.history import History
from bot.core.pattern_data import OopsRecord
from bot.core.patterns import GroupPattern, diagnose
from bot.core.plan import build_plan
from bot.core.posts import plan_post, slots_for
from bot.core.ranking import rank
from bot.core.roadmap import SolveRecord
from bot.core.schedule import DueSlot, PostTimes
from bot.core.stats import MemberStats, evaluate
from bot.models import Entry, EntryKind, OopsReview
from bot.render.coach import next_text
from bot.render.coach_recap import coaching_section, member_coaching_sections
from bot.render.entries import entry_line, public_solve_line
from bot.render.fit import MAX_MESSAGES, OutMessage, Report, fit, text_messages, violations
from bot.render.forecast import forecast_sections
from bot.render.member_recap import member_recap_sections
from bot.render.milestones import milestone_section
from bot.render.nudges import MAX_NUDGES, buddy_alert_text
from bot.render.patterns import patterns_sections
from bot.render.plan import plan_sections
from bot.render.standings import leaderboard_report
from bot.scheduling.compose import day_post_report, recap_report
from bot.scheduling.pipeline import catch_up_report
from bot.scheduling.reviews import review_text
from bot.services.coach import PlanView
from bot.services.coach_recap import MemberCoaching, PlanProgress, RecapCoaching
from bot.services.logbook import SolveInput, log_oops, log_solve
from bot.services.progress import item_titles, member_context, record
from bot.services.recap import CohortReport, build_week_report, item_categories
from bot.services.standings import Board, Leaderboard, Period
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

SIZES = (1, 8, 50, 500)
WEEKS = tuple(range(1, 17))
START = date(2027, 1, 4)
ZONE = ZoneInfo("Europe/Berlin")
ROLE = 987654321098765432
HOSTILE = [
    "**Bold** _it_ `code` ~~x~~ ||spoiler|| @everyone <@123456789012345678> ",
    "👩‍👩‍👧‍👦🇩🇪🏳️‍🌈 Zoë é ‮RTL‬ ",
    "[link](https://example.com) > quote # heading * ",
    "\\\\\\\\ backslashes and _____ underscores ",
]
NOTE = ("**@here** <@&1> `x` ~~y~~ " * 40)[:500]  # a 500-character note full of markup


def long_name(i: int) -> str:
    return (HOSTILE[i % len(HOSTILE)] * 4)[:95] + f" {i}"


def calendar(curriculum: Curriculum) -> CohortCalendar:
    phases = {w: curriculum.weeks[w].phase for w in curriculum.weeks}
    return CohortCalendar(start=START, zone=ZONE, weeks=curriculum.week_count, phases=phases)


def synthetic_stats(n: int, week: int, curriculum: Curriculum, cal: CohortCalendar) -> dict:
    rng = random.Random(n * 100 + week)
    items = [d.id for w in range(1, week + 1) for d in curriculum.week(w).deliverables]
    stats = {}
    for i in range(n):
        s = MemberStats(i + 1, 10**17 + i, long_name(i), week)
        for w in range(1, week + 1):
            s.first_solves[w] = [rng.randint(0, 6), rng.randint(0, 8), rng.randint(0, 3)]
        s.kind_total = {"solve": 200, "ledger": rng.randint(0, 40), "oops": 30}
        s.kind_week = {"solve": 12, "ledger": rng.randint(0, 7)}
        days = [cal.date_of(w, d) for w in range(1, week + 1) for d in ("mon", "wed", "sat")]
        s.active_days = sorted(set(days if i % 3 else [cal.date_of(week, "sun")]))
        s.done_items = set(rng.sample(items, k=len(items) // 2)) if items else set()
        s.done_this_week = set(list(s.done_items)[:2])
        # some members with no mock yet, some short of the roadmap's goals, some past them
        s.mocks = (
            [("dsa", "strong_hire", week, 2 + i % 3), ("system_design", "hire", week, i % 2)]
            if i % 4
            else []
        )
        s.best_percentile = 12.5
        s.week_best_percentile = 33.3
        s.anki_mature = 140
        s.anki_added = 200
        s.anki_days = s.active_days
        s.minutes_hist = {15: 10, 25: 8, 45: 3}
        s.week_oops = (NOTE, NOTE)
        s.week_win = NOTE[:200]
        # study sessions: every block checked in, long hours in study rooms (the widest lines)
        s.blocks_week = {"block_a": 7, "block_b": 7, "session": 2}
        s.study_seconds = {w: 3600 * rng.randint(0, 99) + 3599 for w in range(1, week + 1)}
        stats[s.member_id] = s
    return stats


def report_for(n: int, week: int, curriculum: Curriculum) -> CohortReport:
    cal = calendar(curriculum)
    now = datetime.combine(cal.date_of(week, "sun"), datetime.min.time(), UTC) + timedelta(hours=19)
    stats = synthetic_stats(n, week, curriculum, cal)
    return build_week_report("Cohort " + HOSTILE[0], 1, week, curriculum, cal, stats, now)


def check(messages: list[OutMessage]) -> None:
    assert messages
    assert len(messages) <= MAX_MESSAGES
    for m in messages:
        assert violations(m) == [], violations(m)
        text = "\n".join(f.value or "" for e in m.embeds for f in e.fields)
        assert "cut short" not in text  # every section is bounded by its own renderer


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("week", WEEKS)
def test_recap_milestones_and_leaderboard_fit(curriculum: Curriculum, n: int, week: int) -> None:
    report = report_for(n, week, curriculum)
    late = "Posted late · was due 18:00 UTC"
    check(fit(recap_report(report, role_id=ROLE, footer=late, chart=b"\x89PNG" + b"0" * 200_000)))
    program = curriculum.program
    for m in report.members[:3]:
        title = f"Week {week} Recap — {m.name}"
        check(fit(Report(title, member_recap_sections(report, m, program))))
    categories = item_categories(curriculum)
    stats = synthetic_stats(1, week, curriculum, calendar(curriculum))[1]
    sections = [
        milestone_section(
            evaluate(ms, stats, categories), due=True, name=f"Week {ms.week}", program=program
        )
        for ms in curriculum.targets.milestones
    ]
    check(fit(Report("🏁 Milestones — " + long_name(0), sections)))
    rows = rank([(r.stats, float(r.stats.unique_total)) for r in report.members])
    for metric in Board:
        board = Leaderboard(Period.ALL, metric, (1, week), rows)
        check(fit(leaderboard_report(board, me=report.members[-1].stats.member_id)))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("week", WEEKS)
def test_every_day_post_with_nudges_fits(curriculum: Curriculum, n: int, week: int) -> None:
    cal = calendar(curriculum)
    ids = [10**17 + i for i in range(n)]
    for weekday in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        pos = cal.position(cal.date_of(week, weekday))
        assert isinstance(pos, InProgram)
        for slot in slots_for(pos, curriculum):
            post = plan_post(pos, slot, curriculum)
            nudged = ids[:MAX_NUDGES] if slot == "block_a" else []
            report = day_post_report(
                post,
                role_id=ROLE,
                footer="Posted late · was due 06:00 UTC",
                nudge_ids=nudged,
                more_nudges=n - len(nudged) if nudged else 0,
            )
            messages = fit(report)
            check(messages)
            if nudged:
                assert all(f"<@{u}>" in (messages[0].content or "") for u in nudged)


def test_catch_up_after_three_weeks_down_fits(curriculum: Curriculum) -> None:
    cal = calendar(curriculum)
    missed = []
    for offset in range(21):
        day = cal.date_of(3, "mon") + timedelta(days=offset)
        pos = cal.position(day)
        assert isinstance(pos, InProgram)
        for slot in slots_for(pos, curriculum):
            due = datetime.combine(day, datetime.min.time(), UTC)
            missed.append(DueSlot(due, len(missed), day, slot, pos))
    (message,) = fit(catch_up_report(missed))
    check([message])
    (field,) = message.embeds[0].fields
    lines = field.value.splitlines()
    assert lines[0] == "…7 earlier days before these" and len(lines) == 15


def test_direct_messages_fit() -> None:
    check(text_messages(buddy_alert_text(long_name(1) * 3, date(2027, 2, 3))))


async def test_log_pages_review_dms_and_public_lines_fit(db: str, curriculum: Curriculum) -> None:

    cohort = await make_cohort(1 << 22, 2)
    member = await join(cohort, 3)
    member.display_name = long_name(0)
    await member.save()
    now = datetime(2027, 2, 3, 12, tzinfo=UTC)
    ctx = await member_context(1 << 22, 3, curriculum, now)
    hostile = ("**@here** <@&1> `x` " * 40)[:500]
    solved = await log_solve(
        ctx, curriculum, SolveInput("3999", 600, "hard", "cpp", "guided", None, hostile)
    )
    oops = await log_oops(ctx, curriculum, hostile, hostile, problem="3999")
    for kind in (EntryKind.LEDGER, EntryKind.WIN, EntryKind.CARD):
        await record(ctx, kind, ctx.today, text=(hostile * 2)[:1000], lesson=hostile)
    titles = item_titles(curriculum)
    rows = await Entry.filter(member_id=member.id).order_by("-id")
    page = "\n".join(
        [f"**{long_name(0)}'s log** · {len(rows)} entries · page 1/1"]
        + [entry_line(r, titles) for r in rows[:10]]
    )
    check(text_messages(page))
    assert len(text_messages(page)) == 1  # a /log page is one message
    check(text_messages(public_solve_line(long_name(0), solved)))
    review = await OopsReview.filter(entry_id=oops.entry.id).select_related("entry").first()
    assert review is not None
    (dm,) = text_messages(review_text(review))
    check([dm])


# -- the coach (issue 16): /next, /patterns, /plan, forecasts and the recap's coaching ---------
def synthetic_coaching(report: CohortReport, curriculum: Curriculum) -> RecapCoaching:
    """Every member with a forecast of the next milestone, a long weakest-pattern reason and
    (every other one) a catch-up plan."""
    cal = calendar(curriculum)
    ahead = upcoming(curriculum, report.week, include_current=False)
    milestone = ahead[0] if ahead else None
    win = window(cal, report.as_of, milestone.week if milestone else report.week)
    categories = item_categories(curriculum)
    members = {}
    for i, m in enumerate(report.members):
        s = m.stats
        forecast = None
        if milestone is not None:
            past = past_stats(s, win.past_week, None)
            forecast = forecast_milestone(
                milestone, s, past, win, curriculum=curriculum, categories=categories
            )
        weakest = "Graphs (BFS/DFS, Union-Find): 12 Oops, median 55 min vs 18 for the group "
        weakest += "(hard), 6 roadmap problems unsolved, 100 % guided"
        plan = PlanProgress(18, i % 19, 40, 40 - i % 19) if i % 2 == 0 else None
        members[s.member_id] = MemberCoaching(weakest, forecast, plan)
    group = GroupPattern("Prefix Sum / Intervals", 9.5, ("3.2 Oops per member", "x" * 200))
    return RecapCoaching(report.week, milestone, members, group, len(report.members) <= 12)


def hostile_history(
    curriculum: Curriculum, week: int
) -> tuple[list[SolveRecord], list[OopsRecord]]:
    solves = [
        SolveRecord(str(p.number), date(2027, 1, 5), 10 + p.number % 80, p.difficulty.value,
                    "guided" if p.number % 3 else "unguided", p.pattern)
        for p in curriculum.problems.values()
        if p.number % 2
    ]  # fmt: skip
    oops = [
        OopsRecord(p.pattern, NOTE + HOSTILE[p.number % 4]) for p in curriculum.problems.values()
    ]
    return solves, oops


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("week", WEEKS)
def test_coaching_in_recaps_and_milestones_fits(curriculum: Curriculum, n: int, week: int) -> None:
    report = report_for(n, week, curriculum)
    coaching = synthetic_coaching(report, curriculum)
    section = coaching_section(report, coaching)
    assert section is not None
    extra = [section]
    check(fit(recap_report(report, role_id=ROLE, footer=None, chart=b"0" * 100, extra=extra)))
    program = curriculum.program
    for m in report.members[:2]:
        sections = member_recap_sections(report, m, program)
        sections += member_coaching_sections(coaching, m.stats.member_id)
        check(fit(Report(f"Week {week} Recap — {m.name}", sections)))
    cal = calendar(curriculum)
    s = report.members[0].stats
    forecasts = []
    for milestone in upcoming(curriculum, week, include_current=True):
        win = window(cal, report.as_of, milestone.week)
        forecasts.append(
            forecast_milestone(
                milestone,
                s,
                past_stats(s, win.past_week, None),
                win,
                curriculum=curriculum,
                categories=item_categories(curriculum),
            )
        )
    categories = item_categories(curriculum)
    sections = [
        milestone_section(evaluate(ms, s, categories), due=True, name=f"Week {ms.week}",
                          program=program)
        for ms in curriculum.targets.milestones
        if ms.week <= week
    ]  # fmt: skip
    check(
        fit(
            Report(
                "🏁 Milestones — " + long_name(0),
                [*sections, *forecast_sections(forecasts, program)],
            )
        )
    )


@pytest.mark.parametrize("week", WEEKS)
def test_next_patterns_and_plan_fit(curriculum: Curriculum, week: int) -> None:
    cal = calendar(curriculum)
    times = PostTimes.parse("07:00", "19:00", "10:00", "sun", "20:00")
    solves, oops = hostile_history(curriculum, week)
    history = History(cal, times, tuple(solves))
    for day in ("mon", "wed", "sat"):
        when = datetime.combine(cal.date_of(week, day), datetime.min.time(), UTC)
        for hour in (6, 9, 18):
            now = when + timedelta(hours=hour)
            actions = rank_actions(curriculum, history, now, ZONE)
            for skip in (0, 3):
                shown = actions[skip : skip + 5]
                text = next_text(shown, curriculum, now=now, zone=ZONE, week=week, skipped=skip,
                                 top="3999")  # fmt: skip
                (message,) = text_messages(text)
                check([message])
    report = diagnose(curriculum, week, solves, oops, None)
    check(fit(Report("🧩 Patterns — " + long_name(1), patterns_sections(report, curriculum))))
    wednesday = datetime.combine(cal.date_of(week, "wed"), datetime.min.time(), UTC)
    result = build_plan(curriculum, History(cal, times), wednesday, ZONE, unique_now=0,
                        week_new=0, rest_days=0)  # fmt: skip
    view = PlanView(result.plan, result, frozenset({0, 2}), 3, True, result.gap, result.gap)
    description, sections = plan_sections(view, curriculum)
    check(fit(Report("🗓️ Your catch-up plan", sections, description=description)))
