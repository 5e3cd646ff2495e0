"""Check-in buttons on block posts through simcord: ▶ Starting, ✅ Done (and its form that logs
the block's solves exactly once), Skip today; only for the post's cohort; after a restart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.db import close_db
from bot.models import Entry, Member
from bot.render.fit import CUSTOM_ID_MAX
from bot.sessions.models import BlockAttendance
from tests.helpers import bot_posts, join, make_cohort, pipeline_for, reply_text

WED_BLOCK_A = datetime(2027, 2, 3, 6, 0, tzinfo=UTC)  # Wed of week 5, 07:00 Berlin: LC 347, 49
SAT_SESSION = datetime(2027, 2, 6, 9, 0, tzinfo=UTC)  # Sat of week 5, 10:00 Berlin


@pytest.fixture
async def world(simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock) -> Any:
    """alice and bob (no public lines) in "main"; dave in "evening"; zoe never joined."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    evening_channel = guild.create_text_channel("evening")
    main = await make_cohort(guild.id, channel.id)
    evening = await make_cohort(guild.id, evening_channel.id, name="evening")
    people: dict[str, Any] = {}
    for name in ("alice", "bob", "dave", "zoe"):
        actor = guild.add_member(simcord_env.create_user(name))
        people[name] = actor
        if name == "zoe":
            continue
        member = await join(evening if name == "dave" else main, actor.id)
        member.display_name = name
        member.public_lines = name != "bob"
        await member.save()
    clock.set(WED_BLOCK_A)
    await pipeline_for(simcord_bot).run_cohort(main, clock())
    (post,) = [m for m in bot_posts(channel) if m.components]
    return channel, main, post, people


def _buttons(message: Any) -> list[tuple[str, str]]:
    """(label, custom id) of every button: a channel message's or a reply's."""
    out = []
    for row in message.components:
        children = row["components"] if isinstance(row, dict) else row.children
        for c in children:
            out.append(
                (c["label"], c["custom_id"]) if isinstance(c, dict) else (c.label, c.custom_id)
            )
    return out


def _labels(message: Any) -> list[str]:
    return [label for label, _ in _buttons(message)]


def _public(channel: Any) -> list[str]:
    return [m.content for m in bot_posts(channel) if not m.embeds]


async def _submit_done(actor: Any, post: Any, problems: list[str], minutes: str) -> Any:
    shown = await actor.click(post, label="✅ Done")
    assert shown.modal is not None, shown
    return await actor.submit_modal(shown, {"problems": problems, "minutes": minutes})


async def test_a_block_post_carries_the_three_buttons(world: Any) -> None:
    _, main, post, _ = world
    assert _labels(post) == ["▶ Starting", "✅ Done", "Skip today"]
    ids = [custom_id for _, custom_id in _buttons(post)]
    assert ids[0] == f"coach:blk:{main.id}:20270203:a:start"
    assert all(len(i) <= CUSTOM_ID_MAX for i in ids)


async def test_starting_once_with_a_public_line_only_when_allowed(world: Any) -> None:
    channel, _, post, p = world

    first = await p["alice"].click(post, label="▶ Starting")
    again = await p["alice"].click(post, label="▶ Starting")
    quiet = await p["bob"].click(post, label="▶ Starting")

    assert first.ephemeral and "▶ **Block-A** (Wed 3 Feb) started" in first.response.content
    assert _labels(first.response) == ["⏱️ Start the micro-routine"]
    assert "You already pressed ▶ Starting" in again.response.content
    assert "started" in quiet.response.content
    assert _public(channel) == ["▶ **alice** started Block-A"]  # bob keeps his private
    rows = await BlockAttendance.all().order_by("id")
    assert [(r.status, r.local_date.isoformat(), r.slot) for r in rows] == [
        ("started", "2027-02-03", "block_a"),
        ("started", "2027-02-03", "block_a"),
    ]


async def test_done_logs_the_picked_problems_like_solve(world: Any, clock: FixedClock) -> None:
    channel, main, post, p = world
    clock.set(WED_BLOCK_A + timedelta(minutes=95))

    done = await _submit_done(p["alice"], post, ["347", "49"], "50")

    assert done.ephemeral
    text = done.response.content
    assert "✅ **Block-A** done · logged 2 solves:" in text
    assert "#347" in text and "#49" in text and "Week 5: **2/12** new problems" in text
    assert "🔥 Streak: 1 day" in text
    solves = await Entry.filter(kind="solve").order_by("id")
    assert [(e.problem_key, e.minutes, e.local_date.isoformat(), e.week) for e in solves] == [
        ("347", 25, "2027-02-03", 5),
        ("49", 25, "2027-02-03", 5),
    ]
    row = await BlockAttendance.get()
    assert (row.status, row.done_by, row.solve_count) == ("done", "button", 2)
    assert len([t for t in _public(channel) if "solved" in t]) == 1  # one message, two lines
    assert "**alice** solved #347" in _public(channel)[-1]

    again = await p["alice"].click(post, label="✅ Done")  # no second form once logged

    assert again.modal is None
    assert (
        "already ✅ done" in again.response.content and "logged 2 solves" in again.response.content
    )
    assert await Entry.filter(kind="solve").count() == 2


async def test_done_checks_reward_roles_at_once_like_solve(
    world: Any, simcord_bot: CoachBot
) -> None:
    """/solve re-checks reward roles right away; the Done form's solves do the same (not
    only at the next periodic check)."""
    _, _, post, p = world
    checked: list[int] = []

    async def on_entry_logged(member_id: int) -> None:
        checked.append(member_id)

    simcord_bot.add_listener(on_entry_logged)
    await _submit_done(p["alice"], post, [], "")  # nothing logged: nothing to check
    assert checked == []
    await _submit_done(p["bob"], post, ["49"], "20")
    assert checked == [(await Member.get(display_name="bob")).id]


async def test_a_revisit_counts_as_practice(world: Any) -> None:
    channel, _, post, p = world
    await p["alice"].slash(channel, "solve", problem="347", minutes=20)

    done = await _submit_done(p["alice"], post, ["347"], "")

    assert "↺ revisit" in done.response.content
    assert await Entry.filter(kind="solve").count() == 2
    # the empty minutes field takes the block's planned time (all of a 90-minute solving block)
    assert (await Entry.filter(kind="solve").order_by("-id").first()).minutes == 90  # type: ignore[union-attr]


async def test_two_forms_open_at_once_log_once(world: Any) -> None:
    """Done pressed twice (two forms open), both submitted: one logs, the other is told."""
    _, _, post, p = world
    alice = p["alice"]
    first = await alice.click(post, label="✅ Done")
    second = await alice.click(post, label="✅ Done")
    assert first.modal is not None and second.modal is not None

    logged = await alice.submit_modal(first, {"problems": ["347"], "minutes": "30"})
    repeated = await alice.submit_modal(second, {"problems": ["347", "49"], "minutes": "40"})

    assert "logged 1 solve" in logged.response.content
    assert "already logged" in repeated.response.content
    assert [e.problem_key for e in await Entry.filter(kind="solve")] == ["347"]
    assert (await BlockAttendance.get()).solve_count == 1


async def test_skip_then_done_changes_it(world: Any) -> None:
    _, _, post, p = world
    bob = p["bob"]

    skipped = await bob.click(post, label="Skip today")
    again = await bob.click(post, label="Skip today")
    done = await _submit_done(bob, post, [], "")

    assert "skipped" in skipped.response.content
    assert "You already skipped this block" in again.response.content
    assert "✅ **Block-A** done — nothing to log" in done.response.content
    row = await BlockAttendance.get()
    assert (row.status, row.skipped_at is not None, row.done_at is not None) == ("done", True, True)
    late_skip = await bob.click(post, label="Skip today")
    assert "already ✅ done" in late_skip.response.content
    assert (await BlockAttendance.get()).status == "done"


async def test_only_members_of_the_cohort(world: Any, simcord_env: Any) -> None:
    _, _, post, p = world

    other = await p["dave"].click(post, label="✅ Done")
    stranger = await p["zoe"].click(post, label="▶ Starting")

    assert other.ephemeral and "cohort **main** — yours is **evening**" in other.response.content
    assert other.modal is None
    assert "haven't joined a study cohort" in stranger.response.content
    assert await BlockAttendance.all().count() == 0


async def test_old_posts_refuse_politely(world: Any, clock: FixedClock) -> None:
    _, _, post, p = world
    clock.set(WED_BLOCK_A + timedelta(days=2))
    start = await p["alice"].click(post, label="▶ Starting")
    assert "▶ Starting is for today's blocks" in start.response.content
    clock.set(WED_BLOCK_A + timedelta(days=8))
    done = await p["alice"].click(post, label="✅ Done")
    assert "more than 7 days ago" in done.response.content
    assert await BlockAttendance.all().count() == 0


async def test_buttons_work_after_a_restart(
    world: Any, simcord_env: Any, clock: FixedClock
) -> None:
    _, _, post, p = world
    await p["alice"].click(post, label="▶ Starting")
    old = simcord_env.bot
    await close_db()
    new = CoachBot(old.settings, old.curriculum, clock=clock, start_scheduler=False)
    await simcord_env.restart_bot(new)

    done = await _submit_done(p["alice"], post, ["49"], "35")

    assert "logged 1 solve" in done.response.content
    row = await BlockAttendance.get()
    assert row.status == "done" and row.started_at is not None
    assert await Entry.filter(kind="solve", minutes=35).count() == 1


async def test_weekend_sessions_and_blocks_without_problems(
    world: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    channel, main, _, p = world
    clock.set(SAT_SESSION)
    await pipeline_for(simcord_bot).run_cohort(main, clock())
    session = [m for m in bot_posts(channel) if m.components][-1]
    assert "Weekend session" in session.embeds[0].title
    form = await p["alice"].click(session, label="✅ Done")
    assert form.modal is not None
    options = form.modal["components"][0]["component"]["options"]
    assert [o["value"] for o in options] == ["1", "36", "295"]

    clock.set(datetime(2027, 2, 8, 6, 0, tzinfo=UTC))  # Mon week 6: Block-A has no problems
    await pipeline_for(simcord_bot).run_cohort(main, clock())
    monday = [m for m in bot_posts(channel) if m.components][-1]
    plain = await p["alice"].click(monday, label="✅ Done")
    assert plain.modal is None and "✅ **Block-A** (Mon 8 Feb) done" in plain.response.content


async def test_a_member_who_left_cannot_check_in(world: Any) -> None:
    _, _, post, p = world
    member = await Member.get(display_name="alice")
    member.left_at = datetime(2027, 2, 2, tzinfo=UTC)
    await member.save()
    pressed = await p["alice"].click(post, label="▶ Starting")
    assert "haven't joined" in pressed.response.content


async def test_presses_are_rate_limited(world: Any, simcord_env: Any) -> None:
    _, _, post, p = world
    answers = [await p["alice"].click(post, label="▶ Starting") for _ in range(9)]
    assert "Easy on the buttons" in answers[-1].response.content
    assert all("Easy on the buttons" not in a.response.content for a in answers[:-1])


async def test_the_done_form_spends_the_logging_budget_like_solve(
    world: Any, simcord_bot: CoachBot
) -> None:
    """Logging through the Done form counts against ``LOG_RATE_LIMIT`` as /solve does, with
    the same answer, and nothing is saved once it is spent."""
    channel, _, post, p = world
    simcord_bot.log_limiter.limit = 1
    await p["bob"].slash(channel, "solve", problem="347", minutes=20)  # spends it
    refused = await _submit_done(p["bob"], post, ["49"], "20")
    assert refused.ephemeral and "up to 1 entries a minute" in reply_text(refused)
    assert await Entry.filter(kind="solve").count() == 1
