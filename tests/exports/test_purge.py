"""Departed guilds: marked when the bot leaves, purged after 30 days (service and CLI)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import CoachBot
from bot.cli import main
from bot.core.clock import FixedClock
from bot.db import close_db, init_db
from bot.leetcode.models import LeetCodeLink
from bot.models import Buddy, Cohort, CohortPause, Entry, GuildConfig, Member, OopsReview, Post
from bot.services.privacy import mark_joined, mark_left, purge_departed, sync_guilds
from tests.helpers import join, make_cohort

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)


async def _guild(guild_id: int, left_at: datetime | None) -> None:
    """A guild with a cohort, a pause, a post, two members, entries, a review and a buddy."""
    cohort = await make_cohort(guild_id, guild_id + 1)
    await CohortPause.create(cohort=cohort, start_date=date(2027, 2, 1), end_date=date(2027, 2, 7))
    await Post.create(
        cohort=cohort,
        local_date=date(2027, 1, 4),
        slot="block_a",
        status="sent",
        due_at=NOW,
        nonce="n",
        claimed_at=NOW,
    )
    a, b = await join(cohort, guild_id + 2), await join(cohort, guild_id + 3)
    entry = await Entry.create(
        member=a, cohort=cohort, kind="oops", local_date=date(2027, 1, 5), created_at=NOW
    )
    await OopsReview.create(entry=entry, member=a, step=1, due_at=NOW)
    await Buddy.create(requester=a, partner=b, created_at=NOW)
    await LeetCodeLink.create(
        member=a, guild=cohort.guild, site="leetcode.com", username="u", created_at=NOW
    )
    await GuildConfig.filter(guild_id=guild_id).update(left_at=left_at)


async def _counts(guild_id: int) -> dict[str, int]:
    where = {"guild__guild_id": guild_id}
    return {
        "cohort": await Cohort.filter(**where).count(),
        "pause": await CohortPause.filter(cohort__guild__guild_id=guild_id).count(),
        "post": await Post.filter(cohort__guild__guild_id=guild_id).count(),
        "member": await Member.filter(**where).count(),
        "entry": await Entry.filter(member__guild__guild_id=guild_id).count(),
        "review": await OopsReview.filter(member__guild__guild_id=guild_id).count(),
        "buddy": await Buddy.filter(requester__guild__guild_id=guild_id).count(),
    }


async def test_purge_after_thirty_days(db: str) -> None:
    await _guild(1000, NOW - timedelta(days=31))
    await _guild(2000, NOW - timedelta(days=29))
    await _guild(3000, None)
    kept = {g: await _counts(g) for g in (2000, 3000)}
    assert all(n == 1 for n in kept[2000].values() if n != 2) and kept[2000]["member"] == 2

    assert await purge_departed(NOW) == 1

    assert not await GuildConfig.filter(guild_id=1000).exists()
    assert set((await _counts(1000)).values()) == {0}
    assert {g: await _counts(g) for g in (2000, 3000)} == kept
    assert await LeetCodeLink.all().count() == 2
    assert await purge_departed(NOW) == 0


async def test_left_and_joined_marks(db: str) -> None:
    await GuildConfig.create(guild_id=1)
    await GuildConfig.create(guild_id=2)
    assert await mark_left(1, NOW)
    assert not await mark_left(1, NOW + timedelta(days=1))  # the first departure counts
    assert not await mark_left(99, NOW)  # unknown guilds get no row
    assert (await GuildConfig.get(guild_id=1)).left_at == NOW
    assert await mark_joined(1) and not await mark_joined(1)
    assert (await GuildConfig.get(guild_id=1)).left_at is None

    assert await sync_guilds([2, 3], NOW) == (1, 0)  # left guild 1 while offline
    assert (await GuildConfig.get(guild_id=1)).left_at == NOW
    assert await sync_guilds([1, 2], NOW) == (0, 1)  # back in guild 1
    assert await GuildConfig.filter(left_at=None).count() == 2
    assert await GuildConfig.all().count() == 2


async def test_bot_leaving_a_guild_marks_it(
    simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    await make_cohort(guild.id, guild.create_text_channel("study").id)
    live = simcord_bot.get_guild(guild.id)
    assert live is not None

    await live.leave()
    await simcord_env.settle()

    assert (await GuildConfig.get(guild_id=guild.id)).left_at == clock()


def test_coach_db_purge_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite://{tmp_path / 'purge.sqlite3'}"
    now = datetime.now(UTC)

    async def prepare() -> None:
        await init_db(url)
        try:
            await _guild(1000, now - timedelta(days=31))
            await _guild(2000, now - timedelta(days=29))
        finally:
            await close_db()

    async def remaining() -> list[int]:
        await init_db(url, migrate=False)
        try:
            return sorted(await GuildConfig.all().values_list("guild_id", flat=True))
        finally:
            await close_db()

    asyncio.run(prepare())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "purge"]) == 0
    assert "purged 1 server" in capsys.readouterr().out
    assert asyncio.run(remaining()) == [2000]
