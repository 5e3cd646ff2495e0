"""The weekly matching (pure): maximum pairs, workable pairs only, no repeats while there are
alternatives, whoever waited first, deterministic, fair over eight weeks."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.mock_matching import (
    FRESH_AFTER,
    Candidate,
    History,
    Matching,
    match,
    pair_up,
)
from bot.core.mock_windows import Interval, free_times

MONDAY = datetime(2027, 2, 8, 7, tzinfo=UTC)
ALL = frozenset({"dsa", "system_design", "behavioral"})
EVENINGS = (Interval(MONDAY + timedelta(hours=10), MONDAY + timedelta(hours=12)),)


def people(n: int, **kw: object) -> list[Candidate]:
    return [Candidate(i, ALL, EVENINGS, **kw) for i in range(1, n + 1)]  # type: ignore[arg-type]


def max_matching_size(n: int, edges: list[tuple[int, int]]) -> int:
    best = 0

    def walk(i: int, used: frozenset[int], k: int) -> None:
        nonlocal best
        best = max(best, k)
        for j in range(i, len(edges)):
            a, b = edges[j]
            if a not in used and b not in used:
                walk(j + 1, used | {a, b}, k + 1)

    walk(0, frozenset(), 0)
    return best


def test_pair_up_is_a_maximum_matching_on_every_graph_up_to_six_members() -> None:
    for n in range(1, 7):
        all_edges = list(itertools.combinations(range(n), 2))
        for mask in range(1 << len(all_edges)):
            edges = [e for i, e in enumerate(all_edges) if mask >> i & 1]
            graph: dict[int, list[int]] = {v: [] for v in range(n)}
            for a, b in edges:
                graph[a].append(b)
                graph[b].append(a)
            got = pair_up(graph, list(range(n)))
            assert all(got[got[v]] == v and got[v] in graph[v] for v in got)
            assert len(got) // 2 == max_matching_size(n, edges), (n, edges)


def test_the_first_in_line_is_matched_whenever_anyone_fits_them() -> None:
    for n in range(2, 7):
        all_edges = list(itertools.combinations(range(n), 2))
        for mask in range(1 << len(all_edges)):
            graph: dict[int, list[int]] = {v: [] for v in range(n)}
            for i, (a, b) in enumerate(all_edges):
                if mask >> i & 1:
                    graph[a].append(b)
                    graph[b].append(a)
            for waiter in range(n):
                if not graph[waiter]:
                    continue
                order = [waiter, *(v for v in range(n) if v != waiter)]
                assert waiter in pair_up(graph, order)


def test_only_members_with_a_shared_kind_and_a_session_long_overlap_are_paired() -> None:
    berlin, new_york = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
    start, end = MONDAY, MONDAY + timedelta(days=7)
    alice = Candidate(1, frozenset({"dsa"}), tuple(free_times(["wd-evening"], berlin, start, end)))
    bob = Candidate(2, frozenset({"dsa"}), tuple(free_times(["wd-lunch"], new_york, start, end)))
    cara = Candidate(3, frozenset({"behavioral"}), alice.free)  # same time, other kind
    dan = Candidate(4, frozenset({"dsa"}), tuple(free_times(["wd-morning"], berlin, start, end)))
    result = match([alice, bob, cara, dan])
    assert [(p.first, p.second, p.kind) for p in result.pairs] == [(1, 2, "dsa")]
    assert result.unmatched == (3, 4)
    assert result.pairs[0].overlap[0].start.hour == 17  # 18:00 Berlin = 12:00 New York


def test_an_odd_count_leaves_exactly_one_waiting() -> None:
    result = match(people(7))
    assert len(result.pairs) == 3 and len(result.unmatched) == 1


def test_same_inputs_same_result_in_any_order() -> None:
    rng = random.Random(7)
    crowd = [
        Candidate(i, ALL, EVENINGS, progress=rng.randint(0, 200), waited=rng.choice([0, 0, 1]))
        for i in range(1, 40)
    ]
    history = History({(1, 2): 1, (3, 4): 2}, {1: {"dsa": 3}})
    first = match(crowd, history)
    for _ in range(5):
        rng.shuffle(crowd)
        assert match(crowd, history) == first


def test_similar_progress_is_preferred() -> None:
    crowd = [
        Candidate(1, ALL, EVENINGS, progress=10),
        Candidate(2, ALL, EVENINGS, progress=200),
        Candidate(3, ALL, EVENINGS, progress=12),
        Candidate(4, ALL, EVENINGS, progress=190),
    ]
    pairs = {(p.first, p.second) for p in match(crowd).pairs}
    assert pairs == {(1, 3), (2, 4)}


def test_no_repeats_while_an_alternative_exists() -> None:
    history = History({(1, 2): 1, (3, 4): 1})
    pairs = {(p.first, p.second) for p in match(people(4), history).pairs}
    assert pairs.isdisjoint({(1, 2), (3, 4)}) and len(pairs) == 2
    # with only the two of them, last week's partner is better than no partner
    only_two = match(people(2), History({(1, 2): 1}))
    assert [(p.first, p.second) for p in only_two.pairs] == [(1, 2)]


@pytest.mark.parametrize("size", [4, 6, 8, 10])
def test_new_partners_for_as_long_as_possible(size: int) -> None:
    crowd = people(size)
    met: set[tuple[int, int]] = set()
    rounds_ago: dict[tuple[int, int], int] = {}
    for week in range(min(size - 1, FRESH_AFTER + 1)):
        result = match(crowd, History(dict(rounds_ago)))
        assert len(result.pairs) == size // 2
        for p in result.pairs:
            key = (p.first, p.second)
            assert key not in met, f"week {week}: {key} repeated"
            met.add(key)
        rounds_ago = {k: v + 1 for k, v in rounds_ago.items()}
        rounds_ago.update({(p.first, p.second): 1 for p in result.pairs})


def test_the_kind_is_the_shared_one_done_least() -> None:
    a = Candidate(1, frozenset({"dsa", "system_design"}), EVENINGS)
    b = Candidate(2, frozenset({"dsa", "system_design", "behavioral"}), EVENINGS)
    assert match([a, b]).pairs[0].kind == "dsa"
    history = History(kind_counts={1: {"dsa": 2}, 2: {"dsa": 1, "system_design": 1}})
    assert match([a, b], history).pairs[0].kind == "system_design"


def _simulate(crowd: list[Candidate], weeks: int) -> list[Matching]:
    waited = {c.member_id: 0 for c in crowd}
    rounds_ago: dict[tuple[int, int], int] = {}
    results = []
    for _ in range(weeks):
        current = [
            Candidate(c.member_id, c.kinds, c.free, c.progress, waited[c.member_id]) for c in crowd
        ]
        result = match(current, History(dict(rounds_ago)))
        results.append(result)
        for v in waited:
            waited[v] = waited[v] + 1 if v in result.unmatched else 0
        rounds_ago = {k: v + 1 for k, v in rounds_ago.items() if v + 1 <= FRESH_AFTER}
        rounds_ago.update({(p.first, p.second): 1 for p in result.pairs})
    return results


@pytest.mark.parametrize("size", [3, 5, 7, 9, 13])
def test_fair_over_eight_weeks_nobody_waits_two_weeks_in_a_row(size: int) -> None:
    rng = random.Random(size)
    crowd = [Candidate(i, ALL, EVENINGS, progress=rng.randint(0, 150)) for i in range(size)]
    results = _simulate(crowd, 8)
    for before, after in itertools.pairwise(results):
        assert set(before.unmatched).isdisjoint(after.unmatched)
        assert len(after.unmatched) == size % 2
    waits = [v for r in results for v in r.unmatched]
    assert max(waits.count(v) for v in set(waits)) <= 8 // 2 + 1


def test_fair_over_eight_weeks_across_zones() -> None:
    """Twelve members in Berlin, New York and Tokyo with overlapping windows: everyone with
    someone workable is matched within one week of waiting."""
    start, end = MONDAY, MONDAY + timedelta(days=7)
    zones = {
        "Europe/Berlin": ["wd-evening", "sat-morning"],
        "America/New_York": ["wd-lunch", "sat-morning"],
        "Asia/Tokyo": ["sat-evening", "wd-early"],
    }
    crowd = []
    for i in range(13):
        zone, windows = list(zones.items())[i % 3]
        free = tuple(free_times(windows, ZoneInfo(zone), start, end))
        crowd.append(Candidate(i, ALL, free, progress=i * 7))
    results = _simulate(crowd, 8)
    for before, after in itertools.pairwise(results):
        assert set(before.unmatched).isdisjoint(after.unmatched)
