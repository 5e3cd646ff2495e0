"""Arbitrary option values never crash a command or leave a partial row; concurrency."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import entries as rules
from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.models import Entry
from bot.services.logbook import SolveInput, log_solve
from bot.services.progress import member_context
from tests.helpers import join, make_cohort

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
texts = st.text(min_size=1, max_size=200)
whens = st.one_of(
    st.none(),
    st.sampled_from(["today", "yesterday", "2027-02-01", "2027-01-01", "2030-01-01"]),
    st.text(min_size=1, max_size=20),
)
REQUIRED = {
    "solve": ("problem_key", "difficulty", "minutes", "language", "mode", "local_date"),
    "oops": ("text", "lesson", "local_date"),
    "mock": ("mock_kind", "rating", "local_date"),
}


@pytest.fixture
async def room(simcord_env: Any, simcord_bot: Any, clock: FixedClock) -> Any:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    alice = guild.add_member(simcord_env.create_user("alice"))
    cohort = await make_cohort(guild.id, channel.id)
    await join(cohort, alice.id)
    clock.set(datetime(2027, 2, 3, 18, 0, tzinfo=UTC))
    simcord_bot.log_limiter.limit = 10_000
    return channel, alice


async def _check(env: Any, call: Any, kind: str) -> None:
    before = await Entry.all().count()
    cursor = env.error_cursor
    await call
    errors = env.errors_since(cursor)
    _ = env.errors  # acknowledge them: handled errors are expected here
    if errors:
        originals = [getattr(e, "original", e) for e in errors]
        assert all(isinstance(e, UserFacingError) for e in originals), originals
        assert await Entry.all().count() == before
        return
    rows = await Entry.all().order_by("-id").limit(1)
    assert await Entry.all().count() == before + 1
    assert rows[0].kind == kind
    assert all(getattr(rows[0], f) is not None for f in REQUIRED[kind])


@PROPERTY
@given(
    problem=texts,
    minutes=st.integers(1, 600),
    difficulty=st.one_of(st.none(), st.sampled_from(list(rules.DIFFICULTIES))),
    language=st.sampled_from(list(rules.LANGUAGES)),
    mode=st.sampled_from(list(rules.MODES)),
    pattern=st.one_of(st.none(), st.text(min_size=1, max_size=100)),
    notes=st.one_of(st.none(), st.text(min_size=1, max_size=500)),
    when=whens,
)
async def test_solve_with_arbitrary_values(room: Any, simcord_env: Any, **options: Any) -> None:
    channel, alice = room
    given_options = {k: v for k, v in options.items() if v is not None}
    await _check(simcord_env, alice.slash(channel, "solve", **given_options), "solve")


@PROPERTY
@given(
    what=st.text(min_size=1, max_size=500),
    lesson=st.text(min_size=1, max_size=500),
    problem=st.one_of(st.none(), texts),
    pattern=st.one_of(st.none(), st.text(min_size=1, max_size=100)),
)
async def test_oops_with_arbitrary_values(room: Any, simcord_env: Any, **options: Any) -> None:
    channel, alice = room
    given_options = {k: v for k, v in options.items() if v is not None}
    await _check(simcord_env, alice.slash(channel, "oops", **given_options), "oops")


@PROPERTY
@given(
    kind=st.sampled_from(list(rules.MOCK_KINDS)),
    rating=st.sampled_from(list(rules.RATINGS)),
    platform=st.one_of(st.none(), st.sampled_from(list(rules.PLATFORMS))),
    notes=st.one_of(st.none(), st.text(min_size=1, max_size=500)),
    when=whens,
)
async def test_mock_with_arbitrary_values(room: Any, simcord_env: Any, **options: Any) -> None:
    channel, alice = room
    given_options = {k: v for k, v in options.items() if v is not None}
    await _check(simcord_env, alice.slash(channel, "mock", **given_options), "mock")


async def test_30_members_x_40_concurrent_solves(db: str, curriculum: Any) -> None:
    """The command's own path (membership context → validation → insert), 1,200 at once.

    simcord runs one interaction at a time, so the concurrency is driven one level below
    the Discord adapter, against the real database (SQLite or PostgreSQL).
    """
    cohort = await make_cohort(1, 2)
    users = list(range(100, 130))
    for user in users:
        await join(cohort, user)
    now = datetime(2027, 2, 3, 18, 0, tzinfo=UTC)
    numbers = sorted(curriculum.problems)

    async def one(user: int, n: int) -> None:
        ctx = await member_context(1, user, curriculum, now)
        await log_solve(ctx, curriculum, SolveInput(problem=str(numbers[n]), minutes=10 + n))

    await asyncio.gather(*(one(u, n) for u in users for n in range(40)))

    assert await Entry.filter(kind="solve").count() == 1200
    for user in users:
        rows = await Entry.filter(member__user_id=user).values_list("minutes", flat=True)
        assert sorted(rows) == list(range(10, 50))
