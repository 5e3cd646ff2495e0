"""How the recaps' coaching reads: the channel recap's "🧭 Coaching" section and a member's
own in ``/recap`` — the next milestone's outlook, weakest patterns and catch-up plans.

Per-member lines only in groups of at most :data:`SMALL_GROUP`; display names and pattern
reasons go through :func:`bot.render.entries.safe`.
"""

from __future__ import annotations

from collections import Counter

from bot.core.forecast import OUTLOOK_ICONS, Outlook
from bot.core.text import plural
from bot.render.entries import safe
from bot.render.fit import Section
from bot.render.forecast import forecast_lines
from bot.services.coach_recap import RecapCoaching
from bot.services.recap import CohortReport

SMALL_GROUP = 12  # the channel recap's own bound for per-member lines


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
