"""Forgetting: one member on request (``/forget-me``), departed guilds after 30 days.

The tables are discovered from ``Tortoise.apps["coach"]``, so a table added later (the
LeetCode link, say) is counted and deleted as long as it points at ``Member`` (or at one
of the member's entries) with a foreign key. Rows are deleted child-first inside one
transaction, so the result never depends on the database enforcing ``ON DELETE CASCADE``.
"""

from __future__ import annotations

import functools
import logging
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tortoise import Tortoise
from tortoise.expressions import Q
from tortoise.functions import Count
from tortoise.models import Model
from tortoise.transactions import in_transaction

from bot.models import Cohort, Entry, GuildConfig, Member
from bot.shards import ShardScope

log = logging.getLogger(__name__)

RETENTION = timedelta(days=30)
"""How long a departed guild's data is kept before :func:`purge_departed` deletes it."""

TABLE_LABELS = {
    "oops_review": "Oops re-review steps",
    "buddy": "buddy pairings",
    "buddy_seat": "active buddy seats",
    "leetcode_link": "LeetCode account links",
    "mock_profile": "peer mock settings",
    "mock_pair": "peer mock pairings",
    "mock_session": "peer mock sessions",
    "coach_plan": "catch-up plans",
    "role_grant": "reward roles earned",
    "block_attendance": "block check-ins",
    "voice_session": "study-room sessions",
    "voice_day": "study-room days",
    "focus_timer": "focus timers",
    "focus_phase": "focus-timer announcements",
    "web_link": "progress-page links",
}
KIND_LABELS = {
    "solve": "solves",
    "oops": "Oops entries",
    "mock": "mock interviews",
    "contest": "contest results",
    "anki": "Anki logs",
    "done": "ticked deliverables",
    "ledger": "ledger lines",
    "win": "wins",
    "card": "Key Insight cards",
}


SINGULAR = {
    "solves": "solve",
    "Oops entries": "Oops entry",
    "mock interviews": "mock interview",
    "contest results": "contest result",
    "Anki logs": "Anki log",
    "ticked deliverables": "ticked deliverable",
    "ledger lines": "ledger line",
    "wins": "win",
    "Key Insight cards": "Key Insight card",
    "Oops re-review steps": "Oops re-review step",
    "buddy pairings": "buddy pairing",
    "active buddy seats": "active buddy seat",
    "LeetCode account links": "LeetCode account link",
    "peer mock settings": "peer mock settings",
    "peer mock pairings": "peer mock pairing",
    "peer mock sessions": "peer mock session",
    "catch-up plans": "catch-up plan",
    "reward roles earned": "reward role earned",
    "block check-ins": "block check-in",
    "study-room sessions": "study-room session",
    "study-room days": "study-room day",
    "focus timers": "focus timer",
    "focus-timer announcements": "focus-timer announcement",
    "progress-page links": "progress-page link",
}


def count_text(n: int, label: str) -> str:
    """``"1 solve"``, ``"3 solves"`` (labels are stored in the plural)."""
    return f"{n} {SINGULAR.get(label, label) if n == 1 else label}"


def coach_models() -> list[type[Model]]:
    """Every model of the ``coach`` app (LeetCode tables included once registered)."""
    apps = Tortoise.apps
    try:
        models = apps["coach"] if apps is not None else None
    except KeyError:
        models = None
    if models is None:
        raise RuntimeError("the database is not initialised (bot.db.init_db)")
    return list(models.values())


def references(model: type[Model], target: type[Model]) -> list[str]:
    """The foreign-key (or one-to-one) fields of ``model`` that point at ``target``."""
    meta = model._meta
    return sorted(
        name
        for name in meta.fk_fields | meta.o2o_fields
        if getattr(meta.fields_map[name], "related_model", None) is target
    )


def _any_of(names: Iterable[str], value: int, suffix: str = "_id") -> Q:
    queries = []
    for name in names:
        filters: dict[str, Any] = {f"{name}{suffix}": value}
        queries.append(Q(**filters))
    return functools.reduce(operator.or_, queries)


def _label(model: type[Model]) -> str:
    table = model._meta.db_table
    return TABLE_LABELS.get(table, table.replace("_", " "))


@dataclass
class Forgotten:
    """What ``/forget-me`` deleted: rows per kind, and cohorts whose contact moved."""

    counts: dict[str, int] = field(default_factory=dict)
    contact_moved: list[str] = field(default_factory=list)  # cohort names
    contact_kept: list[str] = field(default_factory=list)  # no one else to move it to

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _plan(member_id: int) -> list[tuple[type[Model], Q]]:
    """(model, filter) pairs to delete, children first; ``Member`` itself last."""
    by_entry: list[tuple[type[Model], Q]] = []
    by_member: list[tuple[type[Model], Q]] = []
    for model in coach_models():
        if model in (Member, Entry):
            continue
        direct = references(model, Member)
        via_entry = references(model, Entry)
        if direct:
            by_member.append((model, _any_of(direct, member_id)))
        elif via_entry:
            by_entry.append((model, _any_of(via_entry, member_id, "__member_id")))
    return [*by_entry, *by_member, (Entry, Q(member_id=member_id))]


async def forget_member(guild_id: int, user_id: int, *, owner_id: int | None) -> Forgotten:
    """Delete every row about ``user_id`` in this guild; counts per kind (empty: nothing).

    Cohorts this user set up keep running: their failure-notice contact (``setup_user_id``)
    moves to ``owner_id`` (the server owner) unless that is the same person.
    """
    result = Forgotten()
    async with in_transaction():
        member = await Member.filter(guild__guild_id=guild_id, user_id=user_id).first()
        cohorts = await Cohort.filter(guild__guild_id=guild_id, setup_user_id=user_id)
        for cohort in cohorts:
            if owner_id is not None and owner_id != user_id:
                await Cohort.filter(id=cohort.id).update(setup_user_id=owner_id)
                result.contact_moved.append(cohort.name)
            else:
                result.contact_kept.append(cohort.name)
        if member is None:
            return result
        kinds = (
            await Entry.filter(member_id=member.id)
            .annotate(n=Count("id"))
            .group_by("kind")
            .values_list("kind", "n")
        )
        for kind, n in sorted(kinds):
            result.counts[KIND_LABELS.get(str(kind), str(kind))] = int(n)
        for model, query in _plan(member.id):
            if model is Entry:
                await Entry.filter(query).delete()
                continue
            found = await model.filter(query).count()  # delete()'s count may include cascades
            if found:
                await model.filter(query).delete()
                result.counts[_label(model)] = result.counts.get(_label(model), 0) + found
        await Member.filter(id=member.id).delete()
        result.counts["member profile"] = 1
    log.info("forgot user in guild %s: %d rows", guild_id, result.total)
    return result


# -- guilds the bot left ----------------------------------------------------------------
async def mark_left(guild_id: int, now: datetime) -> bool:
    """The bot was removed from a guild: its data is purged after :data:`RETENTION`."""
    return await GuildConfig.filter(guild_id=guild_id, left_at=None).update(left_at=now) > 0


async def mark_joined(guild_id: int) -> bool:
    """The bot is back in a guild: its data is kept again."""
    return (
        await GuildConfig.filter(guild_id=guild_id).exclude(left_at=None).update(left_at=None) > 0
    )


async def sync_guilds(
    present: Iterable[int], now: datetime, scope: ShardScope | None = None
) -> tuple[int, int]:
    """Reconcile with the guilds the bot is in (after downtime): (marked left, rejoined).

    ``present`` is what this process sees once READY; only guilds of its own shards
    (``scope``, default: every guild) are marked left when missing from it — another shard's
    guilds are never in this process's cache, and never this process's business.
    """
    ids = set(present)
    ours = scope or ShardScope()
    rows = await GuildConfig.all().values_list("guild_id", "left_at")
    gone = [g for g, left in rows if g not in ids and left is None and ours.owns(g)]
    back = [g for g, left in rows if g in ids and left is not None]
    if gone:
        await GuildConfig.filter(guild_id__in=gone).update(left_at=now)
    if back:
        await GuildConfig.filter(guild_id__in=back).update(left_at=None)
    return len(gone), len(back)


async def purge_departed(now: datetime) -> int:
    """Delete guilds the bot left more than :data:`RETENTION` ago, with all their data.

    Deleting the ``GuildConfig`` row cascades to cohorts (and their posts and pauses),
    members (and their entries, reviews, buddies) and LeetCode links. Returns the number of
    guilds purged.
    """
    cutoff = now - RETENTION
    ids = await GuildConfig.filter(left_at__lt=cutoff).values_list("id", flat=True)
    if not ids:
        return 0
    # The delete's row count may include cascaded rows (SQLite), so count the guilds first.
    await GuildConfig.filter(id__in=list(ids), left_at__lt=cutoff).delete()
    log.info("purged %d departed guild(s)", len(ids))
    return len(ids)


async def run_purge(url: str, now: datetime) -> int:
    """``coach db purge``: open the database (migrating it), purge, close."""
    from bot.db import close_db, init_db

    await init_db(url)
    try:
        return await purge_departed(now)
    finally:
        await close_db()
