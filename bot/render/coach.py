"""How the coach reads: ``/next``, ``/patterns``, ``/plan``, forecasts, the recap's coaching.

Every list is bounded (problems per suggestion, lines per section, members per recap), user
text (display names, Oops lessons) goes through :func:`bot.render.entries.safe`, and reports
are fitted by :mod:`bot.render.fit`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.core.checklist import checklist_milestone
from bot.core.coach import Action, ActionKind, Plan, problem_label
from bot.core.forecast import (
    OUTLOOK_ICONS,
    CriterionForecast,
    Method,
    MilestoneForecast,
    Outlook,
    solve_projection,
)
from bot.core.patterns import PatternReport
from bot.core.posts import SLOT_LABELS
from bot.core.progress import target_points
from bot.core.roadmap import day_text
from bot.core.stats import metric_text, need_text
from bot.core.text import plural
from bot.render.entries import safe
from bot.render.fit import CONTENT_MAX, Attachment, Report, Section, shorten
from bot.render.progress_data import ProgressChartData
from bot.services.coach import MemberOutlook, PlanView
from bot.services.coach_recap import RecapCoaching
from bot.services.recap import CohortReport
from curriculum.loader import Curriculum
from curriculum.schema import Criterion, Metric, Milestone, Program

ACTION_ICONS = {
    ActionKind.BLOCK: "⏱️",
    ActionKind.REVIEW: "🙈",
    ActionKind.PLAN: "🗓️",
    ActionKind.ROADMAP: "🧩",
    ActionKind.REVISIT: "↺",
    ActionKind.DELIVERABLE: "✅",
    ActionKind.ANKI: "🗂️",
    ActionKind.REST: "🌴",
    ActionKind.PAUSED: "⏸️",
    ActionKind.WAITING: "⏳",
    ActionKind.CLEAR: "🎉",
}
PROBLEMS_SHOWN = 3  # problems listed per suggestion
ACTION_LINE = 330  # characters per suggestion line
SMALL_GROUP = 12  # the channel recap's own bound for per-member lines
FORECAST_LINES = 8  # unmet criteria shown per milestone forecast
METHOD = (
    "Projection: your pace since the end of week {past} ({days} program days) continued to "
    "each deadline; shares from the mix of those solves; median time and contest percentile "
    "as they stand; deliverables the roadmap still schedules assumed done on time."
)


# -- /next -----------------------------------------------------------------------------------
def problems_text(keys: Sequence[str], curriculum: Curriculum, shown: int = PROBLEMS_SHOWN) -> str:
    # Catalogue titles (roadmap data) or keys of [a-z0-9-]: nothing a member typed.
    labels = [shorten(problem_label(k, curriculum), 70) for k in keys[:shown]]
    more = len(keys) - shown
    return ", ".join(labels) + (f" (+{more} more)" if more > 0 else "")


def action_lines(i: int, action: Action, curriculum: Curriculum) -> list[str]:
    icon = ACTION_ICONS.get(action.kind, "•")
    head = f"**{i}.** {icon} **{shorten(action.title, 160)}**"  # roadmap text, no user text
    if action.problems:
        head += f" — {problems_text(action.problems, curriculum)}"
    return [shorten(head, ACTION_LINE), shorten(f"　↳ {action.reason}", ACTION_LINE)]


def next_text(
    actions: Sequence[Action],
    curriculum: Curriculum,
    *,
    now: datetime,
    zone: ZoneInfo,
    week: int | None,
    skipped: int = 0,
    top: str | None = None,
    more: bool = True,
) -> str:
    """The ``/next`` answer: at most five suggestions with their reasons (≤ 2,000 chars);
    the buttons' hint names only those shown (``top``: Solved it's problem; ``more``: Skip)."""
    local = now.astimezone(zone)
    where = f" · week {week}" if week else ""
    head = f"**🧭 What to do next** · {day_text(local.date())}, {local:%H:%M}{where}"
    if skipped:
        head += f" · {plural(skipped, 'suggestion')} skipped"
    lines = [head]
    if not actions:
        lines.append("That's every suggestion for now — run `/next` again to start over.")
    for i, action in enumerate(actions, start=1 + skipped):
        lines += action_lines(i, action, curriculum)
    hints = []
    if top is not None:
        label = shorten(problem_label(top, curriculum), 80)
        hints.append(f"**Solved it** logs {label} (asks the minutes)")
    if more:
        hints.append("**Skip** shows the next suggestion")
    if hints:
        lines.append("-# " + " · ".join(hints))
    return shorten("\n".join(lines), CONTENT_MAX)


# -- /patterns -------------------------------------------------------------------------------
def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}".replace("%", " %")


def _min(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def patterns_sections(report: PatternReport, curriculum: Curriculum) -> list[Section]:
    """``/patterns``: the ranking with reasons, the next problems, then each pattern."""
    sections = []
    if report.needs_work:
        ranking = [f"{i}. {safe(r.reason, 300)}" for i, r in enumerate(report.needs_work, 1)]
    else:
        ranking = ["Nothing stands out so far — no Oops, slow solves or unsolved roadmap problems."]
    sections.append(Section("🛠️ Needs work", ranking, limit=5, more="…and {n} more"))
    weakest = report.weakest
    if weakest is not None:
        picks = [
            f"{shorten(problem_label(k, curriculum), 90)} ({_difficulty(k, curriculum)})"
            for k in report.next_problems
        ] or ["Every problem of this pattern is solved — revisit the ones that were hard."]
        sections.append(Section(f"🎯 Next for {safe(weakest.pattern, 100)}", picks))
    for row in report.rows:
        lines = [
            f"Roadmap **{row.solved}/{row.named}** solved · {row.unique} unique · "
            f"{plural(row.solves, 'solve')} · {_share(row.guided_share)} guided · "
            f"{plural(row.oops, 'Oops', 'Oops')}"
        ]
        times = [
            f"{t.difficulty} **{_min(t.mine)} min** (you {_min(t.overall)} · group {_min(t.group)})"
            for t in row.timings
        ]
        if times:
            lines.append("⏱️ median " + " · ".join(times))
        if row.words:
            lines.append("📝 lessons: " + safe(" · ".join(row.words), 120))
        sections.append(Section(safe(row.pattern, 100), lines))
    return sections


def _difficulty(key: str, curriculum: Curriculum) -> str:
    known = curriculum.problems.get(int(key)) if key.isdigit() else None
    return known.difficulty.value if known else "?"


# -- forecasts -------------------------------------------------------------------------------
def _value(c: CriterionForecast, value: float | None) -> str:
    if value is None:
        return "—"
    if c.method in (Method.RATE, Method.SCHEDULE, Method.STREAK):
        return metric_text(round(value), c.criterion.metric)
    return metric_text(value, c.criterion.metric)


def criterion_forecast_line(c: CriterionForecast, deadline: date) -> str:
    """``🔴 110 problems solved: **28** now → ~52 by Sun 28 Feb (≥ 110) · you add 12/wk,
    need 23/wk``."""
    label = safe(c.criterion.label, 110)
    need = need_text(c.criterion)
    if c.met:
        return f"✅ {label}: **{_value(c, c.current)}** ({need}) — met"
    icon = OUTLOOK_ICONS[c.outlook]
    if c.method is Method.STANDING:
        return f"{icon} {label}: **{_value(c, c.current)}** as it stands ({need})"
    head = (
        f"{icon} {label}: **{_value(c, c.current)}** now → ~{_value(c, c.projected)} by "
        f"{day_text(deadline)} ({need})"
    )
    rate, required = c.per_week
    if c.method is Method.RATE and rate is not None:
        head += f" · you add {rate:.1f}/wk"
        if required is not None:
            head += f", need {required:.1f}/wk"
    elif c.method is Method.SHARE and c.rate is not None:
        head += f" · {c.rate:.0f} % of your recent solves"
    elif c.method is Method.SCHEDULE:
        if c.overdue:
            head += f" · {c.overdue} overdue"
    elif c.method is Method.STREAK:
        head += " · review every day"
    return head


def forecast_head(f: MilestoneForecast) -> str:
    w = f.window
    outlook = f.outlook
    left = plural(w.days_left, "program day")
    return (
        f"{OUTLOOK_ICONS[outlook]} **{safe(f.milestone.title, 90)}** (week {f.milestone.week}, "
        f"{day_text(w.deadline)}) — {outlook.value} · {f.met}/{len(f.criteria)} met · {left} left"
    )


def forecast_lines(f: MilestoneForecast, limit: int = FORECAST_LINES) -> list[str]:
    """The head, then unmet criteria worst first (bounded), then how many are met."""
    order = (Outlook.OFF_TRACK, Outlook.AT_RISK, Outlook.ON_TRACK)
    unmet = sorted((c for c in f.criteria if not c.met), key=lambda c: order.index(c.outlook))
    lines = [forecast_head(f)]
    lines += [criterion_forecast_line(c, f.window.deadline) for c in unmet[:limit]]
    if len(unmet) > limit:
        lines.append(f"…and {len(unmet) - limit} more not met yet")
    if f.met:
        lines.append(f"✅ {plural(f.met, 'criterion', 'criteria')} already met")
    return lines


def checklist_forecast_lines(f: MilestoneForecast, program: Program) -> list[str]:
    """The final checklist row by row: each row's worst outlook and its weakest criterion."""
    by_id = {c.criterion.id: c for c in f.criteria}
    order = (Outlook.ON_TRACK, Outlook.AT_RISK, Outlook.OFF_TRACK)
    lines = [forecast_head(f)]
    for row in program.final_checklist:
        crits = [by_id[c] for c in row.criteria if c in by_id]
        if not crits:
            continue
        if all(c.met for c in crits):
            lines.append(f"☑ **{safe(row.section, 60)}** — met")
            continue
        worst = max((c for c in crits if not c.met), key=lambda c: order.index(c.outlook))
        detail = criterion_forecast_line(worst, f.window.deadline)
        lines.append(f"☐ **{safe(row.section, 60)}** · {detail}")
    return lines


def forecast_sections(forecasts: Sequence[MilestoneForecast], program: Program) -> list[Section]:
    """``/milestones``: one forecast per milestone still ahead (the final one by checklist
    row), and how the projection is made."""
    if not forecasts:
        return []
    final = checklist_milestone(program, [f.milestone for f in forecasts])
    final_id = final.id if final is not None else None
    sections = []
    for f in forecasts:
        lines = (
            checklist_forecast_lines(f, program)
            if f.milestone.id == final_id
            else forecast_lines(f)
        )
        sections.append(Section(f"📈 Forecast · {safe(f.milestone.title, 80)}", lines, limit=14))
    w = forecasts[0].window
    sections.append(
        Section("How the forecast works", [METHOD.format(past=w.past_week, days=w.days_done)])
    )
    return sections


# -- /plan -----------------------------------------------------------------------------------
def plan_lines(plan: Plan, done: frozenset[int], curriculum: Curriculum) -> list[str]:
    """One line per day: its blocks and problems, ✅ for those done; rest days marked."""
    days = sorted({it.day for it in plan.items} | set(plan.rest_days))
    lines = []
    for day in days:
        if day in plan.rest_days:
            lines.append(f"🌴 **{day_text(day)}** — rest day")
            continue
        parts = []
        for i, it in enumerate(plan.items):
            if it.day != day:
                continue
            mark = "✅ " if i in done else ""
            if it.key is None:
                what = f"any new {it.difficulty} problem" + (
                    f" ({safe(it.pattern, 60)})" if it.pattern else ""
                )
            else:
                what = shorten(problem_label(it.key, curriculum), 70)
            parts.append(f"{mark}{SLOT_LABELS.get(it.slot, it.slot)}: {what} ~{it.minutes} min")
        minutes = sum(it.minutes for it in plan.items if it.day == day)
        lines.append(f"**{day_text(day)}** ({minutes} min) — " + " · ".join(parts))
    return lines


def plan_sections(view: PlanView, curriculum: Curriculum) -> tuple[str, list[Section]]:
    """(description, sections) of ``/plan``."""
    if view.plan is None:
        note = view.result.note if view.result else "No plan."
        return note, []
    plan = view.plan
    done = len(view.done)
    head = [
        f"Week {plan.week} · {day_text(plan.starts_on)} – {day_text(plan.ends_on)} · "
        f"**{done}/{len(plan.items)}** done"
    ]
    if view.result is not None:
        head.append(view.result.note)
    if view.gap_before is not None and view.gap_now is not None and not view.created:
        head.append(
            f"Gap to the roadmap's pace: {view.gap_before} when planned → "
            f"**{max(0, view.gap_now)}** now"
        )
    head.append("`/next` walks you through it; **Solved it** there ticks a problem off.")
    return "\n".join(head), [Section("🗓️ The plan", plan_lines(plan, view.done, curriculum))]


# -- the weekly recap ------------------------------------------------------------------------
def _plan_text(planned: int, done: int, before: int, now: int) -> str:
    return f"plan {done}/{planned} done · gap {max(0, before)} → {max(0, now)}"


def coaching_section(report: CohortReport, coaching: RecapCoaching) -> Section | None:
    """The channel recap's coaching: the next milestone's outlook, the group's weakest
    pattern, catch-up plans; every member's line in small groups."""
    lines = []
    if coaching.milestone is not None:
        outlooks = Counter(
            c.forecast.outlook for c in coaching.members.values() if c.forecast is not None
        )
        counts = " · ".join(
            f"{OUTLOOK_ICONS[o]} {outlooks[o]} {o.value}" for o in Outlook if outlooks[o]
        )
        ms = coaching.milestone
        lines.append(
            f"📈 Next milestone **{safe(ms.title, 80)}** (week {ms.week}): {counts or 'no members'}"
            " — `/milestones` shows your forecast"
        )
    if coaching.group_weakest is not None:
        lines.append(f"🧩 The group's weakest pattern: {safe(coaching.group_weakest.reason, 300)}")
    plans = [c.plan for c in coaching.members.values() if c.plan is not None]
    if plans:
        lines.append(
            f"🗓️ Catch-up plans: {plural(len(plans), 'member')}, "
            f"{sum(p.done for p in plans)} of {sum(p.planned for p in plans)} planned problems "
            f"done; their gap to the roadmap {sum(max(0, p.gap_before) for p in plans)} → "
            f"{sum(max(0, p.gap_now) for p in plans)}"
        )
    if coaching.detailed and len(report.members) <= SMALL_GROUP:
        for m in report.members:
            c = coaching.members.get(m.stats.member_id)
            if c is None:
                continue
            parts = [f"**{safe(m.name, 40)}**"]
            if c.weakest:
                parts.append(f"weakest {safe(c.weakest, 140)}")
            if c.forecast is not None:
                parts.append(f"{OUTLOOK_ICONS[c.forecast.outlook]} {c.forecast.outlook.value}")
            if c.plan is not None:
                parts.append(
                    _plan_text(c.plan.planned, c.plan.done, c.plan.gap_before, c.plan.gap_now)
                )
            lines.append(" · ".join(parts))
    elif report.members:
        lines.append("Your own weakest pattern: `/patterns` · your plan: `/plan`")
    return Section("🧭 Coaching", lines, limit=SMALL_GROUP + 4) if lines else None


def member_coaching_sections(coaching: RecapCoaching, member_id: int) -> list[Section]:
    """``/recap``: the member's weakest pattern, plan and next milestone's forecast."""
    c = coaching.members.get(member_id)
    if c is None:
        return []
    lines = []
    if c.weakest:
        lines.append(f"🧩 Weakest pattern: {safe(c.weakest, 300)} — `/patterns`")
    if coaching.group_weakest is not None:
        lines.append(f"👥 The group's weakest: {safe(coaching.group_weakest.pattern, 100)}")
    if c.plan is not None:
        p = c.plan
        lines.append(f"🗓️ Catch-up {_plan_text(p.planned, p.done, p.gap_before, p.gap_now)}")
    sections = [Section("🧭 Coaching", lines)] if lines else []
    if c.forecast is not None:
        sections.append(Section("📈 Forecast", forecast_lines(c.forecast, limit=5)))
    return sections


# -- /progress -------------------------------------------------------------------------------
def progress_chart_data(
    outlook: MemberOutlook, curriculum: Curriculum, name: str
) -> ProgressChartData:
    """The member's actual unique problems per week, the roadmap's target, their projection
    at the recent pace, and the milestones' solve thresholds."""
    calendar, stats = outlook.calendar, outlook.stats
    week = max(1, calendar.counting_week(outlook.today))
    weeks = list(range(1, week + 1))
    actual = tuple(zip(weeks, stats.cumulative_by_week(weeks), strict=True))
    projection: list[tuple[int, float]] = []
    if outlook.forecasts:
        ahead = solve_projection(stats, outlook.past, outlook.forecasts[0].window, calendar)
        projection = [(week, float(stats.unique_total))]
        projection += [(w, v) for w, v in sorted(ahead.items()) if w > week]
    marks = tuple(
        (m.week, float(c.threshold), m.id.upper())
        for m in curriculum.targets.milestones
        if (c := _solve_criterion(m)) is not None
    )
    return ProgressChartData(
        title=f"{name} · unique problems",
        weeks=calendar.weeks,
        actual=actual,
        targets=target_points(curriculum.targets),
        projection=tuple(projection) if len(projection) > 1 else (),
        milestones=marks,
    )


def _solve_criterion(m: Milestone) -> Criterion | None:
    return next((c for c in m.criteria if c.metric is Metric.UNIQUE_SOLVES), None)


def progress_report(outlook: MemberOutlook, name: str, png: bytes) -> Report:
    """``/progress``: the numbers, the next milestones' forecasts and the chart."""
    calendar, stats = outlook.calendar, outlook.stats
    week = max(1, calendar.counting_week(outlook.today))
    lines = [f"**{stats.unique_total}** unique problems, week {week}"]
    if outlook.forecasts:
        ahead = solve_projection(stats, outlook.past, outlook.forecasts[0].window, calendar)
        final = ahead.get(calendar.weeks)
        if final is not None:
            lines.append(
                f"At your recent pace: ~**{round(final)}** by the end of week {calendar.weeks}"
            )
    sections = [Section("📈 Forecast", forecast_lines(f, limit=4)) for f in outlook.forecasts[:2]]
    return Report(
        f"📈 Progress — {safe(name, 60)}",
        sections,
        description="\n".join(lines),
        files=[Attachment("progress.png", png)],
        footer="Solid: you · dashed: the roadmap's target · dotted: your recent pace",
    )
