"""Real sizes through simcord (which rejects oversized payloads like Discord does).

A 14-member cohort in a milestone week gets its recap posted; 85 quiet members do not
break the Block-A post, and only the members actually mentioned are marked as nudged;
``/milestones`` in week 16 shows the Final Program Checklist row by row with numbers.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import discord

from bot.core.clock import FixedClock
from bot.models import Entry, Member, Post
from bot.render.nudges import MAX_NUDGES
from tests.helpers import bot_posts, join, make_cohort, pipeline_for, reply_text

NAMES = "**Zoë** 👩‍👩‍👧‍👦 `x` <@1> @everyone _long_ " * 3


async def _cohort(env: Any, size: int, **kw: Any) -> tuple[list[Any], Any, Any, list[Member]]:
    guild = env.create_guild()
    channel = guild.create_text_channel("study")
    cohort = await make_cohort(guild.id, channel.id, **kw)
    actors, members = [], []
    for i in range(size):
        actor = guild.add_member(env.create_user(f"m{i}"))
        member = await join(cohort, actor.id)
        member.display_name = f"{NAMES[:90]} {i}"
        await member.save()
        actors.append(actor)
        members.append(member)
    return actors, channel, cohort, members


def _entries(member: Member, cohort_id: int, week: int, day: date, n: int) -> list[Entry]:
    at = datetime(2027, 1, 1, tzinfo=UTC)
    rows = [
        Entry(
            member_id=member.id,
            cohort_id=cohort_id,
            kind="solve",
            local_date=day,
            week=week,
            created_at=at,
            problem_key=str(3000 + member.id * 100 + i),
            problem_number=3000 + member.id * 100 + i,
            difficulty="medium",
            minutes=5 + i % 8,
        )
        for i in range(n)
    ]
    rows.append(
        Entry(
            member_id=member.id,
            cohort_id=cohort_id,
            kind="oops",
            local_date=day,
            week=week,
            created_at=at,
            text="**@here** " * 50,
            lesson="`code` " * 70,
        )
    )
    return rows


async def test_fourteen_members_get_their_milestone_week_recap(
    simcord_env: Any, clock: FixedClock
) -> None:
    now = datetime(2027, 1, 17, 19, 0, tzinfo=UTC)  # Sun of week 2, 20:00 Berlin
    _, channel, cohort, members = await _cohort(
        simcord_env, 14, schedule_from=now - timedelta(hours=1)
    )
    batch = []
    for i, m in enumerate(members):
        batch += _entries(m, cohort.id, 2, date(2027, 1, 12), 10 + i % 6)
    await Entry.bulk_create(batch)
    clock.set(now)

    outcomes = await pipeline_for(simcord_env.bot).run_cohort(cohort, clock())

    assert [(o.key, o.status) for o in outcomes] == [("2027-01-17/recap", "sent")]
    recap = [m for m in bot_posts(channel) if m.embeds and "recap" in m.embeds[0].title]
    assert recap and recap[0].attachments
    text = "\n".join(f"{f.name}\n{f.value}" for m in recap for e in m.embeds for f in e.fields)
    assert "of 14** passed End-Week-2 metrics" in text
    lines = text.splitlines()
    criteria = lines[lines.index("🏁 End-Week-2 metrics") + 2 :][:3]
    assert criteria == [  # one per criterion, the most missed first
        "❌ Ledger entries ≥ 10 — 0 of 14 met",
        "❌ LeetCode solved: 14 — 4 of 14 met",
        "✅ Median solve time ≤ 13 min — 14 of 14 met",
    ]
    assert "… 6 more members — `/recap` shows your own full recap" in lines


async def test_eighty_five_quiet_members_are_nudged_in_turns(
    simcord_env: Any, clock: FixedClock
) -> None:
    _, channel, cohort, members = await _cohort(simcord_env, 85)
    pipeline = pipeline_for(simcord_env.bot)
    thursday = datetime(2027, 1, 7, 6, 0, tzinfo=UTC)  # Block-A, nobody logged since Monday

    clock.set(thursday)
    await pipeline.run_cohort(cohort, clock())
    first = [m for m in bot_posts(channel) if "Block-A" in (m.embeds[0].title or "")][-1]
    assert len(first.mentions) == MAX_NUDGES and len(first.content) <= 2000
    assert "60 more members who went quiet" in first.content
    nudged = await Member.filter(cohort_id=cohort.id).exclude(nudged_for=None).count()
    assert nudged == MAX_NUDGES  # only the members actually mentioned

    seen = {u.id for u in first.mentions}
    for day in range(1, 5):  # Friday to Monday
        clock.set(thursday + timedelta(days=day))
        await pipeline.run_cohort(cohort, clock())
    posts = [m for m in bot_posts(channel) if "Block-A" in (m.embeds[0].title or "")]
    for post in posts[-2:]:  # Friday and Monday (the weekend has no Block-A)
        ids = {u.id for u in post.mentions}
        assert ids and not ids & seen  # the others' turn, nobody twice
        seen |= ids
    assert len(seen) == 3 * MAX_NUDGES
    assert await Post.filter(cohort_id=cohort.id, status="failed").count() == 0


async def test_milestones_show_the_final_checklist_row_by_row(
    simcord_env: Any, clock: FixedClock
) -> None:
    (alice,), channel, cohort, members = await _cohort(simcord_env, 1)
    await Entry.bulk_create(_entries(members[0], cohort.id, 16, date(2027, 4, 20), 40))
    clock.set(datetime(2027, 4, 22, 12, tzinfo=UTC))  # Thu of week 16

    result = await alice.slash(channel, "milestones")

    text = reply_text(result)
    assert result.ephemeral
    assert "☐ **DS&A Solves** · ≥ 300 (60 % medium, 15 % hard) — 1/3" in text
    assert "❌ DS&A Solves ≥ 300 — **40** / ≥ 300" in text
    assert "**Job Outreach** · ≥ 10 applications w/ referrals/contact emails — 0/1" in text
    assert "— **0** / ≥ 10" in text
    for message in [result.response, *result.followups]:
        assert all(len(e) <= 6000 for e in message.embeds)
    assert isinstance(result.response.embeds[0], discord.Embed)


async def test_recap_without_attach_files_still_goes_out(
    simcord_env: Any, clock: FixedClock
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    now = datetime(2027, 1, 17, 19, 0, tzinfo=UTC)
    cohort = await make_cohort(guild.id, channel.id, schedule_from=now - timedelta(hours=1))
    clock.set(now)
    # Discord answers an upload without Attach Files with 403 / 50013 (simcord does not
    # check that permission on plain sends, so the answer is injected once).
    simcord_env.inject_error(
        "POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions"
    )

    outcomes = await pipeline_for(simcord_env.bot).run_cohort(cohort, clock())

    assert [o.status for o in outcomes] == ["sent"]
    (post,) = bot_posts(channel)
    assert "Week 2 recap" in post.embeds[0].title and not post.attachments
