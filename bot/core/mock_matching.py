"""The weekly peer-mock matching: who interviews whom this week (pure and deterministic).

Rules, in the order they win:

1. **Only workable pairs.** Two members can be paired when they share a kind of interview
   (DS&A, system design, behavioral) and their windows overlap, on this week's real dates
   in UTC, long enough for a whole session (see :mod:`bot.core.mock_windows`).
2. **As many pairs as possible.** The result is a maximum matching of the "workable" graph:
   after a greedy first pass, Edmonds' augmenting paths (with blossoms) add every pair that
   can still be added — an augmenting path never unmatches anyone already paired.
3. **Whoever waited goes first.** A member left over last week (an odd count, or nobody who
   fit) is "first in line": they choose before anyone else, and edges to them count as fresh,
   so they are paired whenever anyone workable exists. Everyone is therefore matched within
   one week of waiting, unless nobody at all fits their windows and kinds.
4. **New partners first.** Pairs from the last :data:`FRESH_AFTER` rounds are used only when
   no matching of the same size avoids them (a first pass on fresh edges, then the rest);
   among the others, someone never met before, then whoever was met longest ago.
5. **Similar progress.** Among equally fresh partners, the closest in cumulative unique
   solves; then the one who waited longer, the one with fewer options, the lower id.

The result depends only on the inputs (ids break every tie), never on their order.
Each pair does two sessions with the roles swapped; the kind is the shared kind the two have
done least, in catalogue order on a tie.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.mock_windows import SESSION_MINUTES, Interval, fits_session, overlap

KIND_ORDER = ("dsa", "system_design", "behavioral")
FRESH_AFTER = 3  # a pair from the last three rounds is "recent"


@dataclass(frozen=True)
class Candidate:
    member_id: int
    kinds: frozenset[str]
    free: tuple[Interval, ...]  # sorted, merged, in the matching horizon (UTC)
    progress: int = 0  # cumulative unique solves
    waited: int = 0  # rounds in a row they were eligible and left unmatched


@dataclass(frozen=True)
class Pair:
    first: int  # interviews in session 1, is interviewed in session 2
    second: int
    kind: str
    overlap: tuple[Interval, ...]


@dataclass(frozen=True)
class Matching:
    pairs: tuple[Pair, ...]
    unmatched: tuple[int, ...]  # eligible, no partner this week (first in line next week)

    def partner_of(self, member_id: int) -> int | None:
        for p in self.pairs:
            if p.first == member_id:
                return p.second
            if p.second == member_id:
                return p.first
        return None


@dataclass
class History:
    """What past rounds say: how many rounds ago two members were last paired (1 = the
    previous round), and how many peer sessions of each kind each member has had."""

    rounds_ago: Mapping[tuple[int, int], int] = field(default_factory=dict)
    kind_counts: Mapping[int, Mapping[str, int]] = field(default_factory=dict)

    def ago(self, a: int, b: int) -> int | None:
        return self.rounds_ago.get((min(a, b), max(a, b)))

    def fresh(self, a: int, b: int) -> bool:
        ago = self.ago(a, b)
        return ago is None or ago > FRESH_AFTER


Graph = dict[int, list[int]]  # vertex → neighbours (sorted)


# -- maximum matching (Edmonds' blossom algorithm) -----------------------------------------
def _augment(adj: Sequence[Sequence[int]], match: list[int], root: int) -> bool:
    """Find an augmenting path from the free vertex ``root`` and flip it (True if found).

    Vertices matched before stay matched afterwards (an augmenting path only re-pairs them).
    """
    n = len(adj)
    used = [False] * n
    parent = [-1] * n
    base = list(range(n))
    used[root] = True
    queue = deque([root])

    def lca(a: int, b: int) -> int:
        seen = [False] * n
        while True:
            a = base[a]
            seen[a] = True
            if match[a] == -1:
                break
            a = parent[match[a]]
        while True:
            b = base[b]
            if seen[b]:
                return b
            b = parent[match[b]]

    def mark(v: int, b: int, child: int, blossom: list[bool]) -> None:
        while base[v] != b:
            blossom[base[v]] = blossom[base[match[v]]] = True
            parent[v] = child
            child = match[v]
            v = parent[match[v]]

    while queue:
        v = queue.popleft()
        for to in adj[v]:
            if base[v] == base[to] or match[v] == to:
                continue
            if to == root or (match[to] != -1 and parent[match[to]] != -1):
                current = lca(v, to)
                blossom = [False] * n
                mark(v, current, to, blossom)
                mark(to, current, v, blossom)
                for i in range(n):
                    if blossom[base[i]]:
                        base[i] = current
                        if not used[i]:
                            used[i] = True
                            queue.append(i)
            elif parent[to] == -1:
                parent[to] = v
                if match[to] == -1:
                    w = to
                    while w != -1:
                        pw = parent[w]
                        nxt = match[pw]
                        match[w] = pw
                        match[pw] = w
                        w = nxt
                    return True
                match_to = match[to]
                used[match_to] = True
                queue.append(match_to)
    return False


def pair_up(
    graph: Mapping[int, Iterable[int]],
    order: Sequence[int],
    prefer: Mapping[int, Sequence[int]] | None = None,
    start: Mapping[int, int] | None = None,
) -> dict[int, int]:
    """A maximum matching of ``graph`` (vertex → neighbours, symmetric), returned as
    vertex → partner for matched vertices.

    ``order`` is who chooses first in the greedy pass (and who is augmented from first);
    ``prefer[v]`` lists v's neighbours best first (default: by id). ``start`` is a matching
    to extend; its pairs stay matched (possibly re-paired by an augmenting path).
    """
    ids = sorted(graph)
    index = {v: i for i, v in enumerate(ids)}
    adj = [sorted(index[u] for u in graph[v] if u in index and u != v) for v in ids]
    match = [-1] * len(ids)
    for v, u in (start or {}).items():
        match[index[v]] = index[u]
    for v in order:
        i = index[v]
        if match[i] != -1:
            continue
        options = prefer.get(v) if prefer is not None else None
        for u in options if options is not None else sorted(graph[v]):
            j = index.get(u)
            if j is not None and j != i and match[j] == -1 and j in adj[i]:
                match[i], match[j] = j, i
                break
    for v in order:
        if match[index[v]] == -1:
            _augment(adj, match, index[v])
    return {ids[i]: ids[j] for i, j in enumerate(match) if j != -1}


# -- the weekly matching -------------------------------------------------------------------
def workable(a: Candidate, b: Candidate, minutes: int = SESSION_MINUTES) -> list[Interval] | None:
    """The overlap of two members if they can be paired (a shared kind, a session-long
    overlap), else ``None``."""
    if not (a.kinds & b.kinds):
        return None
    shared = overlap(a.free, b.free)
    return shared if fits_session(shared, minutes) else None


def pick_kind(a: Candidate, b: Candidate, history: History) -> str:
    """The shared kind these two have done least (together), catalogue order on a tie."""
    shared = [k for k in KIND_ORDER if k in a.kinds and k in b.kinds]
    extra = sorted((a.kinds & b.kinds) - set(KIND_ORDER))

    def done(kind: str) -> int:
        counts = [history.kind_counts.get(m, {}) for m in (a.member_id, b.member_id)]
        return sum(c.get(kind, 0) for c in counts)

    return min([*shared, *extra], key=lambda k: (done(k), [*shared, *extra].index(k)))


def match(
    candidates: Iterable[Candidate],
    history: History | None = None,
    *,
    minutes: int = SESSION_MINUTES,
) -> Matching:
    """This week's pairs and who is left over (see the module docstring for the rules)."""
    history = history or History()
    people = {c.member_id: c for c in sorted(candidates, key=lambda c: c.member_id)}
    ids = list(people)
    overlaps: dict[tuple[int, int], list[Interval]] = {}
    full: Graph = {v: [] for v in ids}
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            shared = workable(people[a], people[b], minutes)
            if shared is not None:
                overlaps[(a, b)] = shared
                full[a].append(b)
                full[b].append(a)
    waiting = {v for v in ids if people[v].waited > 0}
    first_pass: Graph = {
        v: [u for u in full[v] if history.fresh(u, v) or u in waiting or v in waiting] for v in ids
    }

    def order_for(graph: Graph) -> list[int]:
        return sorted(ids, key=lambda v: (-people[v].waited, len(graph[v]), v))

    def preferences(graph: Graph) -> dict[int, list[int]]:
        out = {}
        for v in ids:
            me = people[v]

            def rank(u: int, me: Candidate = me, graph: Graph = graph) -> tuple[int, ...]:
                ago = history.ago(u, me.member_id)
                other = people[u]
                return (  # never met, then met longest ago; recent partners last
                    0 if history.fresh(u, me.member_id) else 1,
                    0 if ago is None else 1,
                    -(ago or 0),
                    abs(other.progress - me.progress),
                    -other.waited,
                    len(graph[u]),
                    u,
                )

            out[v] = sorted(graph[v], key=rank)
        return out

    matched = pair_up(first_pass, order_for(first_pass), preferences(first_pass))
    matched = pair_up(full, order_for(full), preferences(full), start=matched)

    pairs = []
    for v in ids:
        u = matched.get(v)
        if u is None or u < v:
            continue
        kind = pick_kind(people[v], people[u], history)
        pairs.append(Pair(v, u, kind, tuple(overlaps[(v, u)])))
    unmatched = tuple(v for v in ids if v not in matched)
    return Matching(tuple(pairs), unmatched)
