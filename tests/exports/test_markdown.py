"""The Learning Ledger Markdown: sections, escaping, empty states."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.exports.markdown import escape_cell, escape_lines, learning_ledger_markdown
from tests.exports import sample_export

SECTIONS = ["Goals", "Daily Log", "Oops List", "Weekly Recaps", "Milestones"]
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, title
    return match.group(1).strip()


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


def test_daily_log_grouped_oldest_first_ledger_first() -> None:
    log = _section(learning_ledger_markdown(sample_export()), "Daily Log")
    days = re.findall(r"^### (\S+) \((\w+)\) · Week (\d+)$", log, re.M)
    assert days == [
        ("2027-03-27", "Sat", "2"),
        ("2027-03-28", "Sun", "2"),
        ("2027-03-29", "Mon", "3"),
    ]
    sunday = log.split("### 2027-03-28")[1].split("### ")[0]
    items = [line for line in sunday.splitlines() if line.startswith("- ")]
    assert items[0].startswith("- 📓 \\# not a heading")
    assert [i.split(" ")[1] for i in items] == ["📓", "✅", "✅", "🙈", "🎉"]
    assert "- ✅ Solved: LC 49 · Group Anagrams (medium, 35 min, cpp, timed)" in items
    assert "- 🎉 Win: First medium under 40 min" in items
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


def test_recaps_and_milestones() -> None:
    text = learning_ledger_markdown(sample_export())
    recaps = _section(text, "Weekly Recaps")
    assert recaps.startswith("### Week 1\n\n#### Recap\nSolved **5**/12")
    assert "### Week 2\n\nSolved 9/12\n```\n# code, not a heading\n```" in recaps
    milestones = _section(text, "Milestones").splitlines()
    assert milestones == [
        "### Week 2 · Phase 0 exit — ⏳ not yet",
        "",
        "- ✅ Unique solves: 3 (target ≥ 3)",
        "- ❌ Median minutes: no data yet (target ≤ 30)",
    ]


def test_empty_sections_say_nothing_yet() -> None:
    empty = replace(sample_export(()), goals=(), recaps=(), milestones=())
    text = learning_ledger_markdown(empty)
    for title in SECTIONS:
        assert _section(text, title) == "_Nothing yet._", title
    assert text.endswith("_Nothing yet._\n")


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
