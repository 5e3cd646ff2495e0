"""The revisit ladder: problems solved slowly or with help come back 3, 7 and 21 days later
(pure).

A solve flags a revisit when it was ``guided`` or took at least
:data:`bot.core.roadmap.SLOW_FACTOR` × the member's median minutes for its difficulty
(:func:`bot.core.roadmap.flags_revisit`); ``/next`` suggests the revisits due.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.roadmap import SolveRecord, flags_revisit, needs_revisit, typical_minutes

REVISIT_DAYS = (3, 7, 21)  # days after a slow or guided solve to solve it again


@dataclass(frozen=True)
class Revisit:
    key: str
    due: date
    step: int  # 1…3
    why: str  # "guided on Mon 1 Feb" / "45 min vs your 20-min median (medium)"


def due_revisits(solves: Sequence[SolveRecord], today: date) -> list[Revisit]:
    """Problems to solve again today: after a slow or guided solve, at 3, 7 and 21 days.

    The ladder runs from the problem's last slow or guided solve; each later solve of it
    climbs one step, and a slow or guided revisit starts the ladder again.
    """
    typical = typical_minutes(solves)
    by_key: dict[str, list[SolveRecord]] = {}
    for s in sorted(solves, key=lambda s: s.local_date):
        by_key.setdefault(s.problem_key, []).append(s)
    out = []
    for key, rows in by_key.items():
        last = next(
            (i for i in range(len(rows) - 1, -1, -1) if flags_revisit(rows[i], typical)), None
        )
        if last is None:
            continue
        step = len(rows) - 1 - last  # revisits since
        if step >= len(REVISIT_DAYS):
            continue
        due = rows[last].local_date + timedelta(days=REVISIT_DAYS[step])
        if due <= today:
            out.append(Revisit(key, due, step + 1, needs_revisit(rows[last], typical)))
    out.sort(key=lambda r: (r.due, r.key))
    return out
