"""Broken copies of the data fail with the file, the field path and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from curriculum.loader import CurriculumError, default_data_dir, load_curriculum


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def _edit(path: Path, change: object) -> None:
    doc = yaml.safe_load(path.read_text())
    change(doc)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def _messages(data: Path) -> list[str]:
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(data)
    return [str(i) for i in caught.value.issues]


def test_unknown_problem(data: Path) -> None:
    _edit(
        data / "weeks/week-07.yaml",
        lambda d: d["days"]["wed"]["block_a"]["tasks"][0]["problems"].__setitem__(0, 9999),
    )
    assert _messages(data) == [
        "weeks/week-07.yaml: days.wed.block_a.tasks[0].problems[0]: unknown problem 9999"
    ]


def test_missing_block(data: Path) -> None:
    _edit(data / "weeks/week-03.yaml", lambda d: d["days"]["tue"].pop("block_b"))
    assert _messages(data) == ["weeks/week-03.yaml: days.tue: a weekday needs Block-B"]


def test_wrong_type_names_the_field(data: Path) -> None:
    _edit(
        data / "weeks/week-01.yaml",
        lambda d: d["days"]["sun"]["session"]["tasks"][0].__setitem__("minutes", "ninety"),
    )
    (msg,) = _messages(data)
    assert msg.startswith("weeks/week-01.yaml: days.sun.session.tasks[0].minutes: ")
    assert "integer" in msg


def test_unknown_key_is_an_error(data: Path) -> None:
    _edit(data / "weeks/week-02.yaml", lambda d: d.__setitem__("titel", "typo"))
    assert _messages(data) == ["weeks/week-02.yaml: titel: Extra inputs are not permitted"]


def test_missing_week(data: Path) -> None:
    (data / "weeks/week-09.yaml").unlink()
    assert _messages(data) == ["weeks/week-09.yaml: week 9 is missing"]


def test_week_outside_its_phase(data: Path) -> None:
    _edit(data / "weeks/week-10.yaml", lambda d: d.__setitem__("phase", 2))
    assert _messages(data) == ["weeks/week-10.yaml: phase: week 10 is in phase 3, not 2"]


def test_milestone_week_must_exist(data: Path) -> None:
    _edit(data / "targets.yaml", lambda d: d["milestones"][0].__setitem__("week", 17))
    assert _messages(data) == ["targets.yaml: milestones[0].week: week 17 does not exist"]


def test_unknown_deliverable_reference(data: Path) -> None:
    _edit(
        data / "weeks/week-05.yaml",
        lambda d: d["days"]["fri"]["block_a"]["tasks"][0].__setitem__("deliverables", ["w5-nope"]),
    )
    assert _messages(data) == [
        "weeks/week-05.yaml: days.fri.block_a.tasks[0].deliverables[0]: "
        "unknown deliverable 'w5-nope'"
    ]


def test_invalid_yaml(data: Path) -> None:
    (data / "problems.yaml").write_text("problems: [\n")
    (msg,) = _messages(data)
    assert msg.startswith("problems.yaml: line ")
    assert "invalid YAML" in msg


def test_decreasing_target_is_a_warning_not_an_error(data: Path) -> None:
    _edit(data / "targets.yaml", lambda d: d["solve_targets"][3].__setitem__("minimum", 30))
    curriculum = load_curriculum(data)
    assert any("target decreases: week 7 asks 30" in str(w) for w in curriculum.warnings)


def test_cli_check_exit_codes(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["curriculum", "check", str(data)]) == 0
    out = capsys.readouterr().out
    assert "warning: targets.yaml" in out and "ok: 16 weeks" in out
    (data / "weeks/week-09.yaml").unlink()
    assert main(["curriculum", "check", str(data)]) == 1
    assert "error: weeks/week-09.yaml: week 9 is missing" in capsys.readouterr().out
