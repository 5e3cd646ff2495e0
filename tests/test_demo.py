"""``coach demo``: offline, no token, writes non-trivial files that parse; its history does
not depend on how many weeks are shown; it replaces only its own old files."""

from __future__ import annotations

import csv
import io
import itertools
import json
import sqlite3
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from icalendar import Calendar
from markdown_it import MarkdownIt
from matplotlib.image import imread

from bot.cli import main
from bot.demo_data import PRACTICE, slug_of
from bot.exports.data import EntryRow
from bot.exports.tables import export_from_json
from curriculum.loader import Curriculum

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo") / "out"
    capture = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("DISCORD_TOKEN", raising=False)
        mp.setenv("DATABASE_URL", "mysql://must-not-be-read")  # the demo ignores settings
        mp.setattr("sys.stdout", capture)
        assert main(["demo", "--weeks", "2", "--out", str(out), "--seed", "7"]) == 0
    return out, capture.getvalue()


def test_demo_writes_every_file(demo_out: tuple[Path, str]) -> None:
    out, printed = demo_out
    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert names == [
        "day-2027-01-11-posts.md",
        "export-ada/learning-ledger.md",
        "export-ada/solves.csv",
        "export-ada/studycoach-export.json",
        "export-ada/studycoach-oops-and-insights.apkg",
        "export-ada/studycoach-schedule.ics",
        "index.md",
        "milestones.md",
        "progress.html",
        "week-02-recap.md",
        "week-02-recap.png",
    ]
    for name in names:
        assert name in printed
    minimum = {".md": 400, ".csv": 300, ".json": 5000, ".apkg": 1000, ".ics": 10_000}
    minimum[".html"] = 10_000
    for path in out.rglob("*"):
        if path.suffix in minimum:
            assert path.stat().st_size >= minimum[path.suffix], path.name
    assert "(index.md)" not in (out / "index.md").read_text()


def test_demo_posts_recap_and_milestones(demo_out: tuple[Path, str]) -> None:
    out, _ = demo_out
    day = (out / "day-2027-01-11-posts.md").read_text()
    assert "## Block-A · 07:00" in day and "## Block-B · 19:00" in day
    assert "Week 2 · Python Fundamentals I — Mon · Block-A (90 min)" in day
    recap = (out / "week-02-recap.md").read_text()
    assert recap.startswith("## 📊 Week 2 recap")
    for heading in ("### This week", "### Members", "### 🏁 End-Week-2 metrics"):
        assert heading in recap
    assert all(name in recap for name in ("Ada", "Ben", "Chen", "Dara"))
    image = imread(out / "week-02-recap.png", format="png")
    assert image.shape[:2] == (600, 1200)
    milestones = (out / "milestones.md").read_text()
    assert milestones.count("End-Week-2 metrics") == 4 and "✅" in milestones


def test_demo_writes_the_cohort_page_as_one_static_file(demo_out: tuple[Path, str]) -> None:
    page = (demo_out[0] / "progress.html").read_text()
    assert page.startswith("<!doctype html>") and "<h1>Demo cohort</h1>" in page
    assert "<style>" in page and "stylesheet" not in page  # opens on its own, offline
    assert "<script" not in page and "http://" not in page.split("</head>")[0]
    for section in ("Season calendar", "Pattern coverage", "Milestone board", "This week"):
        assert section in page
    assert page.count('<g class="row"') == 4  # the heatmap: one row per member
    assert all(name in page for name in ("Ada", "Ben", "Chen", "Dara"))


def test_demo_export_parses(demo_out: tuple[Path, str], tmp_path: Path) -> None:
    folder = demo_out[0] / "export-ada"
    ledger = (folder / "learning-ledger.md").read_text()
    for section in ("Goals", "Daily Log", "Oops List", "Weekly Recaps", "Milestones"):
        assert f"\n## {section}\n" in ledger
    data = export_from_json((folder / "studycoach-export.json").read_text())
    assert data.display_name == "Ada" and len(data.recaps) == 2
    kinds = {e.kind for e in data.entries}
    assert {"solve", "ledger", "anki", "done"} <= kinds
    solves = list(csv.DictReader(io.StringIO((folder / "solves.csv").read_text())))
    assert len(solves) == sum(1 for e in data.entries if e.kind == "solve") >= 10
    json.loads((folder / "studycoach-export.json").read_text())
    with zipfile.ZipFile(folder / "studycoach-oops-and-insights.apkg") as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    (notes,) = conn.execute("SELECT COUNT(*) FROM notes").fetchone()
    conn.close()
    assert notes == sum(1 for e in data.entries if e.kind in ("oops", "card")) > 0
    cal = Calendar.from_ical((folder / "studycoach-schedule.ics").read_bytes())
    assert len(list(cal.walk("VEVENT"))) > 50


def test_demo_is_deterministic(demo_out: tuple[Path, str], tmp_path: Path) -> None:
    assert main(["demo", "--weeks", "2", "--out", str(tmp_path), "--seed", "7"]) == 0
    first = demo_out[0]
    for name in ("milestones.md", "week-02-recap.md", "export-ada/solves.csv"):
        assert (tmp_path / name).read_text() == (first / name).read_text()


def test_demo_rejects_bad_weeks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["demo", "--weeks", "0", "--out", str(tmp_path)]) == 2
    assert "--weeks must be between 1 and 16" in capsys.readouterr().err


def _demo(out: Path, weeks: int, seed: int = 7) -> str:
    capture = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdout", capture)
        assert main(["demo", "--weeks", str(weeks), "--out", str(out), "--seed", str(seed)]) == 0
    return capture.getvalue()


def _entries(out: Path) -> list[EntryRow]:
    text = (out / "export-ada" / "studycoach-export.json").read_text()
    return list(export_from_json(text).entries)


def test_the_history_does_not_depend_on_the_weeks_shown(
    demo_out: tuple[Path, str], tmp_path: Path
) -> None:
    _demo(tmp_path, 3)
    longer = [e for e in _entries(tmp_path) if e.week is not None and e.week <= 2]
    shorter = _entries(demo_out[0])
    assert shorter and all(e.week is not None and e.week <= 2 for e in shorter)
    # review states are "as of now"; everything logged is the same, ids and times included
    assert [replace(e, review_state=None) for e in longer] == [
        replace(e, review_state=None) for e in shorter
    ]


def test_solves_are_real_problems_with_titles(
    demo_out: tuple[Path, str], curriculum: Curriculum
) -> None:
    practice = {n: (title, difficulty) for n, title, difficulty, _ in PRACTICE}
    assert len(practice) == len(PRACTICE) and not set(practice) & set(curriculum.problems)
    solves = [e for e in _entries(demo_out[0]) if e.kind == "solve"]
    assert solves
    for e in solves:
        assert e.problem_number is not None and e.problem_title, e
        known = curriculum.problems.get(e.problem_number)
        if known is not None:  # typed with /solve
            assert (e.problem_title, e.difficulty) == (known.title, known.difficulty.value)
            assert not e.imported
        else:  # practice beyond the roadmap, imported from the linked LeetCode account
            assert (e.problem_title, e.difficulty) == practice[e.problem_number]
            assert e.imported and e.minutes is None
    assert any(e.imported for e in solves) and any(not e.imported for e in solves)
    assert slug_of("Pow(x, n)") == "powx-n" and slug_of("Pascal's Triangle") == "pascals-triangle"
    assert slug_of("Two Sum II - Input Array Is Sorted") == "two-sum-ii-input-array-is-sorted"


def test_no_duplicate_anki_cards(demo_out: tuple[Path, str], tmp_path: Path) -> None:
    folder = demo_out[0] / "export-ada"
    with zipfile.ZipFile(folder / "studycoach-oops-and-insights.apkg") as archive:
        (tmp_path / "c.anki2").write_bytes(archive.read("collection.anki2"))
    conn = sqlite3.connect(tmp_path / "c.anki2")
    fronts = [f.split("\x1f")[0] for (f,) in conn.execute("SELECT flds FROM notes")]
    conn.close()
    assert len(fronts) >= 3 and len(set(fronts)) == len(fronts)


def test_the_ledger_reads_well_as_commonmark(demo_out: tuple[Path, str]) -> None:
    ledger = (demo_out[0] / "export-ada" / "learning-ledger.md").read_text()
    tokens = MarkdownIt("commonmark").enable("table").parse(ledger)
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels))
    assert "\\`" not in ledger and "not yet" not in ledger
    for raw in ("dsa", "lean_no_hire", "interviewing_io", "unguided", "python,"):
        assert raw not in ledger, raw
    assert "### Week 2 · End-Week-2 metrics — " in ledger
    assert "— ❌ Missed ·" in ledger or "— ✅ Passed ·" in ledger
    recap = (demo_out[0] / "week-02-recap.md").read_text()
    milestones = (demo_out[0] / "milestones.md").read_text()
    verdict = ledger.split("### Week 2 · End-Week-2 metrics — ")[1].split("\n")[0]
    assert f"End-Week-2 metrics (week 2) — {verdict}" in milestones  # one verdict everywhere
    assert "In progress" not in recap.split("End-Week-2")[1].split("\n")[0]


def test_an_old_output_folder_is_cleared_of_the_demos_files_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _demo(out, 3)
    (out / "notes.md").write_text("mine")
    (out / "export-ada" / "mine.txt").write_text("mine too")
    (out / "export-zoe").mkdir()
    (out / "export-zoe" / "solves.csv").write_text("old demo file")
    (out / "index-of-mine.md").write_text("# StudyCoach demo\n")

    printed = _demo(out, 2)

    names = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert "week-03-recap.md" not in names and "week-03-recap.png" not in names
    assert "day-2027-01-18-posts.md" not in names
    assert {"notes.md", "export-ada/mine.txt", "index-of-mine.md"} <= set(names)
    assert not (out / "export-zoe").exists()  # emptied, so removed
    assert "week-02-recap.md" in names and "Removed 12 files of an earlier demo" in printed
    (out / "index.md").write_text("# My own index\n")
    _demo(out, 2)
    assert (out / "index.md").read_text().startswith("# StudyCoach demo")  # written anew…
    (out / "index.md").write_text("# My own index\n")
    from bot.demo import clear_old_output

    clear_old_output(out)
    assert (out / "index.md").read_text() == "# My own index\n"  # …but never removed


def test_demo_out_is_ignored_by_git() -> None:
    lines = (ROOT / ".gitignore").read_text().splitlines()
    assert "/demo-out/" in lines
