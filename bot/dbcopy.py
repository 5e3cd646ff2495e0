"""``coach db copy --to URL``: move every row to a new database (SQLite → PostgreSQL).

The target is migrated first and must be empty. Rows are read through the models (so each
backend's types convert properly) and written in foreign-key order, in batches, keeping
their ids; PostgreSQL id sequences are then moved past the copied ids. The source is only
read. Run it with the bot stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import Tortoise
from tortoise.connection import get_connection
from tortoise.context import TortoiseContext
from tortoise.models import Model

from bot.db import APP, apply_migrations, tortoise_config

BATCH = 500
SOURCE, TARGET = "copy_source", "copy_target"


class CopyError(Exception):
    """The copy cannot start (the target is not empty, say); nothing was written."""


def models_in_fk_order() -> list[type[Model]]:
    """The app's models, each after every model it references."""
    models = list(Tortoise.apps[APP].values())
    ordered: list[type[Model]] = []

    def visit(model: type[Model], stack: tuple[type[Model], ...] = ()) -> None:
        if model in ordered or model in stack:
            return
        for fk in model._meta.fk_fields:
            visit(model._meta.fields_map[fk].related_model, (*stack, model))  # type: ignore[attr-defined]
        ordered.append(model)

    for model in sorted(models, key=lambda m: m._meta.db_table):
        visit(model)
    return ordered


@dataclass(frozen=True)
class CopyReport:
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


async def copy_database(source_url: str, target_url: str) -> CopyReport:
    if source_url == target_url:
        raise CopyError("the source and the target are the same database")
    await apply_migrations(target_url)
    # Own connection names: Tortoise caches SQL per connection name, never mix dialects there.
    source = tortoise_config(source_url)
    config = {
        **source,
        "connections": {
            SOURCE: source["connections"]["default"],
            TARGET: tortoise_config(target_url)["connections"]["default"],
        },
        "apps": {APP: {**source["apps"][APP], "default_connection": SOURCE}},
    }
    async with TortoiseContext():
        await Tortoise.init(config=config)
        try:
            return await _copy()
        finally:
            await Tortoise.close_connections()


async def _copy() -> CopyReport:
    target = get_connection(TARGET)
    models = models_in_fk_order()
    for model in models:
        table = model._meta.db_table
        if await target.execute_query_dict(f'SELECT 1 FROM "{table}" LIMIT 1'):
            raise CopyError(f"the target already has rows in {table}; copy into an empty database")
    counts: dict[str, int] = {}
    async with target._in_transaction() as tx:
        for model in models:
            table = model._meta.db_table
            counts[table] = 0
            offset = 0
            while True:
                pk = model._meta.pk_attr
                rows = await model.all().order_by(pk).offset(offset).limit(BATCH)
                if not rows:
                    break
                await model.bulk_create(rows, using_db=tx)
                counts[table] += len(rows)
                offset += len(rows)
        if tx.capabilities.dialect == "postgres":
            for model in models:
                table, pk = model._meta.db_table, model._meta.db_pk_column
                await tx.execute_script(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "
                    f'COALESCE((SELECT MAX("{pk}") FROM "{table}"), 0) + 1, false)'
                )
    return CopyReport(counts)
