"""The member's Learning Ledger as one Markdown file, readable in Notion or Obsidian as is.

Structure (the roadmap's Ledger pages), CommonMark with a GFM table for the Oops List::

    # Learning Ledger — name
    ## Goals            one list item per goal
    ## Daily Log        ### Week N, then #### one heading per day, one list item per entry
    ## Oops List        a table
    ## Weekly Recaps    ### Week N, then the recap as posted (its own sub-headings at ####)
    ## Milestones       ### one heading per milestone with its verdict, one criterion per item

Heading levels never skip. The Daily Log is oldest day first, like a journal; within a day
the 📓 ledger notes come first, then the rest of that day's activity in the order it was
logged. Option values show their labels (``DS&A``, ``Lean No Hire``, ``interviewing.io``).

User text is escaped so it cannot open headings, lists, links, HTML or break the Oops
table, and a text of several lines stays one list item (:mod:`bot.exports.markdown_text`).
Curriculum text (deliverable titles, goals) is the roadmap's own Markdown and is kept as
written. Recaps are reshaped to sit under the ledger's headings
(:mod:`bot.exports.markdown_recap`).

:class:`LedgerWriter` writes the file section by section to any text stream, so an export
of any size is written in batches (see :mod:`bot.services.export_files`);
:func:`learning_ledger_markdown` renders an in-memory :class:`MemberExport` in one go.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from bot.core.entries import DIFFICULTIES, LANGUAGES, MOCK_KINDS, MODES, PLATFORMS, RATINGS
from bot.exports.data import CriterionRow, EntryRow, MemberExport, MilestoneRow
from bot.exports.markdown_recap import recap_lines
from bot.exports.markdown_text import escape_cell, escape_inline, escape_lines, list_item, user_item

NOTHING = "_Nothing yet._"
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_OPS = {">=": "≥", "<=": "≤"}


# -- Daily Log items -----------------------------------------------------------------------
def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _label(table: dict[str, str], value: str | None) -> str | None:
    """An option's label (``lean_no_hire`` → ``Lean No Hire``); other text escaped."""
    if not value:
        return None
    return table.get(value) or escape_inline(value)


def _join(parts: Iterable[str | None]) -> str:
    return ", ".join(p for p in parts if p)


def _problem(e: EntryRow) -> str | None:
    return escape_inline(e.problem_label) if e.problem_label else None


def _solve(e: EntryRow) -> list[str]:
    extra = _join(
        [
            _label(DIFFICULTIES, e.difficulty),
            f"{e.minutes} min" if e.minutes is not None else None,
            _label(LANGUAGES, e.language),
            _label(MODES, e.mode),
            "imported from LeetCode" if e.imported else None,
        ]
    )
    what = _problem(e) or "a problem"
    lines = list_item("✅ Solved: ", [f"{what} ({extra})" if extra else what])
    if e.notes:
        lines += user_item("", e.notes, indent="  ")  # the notes: a nested item
    return lines


def _oops(e: EntryRow) -> list[str]:
    text = escape_lines(e.notes or "")
    where = f" ({_problem(e)})" if e.problem_label else ""
    text[-1] += f"{where} — see the Oops List"
    return list_item("🙈 Oops: ", text)


def _activity(e: EntryRow) -> list[str]:
    """The Daily Log item(s) of one entry."""
    if e.kind == "solve":
        return _solve(e)
    if e.kind == "oops":
        return _oops(e)
    if e.kind == "win":
        return user_item("🎉 Win: ", e.notes or "")
    if e.kind == "mock":
        text = _join(
            [
                _label(MOCK_KINDS, e.mock_kind),
                _label(RATINGS, e.rating),
                _label(PLATFORMS, e.platform),
                f"{e.minutes} min" if e.minutes is not None else None,
            ]
        )
        lines = list_item("🎤 Mock interview: ", [text or "logged"])
        return lines + (user_item("", e.notes, indent="  ") if e.notes else [])
    if e.kind == "contest":
        pct = f"top {_num(e.percentile)} %" if e.percentile is not None else None
        solved = f"{e.solved_count} solved" if e.solved_count is not None else None
        rank = f"rank {e.rank:,}" if e.rank is not None else None
        name = escape_inline(e.contest_name) if e.contest_name else None
        return list_item("🏆 Contest: ", [_join([name, solved, rank, pct]) or "logged"])
    if e.kind == "anki":
        text = _join(
            [
                f"{e.reviewed} reviewed" if e.reviewed is not None else None,
                f"{e.new_cards} new" if e.new_cards is not None else None,
                f"{e.mature_total} mature in total" if e.mature_total is not None else None,
            ]
        )
        return list_item("🗂️ Anki: ", [text or "reviewed"])
    if e.kind == "done":
        title = e.item_title or escape_inline(e.item_id or "a deliverable")  # roadmap text
        amount = f" (×{e.quantity})" if e.quantity and e.quantity > 1 else ""
        return list_item("🏁 Done: ", [title + amount])
    if e.kind == "card":
        return user_item("💡 Key insight card: ", e.notes or "")
    return user_item("📓 ", e.notes or "")


def _week_heading(week: int | None) -> str:
    return f"### Week {week}" if week else "### Before the program"


def _day_heading(day: date) -> str:
    return f"#### {day.isoformat()} ({_WEEKDAYS[day.weekday()]})"


# -- milestones ----------------------------------------------------------------------------
def _criterion(c: CriterionRow) -> str:
    mark = "✅" if c.ok else "❌"
    value = c.value_text or ("—" if c.value is None else _num(c.value))
    need = c.need_text or f"{_OPS.get(c.op, c.op)} {_num(c.threshold)}"
    return f"- {mark} {escape_inline(c.label)} — **{value}** (target {need})"


def _milestone(m: MilestoneRow) -> list[str]:
    passed = sum(c.ok for c in m.criteria)
    verdict = m.verdict or f"{passed}/{len(m.criteria)}"
    lines = [f"### Week {m.week} · {escape_inline(m.title)} — {verdict}", ""]
    return lines + ([_criterion(c) for c in m.criteria] or [NOTHING])


# -- the writer ----------------------------------------------------------------------------
class LedgerWriter:
    """Writes the Learning Ledger to ``out`` in order, entries arriving in batches.

    Call :meth:`entries` with every entry, oldest day first (``local_date``, then the
    order logged), then :meth:`oops` with the Oops entries in the same order, then
    :meth:`finish`. Memory holds one day's entries at a time.
    """

    def __init__(self, out: TextIO, export: MemberExport) -> None:
        self.out = out
        self.export = export
        self._day: date | None = None
        self._week: int | None = None
        self._pending: list[EntryRow] = []
        self._logged = False
        self._oops = False
        self._oops_rows = 0
        self._write_head()

    def _write(self, lines: Iterable[str]) -> None:
        self.out.write("".join(f"{line}\n" for line in lines))

    def _write_head(self) -> None:
        export = self.export
        generated = export.generated_at.astimezone(export.zone)
        meta = (
            f"Cohort: {escape_inline(export.cohort_name)} · Time zone: {export.timezone} · "
            f"Generated {generated:%Y-%m-%d %H:%M} {generated.tzname()}"
        )
        goals = [line for g in export.goals if g.strip() for line in list_item("", [g.strip()])]
        self._write(
            [
                f"# Learning Ledger — {escape_inline(export.display_name)}",
                "",
                f"_{meta}_",
                "",
                "## Goals",
                "",
                *(goals or [NOTHING]),
                "",
                "## Daily Log",
                "",
            ]
        )

    def _flush_day(self) -> None:
        if self._day is None:
            return
        day = self._pending
        lines = [_day_heading(self._day), ""]
        for e in day:
            if e.kind == "ledger":
                lines += _activity(e)
        for e in day:
            if e.kind != "ledger":
                lines += _activity(e)
        self._write([*lines, ""])
        self._pending = []
        self._day = None

    def entries(self, rows: Iterable[EntryRow]) -> None:
        if self._oops:
            raise RuntimeError("the Daily Log is already written")
        for e in rows:
            week = e.week or None
            if e.local_date != self._day or not self._logged:
                self._flush_day()
                if not self._logged or week != self._week:
                    self._write([_week_heading(week), ""])
                    self._week = week
                self._day = e.local_date
                self._logged = True
            self._pending.append(e)

    def _start_oops(self) -> None:
        if self._oops:
            return
        self._flush_day()
        if not self._logged:
            self._write([NOTHING, ""])
        self._write(["## Oops List", ""])
        self._oops = True

    def oops(self, rows: Iterable[EntryRow]) -> None:
        self._start_oops()
        for e in rows:
            if e.kind != "oops":
                continue
            if not self._oops_rows:
                self._write(
                    [
                        "| Date | Problem | What went wrong | Lesson | Re-review |",
                        "| --- | --- | --- | --- | --- |",
                    ]
                )
            cells = [
                e.local_date.isoformat(),
                escape_cell(e.problem_label),
                escape_cell(e.notes),
                escape_cell(e.lesson),
                escape_cell(e.review_state),
            ]
            self._write(["| " + " | ".join(cells) + " |"])
            self._oops_rows += 1

    def finish(self) -> None:
        self._start_oops()
        export = self.export
        lines = [NOTHING] if not self._oops_rows else []
        lines += ["", "## Weekly Recaps", ""]
        recaps: list[str] = []
        for week, text in enumerate(export.recaps, start=1):
            recaps += [f"### Week {week}", "", *(recap_lines(text) or [NOTHING]), ""]
        lines += recaps or [NOTHING, ""]
        lines += ["## Milestones", ""]
        milestones: list[str] = []
        for m in sorted(export.milestones, key=lambda m: (m.week, m.title)):
            milestones += [*_milestone(m), ""]
        lines += milestones or [NOTHING, ""]
        while lines and not lines[-1]:
            lines.pop()
        self._write(lines)


def learning_ledger_markdown(export: MemberExport) -> str:
    """The member's Learning Ledger (UTF-8 Markdown text, ends with a newline)."""
    out = io.StringIO()
    writer = LedgerWriter(out, export)
    writer.entries(export.entries_of())
    writer.oops(export.entries_of("oops"))
    writer.finish()
    return out.getvalue()
