"""Reward roles through simcord: /coach roles maps them (Manage Server, checked on the server),
a milestone's role is granted once when earned and announced once, taken back when the entry
that earned it is undone; /coach status says when the bot can't grant a role."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import discord
import pytest

from bot.app import CoachBot
from bot.coaching.models import RewardRole, RoleGrant
from bot.coaching.roles import sweep
from bot.core.clock import FixedClock
from bot.models import EntryKind
from bot.services.progress import member_context, record
from curriculum.loader import Curriculum
from tests.helpers import bot_posts, expect_errors, join, make_cohort, reply_text

WEEK_2 = datetime(2027, 1, 13, 12, tzinfo=UTC)  # Wed of week 2: EOW-2 is judged now
EOW2 = "milestone:eow-2"


@pytest.fixture
async def world(
    simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock, curriculum: Curriculum
) -> Any:
    """ada (Manage Server), alice with 13 quick solves and 10 ledger lines: one solve short of
    End-Week-2 (14 solves, median ≤ 13 min, 10 ledger entries)."""
    clock.set(WEEK_2)
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    finisher = guild.create_role("EOW-2 Finisher")  # created below the bot's own role
    ada = guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    alice = guild.add_member(simcord_env.create_user("alice"))
    cohort = await make_cohort(guild.id, channel.id)
    member = await join(cohort, alice.id)
    member.display_name = "alice"
    await member.save()
    ctx = await member_context(guild.id, alice.id, curriculum, clock())
    for i, n in enumerate((1, 9, 13, 14, 283, 344, 560, 739, 155, 394, 217, 242, 347)):
        p = curriculum.problems[n]
        day = date(2027, 1, 5) + timedelta(days=i % 8)
        await record(
            ctx, EntryKind.SOLVE, day, problem_key=str(n), problem_number=n,
            difficulty=p.difficulty.value, minutes=10, mode="unguided", pattern=p.pattern,
        )  # fmt: skip
    for i in range(10):
        await record(ctx, EntryKind.LEDGER, date(2027, 1, 6 + i % 7), text=f"line {i}")
    return guild, channel, ada, alice, member, finisher


def roles_of(env: Any, guild: Any, user: Any) -> list[int]:
    return list(env.backend.get_guild(guild.id).members[user.id].role_ids)


async def test_a_role_is_granted_once_and_taken_back_when_undone(
    world: Any, simcord_env: Any
) -> None:
    guild, channel, ada, alice, member, finisher = world
    mapped = await ada.slash(channel, "coach roles", reward=EOW2, role=finisher)
    assert mapped.ephemeral
    text = reply_text(mapped)
    assert f"**End-Week-2 metrics (week 2)** → <@&{finisher.id}>" in text
    assert "✅ Reward roles: 1 mapped, all grantable" in text
    assert finisher.id not in roles_of(simcord_env, guild, alice)  # 13 solves: not yet

    await alice.slash(channel, "solve", problem="49", minutes=11)  # the 14th

    assert finisher.id in roles_of(simcord_env, guild, alice)
    grant = await RoleGrant.get(member_id=member.id)
    assert (grant.reward, grant.status, grant.announced) == (EOW2, "granted", True)
    announced = [m.content for m in bot_posts(channel) if "🏅" in m.content]
    assert announced == [
        f"🏅 **alice** passed End-Week-2 metrics (week 2) and earned <@&{finisher.id}> — "
        "congratulations!"
    ]

    await alice.slash(channel, "solve", problem="49", minutes=9)  # a revisit: nothing new
    await alice.slash(channel, "ledger", text="one more")
    assert await RoleGrant.filter(member_id=member.id).count() == 1
    assert len([m for m in bot_posts(channel) if "🏅" in m.content]) == 1
    adds = [r for r in simcord_env.http_requests if r.method == "PUT" and "/roles/" in r.path]
    assert len(adds) == 1

    # /undo the ledger line: EOW-2 still holds (14 solves), the role stays
    asked = await alice.slash(channel, "undo")
    await alice.click(asked.response, label="Remove")
    assert finisher.id in roles_of(simcord_env, guild, alice)
    # /delete the solve that made it: the milestone is undone, so is the role
    solve = await member.entries.filter(kind="solve", problem_key="49").order_by("id").first()
    assert solve is not None
    await alice.slash(channel, "delete", entry=solve.id)
    # the revisit still counts #49 once: delete that too
    revisit = await member.entries.filter(kind="solve", problem_key="49").first()
    assert revisit is not None
    await alice.slash(channel, "delete", entry=revisit.id)

    assert finisher.id not in roles_of(simcord_env, guild, alice)
    assert await RoleGrant.filter(member_id=member.id).count() == 0


async def test_coach_remove_takes_the_role_back_too(world: Any, simcord_env: Any) -> None:
    guild, channel, ada, alice, member, finisher = world
    await ada.slash(channel, "coach roles", reward=EOW2, role=finisher)
    await alice.slash(channel, "solve", problem="49", minutes=11)
    assert finisher.id in roles_of(simcord_env, guild, alice)
    entry = await member.entries.filter(problem_key="49").first()
    assert entry is not None

    await ada.slash(channel, "coach remove", entry=entry.id)

    assert finisher.id not in roles_of(simcord_env, guild, alice)


async def test_a_new_mapping_reaches_members_who_already_earned_it(
    world: Any, simcord_env: Any
) -> None:
    guild, channel, ada, alice, member, finisher = world
    await alice.slash(channel, "solve", problem="49", minutes=11)  # earned, no role mapped yet
    assert await RoleGrant.all().count() == 0

    await ada.slash(channel, "coach roles", reward=EOW2, role=finisher)
    for _ in range(20):  # the grant runs in the background after the reply
        if finisher.id in roles_of(simcord_env, guild, alice):
            break
        await asyncio.sleep(0.01)

    assert finisher.id in roles_of(simcord_env, guild, alice)


async def test_status_says_when_a_role_cannot_be_granted(
    world: Any, simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock, curriculum: Curriculum
) -> None:
    guild, channel, ada, alice, member, finisher = world
    top = guild.create_role("Legend", position=50)  # above the bot's own role
    await ada.slash(channel, "coach roles", reward="streak:7", role=top)
    await alice.slash(channel, "solve", problem="49", minutes=11)

    status = reply_text(await ada.slash(channel, "coach status"))
    assert "❌ Reward roles: can't grant them: @Legend is above my highest role" in status
    grant = await RoleGrant.get(member_id=member.id)  # earned (a 9-day streak), owed
    assert (grant.reward, grant.status) == ("streak:7", "owed")

    # the server fixes the order: the periodic check gives the owed role
    simcord_env.backend.edit_role(guild.id, top.id, {"position": 1})
    assert await sweep(simcord_bot, curriculum, clock()) == 1
    assert top.id in roles_of(simcord_env, guild, alice)

    me = guild.me
    assert me is not None
    no_roles = discord.Permissions.all()
    no_roles.administrator = False
    no_roles.manage_roles = False
    simcord_env.backend.edit_role(guild.id, me.top_role.id, {"permissions": no_roles.value})
    status = reply_text(await ada.slash(channel, "coach status"))
    assert "can't grant them: I lack the Manage Roles permission" in status


async def test_roles_needs_manage_server_on_the_server_too(world: Any, simcord_env: Any) -> None:
    guild, channel, ada, alice, member, finisher = world
    synced = await simcord_env.bot.tree.fetch_commands()
    guild.set_command_permissions(next(c for c in synced if c.name == "coach"), {alice: True})

    refused = await alice.slash(channel, "coach roles", reward=EOW2, role=finisher)

    assert "You need the **Manage Server** permission" in refused.response.content
    expect_errors(simcord_env, discord.app_commands.MissingPermissions)
    assert await RewardRole.all().count() == 0


async def test_an_unknown_reward_is_refused(world: Any, simcord_env: Any) -> None:
    guild, channel, ada, alice, member, finisher = world

    refused = await ada.slash(channel, "coach roles", reward="streak:3", role=finisher)

    assert "`reward` must be one of the choices" in refused.response.content
    expect_errors(simcord_env, Exception)
    assert await RewardRole.all().count() == 0
    choices = await ada.autocomplete(channel, "coach roles", "reward", "streak")
    assert [c["value"] for c in choices] == ["streak:7", "streak:30", "streak:100"]


async def test_a_role_with_moderator_permissions_is_refused(world: Any, simcord_env: Any) -> None:
    """Manage Server can't hand out roles: mapping a reward to a role with administrator or
    other moderator rights would let anyone who logs a week's streak obtain them."""
    guild, channel, ada, alice, member, finisher = world
    for permissions in (
        discord.Permissions(administrator=True),
        discord.Permissions(manage_roles=True),
        discord.Permissions(ban_members=True),
    ):
        mighty = guild.create_role("Mighty", permissions=permissions)
        refused = await ada.slash(channel, "coach roles", reward="streak:7", role=mighty)
        assert refused.ephemeral
        assert "carries moderator permissions" in refused.response.content
    expect_errors(simcord_env, Exception)
    assert await RewardRole.all().count() == 0

    plain = guild.create_role("Regular", permissions=discord.Permissions(send_messages=True))
    mapped = await ada.slash(channel, "coach roles", reward="streak:7", role=plain)
    assert f"→ <@&{plain.id}>" in reply_text(mapped)
    assert await RewardRole.all().count() == 1


async def test_a_reward_mapped_to_a_new_role_reaches_those_who_earned_it(
    world: Any, simcord_env: Any
) -> None:
    """Changing a reward's role gives the new role to members who already earned the reward
    (the old grant was for the old role), without announcing it a second time."""
    guild, channel, ada, alice, member, finisher = world
    await ada.slash(channel, "coach roles", reward=EOW2, role=finisher)
    await alice.slash(channel, "solve", problem="49", minutes=11)
    assert finisher.id in roles_of(simcord_env, guild, alice)

    second = guild.create_role("EOW-2 Champion")
    await ada.slash(channel, "coach roles", reward=EOW2, role=second)
    for _ in range(20):  # the grant runs in the background after the reply
        if second.id in roles_of(simcord_env, guild, alice):
            break
        await asyncio.sleep(0.01)

    assert second.id in roles_of(simcord_env, guild, alice)
    grant = await RoleGrant.get(member_id=member.id)
    assert (grant.status, grant.role_id) == ("granted", second.id)
    assert len([m for m in bot_posts(channel) if "🏅" in m.content]) == 1
    await alice.slash(channel, "ledger", text="one more")  # nothing more to give
    adds = [r for r in simcord_env.http_requests if r.method == "PUT" and "/roles/" in r.path]
    assert len(adds) == 2


async def test_forget_me_takes_the_reward_roles_back(world: Any, simcord_env: Any) -> None:
    """/forget-me deletes the record of a grant: the role it gave goes with it (a role no one
    could ever take back otherwise), and the answer says so."""
    guild, channel, ada, alice, member, finisher = world
    await ada.slash(channel, "coach roles", reward=EOW2, role=finisher)
    await alice.slash(channel, "solve", problem="49", minutes=11)
    assert finisher.id in roles_of(simcord_env, guild, alice)
    keep = guild.create_role("Not ours")
    simcord_env.backend.add_member_role(guild.id, alice.id, keep.id)  # given by someone else

    asked = await alice.slash(channel, "forget-me")
    done = await alice.click(asked.response, label="Delete everything")

    assert "Took back the 1 reward role I had given you." in done.response.content
    assert roles_of(simcord_env, guild, alice) == [keep.id]
    assert await RoleGrant.all().count() == 0
    removals = [
        r for r in simcord_env.http_requests if r.method == "DELETE" and "/roles/" in r.path
    ]
    assert [r.path.rsplit("/", 1)[-1] for r in removals] == [str(finisher.id)]
