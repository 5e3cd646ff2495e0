"""The data a recap chart shows (no matplotlib here: importing it costs ~0.5 s at start-up;
:mod:`bot.render.chart` draws it, imported only when a chart is rendered)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MemberSeries:
    """One member's cumulative unique solves at the end of each shown week."""

    name: str
    cumulative: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RecapChartData:
    """Everything the recap chart shows; ``cumulative`` values align with ``weeks``."""

    title: str
    weeks: tuple[int, ...]
    targets: tuple[tuple[int, int], ...]
    members: tuple[MemberSeries, ...]
    difficulty_mix: tuple[int, int, int]
    mix_label: str = "Difficulty mix"

    def __post_init__(self) -> None:
        if any(b <= a for a, b in itertools.pairwise(self.weeks)):
            raise ValueError(f"weeks must be strictly increasing: {self.weeks}")
        for member in self.members:
            if len(member.cumulative) != len(self.weeks):
                raise ValueError(
                    f"{len(member.cumulative)} values for {len(self.weeks)} weeks "
                    f"(member {member.name!r})"
                )
        if min(self.difficulty_mix) < 0:
            raise ValueError(f"difficulty counts must not be negative: {self.difficulty_mix}")
