"""Broken copies of the data fail with the file, the field path and the problem."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

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


def _criterion(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    for milestone in doc["milestones"]:
        for c in milestone["criteria"]:
            if c["id"] == ident:
                return c  # type: ignore[no-any-return]
    raise KeyError(ident)


def _set(ident: str, **values: Any) -> Any:
    return lambda d: _criterion(d, ident).update(values)


def test_threshold_beyond_the_mind_maps_is_an_error(data: Path) -> None:
    """12 mind-maps asked, 8 defined: no member could ever pass, so the data is wrong."""
    _edit(data / "targets.yaml", _set("eow12-mind-maps", threshold=12))
    assert _messages(data) == [
        'targets.yaml: milestones[2].criteria[7]: "8 pattern mind-maps total" (eow12-mind-maps) '
        "needs 12, but the data makes at most 8 possible (8 deliverables of category 'mind_map')"
    ]


def test_item_count_beyond_its_items_is_an_error(data: Path) -> None:
    _edit(data / "targets.yaml", _set("final-mind-maps", threshold=12))
    assert _messages(data) == [
        'targets.yaml: milestones[4].criteria[7]: "Mind-maps (≥ 11): 8 pattern mind-maps + '
        'LLIA, pipeline, CI/CD" (final-mind-maps) needs 12, but the data makes at most 11 '
        "possible (8 deliverables of category 'mind_map' + 3 listed items)"
    ]


def test_a_single_tick_counted_twice_is_an_error(data: Path) -> None:
    _edit(data / "targets.yaml", _set("eow8-patterns", threshold=2))
    assert _messages(data) == [
        'targets.yaml: milestones[1].criteria[2]: "`patterns/arrays_hashing.{py,cpp}` etc. '
        'committed" (eow8-patterns) needs 2, but the data makes at most 1 possible '
        "('w8-patterns-committed' is ticked once)"
    ]


def test_the_old_unreachable_thresholds_fail(data: Path) -> None:
    """The shipped data once asked 11 of category 'diagram' (4 exist): an error now."""
    _edit(
        data / "targets.yaml",
        _set("p4-diagrams", metric="deliverables", params={"category": "diagram"}),
    )
    (msg,) = _messages(data)
    assert msg.endswith(
        "needs 11, but the data makes at most 4 possible (4 deliverables of category 'diagram')"
    )


def test_countable_items_have_no_upper_bound(data: Path) -> None:
    _edit(data / "targets.yaml", _set("final-outreach", threshold=500))
    curriculum = load_curriculum(data)
    assert curriculum.criterion("final-outreach").threshold == 500


def test_a_countable_item_needs_a_unit(data: Path) -> None:
    _edit(
        data / "weeks/week-16.yaml",
        lambda d: next(x for x in d["deliverables"] if x["id"] == "w16-applications").pop("unit"),
    )
    (msg,) = _messages(data)
    assert msg.startswith("weeks/week-16.yaml: deliverables[4]: ")
    assert "a countable deliverable needs a unit" in msg


def test_unknown_counted_item(data: Path) -> None:
    _edit(data / "targets.yaml", _set("final-diagrams", params={"items": ["w15-nope"]}))
    assert _messages(data)[0] == (
        "targets.yaml: milestones[4].criteria[9].params.items[0]: unknown deliverable 'w15-nope'"
    )


def test_params_must_fit_the_metric(data: Path) -> None:
    _edit(data / "targets.yaml", _set("final-outreach", metric="deliverables"))
    (msg,) = _messages(data)
    assert msg.startswith("targets.yaml: milestones[4].criteria[15]: ")
    assert "needs params.category" in msg


def test_duplicate_criterion_id(data: Path) -> None:
    _edit(data / "targets.yaml", _set("glance-flashcard", id="glance-dl-service"))
    assert _messages(data) == [
        "targets.yaml: milestones[4].criteria[19].id: "
        "criterion 'glance-dl-service' is defined twice"
    ]


def test_unscheduled_item_is_a_warning(data: Path) -> None:
    """A counted deliverable no day's task produces: the roadmap names more than it plans."""
    _edit(
        data / "weeks/week-15.yaml",
        lambda d: d["days"]["fri"]["block_b"]["tasks"][0].pop("deliverables"),
    )
    warnings = [str(w) for w in load_curriculum(data).warnings]
    assert (
        'targets.yaml: milestones[4].criteria[9]: "diagrams (LLIA, pipeline, CICD)" '
        "(final-diagrams) needs 3, but the days schedule only 2 of what it counts; "
        "the roadmap names but never schedules 'w15-diagram-cicd'"
    ) in warnings


def test_checklist_row_without_criteria_is_a_warning(data: Path) -> None:
    _edit(data / "program.yaml", lambda d: d["final_checklist"][6].pop("criteria"))
    warnings = [str(w) for w in load_curriculum(data).warnings]
    assert (
        'program.yaml: final_checklist[6]: row "Job Outreach" links no criterion, '
        "so nothing judges it"
    ) in warnings


def test_weekend_day_needs_a_session_or_both_blocks(data: Path) -> None:
    _edit(data / "weeks/week-16.yaml", lambda d: d["days"]["sat"].pop("block_b"))
    assert _messages(data) == [
        "weeks/week-16.yaml: days.sat: a weekend day needs a session or Block-A and Block-B"
    ]


def test_weekend_blocks_longer_than_the_weekend_are_a_warning(data: Path) -> None:
    _edit(data / "weeks/week-16.yaml", lambda d: d["days"]["sun"]["block_b"].update(minutes=120))
    warnings = [str(w) for w in load_curriculum(data).warnings]
    assert (
        "weeks/week-16.yaml: days.sun: Block-A and Block-B add up to 210 min, "
        "more than the weekend's 180 min"
    ) in warnings


def test_checker_and_loader_do_not_import_each_other() -> None:
    import ast

    import curriculum.checker
    import curriculum.target_checks

    for module in (curriculum.checker, curriculum.target_checks):
        tree = ast.parse(Path(str(module.__file__)).read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "curriculum.loader" not in imported, module.__name__


def test_unknown_ticked_item(data: Path) -> None:
    _edit(data / "targets.yaml", _set("eow8-patterns", params={"item": "w8-nope"}))
    assert _messages(data) == [
        "targets.yaml: milestones[1].criteria[2].params.item: unknown deliverable 'w8-nope'"
    ]
