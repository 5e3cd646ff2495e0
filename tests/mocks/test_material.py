"""mocks.yaml: every data file loads, the material matches the catalogue and the verdict
vocabulary, and broken copies fail with the file, the path and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.core.entries import RATINGS
from curriculum.loader import (
    SAFE_LOADER,
    Curriculum,
    CurriculumError,
    default_data_dir,
    load_curriculum,
    load_files,
)


def test_every_data_file_loads_and_validates() -> None:
    data = default_data_dir()
    files = sorted(p.relative_to(data).as_posix() for p in data.rglob("*.yaml"))
    assert "mocks.yaml" in files
    for name in files:
        assert yaml.load((data / name).read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    parts, issues = load_files(data)
    assert issues == []
    assert parts["mocks"] is not None and len(parts["weeks"]) == 16


def test_material_matches_the_catalogue_and_the_verdicts(curriculum: Curriculum) -> None:
    material = curriculum.mocks
    assert [v.id for v in material.verdicts] == list(RATINGS)
    assert [v.label for v in material.verdicts] == list(RATINGS.values())
    assert {r.kind for r in material.rubrics} == {"dsa", "system_design", "behavioral"}
    dsa = material.rubric("dsa")
    assert [d.name for d in dsa.dimensions] == [
        "Problem solving",
        "Code",
        "Testing",
        "Communication",
    ]
    assert (material.scale.min, material.scale.max) == (1, 4)
    covered = {c.number for c in material.problems}
    free = {n for n, p in curriculum.problems.items() if not p.premium}
    assert free <= covered <= set(curriculum.problems)
    assert all(len(c.hints) == 2 for c in material.problems)
    assert any(p.title == "Realtime Chat Service" for p in material.design_prompts)
    assert all(13 <= p.week <= 16 for p in material.design_prompts)  # phase 4/5 material
    assert all(len(r.score_label(material.scale)) <= 45 for r in material.rubrics)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(default_data_dir(), target)
    return target


def _edit(path: Path, change: Any) -> None:
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def _messages(data: Path) -> list[str]:
    with pytest.raises(CurriculumError) as caught:
        load_curriculum(data)
    return [str(i) for i in caught.value.issues]


def test_a_catalogue_problem_without_hints_is_an_error(data: Path) -> None:
    _edit(data / "mocks.yaml", lambda d: d["problems"].pop(0))
    assert _messages(data) == [
        "mocks.yaml: problems: catalogue problem 1 (Two Sum) has no hints and follow-up"
    ]


def test_hints_for_an_unknown_problem_are_an_error(data: Path) -> None:
    _edit(data / "mocks.yaml", lambda d: d["problems"][0].__setitem__("number", 3999))
    messages = _messages(data)
    assert "mocks.yaml: problems[0].number: problem 3999 is not in the catalogue" in messages


def test_a_label_too_long_for_the_feedback_form_is_an_error(data: Path) -> None:
    def lengthen(doc: dict[str, Any]) -> None:
        for dim in doc["rubrics"][0]["dimensions"]:
            dim["short"] = "problem-solving"

    _edit(data / "mocks.yaml", lengthen)
    (message,) = _messages(data)
    assert message.startswith("mocks.yaml: rubrics[0].dimensions: the feedback form's label")
    assert "Discord allows 45" in message


def test_verdicts_must_be_the_milestone_vocabulary(data: Path) -> None:
    _edit(data / "mocks.yaml", lambda d: d["verdicts"].reverse())
    assert _messages(data) == [
        "mocks.yaml: verdicts: verdicts must be strong_hire, hire, lean_hire, lean_no_hire, "
        "no_hire (best first), once each"
    ]


def test_a_missing_rubric_and_a_bad_hint_count(data: Path) -> None:
    def damage(doc: dict[str, Any]) -> None:
        doc["rubrics"] = [r for r in doc["rubrics"] if r["kind"] != "behavioral"]

    _edit(data / "mocks.yaml", damage)
    assert _messages(data) == ["mocks.yaml: rubrics: needs exactly one rubric of kind 'behavioral'"]
    _edit(data / "mocks.yaml", lambda d: d["problems"][0]["hints"].pop())
    (message,) = _messages(data)
    assert message.startswith("mocks.yaml: problems[0].hints:")


def test_a_missing_file_is_named(data: Path) -> None:
    (data / "mocks.yaml").unlink()
    assert _messages(data) == ["mocks.yaml: file is missing"]
