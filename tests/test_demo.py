"""``coach demo``: offline, no token, writes non-trivial files that parse."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from icalendar import Calendar
from matplotlib.image import imread

from bot.cli import main
from bot.exports.tables import export_from_json


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
        "week-02-recap.md",
        "week-02-recap.png",
    ]
    for name in names:
        assert name in printed
    minimum = {".md": 400, ".csv": 300, ".json": 5000, ".apkg": 1000, ".ics": 10_000}
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
