"""Which guilds this process owns: the one answer the scheduler, the guild sync and the poller use.

Discord assigns a guild to shard ``(guild_id >> 22) % shard_count``. A process started with
``SHARD_COUNT`` and ``SHARD_IDS`` runs those shards only, so it sees (and may act on) only
their guilds: it schedules their posts, polls their members' LeetCode links and — after it is
READY — marks as left the ones of them it no longer sees. A guild of another shard is never
touched, however long it is missing from this process's cache.

Without ``SHARD_COUNT`` the process owns every guild; with ``SHARD_COUNT`` but no
``SHARD_IDS`` it runs (and owns) all shards.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class ShardSettings(Protocol):
    shard_count: int | None
    shard_ids: list[int] | None


def shard_of(guild_id: int, shard_count: int) -> int:
    """Discord's shard for a guild (``(guild_id >> 22) % shard_count``)."""
    return (guild_id >> 22) % shard_count


@dataclass(frozen=True)
class ShardScope:
    """The shards (and so the guilds) one process is responsible for."""

    count: int | None = None
    ids: frozenset[int] | None = None

    @classmethod
    def of(cls, settings: ShardSettings) -> ShardScope:
        count = settings.shard_count or None
        ids = frozenset(settings.shard_ids) if count and settings.shard_ids is not None else None
        return cls(count, ids)

    @property
    def everything(self) -> bool:
        """Whether this process owns every guild (unsharded, or all shards)."""
        return self.count is None or self.ids is None or len(self.ids) >= self.count

    def owns(self, guild_id: int) -> bool:
        if self.everything:
            return True
        assert self.count is not None and self.ids is not None
        return shard_of(guild_id, self.count) in self.ids

    def describe(self) -> str:
        if self.count is None:
            return "all guilds (not sharded)"
        if self.ids is None:
            return f"all {self.count} shards"
        shards = ", ".join(str(i) for i in sorted(self.ids))
        return f"shard{'s' if len(self.ids) > 1 else ''} {shards} of {self.count}"
