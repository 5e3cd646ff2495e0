"""bench.queries.count_queries: every statement counted once, nothing after the block."""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from bench.queries import METHODS, count_queries
from bot.models import GuildConfig


def _methods() -> dict[tuple[type, str], object]:
    found: dict[tuple[type, str], object] = {}
    todo: list[type] = [BaseDBAsyncClient]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.update({(cls, m): cls.__dict__[m] for m in METHODS if m in cls.__dict__})
    return found


async def test_counts_each_statement_once(db: str) -> None:
    with count_queries() as counted:
        config = await GuildConfig.create(guild_id=1)  # INSERT
        await GuildConfig.filter(guild_id=1).first()  # SELECT
        await GuildConfig.filter(id=config.id).values("guild_id")  # SELECT (dicts)
        await GuildConfig.filter(id=config.id).count()  # SELECT COUNT
        await GuildConfig.bulk_create([GuildConfig(guild_id=2), GuildConfig(guild_id=3)])

    assert counted.total == 5
    assert sum(counted.by_method.values()) == counted.total
    assert len(counted.statements) == 5
    assert "INSERT" in counted.statements[0].upper()


async def test_statements_in_a_transaction_are_counted_once(db: str) -> None:
    with count_queries() as counted:
        async with in_transaction():
            await GuildConfig.create(guild_id=1)
            await GuildConfig.create(guild_id=2)
        await GuildConfig.all().count()

    assert counted.total == 3


async def test_nothing_is_counted_after_the_block_and_methods_are_restored(db: str) -> None:
    before = _methods()
    with count_queries() as counted:
        await GuildConfig.all().count()
    await GuildConfig.all().count()

    assert counted.total == 1
    assert _methods() == before


async def test_counters_nest(db: str) -> None:
    with count_queries() as outer:
        await GuildConfig.all().count()
        with count_queries(keep=0) as inner:
            await GuildConfig.all().count()
            await GuildConfig.all().count()
        await GuildConfig.all().count()

    assert (outer.total, inner.total) == (4, 2)
    assert inner.statements == []  # keep=0 remembers no text, the count stays exact
