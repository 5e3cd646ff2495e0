"""How a member's own recap reads (``/recap``, the export): the roadmap's "Week X Recap"
template in its own order and labels, filled in from the logs, then every criterion of the
week's milestones. Unlike the channel recap (:mod:`bot.render.channel_recap`), nothing is
summarised: the member's full line and every criterion.
"""

from __future__ import annotations

from bot.core.posts import SLOT_LABELS
from bot.core.progress import target_text
from bot.render.durations import duration_text
from bot.render.entries import safe
from bot.render.fit import Section
from bot.render.milestones import milestone_lines, milestone_section, tick
from bot.services.recap import CohortReport, MemberRecap, Standing
from curriculum.program_schema import Program

STANDING_LEADS = {
    Standing.AHEAD: "🚀 Ahead of the roadmap",
    Standing.ON_TRACK: "✅ On track",
    Standing.CATCHING_UP: "💪 Kept at it this week (behind the roadmap's total)",
    Standing.BEHIND: "🤝 Could use a hand this week",
}


def member_recap_lines(report: CohortReport, m: MemberRecap, program: Program) -> list[str]:
    """The roadmap's recap template, in its own order and labels, filled from the logs."""
    s = m.stats
    target = f" ({target_text(report.target)})" if report.target else ""
    solved = f"{s.week_new} / {report.weekly_target}" if report.due.solves else f"{s.week_new}"
    values = {
        "leetcode_solved": f"{solved} · total {s.unique_total}{target}",
        "pattern": ", ".join(report.patterns) or "—",
        "ml_notebook": tick(m.ml_notebook),
        "mock_interview": tick(m.mock),
        "contest_percentile": (
            "—" if s.week_best_percentile is None else f"top {s.week_best_percentile:g} %"
        ),
        "biggest_oops": (
            f"{safe(s.week_oops[0], 120)} → {safe(s.week_oops[1], 120)}" if s.week_oops else "—"
        ),
        "one_line_win": safe(s.week_win, 160) if s.week_win else "—",
    }
    lines = [f"- {f.label}: {values.get(f.key, '—')}" for f in program.recap_template]
    ledger = s.kind_week.get("ledger", 0)
    days = "day" if m.streak.length == 1 else "days"
    lines.append(f"- 🔥 Streak: {m.streak.length} {days} · 📓 Ledger entries: {ledger}")
    lines.append(f"- {blocks_text(report, m)}")
    lines.append(f"- Standing: {STANDING_LEADS[m.standing]} (roadmap pace {m.pace:.0f})")
    return lines


def blocks_text(report: CohortReport, m: MemberRecap) -> str:
    """``🧱 Blocks done: 9 / 12 (Block-A 4 · Block-B 3 · Weekend session 2) · ⏱️ 7 h 30 min``."""
    s = m.stats
    per_slot = " · ".join(
        f"{SLOT_LABELS.get(slot, slot)} {n}" for slot, n in sorted(s.blocks_week.items()) if n
    )
    text = f"🧱 Blocks done: {s.blocks_done} / {report.blocks_planned}"
    text += f" ({per_slot})" if per_slot else ""
    return text + f" · ⏱️ Study rooms: {duration_text(s.study_seconds.get(report.week, 0))}"


def member_recap_text(report: CohortReport, m: MemberRecap, program: Program) -> str:
    head = f"### Week {report.week} Recap — {safe(m.name, 60)}"
    body = member_recap_lines(report, m, program)
    for result in m.milestones:
        body += ["", *milestone_lines(result, due=report.final)]
    return "\n".join([head, *body])


def member_recap_sections(report: CohortReport, m: MemberRecap, program: Program) -> list[Section]:
    """``/recap``: the member's full template and every criterion of the week's milestones."""
    sections = [Section("Recap", member_recap_lines(report, m, program))]
    sections += [
        milestone_section(r, due=report.final, name="🏁 Milestone", program=program)
        for r in m.milestones
    ]
    return sections
