"""How recaps and milestone checks read: the roadmap's "Week X Recap" template, filled in."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.progress import target_text
from bot.core.ranking import top_and_bottom
from bot.core.stats import CriterionResult, MilestoneResult
from bot.render.embeds import Chunk
from bot.render.entries import safe
from bot.services.recap import CohortReport, MemberRecap, Standing
from curriculum.schema import Metric, Program

SHOW_TOP = 5  # large groups: the channel post shows the top and bottom few
SHOW_BOTTOM = 3


def tick(flag: bool) -> str:
    return "✅" if flag else "❌"


def _number(value: float | None, metric: Metric) -> str:
    if value is None:
        return "—"
    if metric in (Metric.MEDIUM_PCT, Metric.HARD_PCT, Metric.BEST_CONTEST_PERCENTILE):
        return f"{value:.0f} %"
    if metric is Metric.MEDIAN_SOLVE_MINUTES:
        return f"{value:g} min"
    return f"{value:g}"


def criterion_line(r: CriterionResult) -> str:
    c = r.criterion
    want = f"{c.op.replace('>=', '≥').replace('<=', '≤')} {_number(c.threshold, c.metric)}"
    return f"{tick(r.ok)} {safe(c.label, 90)}: **{_number(r.value, c.metric)}** (needs {want})"


def milestone_lines(result: MilestoneResult) -> list[str]:
    m = result.milestone
    head = f"**{m.title}** (week {m.week}) — {result.passed}/{len(result.results)}"
    return [head, *(criterion_line(r) for r in result.results)]


def member_recap_lines(report: CohortReport, m: MemberRecap, program: Program) -> list[str]:
    """The roadmap's recap template, in its own order and labels, filled from the logs."""
    s = m.stats
    values = {
        "leetcode_solved": f"{s.week_new} /{report.weekly_target}"
        + f" · total {s.unique_total}"
        + (f" ({target_text(report.target)})" if report.target else ""),
        "pattern": ", ".join(report.patterns) or "—",
        "ml_notebook": tick(m.ml_notebook),
        "mock_interview": tick(m.mock),
        "contest_percentile": (
            "—" if s.week_best_percentile is None else f"{s.week_best_percentile:g} %"
        ),
        "biggest_oops": (
            f"{safe(s.week_oops[0], 120)} → {safe(s.week_oops[1], 120)}" if s.week_oops else "—"
        ),
        "one_line_win": safe(s.week_win, 160) if s.week_win else "—",
    }
    lines = [f"- {f.label}: {values.get(f.key, '—')}" for f in program.recap_template]
    ledger = s.kind_week.get("ledger", 0)
    lines.append(f"- 🔥 Streak: {m.streak.length} days · 📓 Ledger entries: {ledger}")
    lines.append(f"- Standing: {m.standing.value} (roadmap pace {m.pace:.0f})")
    return lines


def member_recap_text(report: CohortReport, m: MemberRecap, program: Program) -> str:
    head = f"### Week {report.week} Recap — {safe(m.name, 60)}"
    body = member_recap_lines(report, m, program)
    for result in m.milestones:
        body += ["", *milestone_lines(result)]
    return "\n".join([head, *body])


def _names(members: Sequence[MemberRecap], limit: int = 15) -> str:
    names = [safe(m.name, 40) for m in members[:limit]]
    more = len(members) - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def group_chunks(report: CohortReport) -> list[Chunk]:
    """The group summary: activity, solves and mix, standing by name, top streaks."""
    e, m, h = report.week_mix
    total = e + m + h
    chunks = [
        Chunk(
            "This week",
            f"{len(report.active)} of {len(report.members)} members logged something · "
            f"**{total}** new problems ({e} easy · {m} medium · {h} hard)",
        )
    ]
    lines = []
    for standing, lead in (
        (Standing.AHEAD, "🚀 Ahead of the roadmap"),
        (Standing.ON_TRACK, "✅ On track"),
        (Standing.BEHIND, "🤝 Could use a hand this week"),
    ):
        group = report.by_standing(standing)
        if group:
            lines.append(f"{lead}: {_names(group)}")
    if lines:
        chunks.append(Chunk("Where everyone stands", "\n".join(lines)))
    streaks = report.top_streaks()
    if streaks:
        chunks.append(
            Chunk(
                "Top streaks",
                " · ".join(f"{r.rank}. {safe(r.key.name, 40)} 🔥{int(r.value)}" for r in streaks),
            )
        )
    return chunks


def member_line(m: MemberRecap, weekly_target: int) -> str:
    s = m.stats
    return (
        f"**{safe(m.name, 40)}** {s.week_new}/{weekly_target} · total {s.unique_total} · "
        f"🔥{m.streak.length} · ML {tick(m.ml_notebook)} · mock {tick(m.mock)}"
    )


def channel_chunks(report: CohortReport) -> list[Chunk]:
    """The channel post: group summary, members (top and bottom few), milestones."""
    chunks = group_chunks(report)
    ranked = report.ranked()
    top, hidden, bottom = top_and_bottom(ranked, SHOW_TOP, SHOW_BOTTOM)
    lines = [f"{r.rank}. {member_line(r.key, report.weekly_target)}" for r in top]
    if hidden:
        lines.append(f"… {hidden} more — `/recap` shows anyone's full recap")
    lines += [f"{r.rank}. {member_line(r.key, report.weekly_target)}" for r in bottom]
    if lines:
        chunks.append(Chunk("Members", "\n".join(lines)))
    for i, milestone in enumerate(report.milestones):
        results = [(r.key, r.key.milestones[i]) for r in ranked]
        shown, hidden_n, tail = top_and_bottom(results, SHOW_TOP * 2, SHOW_BOTTOM * 2)
        body = [
            f"**{safe(member.name, 40)}** {res.passed}/{len(res.results)} "
            + " ".join(
                f"{tick(c.ok)} {safe(c.criterion.label, 40)} {_number(c.value, c.criterion.metric)}"
                for c in res.results
            )
            for member, res in [*shown, *tail]
        ]
        if hidden_n:
            body.insert(len(shown), f"… {hidden_n} more — `/milestones` shows each criterion")
        chunks.append(Chunk(f"🏁 {milestone.title}", "\n".join(body) or "No members yet."))
    return chunks
