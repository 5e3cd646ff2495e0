"""The weekly recap post and its chart, nudges, buddies and the Oops re-review ladder."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from matplotlib.image import imread

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.db import close_db
from bot.errors import UserFacingError
from bot.models import Buddy, Entry, OopsReview
from bot.scheduling.reviews import ReviewRunner
from tests.helpers import bot_posts, expect_errors, join, make_cohort, pipeline_for

SUN_W2_RECAP = datetime(2027, 1, 17, 19, 0, tzinfo=UTC)  # Sun of week 2, 20:00 Berlin


@pytest.fixture
async def room(simcord_env: Any, simcord_bot: CoachBot) -> Any:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id)
    people = {}
    for name in ("alice", "bob"):
        actor = guild.add_member(simcord_env.create_user(name))
        member = await join(cohort, actor.id)
        member.display_name = name
        await member.save()
        people[name] = (actor, member)
    simcord_bot.log_limiter.limit = 1000
    return guild, channel, cohort, people


async def _restart(env: Any, clock: FixedClock) -> CoachBot:
    old = env.bot
    await close_db()
    new = CoachBot(old.settings, old.curriculum, clock=clock, start_scheduler=False)
    await env.restart_bot(new)
    return new


async def test_recap_post_has_summary_and_a_chart(
    room: Any, simcord_env: Any, clock: FixedClock
) -> None:
    _, channel, cohort, people = room
    alice = people["alice"][0]
    for day in range(1, 15):
        clock.set(datetime(2027, 1, 3, 17, tzinfo=UTC) + timedelta(days=day))
        await alice.slash(
            channel,
            "solve",
            problem="1" if day == 1 else str(3000 + day),
            minutes=10,
            difficulty="medium",
        )
    clock.set(SUN_W2_RECAP)

    outcomes = await pipeline_for(simcord_env.bot).run_cohort(cohort, clock())

    assert ("2027-01-17/recap", "sent") in [(o.key, o.status) for o in outcomes]
    (post,) = [
        m
        for m in bot_posts(channel)
        if m.embeds and m.embeds[0].title.startswith("📊 Week 2 recap")
    ]
    text = "\n".join(f.value for e in post.embeds for f in e.fields)
    assert "1 of 2 members logged something" in text
    assert "End-Week-2 metrics" in "\n".join(f.name for e in post.embeds for f in e.fields)
    (attachment,) = post.attachments
    assert attachment.filename == "week-02-recap.png"
    image = imread(io.BytesIO(await attachment.read()), format="png")
    assert image.shape[:2] == (600, 1200)


async def test_nudge_once_per_lapse_and_opt_out(
    room: Any, simcord_env: Any, clock: FixedClock
) -> None:
    _, channel, cohort, people = room
    alice, bob = people["alice"][0], people["bob"][0]
    pipeline = pipeline_for(simcord_env.bot)
    clock.set(datetime(2027, 1, 4, 12, tzinfo=UTC))  # Monday of week 1
    await bob.slash(channel, "prefs", nudges=False)
    await alice.slash(channel, "ledger", text="started")
    await bob.slash(channel, "ledger", text="started")

    thursday = datetime(2027, 1, 7, 6, 0, tzinfo=UTC)  # Block-A, 07:00 Berlin
    clock.set(thursday)
    await pipeline.run_cohort(cohort, clock())
    first = [m for m in bot_posts(channel) if m.embeds and "Block-A" in (m.embeds[0].title or "")][
        -1
    ]
    assert f"<@{alice.id}>" in first.content and f"<@{bob.id}>" not in first.content
    assert first.mentions and [u.id for u in first.mentions] == [alice.id]

    clock.set(thursday + timedelta(days=1))
    await pipeline.run_cohort(cohort, clock())
    friday = [m for m in bot_posts(channel) if m.embeds and "Block-A" in (m.embeds[0].title or "")][
        -1
    ]
    assert f"<@{alice.id}>" not in (friday.content or "")  # once per lapse


async def test_buddy_pairing_survives_restart_and_alerts_once(
    room: Any, simcord_env: Any, clock: FixedClock
) -> None:
    _, channel, cohort, people = room
    alice, bob = people["alice"][0], people["bob"][0]
    clock.set(datetime(2027, 1, 4, 12, tzinfo=UTC))
    asked = await alice.slash(channel, "buddy ask", member=bob)
    await alice.click(asked.response, label="Send request")
    request = bot_posts(channel)[-1]
    assert f"<@{bob.id}>" in request.content

    await _restart(simcord_env, clock)  # the Accept button must still work
    await bob.click(request, label="Accept 🤝")

    pair = await Buddy.get()
    assert pair.status == "active"
    await alice.slash(channel, "ledger", text="day one")
    clock.set(datetime(2027, 1, 7, 6, tzinfo=UTC))  # bob silent since joining on Monday
    pipeline = pipeline_for(simcord_env.bot)
    await pipeline.run_cohort(cohort, clock())
    clock.set(datetime(2027, 1, 8, 6, tzinfo=UTC))
    await pipeline.run_cohort(cohort, clock())
    alerts = [m for m in alice.user.dm_channel.history() if "buddy" in m.content]
    assert len(alerts) == 1 and "**bob**" in alerts[0].content


async def test_oops_review_ladder_exactly_once_with_restart(
    room: Any, simcord_env: Any, clock: FixedClock
) -> None:
    _, channel, _, people = room
    alice = people["alice"][0]
    t0 = datetime(2027, 1, 5, 12, tzinfo=UTC)
    clock.set(t0)
    await alice.slash(channel, "oops", what="forgot n == 0", lesson="check empty input")
    entry = await Entry.get(kind="oops")
    assert [r.due_at for r in await OopsReview.filter(entry=entry).order_by("step")] == [
        t0 + timedelta(days=d) for d in (1, 3, 7, 21)
    ]

    clock.set(t0 + timedelta(days=1, minutes=1))
    runner = ReviewRunner(simcord_env.bot)
    assert await runner.run_due() == 1
    assert await ReviewRunner(simcord_env.bot).run_due() == 0  # a second runner gets nothing
    (dm,) = [m for m in alice.user.dm_channel.history() if "Oops re-review" in m.content]
    assert "forgot n == 0" in dm.content

    await _restart(simcord_env, clock)
    clock.set(t0 + timedelta(days=2))
    await alice.user.click(dm, label="Still shaky")

    rows = await OopsReview.filter(entry=entry).order_by("round", "step")
    assert [(r.round, r.step, r.status) for r in rows] == [
        (1, 1, "shaky"),
        (1, 2, "superseded"),
        (1, 3, "superseded"),
        (1, 4, "superseded"),
        (2, 1, "scheduled"),
        (2, 2, "scheduled"),
        (2, 3, "scheduled"),
        (2, 4, "scheduled"),
    ]
    assert rows[4].due_at == t0 + timedelta(days=3)


async def test_oops_review_falls_back_to_next_command(
    room: Any, simcord_env: Any, clock: FixedClock
) -> None:
    _, channel, _, people = room
    alice = people["alice"][0]
    clock.set(datetime(2027, 1, 5, 12, tzinfo=UTC))
    await alice.slash(channel, "oops", what="wrong base case", lesson="trace n=1")
    simcord_env.inject_error("POST", "/users/@me/channels", status=403, code=50007, times=None)
    simcord_env.inject_error("POST", "/channels/*/messages", status=403, code=50007, times=1)
    clock.set(datetime(2027, 1, 6, 13, tzinfo=UTC))
    await ReviewRunner(simcord_env.bot).run_due()
    assert (await OopsReview.get(step=1)).status == "inline"

    result = await alice.slash(channel, "streak")

    (shown,) = result.followups
    assert shown.ephemeral and "wrong base case" in shown.content
    await alice.click(shown, label="Reviewed ✅")
    assert (await OopsReview.get(step=1)).status == "reviewed"
    again = await alice.slash(channel, "streak")
    assert again.followups == []
    assert date(2027, 1, 6) == (await Entry.get()).local_date + timedelta(days=1)


async def test_recap_milestones_streak_leaderboard_commands(
    room: Any, simcord_env: Any, clock: FixedClock
) -> None:
    _, channel, _, people = room
    alice, bob = people["alice"][0], people["bob"][0]
    for day in range(0, 9):
        clock.set(datetime(2027, 1, 4, 17, tzinfo=UTC) + timedelta(days=day))
        if day != 2:  # Wednesday off: the rest day keeps the streak
            await alice.slash(
                channel, "solve", problem=str(3100 + day), minutes=9, difficulty="easy"
            )
    await bob.slash(channel, "solve", problem="3100", minutes=30, difficulty="easy")

    recap = await alice.slash(channel, "recap", week=1)
    text = "\n".join(f.value for e in recap.response.embeds for f in e.fields)
    assert (
        recap.ephemeral and "LeetCode solved: 6 / 12" in text and "Streak: 7 days" in text
    )  # as of that Sunday
    other = await alice.slash(channel, "recap", week=2, member=bob)
    assert "Week 2 Recap — bob" in other.response.embeds[0].title
    future = await alice.slash(channel, "recap", week=9)
    assert "hasn't started" in future.response.content
    expect_errors(simcord_env, UserFacingError)

    streak = await alice.slash(channel, "streak")
    assert "Current streak: **9 days**" in streak.response.content
    milestones = await alice.slash(channel, "milestones")
    fields = [f.name for e in milestones.response.embeds for f in e.fields]
    assert fields[0] == "Next up"  # week 2: EOW-2 is next
    # then the coach's forecast of every milestone ahead (issue 16) and how it is made
    assert fields[1] == "📈 Forecast · End-Week-2 metrics"
    assert fields[-1] == "How the forecast works"
    board = await bob.slash(channel, "leaderboard", period="all", metric="points")
    (embed,) = board.response.embeds
    assert embed.title == "🏆 Points · weeks 1–2"
    assert embed.fields[0].value.splitlines() == [
        "**1.** alice — 8 points",
        "**2.** bob — 1 point ← you",
    ]
