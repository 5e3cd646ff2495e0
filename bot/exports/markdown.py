"""The member's Learning Ledger as one Markdown file, readable in Notion or Obsidian as is.

Structure (the roadmap's Ledger pages): Goals, Daily Log, Oops List, Weekly Recaps and
Milestones. The Daily Log is oldest day first, like a journal; within a day the 📓 ledger
notes come first, then the rest of that day's activity in the order it was logged.
User text is escaped so it cannot open headings, links or break the Oops table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from bot.exports.data import CriterionRow, EntryRow, MemberExport, MilestoneRow

NOTHING = "_Nothing yet._"
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
# Block markers at a line start: heading, quote, list item, setext underline, ordered item.
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s|$)|[-=]+\s*$)")
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])(?=\s|$)")
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def escape_inline(text: str) -> str:
    """Escape characters Markdown would interpret inside a line (pipes included)."""
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def escape_lines(text: str) -> list[str]:
    """Escaped lines of a (possibly multi-line) user text, block markers neutralised."""
    out = []
    for line in text.strip().splitlines():
        escaped = escape_inline(line.rstrip())
        escaped = _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped, count=1)
        out.append(_ORDERED.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped, count=1))
    return out or [""]


def escape_cell(text: str | None) -> str:
    """A table cell: inline escaping, line breaks as ``<br>``, empty as an em dash."""
    if text is None or not text.strip():
        return "—"
    return "<br>".join(escape_inline(line.strip()) for line in text.strip().splitlines())


def _bullet(prefix: str, text: str) -> list[str]:
    """A list item whose continuation lines are indented under it."""
    first, *rest = escape_lines(text)
    return [f"- {prefix}{first}", *(f"  {line}" for line in rest)]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _join(parts: Iterable[str | None]) -> str:
    return ", ".join(p for p in parts if p)


def _solve_line(e: EntryRow) -> list[str]:
    what = e.problem_label or "a problem"
    extra = _join(
        [e.difficulty, f"{e.minutes} min" if e.minutes is not None else None, e.language, e.mode]
    )
    text = f"{what} ({extra})" if extra else what
    lines = _bullet("✅ Solved: ", text)
    if e.notes:
        lines += [f"  {line}" for line in escape_lines(e.notes)]
    return lines


def _activity(e: EntryRow) -> list[str]:
    """A compact Daily Log line for a non-ledger entry."""
    if e.kind == "solve":
        return _solve_line(e)
    if e.kind == "win":
        return _bullet("🎉 Win: ", e.notes or "")
    if e.kind == "oops":
        where = f" ({e.problem_label})" if e.problem_label else ""
        return _bullet("🙈 Oops: ", f"{e.notes or ''}{where} — see the Oops List")
    if e.kind == "mock":
        text = _join([e.mock_kind, e.rating, e.platform]) or "logged"
        return _bullet("🎤 Mock: ", text)
    if e.kind == "contest":
        pct = f"top {_num(e.percentile)} %" if e.percentile is not None else None
        solved = f"{e.solved_count} solved" if e.solved_count is not None else None
        rank = f"rank {e.rank}" if e.rank is not None else None
        return _bullet("🏆 Contest: ", _join([e.contest_name, solved, rank, pct]) or "logged")
    if e.kind == "anki":
        text = _join(
            [
                f"{e.reviewed} reviewed" if e.reviewed is not None else None,
                f"{e.new_cards} new" if e.new_cards is not None else None,
                f"{e.mature_total} mature" if e.mature_total is not None else None,
            ]
        )
        return _bullet("🗂️ Anki: ", text or "reviewed")
    if e.kind == "done":
        return _bullet("🏁 Done: ", e.item_title or e.item_id or "")
    if e.kind == "card":
        return _bullet("💡 Key insight card: ", e.notes or "")
    return _bullet("📓 ", e.notes or "")


def _daily_log(export: MemberExport) -> list[str]:
    days: dict[date, list[EntryRow]] = {}
    for entry in export.entries_of():
        days.setdefault(entry.local_date, []).append(entry)
    if not days:
        return [NOTHING]
    out: list[str] = []
    for day, entries in days.items():
        week = next((e.week for e in entries if e.week is not None), None)
        label = f"{day.isoformat()} ({_WEEKDAYS[day.weekday()]})"
        out += [f"### {label}" + (f" · Week {week}" if week is not None else ""), ""]
        for e in entries:
            if e.kind == "ledger":
                out += _bullet("📓 ", e.notes or "")
        for e in entries:
            if e.kind != "ledger":
                out += _activity(e)
        out.append("")
    return out[:-1]


def _oops_list(export: MemberExport) -> list[str]:
    rows = export.entries_of("oops")
    if not rows:
        return [NOTHING]
    out = [
        "| Date | Problem | What went wrong | Lesson | Re-review |",
        "| --- | --- | --- | --- | --- |",
    ]
    for e in rows:
        cells = [
            e.local_date.isoformat(),
            escape_cell(e.problem_label),
            escape_cell(e.notes),
            escape_cell(e.lesson),
            escape_cell(e.review_state),
        ]
        out.append("| " + " | ".join(cells) + " |")
    return out


def demote_headings(text: str, levels: int = 3) -> list[str]:
    """Lines of an already rendered Markdown text with ATX headings pushed down a level."""
    out: list[str] = []
    fence: str | None = None
    for line in text.strip().splitlines():
        stripped = line.lstrip()
        if fence is None and stripped[:3] in ("```", "~~~"):
            fence = stripped[:3]
        elif fence is not None and stripped.startswith(fence):
            fence = None
        elif fence is None and (m := re.match(r"^(#{1,6})(\s|$)", line)):
            depth = min(len(m.group(1)) + levels, 6)
            line = "#" * depth + line[len(m.group(1)) :]
        out.append(line)
    return out


def _recaps(export: MemberExport) -> list[str]:
    out: list[str] = []
    for week, text in enumerate(export.recaps, start=1):
        out += [f"### Week {week}", "", *(demote_headings(text) or [NOTHING]), ""]
    return out[:-1] or [NOTHING]


def _criterion(c: CriterionRow) -> str:
    mark = "✅" if c.ok else "❌"
    value = "no data yet" if c.value is None else _num(c.value)
    op = {">=": "≥", "<=": "≤"}.get(c.op, c.op)
    return f"- {mark} {escape_inline(c.label)}: {value} (target {op} {_num(c.threshold)})"


def _milestone(m: MilestoneRow) -> list[str]:
    status = "✅ reached" if m.reached else "⏳ not yet"
    lines = [f"### Week {m.week} · {escape_inline(m.title)} — {status}", ""]
    return lines + ([_criterion(c) for c in m.criteria] or [NOTHING])


def learning_ledger_markdown(export: MemberExport) -> str:
    """The member's Learning Ledger (UTF-8 Markdown text, ends with a newline)."""
    generated = export.generated_at.astimezone(export.zone)
    meta = (
        f"Cohort: {escape_inline(export.cohort_name)} · Time zone: {export.timezone} · "
        f"Generated {generated:%Y-%m-%d %H:%M} {generated.tzname()}"
    )
    goals = [line for g in export.goals if g.strip() for line in _bullet("", g)]
    milestones: list[str] = []
    for m in sorted(export.milestones, key=lambda m: (m.week, m.title)):
        milestones += [*_milestone(m), ""]
    sections: list[tuple[str, list[str]]] = [
        ("Goals", goals or [NOTHING]),
        ("Daily Log", _daily_log(export)),
        ("Oops List", _oops_list(export)),
        ("Weekly Recaps", _recaps(export)),
        ("Milestones", milestones[:-1] or [NOTHING]),
    ]
    out = [f"# Learning Ledger — {escape_inline(export.display_name)}", "", f"_{meta}_", ""]
    for title, body in sections:
        out += [f"## {title}", "", *body, ""]
    return "\n".join(out).rstrip("\n") + "\n"
