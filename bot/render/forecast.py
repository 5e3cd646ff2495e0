"""How a pace forecast reads: ``/milestones``' forecasts (the final milestone by checklist
row), and the lines ``/recap`` and ``/progress`` reuse.

Unmet criteria are listed worst first and bounded (:data:`FORECAST_LINES` per milestone);
titles and labels go through :func:`bot.render.entries.safe`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.checklist import checklist_milestone
from bot.core.forecast import OUTLOOK_ICONS, CriterionForecast, Method, MilestoneForecast, Outlook
from bot.core.roadmap import day_text
from bot.core.stats import metric_text, need_text
from bot.core.text import plural
from bot.render.entries import safe
from bot.render.fit import Section
from curriculum.program_schema import Program

FORECAST_LINES = 8  # unmet criteria shown per milestone forecast
METHOD = (
    "Projection: your pace since the end of week {past} ({days} program days) continued to "
    "each deadline; shares from the mix of those solves; median time and contest percentile "
    "as they stand; deliverables the roadmap still schedules assumed done on time."
)


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
