"""Leaderboard ranking: points, competition ranks with ties, top/bottom slices."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.ranking import Ranked, points, rank, top_and_bottom


def test_points_default_and_custom_weights() -> None:
    assert points(0, 0, 0) == 0
    assert points(2, 1, 1) == 2 + 3 + 7
    assert points(1, 1, 1, weights=(1, 2, 4)) == 7


def test_points_rejects_negative_counts() -> None:
    with pytest.raises(ValueError):
        points(-1, 0, 0)


def test_ties_share_rank_with_competition_gaps() -> None:
    got = rank([("a", 10), ("b", 30), ("c", 20), ("d", 20), ("e", 5)])
    assert [(r.key, r.rank) for r in got] == [("b", 1), ("c", 2), ("d", 2), ("a", 4), ("e", 5)]
    assert got[0] == Ranked(key="b", value=30, rank=1)


def test_all_equal_share_first_place() -> None:
    got = rank([("x", 3.0), ("y", 3.0), ("z", 3.0)])
    assert [r.rank for r in got] == [1, 1, 1]


def test_ascending_mode_lower_is_better() -> None:
    got = rank([("slow", 9.5), ("fast", 1.0), ("mid", 4.0), ("mid2", 4.0)], descending=False)
    assert [(r.key, r.rank) for r in got] == [("fast", 1), ("mid", 2), ("mid2", 2), ("slow", 4)]


def test_tiebreak_orders_ties_case_insensitively_without_splitting_rank() -> None:
    rows = [("zed", 5), ("Bob", 5), ("alice", 5), ("Top", 9)]
    got = rank(rows, tiebreak=str.casefold)
    assert [r.key for r in got] == ["Top", "alice", "Bob", "zed"]
    assert [r.rank for r in got] == [1, 2, 2, 2]


def test_ties_without_tiebreak_keep_input_order() -> None:
    rows = [("c", 1), ("a", 1), ("b", 1)]
    assert [r.key for r in rank(rows)] == ["c", "a", "b"]
    assert [r.key for r in rank(rows, descending=False)] == ["c", "a", "b"]


def test_equal_tiebreak_keys_fall_back_to_input_order() -> None:
    rows = [(("ANA", 1), 4), (("ana", 2), 4)]
    got = rank(rows, tiebreak=lambda k: k[0].casefold())
    assert [r.key for r in got] == [("ANA", 1), ("ana", 2)]


def test_empty_and_nan() -> None:
    assert rank([]) == []
    with pytest.raises(ValueError):
        rank([("a", float("nan"))])


def test_top_and_bottom_large_list() -> None:
    items = list(range(20))
    assert top_and_bottom(items, 3, 2) == ([0, 1, 2], 15, [18, 19])


@pytest.mark.parametrize(
    ("n", "top", "bottom", "expected"),
    [
        (0, 3, 3, ([], 0, [])),
        (4, 3, 3, ([0, 1, 2], 0, [3])),
        (2, 3, 3, ([0, 1], 0, [])),
        (6, 3, 3, ([0, 1, 2], 0, [3, 4, 5])),
        (7, 3, 3, ([0, 1, 2], 1, [4, 5, 6])),
        (5, 0, 2, ([], 3, [3, 4])),
        (5, 2, 0, ([0, 1], 3, [])),
        (5, 0, 0, ([], 5, [])),
    ],
)
def test_top_and_bottom_edges(
    n: int, top: int, bottom: int, expected: tuple[list[int], int, list[int]]
) -> None:
    head, hidden, tail = top_and_bottom(list(range(n)), top, bottom)
    assert (head, hidden, tail) == expected
    assert len(head) + hidden + len(tail) == n
    assert not set(head) & set(tail)


def test_top_and_bottom_rejects_negative() -> None:
    with pytest.raises(ValueError):
        top_and_bottom([1, 2], -1, 0)


values = st.lists(
    st.tuples(st.text(max_size=3), st.integers(min_value=-5, max_value=5).map(float)),
    max_size=25,
)


@given(rows=values, descending=st.booleans())
def test_rank_properties(rows: list[tuple[str, float]], descending: bool) -> None:
    got = rank(rows, descending=descending, tiebreak=str.casefold)
    assert sorted(got, key=lambda r: r.rank) == got  # listed best first
    assert sorted((k, v) for k, v in rows) == sorted((r.key, r.value) for r in got)
    ranks = [r.rank for r in got]
    assert ranks == sorted(ranks)
    for a in got:
        better = sum(1 for b in got if (b.value > a.value if descending else b.value < a.value))
        assert a.rank == 1 + better
        for b in got:
            assert (a.value == b.value) == (a.rank == b.rank)
