"""/join, /leave, /prefs and the non-solve logging commands: replies and stored rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.checks import SlowDown
from bot.core.clock import FixedClock
from bot.errors import NotAMember, UserFacingError
from bot.models import Cohort, Entry, Member
from tests.helpers import bot_posts, expect_errors, join, make_cohort


async def test_join_leave_and_rejoin_keep_history(simcord_env: Any, clock: FixedClock) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    bob = guild.add_member(simcord_env.create_user("bob"))
    await make_cohort(guild.id, channel.id)
    clock.set(datetime(2027, 2, 3, 18, 0, tzinfo=UTC))

    joined = await bob.slash(channel, "join", timezone="america/new_york")
    assert joined.ephemeral and "Welcome to **main**" in joined.response.content
    assert "America/New_York" in joined.response.content
    await bob.slash(channel, "ledger", text="started")
    left = await bob.slash(channel, "leave")
    assert "left **main**" in left.response.content
    blocked = await bob.slash(channel, "ledger", text="after leaving")
    assert "/join" in blocked.response.content
    expect_errors(simcord_env, NotAMember)
    back = await bob.slash(channel, "join")
    assert "Welcome back" in back.response.content
    member = await Member.get(user_id=bob.id)
    assert member.left_at is None and member.timezone == "America/New_York"
    assert await Entry.filter(member_id=member.id).count() == 1


async def test_join_needs_a_cohort_name_when_there_are_several(
    simcord_env: Any, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    bob = guild.add_member(simcord_env.create_user("bob"))
    await make_cohort(guild.id, channel.id, name="mornings")
    await make_cohort(guild.id, channel.id, name="evenings")

    result = await bob.slash(channel, "join")
    assert "several cohorts" in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await Member.all().count() == 0
    choices = await bob.autocomplete(channel, "join", "cohort", "eve")
    assert [c["value"] for c in choices] == ["evenings"]
    ok = await bob.slash(channel, "join", cohort="evenings")
    assert "**evenings**" in ok.response.content


async def test_bad_timezone_changes_nothing(room: Any, simcord_env: Any) -> None:
    _, channel, alice, member = room
    result = await alice.slash(channel, "prefs", timezone="Mars/Olympus")
    assert result.ephemeral and "IANA" in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert (await Member.get(id=member.id)).timezone is None


async def test_prefs_turn_public_lines_off(room: Any) -> None:
    _, channel, alice, member = room
    result = await alice.slash(channel, "prefs", public_lines=False, timezone="Asia/Tokyo")
    assert "Public solve lines: **off**" in result.response.content
    assert "Asia/Tokyo" in result.response.content
    member = await Member.get(id=member.id)
    assert member.public_lines is False and member.timezone == "Asia/Tokyo"


async def test_oops_stores_mistake_and_lesson(room: Any) -> None:
    _, channel, alice, member = room
    result = await alice.slash(
        channel,
        "oops",
        what="Forgot the empty input @everyone",
        lesson="Check n == 0 first",
        problem="1",
    )
    assert result.ephemeral and "🙈 Oops" in result.response.content
    assert result.response.message.mention_everyone is False
    row = await Entry.get(member_id=member.id)
    assert (row.kind, row.text, row.lesson, row.problem_number) == (
        "oops",
        "Forgot the empty input @everyone",
        "Check n == 0 first",
        1,
    )
    assert row.pattern == "Array/Hash"  # the catalogue pattern of #1 (week 1's "array/hash")


async def test_mock_contest_anki_rows(room: Any) -> None:
    _, channel, alice, member = room
    mock = await alice.slash(
        channel, "mock", kind="system_design", rating="hire", platform="pramp", when="yesterday"
    )
    assert "System design · Hire · Pramp" in mock.response.content
    contest = await alice.slash(channel, "contest", percentile=37.5, name="Weekly 432", rank=900)
    assert "top 37.5 %" in contest.response.content
    anki = await alice.slash(channel, "anki", reviewed=120, new_cards=10, mature_total=64)
    assert "120 reviewed · 10 new · 64 mature" in anki.response.content
    rows = {r.kind: r for r in await Entry.filter(member_id=member.id)}
    assert rows["mock"].local_date == date(2027, 2, 2)
    assert (rows["mock"].mock_kind, rows["mock"].rating) == ("system_design", "hire")
    assert (rows["contest"].percentile, rows["contest"].rank) == (37.5, 900)
    assert (rows["anki"].reviewed, rows["anki"].mature_total) == (120, 64)


async def test_done_ticks_once(room: Any) -> None:
    _, channel, alice, member = room
    choices = await alice.autocomplete(channel, "done", "item", "")
    assert len(choices) <= 25 and choices[0]["name"].startswith("W5 ·")
    item = choices[0]["value"]

    first = await alice.slash(channel, "done", item=item)
    again = await alice.slash(channel, "done", item=item)

    assert "Logged" in first.response.content
    assert "already ticked off" in again.response.content
    assert await Entry.filter(member_id=member.id, kind="done").count() == 1


async def test_done_rejects_unknown_items(room: Any, simcord_env: Any) -> None:
    _, channel, alice, _member = room
    result = await alice.slash(channel, "done", item="my own thing")
    assert "`item`" in result.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await Entry.all().count() == 0


async def test_ledger_and_win(room: Any) -> None:
    _, channel, alice, member = room
    await alice.slash(channel, "ledger", text="Two pointers finally clicked")
    win = await alice.slash(channel, "win", text="First medium under 15 min")
    assert "🌟 Win" in win.response.content and "recap" in win.response.content
    kinds = sorted(await Entry.filter(member_id=member.id).values_list("kind", flat=True))
    assert kinds == ["ledger", "win"]
    assert bot_posts(channel) == []  # only solves are announced


async def test_logging_rate_limit(room: Any, simcord_env: Any, simcord_bot: Any) -> None:
    _, channel, alice, member = room
    limit = simcord_bot.log_limiter.limit
    for i in range(limit):
        await alice.slash(channel, "ledger", text=f"note {i}")

    result = await alice.slash(channel, "ledger", text="one too many")

    assert result.ephemeral and "up to 20 entries a minute" in result.response.content
    expect_errors(simcord_env, SlowDown)
    assert await Entry.filter(member_id=member.id).count() == limit
    clock = simcord_bot.clock
    clock.set(datetime(2027, 2, 3, 18, 1, 1, tzinfo=UTC))
    again = await alice.slash(channel, "ledger", text="a minute later")
    assert "Logged" in again.response.content


async def test_logging_rate_limit_is_per_member(
    room: Any, simcord_env: Any, simcord_bot: Any
) -> None:
    guild, channel, alice, member = room
    bob = guild.add_member(simcord_env.create_user("bob"))
    await join(await Cohort.get(), bob.id)
    limit = simcord_bot.log_limiter.limit
    for i in range(limit):  # interleaved: neither eats into the other's budget
        assert "Logged" in (await alice.slash(channel, "ledger", text=f"a{i}")).response.content
        assert "Logged" in (await bob.slash(channel, "ledger", text=f"b{i}")).response.content

    for who in (alice, bob):
        refused = await who.slash(channel, "ledger", text="one too many")
        assert f"up to {limit} entries a minute" in refused.response.content
    expect_errors(simcord_env, SlowDown)
    assert await Entry.filter(member_id=member.id).count() == limit
    assert await Entry.filter(member__user_id=bob.id).count() == limit
