"""Rewards the group can see: roles for passed milestones and long streaks (pure).

A reward is keyed ``milestone:<id>`` (e.g. ``milestone:eow-8``) or ``streak:<days>``. A
milestone reward is earned when the milestone is passed as ``/milestones`` judges it: a past
milestone on its week's numbers, the current one on the numbers so far; a milestone whose
week has not started is never earned early. A streak reward is earned by a longest streak
(with the cohort's rest days) of at least that many days.
"""

from __future__ import annotations

from dataclasses import dataclass

from curriculum.loader import Curriculum

STREAKS = (7, 30, 100)


@dataclass(frozen=True)
class Reward:
    key: str
    label: str  # "End-Week-2 metrics (week 2)" / "30-day streak"
    milestone: str | None = None  # milestone id
    days: int | None = None  # streak length

    @property
    def why(self) -> str:
        """What earning it means, for the announcement."""
        if self.days is not None:
            return f"kept a {self.days}-day streak"
        return f"passed {self.label}"


def milestone_key(milestone_id: str) -> str:
    return f"milestone:{milestone_id}"


def streak_key(days: int) -> str:
    return f"streak:{days}"


def rewards(curriculum: Curriculum) -> list[Reward]:
    """Every reward a cohort can map to a role: each milestone, then the streaks."""
    out = [
        Reward(milestone_key(m.id), f"{m.title} (week {m.week})", milestone=m.id)
        for m in curriculum.targets.milestones
    ]
    out += [Reward(streak_key(d), f"{d}-day streak", days=d) for d in STREAKS]
    return out


def reward_by_key(curriculum: Curriculum, key: str) -> Reward | None:
    return next((r for r in rewards(curriculum) if r.key == key), None)


def is_earned(reward: Reward, *, reached: dict[str, bool], longest_streak: int) -> bool:
    """``reached``: milestone id → passed (only milestones whose week has started)."""
    if reward.days is not None:
        return longest_streak >= reward.days
    return bool(reward.milestone and reached.get(reward.milestone, False))
