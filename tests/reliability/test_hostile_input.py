"""Hostile text in every text option: zero-width and RTL characters, maximum lengths,
markdown and mention injection → a clear error or clean, escaped output; never a ping."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from tests.helpers import bot_posts, join, make_cohort

NASTY = [
    "@everyone",
    "@here",
    "<@&123456789012345678>",
    "<@123456789012345678>",
    "**bold** __u__ ||spoiler|| `code` ```block```",
    "[link](https://evil.example)",
    "\u200b\u200c\u200d\ufeff",  # zero-width
    "\u202e\u2066\u2067\u2069",  # RTL overrides and isolates
    "\u0000\u0007\u001b[31m",  # control characters
    "# heading\n> quote\n- list",
    "🧩" * 20,
]


def hostile(max_size: int) -> st.SearchStrategy[str]:
    pieces = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=30)), max_size=12)
    long = st.just("x" * (max_size - 12) + "@everyone!!")
    text = st.one_of(pieces.map("".join), long)
    return text.map(lambda s: s[:max_size]).filter(lambda s: len(s) >= 1)


CALLS = st.one_of(
    st.tuples(st.just("ledger"), st.fixed_dictionaries({"text": hostile(1000)})),
    st.tuples(st.just("win"), st.fixed_dictionaries({"text": hostile(200)})),
    st.tuples(
        st.just("oops"),
        st.fixed_dictionaries(
            {"what": hostile(500), "lesson": hostile(500)},
            optional={"problem": hostile(200), "pattern": hostile(100)},
        ),
    ),
    st.tuples(
        st.just("solve"),
        st.fixed_dictionaries(
            {"problem": st.sampled_from(["1", "two-sum", "3999"]), "minutes": st.just(5)},
            optional={
                "notes": hostile(500),
                "pattern": hostile(100),
                "when": hostile(20),
                "difficulty": st.just("easy"),
            },
        ),
    ),
    st.tuples(
        st.just("solve"), st.fixed_dictionaries({"problem": hostile(200), "minutes": st.just(5)})
    ),
    st.tuples(
        st.just("contest"),
        st.fixed_dictionaries({"percentile": st.just(10.0), "name": hostile(100)}),
    ),
    st.tuples(st.just("done"), st.fixed_dictionaries({"item": hostile(100)})),
    st.tuples(st.just("prefs"), st.fixed_dictionaries({"timezone": hostile(64)})),
    st.tuples(st.just("join"), st.fixed_dictionaries({"cohort": hostile(64)})),
    st.tuples(
        st.just("mock"),
        st.fixed_dictionaries(
            {"kind": st.just("dsa"), "rating": st.just("hire"), "notes": hostile(500)}
        ),
    ),
)


@pytest.fixture
async def room(simcord_env: Any, simcord_bot: Any, clock: FixedClock) -> Any:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    mallory = guild.add_member(simcord_env.create_user("mallory"))
    await join(await make_cohort(guild.id, channel.id), mallory.id)
    clock.set(datetime(2027, 2, 3, 18, 0, tzinfo=UTC))
    simcord_bot.log_limiter.limit = 100_000
    return channel, mallory


def _no_ping(message: Any) -> None:
    assert not message.mention_everyone
    assert message.mentions == [] and message.role_mentions == []


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(call=CALLS)
async def test_hostile_text_never_crashes_or_pings(
    room: Any, simcord_env: Any, call: tuple[str, dict[str, Any]]
) -> None:
    channel, mallory = room
    command, options = call
    cursor = simcord_env.error_cursor
    before = len(bot_posts(channel))

    result = await mallory.slash(channel, command, **options)

    errors = [getattr(e, "original", e) for e in simcord_env.errors_since(cursor)]
    _ = simcord_env.errors
    assert all(isinstance(e, UserFacingError) for e in errors), errors
    assert result.ephemeral and result.response is not None
    text = result.response.content
    assert "Traceback" not in text and "Something went wrong" not in text
    _no_ping(result.response.message)
    for post in bot_posts(channel)[before:]:  # the public solve line
        _no_ping(post)
        assert "\u202e" not in post.content
