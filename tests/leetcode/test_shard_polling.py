"""Several shard processes poll each LeetCode link once between them: each only its shards'."""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.leetcode.models import LeetCodeLink
from bot.leetcode.policy import RequestPacer
from bot.leetcode.service import LeetCodeService
from bot.metrics import METRICS
from bot.settings import Settings
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort
from tests.leetcode.fake_server import FakeLeetCode
from tests.leetcode.linkutil import NOW, link_account, sub

SHARDS = 2


def guild_id_on(shard: int, n: int) -> int:
    return ((n * SHARDS + shard) << 22) | 777


def polled_users(fake: FakeLeetCode) -> Counter[str]:
    """How often each LeetCode user's recent accepts were asked for."""
    seen: Counter[str] = Counter()
    for request in fake.requests:
        variables = (request.json or {}).get("variables") or {}
        if "recent" in str((request.json or {}).get("operationName", "")).lower():
            seen[str(variables.get("username"))] += 1
    return seen


def ok_polls() -> float:
    """``coach_leetcode_polls_total{outcome="ok"}`` as Prometheus would read it."""
    text = generate_latest(METRICS.registry).decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "coach_leetcode_polls_total" and sample.labels == {"outcome": "ok"}:
                return float(sample.value)
    return 0.0


async def test_each_process_polls_only_its_shards_links(
    simcord_env: Any,
    settings: Settings,
    curriculum: Curriculum,
    clock: FixedClock,
    fake_leetcode: FakeLeetCode,
) -> None:
    clock.set(NOW)
    users: dict[int, list[str]] = {0: [], 1: []}
    for shard in (0, 1):
        for n in range(3):
            cohort = await make_cohort(guild_id_on(shard, n), 1)
            member = await join(cohort, 1000 + 10 * shard + n)
            name = f"user_s{shard}_{n}"
            await link_account(member, name)
            fake_leetcode.add_user(name, [sub(f"{shard}{n}", "two-sum", NOW)])
            users[shard].append(name)

    def process(shard: int, bot: CoachBot) -> LeetCodeService:
        bot.settings = settings.model_copy(update={"shard_count": SHARDS, "shard_ids": [shard]})
        return LeetCodeService(bot, pacer=RequestPacer(0.0), rng=random.Random(shard))

    polls_before = ok_polls()
    a = process(0, simcord_env.bot)
    b = process(1, CoachBot(settings, curriculum, clock=clock, start_scheduler=False))
    try:
        polled = await asyncio.gather(a.poll_due(NOW), b.poll_due(NOW))
    finally:
        await a.close()
        await b.close()

    assert polled == [3, 3]
    counts = polled_users(fake_leetcode)
    assert counts == Counter({name: 1 for name in users[0] + users[1]})
    assert await LeetCodeLink.filter(last_sync_at=None).count() == 0  # every link synced once
    assert ok_polls() - polls_before == 6  # /metrics: coach_leetcode_polls_total{outcome="ok"}
