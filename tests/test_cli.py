from __future__ import annotations

import re

import pytest

from bot.cli import main


def test_preview_week5_wednesday(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--start", "2027-01-04", "--date", "2027-02-03"]) == 0
    out = capsys.readouterr().out
    assert "week 5" in out and "Wednesday" in out
    assert "Week 5 · Arrays & Hashing — Wed · Block-A (90 min)" in out
    assert "Week 5 · Arrays & Hashing — Wed · Block-B (90 min)" in out
    assert (
        "LC 347 · Top K Frequent Elements · medium · https://leetcode.com/problems/top-k-frequent-elements/"
        in out
    )
    assert "LC 49 · Group Anagrams · medium" in out


def test_preview_before_and_after(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["preview", "--start", "2027-01-04", "--date", "2027-01-01", "--tz", "Asia/Kolkata"])
        == 0
    )
    assert "before the start" in capsys.readouterr().out
    assert main(["preview", "--start", "2027-01-04", "--date", "2027-05-01"]) == 0
    assert "after week 16" in capsys.readouterr().out


def test_preview_weekend_session_and_opening(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["preview", "--start", "2027-01-04", "--date", "2027-01-10"]) == 0
    out = capsys.readouterr().out
    assert "Weekend session (3 h)" in out
    assert "[90 min]" in out and "[45 min]" in out
    assert main(["preview", "--start", "2027-01-04", "--date", "2027-02-01"]) == 0
    out = capsys.readouterr().out
    assert "Phase 2 begins" in out and "This week: Week 5" in out


def test_preview_rejects_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["preview", "--start", "2027-13-04", "--date", "2027-02-03"])
    assert "not a date" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["preview", "--start", "2027-01-04", "--date", "2027-02-03", "--tz", "Mars/Base"])
    assert "IANA" in capsys.readouterr().err


def test_export_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["curriculum", "export"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert len(doc["weeks"]) == 16 and doc["problems"][0]["url"].startswith("https://leetcode.com/")


def test_run_without_token_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "DISCORD_TOKEN" in err[0]


def test_invalid_setting_is_one_clear_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DISCORD_TOKEN", "x")
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    assert main(["run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert (
        len(err) == 1
        and "DATABASE_URL" in err[0]
        and "x" not in err[0].split("DATABASE_URL")[0][-3:]
    )


def test_db_upgrade(
    monkeypatch: pytest.MonkeyPatch, tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["db", "upgrade"]) == 0
    assert (tmp_path / "state" / "studycoach.sqlite3").is_file()
    out = capsys.readouterr().out
    assert re.match(r"applied \d+ migrations to the SQLite database", out) and "0001_" in out
    assert main(["db", "upgrade"]) == 0
    assert "is up to date: no pending migrations" in capsys.readouterr().out
