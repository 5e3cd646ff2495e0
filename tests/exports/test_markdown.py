"""The Learning Ledger Markdown: sections, labels, escaping, empty states, and its
structure as a CommonMark parser (markdown-it-py, what Obsidian-like editors follow) sees it."""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.exports.data import CriterionRow, MilestoneRow
from bot.exports.markdown import LedgerWriter, learning_ledger_markdown
from bot.exports.markdown_recap import recap_lines
from bot.exports.markdown_text import escape_cell, escape_inline, escape_lines
from tests.exports import sample_export

SECTIONS = ["Goals", "Daily Log", "Oops List", "Weekly Recaps", "Milestones"]
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# A recap as the channel recap renders one member (its own title, list, then a milestone).
RECAP_WEEK_2 = """### Week 2 Recap — Ada
- LeetCode solved: 9 / 12 · total 14
- Mock interview: ✅

**End-Week-2 metrics** (week 2) — ❌ Missed · 2/3
✅ LeetCode solved: 14 — **14** / ≥ 14
❌ Median solve time ≤ 13 min — **16.5 min** / ≤ 13 min
✅ Ledger entries ≥ 10 — **11** / ≥ 10"""
MILESTONE = MilestoneRow(
    "End-Week-2 metrics",
    2,
    (
        CriterionRow("LeetCode solved: 14", 14.0, 14.0, ">=", True, "14", "≥ 14"),
        CriterionRow("Median solve time ≤ 13 min", 16.5, 13.0, "<=", False, "16.5 min", "≤ 13 min"),
        CriterionRow("Ledger entries ≥ 10", 11.0, 10.0, ">=", True, "11", "≥ 10"),
    ),
    verdict="❌ Missed · 2/3",
    due=True,
)


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, title
    return match.group(1).strip()


def _ledger() -> str:
    export = replace(
        sample_export(),
        recaps=("# Recap\nSolved **5**/12", RECAP_WEEK_2),
        milestones=(MILESTONE,),
    )
    return learning_ledger_markdown(export)


def test_sections_in_order_with_meta() -> None:
    text = learning_ledger_markdown(sample_export())
    assert text.startswith("# Learning Ledger — Ada \\*the\\* Coder\n")
    assert re.findall(r"^## (.+)$", text, re.M) == SECTIONS
    # generated 18:45 UTC = 20:45 in Berlin (summer time since 2027-03-28)
    assert "Cohort: Spring 2027 · Time zone: Europe/Berlin · Generated 2027-03-29 20:45 CEST" in (
        text
    )
    assert _section(text, "Goals").splitlines() == [
        "- Get an offer by summer",
        "- Solve 150 problems",
    ]


def test_daily_log_by_week_and_day_ledger_first_with_labels() -> None:
    log = _section(learning_ledger_markdown(sample_export()), "Daily Log")
    headings = re.findall(r"^(#{3,4}) (.+)$", log, re.M)
    assert headings == [
        ("###", "Week 2"),
        ("####", "2027-03-27 (Sat)"),
        ("####", "2027-03-28 (Sun)"),
        ("###", "Week 3"),
        ("####", "2027-03-29 (Mon)"),
    ]
    sunday = log.split("#### 2027-03-28 (Sun)")[1].split("###")[0]
    items = [line for line in sunday.splitlines() if line.startswith("- ")]
    assert items[0] == "- 📓 \\# not a heading\\"  # a hard break keeps the next line in it
    assert [i.split(" ")[1] for i in items] == ["📓", "✅", "✅", "🙈", "🎉"]
    assert "- ✅ Solved: LC 49 · Group Anagrams (Medium, 35 min, C++, Timed)" in items
    assert "- ✅ Solved: LC 242 · Valid Anagram (Easy, 9 min, imported from LeetCode)" in items
    assert "- 🎉 Win: First medium under 40 min" in items
    assert "  - -5 min vs last time \\| @home\\\n    second line" in sunday  # notes: nested
    monday = log.split("#### 2027-03-29 (Mon)")[1]
    assert "- 🎤 Mock interview: DS&A, Hire, Pramp, 45 min" in monday
    assert "- 🏆 Contest: Weekly 440, 2 solved, rank 5,120, top 31.5 %" in monday
    # user text cannot open headings, links or emphasis
    assert not re.search(r"^#+ not a heading", log, re.M)
    assert "\\[link\\](http://x) \\*bold\\*" in log


def test_oops_table_survives_pipes_and_newlines() -> None:
    oops = _section(learning_ledger_markdown(sample_export()), "Oops List")
    rows = oops.splitlines()
    assert rows[0] == "| Date | Problem | What went wrong | Lesson | Re-review |"
    assert len(rows) == 4  # header, rule, two oops
    for row in rows:
        cells = UNESCAPED_PIPE.split(row)[1:-1]
        assert len(cells) == 5, row
    first = [c.strip() for c in UNESCAPED_PIPE.split(rows[2])[1:-1]]
    assert first == [
        "2027-03-28",
        "LC 1 · Two Sum",
        "Used a \\| b as the key",
        "Escape \\| pipes<br>and keep \\<tags\\> & text",
        "due 2027-04-02 (step 2 of 4)",
    ]
    assert rows[3].endswith("| Forgot the empty input | — | reviewed |")


def test_recaps_sit_under_their_week_without_repeating_it() -> None:
    recaps = _section(_ledger(), "Weekly Recaps")
    assert recaps.startswith("### Week 1\n\nSolved **5**/12\n\n### Week 2\n\n- LeetCode solved")
    assert "Recap" not in recaps  # the recap's own title would repeat the week
    # the milestone lines are one criterion per list item under their verdict
    assert (
        "**End-Week-2 metrics** (week 2) — ❌ Missed · 2/3\n\n"
        "- ✅ LeetCode solved: 14 — **14** / ≥ 14\n"
        "- ❌ Median solve time ≤ 13 min — **16.5 min** / ≤ 13 min\n"
        "- ✅ Ledger entries ≥ 10 — **11** / ≥ 10"
    ) in recaps


def test_milestones_one_criterion_per_line_with_units_and_verdict() -> None:
    assert _section(_ledger(), "Milestones").splitlines() == [
        "### Week 2 · End-Week-2 metrics — ❌ Missed · 2/3",
        "",
        "- ✅ LeetCode solved: 14 — **14** (target ≥ 14)",
        "- ❌ Median solve time ≤ 13 min — **16.5 min** (target ≤ 13 min)",
        "- ✅ Ledger entries ≥ 10 — **11** (target ≥ 10)",
    ]
    # an export written before the texts existed still reads
    old = replace(sample_export(), milestones=(MilestoneRow("Exit", 2, MILESTONE.criteria[:1]),))
    milestones = _section(learning_ledger_markdown(old), "Milestones")
    assert milestones.startswith("### Week 2 · Exit — 1/1\n")


def test_recap_lines_keep_fences_and_never_skip_levels() -> None:
    text = "# Title\n## Part\ntext\n#### Deep\n```\n# not a heading\nline\n```"
    assert recap_lines(text) == [
        "#### Part",
        "",
        "text",
        "",
        "##### Deep",
        "",
        "```",
        "# not a heading",
        "line",
        "```",
    ]


def test_empty_sections_say_nothing_yet() -> None:
    empty = replace(sample_export(()), goals=(), recaps=(), milestones=())
    text = learning_ledger_markdown(empty)
    for title in SECTIONS:
        assert _section(text, title) == "_Nothing yet._", title
    assert text.endswith("_Nothing yet._\n")


def test_the_writer_takes_entries_in_batches() -> None:
    export = sample_export()
    rows = export.entries_of()
    out = io.StringIO()
    writer = LedgerWriter(out, export)
    for i in range(0, len(rows), 2):  # a day split over two batches stays one day
        writer.entries(rows[i : i + 2])
    writer.oops(export.entries_of("oops")[:1])
    writer.oops(export.entries_of("oops")[1:])
    writer.finish()
    assert out.getvalue() == learning_ledger_markdown(export)


def test_escaping_helpers() -> None:
    assert escape_lines("# h\n1. x\n- a\n-5\n---\n=SUM(A1)") == [
        "\\# h",
        "1\\. x",
        "\\- a",
        "-5",
        "\\---",
        "=SUM(A1)",
    ]
    assert escape_cell(None) == "—"
    assert escape_cell("a|b\nc") == "a\\|b<br>c"
    # code spans stay code (escapes would show inside them); a lone backtick is just text
    assert escape_inline("use `d.get(k, 0)` *not* d[k]") == "use `d.get(k, 0)` \\*not\\* d\\[k\\]"
    assert escape_inline("a `b_c` and ``x`y`` z_") == "a `b_c` and ``x`y`` z\\_"
    assert escape_inline("it`s *fine*") == "it`s \\*fine\\*"
    assert escape_inline("`a|b`") == "`a\\|b`"  # a pipe in a table cell, code or not


# -- the structure as a CommonMark parser sees it ---------------------------------------------
def _parse(text: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(text)


def _heading_levels(tokens: list[Token]) -> list[int]:
    return [int(t.tag[1]) for t in tokens if t.type == "heading_open"]


def _text_of(tokens: list[Token], start: int) -> str:
    """The inline text of the block that opens at ``start``."""
    for t in tokens[start:]:
        if t.type == "inline":
            return t.content
    return ""


def _literal_text(tokens: list[Token]) -> list[str]:
    """What a reader sees: text and code pieces after CommonMark resolved the escapes."""
    out: list[str] = []
    for t in tokens:
        for child in t.children or []:
            if child.type in ("text", "code_inline"):
                out.append(child.content)
    return out


def test_commonmark_structure() -> None:
    text = _ledger()
    tokens = _parse(text)

    levels = _heading_levels(tokens)
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels

    # every entry of the Daily Log is its own list item (13 entries + 3 notes, nested)
    html = MarkdownIt("commonmark").enable("table").render(text)
    log_html = html.split("<h2>Daily Log</h2>")[1].split("<h2>")[0]
    assert log_html.count("<li>") == 13 + 3
    assert "<br />\nsecond line" in log_html  # a multi-line note stays one item
    # every milestone criterion is its own list item, never run together in a paragraph
    for i, t in enumerate(tokens):
        if t.type == "paragraph_open":
            content = _text_of(tokens, i)
            assert content.count("✅") + content.count("❌") <= 1, content
    items = [_text_of(tokens, i) for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert "❌ Median solve time ≤ 13 min — **16.5 min** (target ≤ 13 min)" in items
    assert "❌ Median solve time ≤ 13 min — **16.5 min** / ≤ 13 min" in items
    # the Oops List is a table with a row per Oops
    assert sum(1 for t in tokens if t.type == "tr_open") == 3
    # nothing shows a backslash-escaped backtick or an escape inside code
    seen = _literal_text(tokens)
    assert not any("\\`" in piece for piece in seen)
    codes = [c.content for t in tokens for c in t.children or [] if c.type == "code_inline"]
    assert not any("\\" in code for code in codes)


def test_curriculum_code_spans_render_as_code() -> None:
    done = replace(
        sample_export().entries[11], item_title="pyenv local env `interview-16w` (Python 3.11.5)"
    )
    text = learning_ledger_markdown(sample_export((done,)))
    assert "- 🏁 Done: pyenv local env `interview-16w` (Python 3.11.5)" in text
    codes = [c.content for t in _parse(text) for c in t.children or [] if c.type == "code_inline"]
    assert codes == ["interview-16w"]


def test_code_a_discord_renderer_escaped_is_code_again() -> None:
    text = (
        "**M** (week 8) — ⏳ In progress · 0/2\n"
        "❌ \\`a\\_b.py\\` committed — **0** / ≥ 1\n"
        "❌ 2 \\* 3"
    )
    assert recap_lines(f"### Week 8 Recap\n{text}") == [
        "**M** (week 8) — ⏳ In progress · 0/2",
        "",
        "- ❌ `a_b.py` committed — **0** / ≥ 1",
        "- ❌ 2 \\* 3",  # other escapes stay: they do their job outside code
    ]
