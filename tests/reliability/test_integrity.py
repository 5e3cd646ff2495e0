"""Integrity under faults and races, on SQLite and PostgreSQL: an Oops and its review ladder
land together, "Still shaky" on two open reviews of one Oops restarts the ladder once, and two
simultaneous buddy accepts never give anyone two buddies (the database refuses the second)."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import asyncpg
import pytest
from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError

from bot.core.clock import FixedClock
from bot.errors import StorageError
from bot.models import Buddy, BuddySeat, Entry, Member, OopsReview
from bot.services import buddies, reviews
from tests.conftest import on_both_backends
from tests.helpers import expect_errors, join, make_cohort

T0 = datetime(2027, 1, 5, 12, tzinfo=UTC)  # Tue of week 1
T = TypeVar("T")

SQLITE_FAULT = """
CREATE TRIGGER refuse_ladder BEFORE INSERT ON oops_review
BEGIN SELECT RAISE(ABORT, 'ladder insert refused'); END;
"""
SQLITE_HEAL = "DROP TRIGGER refuse_ladder;"
POSTGRES_FAULT = """
CREATE FUNCTION refuse_ladder() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'ladder insert refused'; END $$ LANGUAGE plpgsql;
CREATE TRIGGER refuse_ladder BEFORE INSERT ON oops_review
FOR EACH ROW EXECUTE FUNCTION refuse_ladder();
"""
POSTGRES_HEAL = "DROP TRIGGER refuse_ladder ON oops_review; DROP FUNCTION refuse_ladder();"


async def _sql(db_backend: str, sqlite: str, postgres: str) -> None:
    await get_connection("default").execute_script(sqlite if db_backend == "sqlite" else postgres)


# -- /oops: one transaction --------------------------------------------------------------
@on_both_backends
async def test_oops_with_a_failing_ladder_saves_nothing_and_a_retry_saves_one(
    simcord_env: Any, simcord_bot: Any, clock: FixedClock, db_backend: str
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    await join(await make_cohort(guild.id, channel.id), alice.id)
    clock.set(T0)
    await _sql(db_backend, SQLITE_FAULT, POSTGRES_FAULT)

    failed = await alice.slash(channel, "oops", what="off by one", lesson="check bounds")

    assert failed.ephemeral and failed.response.content == str(StorageError())
    expect_errors(simcord_env, StorageError)
    assert await Entry.all().count() == 0 and await OopsReview.all().count() == 0

    await _sql(db_backend, SQLITE_HEAL, POSTGRES_HEAL)
    retried = await alice.slash(channel, "oops", what="off by one", lesson="check bounds")

    assert "Logged" in retried.response.content
    (entry,) = await Entry.all()
    ladder = await OopsReview.filter(entry_id=entry.id).order_by("step")
    assert [(r.round, r.step, r.due_at) for r in ladder] == [
        (1, i, T0 + timedelta(days=d)) for i, d in enumerate((1, 3, 7, 21), start=1)
    ]


# -- "Still shaky" on two open reviews of one Oops --------------------------------------
async def _two_open_reviews(db: str) -> tuple[Member, Entry, list[OopsReview]]:
    cohort = await make_cohort(1, 2)
    member = await join(cohort, 10)
    entry = await Entry.create(
        member=member, cohort=cohort, kind="oops", local_date=T0.date(), created_at=T0, text="x"
    )
    await reviews.schedule_ladder(entry, T0)
    now = T0 + timedelta(days=3, minutes=1)
    claimed = await reviews.claim_due(now)  # steps 1 and 2 are both due (a late runner)
    assert sorted(r.step for r in claimed) == [1, 2]
    for review in claimed:
        await reviews.mark_sent(review, now, "dm", 1)
    return member, entry, sorted(claimed, key=lambda r: r.step)


async def _ladder(entry: Entry) -> list[tuple[int, int, str]]:
    rows = await OopsReview.filter(entry_id=entry.id).order_by("round", "step")
    return [(r.round, r.step, r.status) for r in rows]


@on_both_backends
@pytest.mark.parametrize("at_once", [True, False], ids=["concurrent", "one-after-the-other"])
async def test_still_shaky_on_two_open_reviews_restarts_the_ladder_once(
    db: str, db_backend: str, at_once: bool
) -> None:
    member, entry, (first, second) = await _two_open_reviews(db)
    now = T0 + timedelta(days=4)

    if at_once:
        answers = await asyncio.gather(
            reviews.answer(first.id, member.user_id, True, now),
            reviews.answer(second.id, member.user_id, True, now),
        )
    else:
        answers = [
            await reviews.answer(first.id, member.user_id, True, now),
            await reviews.answer(second.id, member.user_id, True, now),
        ]

    assert sorted(a.ok for a in answers) == [False, True]
    (lost,) = [a for a in answers if not a.ok]
    assert lost.closed and "already restarted" in lost.message
    ladder = await _ladder(entry)
    assert sorted(s for r, _, s in ladder if r == 1) == [
        "shaky",
        "superseded",
        "superseded",
        "superseded",
    ]
    assert [(r, s, st) for r, s, st in ladder if r != 1] == [
        (2, step, "scheduled") for step in (1, 2, 3, 4)
    ]
    restarted = await OopsReview.filter(entry_id=entry.id, round=2).order_by("step")
    assert restarted[0].due_at == now + timedelta(days=1)


async def _in_flight_together(
    db: str, lock: str, ids: list[int], calls: list[Coroutine[Any, Any, T]]
) -> list[T]:
    """Run ``calls`` so that all of them are inside the database at once (PostgreSQL).

    Another connection locks the rows ``lock`` selects; the calls start and each blocks on
    one of those locks; once all wait, the lock is released and they race for real.
    """
    dsn = db.replace("postgres://", "postgresql://", 1)
    blocker, monitor = await asyncpg.connect(dsn), await asyncpg.connect(dsn)
    waiting = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    try:
        holding = blocker.transaction()
        await holding.start()
        await blocker.execute(lock, ids)
        tasks = [asyncio.ensure_future(call) for call in calls]
        for _ in range(500):  # a sync point, not a timing: until every call waits on a lock
            if await monitor.fetchval(waiting) == len(tasks):
                break
            await asyncio.sleep(0.01)
        else:
            pytest.fail("the calls never got into the database at the same time")
        await holding.rollback()
        return await asyncio.gather(*tasks)
    finally:
        await blocker.close()
        await monitor.close()


@pytest.mark.postgres
async def test_still_shaky_twice_with_both_transactions_open_at_once(db: str) -> None:
    """Both presses are held at the review rows until both are in flight, then released."""
    member, entry, (first, second) = await _two_open_reviews(db)
    now = T0 + timedelta(days=4)

    answers = await _in_flight_together(
        db,
        "SELECT id FROM oops_review WHERE id = ANY($1::int[]) FOR UPDATE",
        [first.id, second.id],
        [reviews.answer(r.id, member.user_id, True, now) for r in (first, second)],
    )

    assert sorted(a.ok for a in answers) == [False, True]
    ladder = await _ladder(entry)
    assert sorted(st for r, _, st in ladder if r == 1).count("shaky") == 1
    assert [(r, s, st) for r, s, st in ladder if r != 1] == [
        (2, step, "scheduled") for step in (1, 2, 3, 4)
    ]


@on_both_backends
async def test_reviewed_after_a_restart_is_told_and_changes_nothing(
    db: str, db_backend: str
) -> None:
    member, entry, (first, second) = await _two_open_reviews(db)
    now = T0 + timedelta(days=4)
    assert (await reviews.answer(second.id, member.user_id, True, now)).ok
    before = await _ladder(entry)

    late = await reviews.answer(first.id, member.user_id, False, now)

    assert not late.ok and late.closed and "already restarted" in late.message
    assert await _ladder(entry) == before
    again = await reviews.answer(second.id, member.user_id, True, now)  # a double click
    assert not again.ok and again.message == reviews.ALREADY
    assert await _ladder(entry) == before


@on_both_backends
async def test_a_restart_on_round_two_opens_round_three(db: str, db_backend: str) -> None:
    member, entry, (first, _) = await _two_open_reviews(db)
    now = T0 + timedelta(days=4)
    await reviews.answer(first.id, member.user_id, True, now)
    later = now + timedelta(days=1, minutes=1)
    (due,) = await reviews.claim_due(later)
    await reviews.mark_sent(due, later, "dm", 2)

    assert (await reviews.answer(due.id, member.user_id, True, later)).ok

    ladder = await _ladder(entry)
    assert [(r, s) for r, s, st in ladder if st == "scheduled"] == [(3, i) for i in (1, 2, 3, 4)]


# -- two buddy accepts at once ------------------------------------------------------------
async def _asked_twice(clock: FixedClock) -> tuple[Member, Member, Member, Buddy, Buddy]:
    """alice asked bob and carol; both requests are pending."""
    cohort = await make_cohort(1, 2)
    alice, bob, carol = [await join(cohort, uid) for uid in (10, 11, 12)]
    posted: list[int] = []

    async def post(pair: Buddy) -> None:
        posted.append(pair.id)

    one = await buddies.ask(alice, bob, clock(), post)
    two = await buddies.ask(alice, carol, clock(), post)
    assert posted == [one.id, two.id]
    return alice, bob, carol, one, two


async def _race(bob: Member, carol: Member, one: Buddy, two: Buddy, now: datetime) -> list[bool]:
    answers = await asyncio.gather(
        buddies.respond(one.id, bob.user_id, True, now),
        buddies.respond(two.id, carol.user_id, True, now),
    )
    return sorted(a.ok for a in answers)


@on_both_backends
async def test_two_simultaneous_accepts_give_one_pair(
    db: str, db_backend: str, clock: FixedClock
) -> None:
    alice, bob, carol, one, two = await _asked_twice(clock)

    assert await _race(bob, carol, one, two, clock()) == [False, True]

    assert await Buddy.filter(status="active").count() == 1
    pair = await buddies.current_pair(alice.id)
    assert pair is not None
    seats = await BuddySeat.filter(pair_id=pair.id).values_list("member_id", flat=True)
    assert sorted(seats) == sorted([pair.requester.id, pair.partner.id])
    assert await BuddySeat.all().count() == 2


@on_both_backends
async def test_the_seat_constraint_alone_stops_the_second_accept(
    db: str, db_backend: str, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice, bob, carol, one, two = await _asked_twice(clock)

    async def nobody_paired(pair: Buddy) -> bool:  # the friendly pre-check is gone
        return False

    monkeypatch.setattr(buddies, "_either_paired", nobody_paired)

    assert await _race(bob, carol, one, two, clock()) == [False, True]

    assert await Buddy.filter(status="active").count() == 1
    assert await Buddy.filter(status="pending").count() == 1  # the loser rolled back whole
    assert await BuddySeat.filter(member_id=alice.id).count() == 1
    with pytest.raises(IntegrityError):
        await BuddySeat.create(member_id=alice.id, pair_id=(one if one else two).id)


@pytest.mark.postgres
async def test_two_accepts_inside_the_database_at_once_give_one_pair(
    db: str, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both accepts pass every check and are held at their request rows, then race."""
    alice, bob, carol, one, two = await _asked_twice(clock)

    async def nobody_paired(pair: Buddy) -> bool:
        return False

    monkeypatch.setattr(buddies, "_either_paired", nobody_paired)

    answers = await _in_flight_together(
        db,
        "SELECT id FROM buddy WHERE id = ANY($1::int[]) FOR UPDATE",
        [one.id, two.id],
        [
            buddies.respond(one.id, bob.user_id, True, clock()),
            buddies.respond(two.id, carol.user_id, True, clock()),
        ],
    )

    assert sorted(a.ok for a in answers) == [False, True]
    assert await Buddy.filter(status="active").count() == 1
    assert await BuddySeat.filter(member_id=alice.id).count() == 1
    assert await BuddySeat.all().count() == 2


@on_both_backends
async def test_end_frees_both_seats(db: str, db_backend: str, clock: FixedClock) -> None:
    alice, bob, carol, one, two = await _asked_twice(clock)
    assert (await buddies.respond(one.id, bob.user_id, True, clock())).ok

    await buddies.end(bob.id, clock())

    assert await BuddySeat.all().count() == 0
    assert (await Buddy.get(id=one.id)).status == "ended"
    assert (await buddies.respond(two.id, carol.user_id, True, clock())).ok  # alice is free
    assert await BuddySeat.all().count() == 2


@on_both_backends
async def test_a_failed_post_leaves_no_request(db: str, db_backend: str, clock: FixedClock) -> None:
    cohort = await make_cohort(1, 2)
    alice, bob = await join(cohort, 10), await join(cohort, 11)

    class PostFailed(Exception):
        pass

    async def post(pair: Buddy) -> None:
        assert (await Buddy.get(id=pair.id)).status == "asking"  # not a request yet
        raise PostFailed

    with pytest.raises(PostFailed):
        await buddies.ask(alice, bob, clock(), post)

    assert await Buddy.all().count() == 0

    async def ok(pair: Buddy) -> None:
        pass

    pair = await buddies.ask(alice, bob, clock(), ok)  # the retry is not a repeated ping
    assert (await Buddy.get(id=pair.id)).status == "pending"
