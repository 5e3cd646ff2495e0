"""How the weekly recap reads in the channel: the week, what went well, standings, members,
blocks and study time, mocks and the week's milestones.

It keeps every member's line for small groups and summarises large ones (counts per
standing, the top and bottom few, "9 of 14 passed EOW-2" with the criteria most missed);
every section is bounded, and :mod:`bot.render.fit` turns it into messages. A member's own
``/recap`` is :mod:`bot.render.member_recap`.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.mock_goals import mock_week
from bot.core.posts import SLOT_LABELS
from bot.core.progress import target_text
from bot.core.ranking import top_and_bottom
from bot.core.stats import MilestoneResult, verdict_text
from bot.core.text import plural
from bot.render.durations import hours_text, percent
from bot.render.entries import safe
from bot.render.fit import Section, shorten
from bot.render.member_recap import STANDING_LEADS
from bot.render.milestones import tick
from bot.services.recap import CohortReport, MemberRecap
from curriculum.target_schema import Milestone

SMALL_GROUP = 12  # up to this many members, the channel recap has everyone's line
SHOW_TOP = 5  # large groups: the top and bottom few by unique problems
SHOW_BOTTOM = 3
NAMES = 10  # names listed per group ("…and 12 more")
NAME = 40  # characters of a display name in a list


def name_of(m: MemberRecap, limit: int = NAME) -> str:
    return safe(m.name, limit)


def names(members: Sequence[MemberRecap], limit: int = NAMES) -> str:
    shown = ", ".join(name_of(m) for m in members[:limit])
    more = len(members) - limit
    return shown + (f" and {more} more" if more > 0 else "")


def _criterion_counts(milestone: Milestone, results: Sequence[MilestoneResult]) -> list[str]:
    """One line per criterion with how many members met it, the most missed first."""
    rows = []
    for i, c in enumerate(milestone.criteria):
        met = sum(1 for r in results if r.results[i].ok)
        rows.append((met, i, c))
    rows.sort(key=lambda x: (x[0], x[1]))
    total = len(results)
    return [
        f"{tick(met == total)} {shorten(c.label, 100)} — {met} of {total} met" for met, _, c in rows
    ]


def group_milestone_section(report: CohortReport, index: int) -> Section:
    milestone = report.milestones[index]
    results = [m.milestones[index] for m in report.members]
    passed = [m for m in report.members if m.milestones[index].reached]
    word = "passed" if report.final else "are on course for"
    head = f"**{len(passed)} of {len(results)}** {word} {shorten(milestone.title, 80)}"
    lines = [head, *_criterion_counts(milestone, results)]
    if len(report.members) <= SMALL_GROUP:
        for m in report.members:
            r = m.milestones[index]
            missed = [x.criterion.label for x in r.results if not x.ok]
            tail = f" — missing: {shorten('; '.join(missed), 160)}" if missed else ""
            lines.append(f"**{name_of(m)}** {verdict_text(r, due=report.final)}{tail}")
    else:
        lines.append("`/milestones` shows each criterion for you")
    return Section(f"🏁 {milestone.title}", lines)


def recap_title(report: CohortReport) -> str:
    return f"📊 Week {report.week} recap — {report.week_title}"


def this_week_section(report: CohortReport) -> Section:
    e, med, h = report.week_mix
    total = e + med + h
    lines = [
        f"{len(report.active)} of {plural(len(report.members), 'member')} logged something · "
        f"**{total}** new problems ({e} easy · {med} medium · {h} hard)"
    ]
    if report.target:
        lines.append(f"🎯 {target_text(report.target).capitalize()}")
    return Section("This week", lines)


def went_well_section(report: CohortReport) -> Section | None:
    """What went well: the week's pace kept, milestones passed, streaks."""
    lines = []
    target = report.weekly_target
    hit = [m for m in report.members if report.due.solves and m.stats.week_new >= target]
    if hit:
        lines.append(f"🌟 {plural(len(hit), 'member')} hit {target} new problems: {names(hit)}")
    shown = {id(m) for m in hit}
    steady = [m for m in report.members if m.active_days >= 5 and id(m) not in shown]
    if steady:
        lines.append(
            f"📅 {plural(len(steady), 'member')} logged on 5 or more days: {names(steady)}"
        )
    for i, milestone in enumerate(report.milestones):
        passed = [m for m in report.members if m.milestones[i].reached]
        if passed and report.final:
            lines.append(f"🏁 {shorten(milestone.title, 80)} passed: {names(passed)}")
    streaks = report.top_streaks()
    if streaks:
        lines.append(
            "🔥 Top streaks: "
            + " · ".join(f"{name_of(r.key)} {plural(int(r.value), 'day')}" for r in streaks)
        )
    return Section("What went well", lines) if lines else None


def standing_section(report: CohortReport) -> Section | None:
    lines = []
    for standing, lead in STANDING_LEADS.items():
        group = report.by_standing(standing)
        if group:
            lines.append(f"{lead} ({len(group)}): {names(group)}")
    return Section("Where everyone stands", lines) if lines else None


def member_line(m: MemberRecap, report: CohortReport) -> str:
    s = m.stats
    solved = f"{s.week_new}/{report.weekly_target}" if report.due.solves else f"{s.week_new} new"
    parts = [f"**{name_of(m)}** {solved}", f"total {s.unique_total}", f"🔥{m.streak.length}"]
    if m.ml_notebook is not None:
        parts.append(f"ML {tick(m.ml_notebook)}")
    if m.mock is not None:
        parts.append(f"mock {tick(m.mock)}")
    if report.tracks_blocks:
        parts.append(f"🧱{s.blocks_done}/{report.blocks_planned}")
    if report.tracks_time:
        parts.append(f"⏱️{hours_text(s.study_seconds.get(report.week, 0))}")
    return " · ".join(parts)


def members_section(report: CohortReport) -> Section | None:
    ranked = report.ranked()
    if not ranked:
        return None
    if len(ranked) <= SMALL_GROUP:
        return Section("Members", [f"{r.rank}. {member_line(r.key, report)}" for r in ranked])
    top, hidden, bottom = top_and_bottom(ranked, SHOW_TOP, SHOW_BOTTOM)
    lines = [f"{r.rank}. {member_line(r.key, report)}" for r in top]
    lines.append(f"… {plural(hidden, 'more member')} — `/recap` shows your own full recap")
    lines += [f"{r.rank}. {member_line(r.key, report)}" for r in bottom]
    return Section("Members", lines)


def mocks_section(report: CohortReport) -> Section | None:
    """The group's mock interviews this week and who is still short of the roadmap's mock
    goals: counts, one line per goal, and a few names (bounded for any group size). Shown
    once anyone has a mock or the week asks for one."""
    stats = [m.stats for m in report.members]
    if not stats or not (report.due.mock or any(s.mocks for s in stats)):
        return None
    seen = mock_week(stats, report.week, report.mock_goals)
    hired = f" ({seen.hired_this_week} Hire or better)" if seen.this_week else ""
    lines = [
        f"**{plural(seen.this_week, 'mock interview')}** logged this week{hired} · "
        f"{seen.with_any} of {plural(seen.members, 'member')} have done one so far · "
        "`/mocks join` finds you a peer"
    ]
    if report.mock_goals:
        lines.append(
            f"Still short of the roadmap's mock goals: **{len(seen.short)} of {seen.members}**"
        )
        lines += [
            f"{tick(n == 0)} {shorten(c.label, 100)} — {n} short" for c, n in seen.short_per_goal
        ]
        if seen.short:
            ranked = sorted(seen.short, key=lambda s: (sum(n for *_, n in s.mocks), s.name))
            shown = ", ".join(safe(s.name, NAME) for s in ranked[:SHOW_BOTTOM])
            more = len(ranked) - SHOW_BOTTOM
            lines.append(f"Fewest so far: {shown}" + (f" and {more} more" if more > 0 else ""))
    return Section("🎤 Mock interviews", lines)


def sessions_section(report: CohortReport) -> Section | None:
    """Who did their blocks and for how long: the group's completion per block type and its
    study-room hours, the most first (bounded for any group size). Shown once anyone checked
    in on a block or spent time in a study room this week."""
    if not report.members or not (report.tracks_blocks or report.tracks_time):
        return None
    count = len(report.members)
    lines = []
    if report.tracks_blocks:
        parts = []
        for slot, planned in report.planned_blocks.items():
            done = sum(m.stats.blocks_week.get(slot, 0) for m in report.members)
            parts.append(
                f"{SLOT_LABELS.get(slot, slot)} **{done} / {planned * count}** "
                f"({percent(done, planned * count)})"
            )
        everyone = [m for m in report.members if m.stats.blocks_done >= report.blocks_planned]
        lines.append("🧱 Blocks done: " + " · ".join(parts))
        if everyone:
            lines.append(f"🏅 Every block of the week: {names(everyone)}")
    if report.tracks_time:
        seconds = {
            m.stats.member_id: m.stats.study_seconds.get(report.week, 0) for m in report.members
        }
        ranked = sorted(
            (m for m in report.members if seconds[m.stats.member_id]),
            key=lambda m: (-seconds[m.stats.member_id], m.name.casefold()),
        )
        top = " · ".join(
            f"{name_of(m)} {hours_text(seconds[m.stats.member_id])}" for m in ranked[:SHOW_TOP]
        )
        more = len(ranked) - SHOW_TOP
        lines.append(
            f"⏱️ **{hours_text(sum(seconds.values()))}** in study rooms by "
            f"{plural(len(ranked), 'member')}"
            + (f": {top}" if top else "")
            + (f" and {more} more — `/studytime` shows yours" if more > 0 else "")
        )
    return Section("🧱 Blocks & study time", lines)


def channel_sections(report: CohortReport) -> list[Section]:
    """The channel post: the week, what went well, standings, members, blocks and study
    time, mocks, milestones."""
    sections: list[Section | None] = [
        this_week_section(report),
        went_well_section(report),
        standing_section(report),
        members_section(report),
        sessions_section(report),
        mocks_section(report),
    ]
    if not report.members:
        sections.append(Section("Members", ["No members yet — `/join` to start."]))
    else:
        sections += [group_milestone_section(report, i) for i in range(len(report.milestones))]
    return [s for s in sections if s is not None]
