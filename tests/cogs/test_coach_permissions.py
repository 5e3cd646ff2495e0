"""Every /coach subcommand refuses a member without Manage Server on the server side too.

Discord hides /coach from such members (``default_permissions``), but a server admin can show it
to anyone with a command override. Then only the subcommand's own check stands between that
member and the cohort: each subcommand is run by such a member and must be refused, changing
nothing. The subcommands are read from the bot's real command tree (every cog loaded), so one
added later — in any cog file — is covered without touching this test.
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.enums import AppCommandOptionType as Opt

from bot.app import CoachBot, extension_names
from bot.core.clock import FixedClock
from bot.models import (
    Buddy,
    Cohort,
    CohortPause,
    Entry,
    GuildConfig,
    Member,
    OopsReview,
    Post,
)
from bot.services.study_rooms import add_room
from bot.sessions.models import RoomSettings, StudyRoom
from bot.settings import Settings
from curriculum.loader import load_curriculum
from tests.helpers import bot_posts, expect_errors, join, make_cohort

MODELS = (
    GuildConfig,
    Cohort,
    CohortPause,
    Member,
    Entry,
    OopsReview,
    Buddy,
    Post,
    StudyRoom,
    RoomSettings,
)


def coach_subcommands() -> list[str]:
    """``coach …`` names in the real tree (every extension loaded, no database needed)."""

    async def collect() -> list[str]:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                discord_token=None,
                data_dir=Path(tmp),
                database_url=f"sqlite://{tmp}/unused.sqlite3",
            )
            bot = CoachBot(settings, load_curriculum(), start_scheduler=False)
            try:
                for name in extension_names():
                    await bot.load_extension(name)
                group = bot.tree.get_command("coach")
                assert isinstance(group, app_commands.Group)
                return sorted(
                    c.qualified_name
                    for c in group.walk_commands()
                    if isinstance(c, app_commands.Command)
                )
            finally:
                await bot.close()

    return asyncio.run(collect())


SUBCOMMANDS = coach_subcommands()


def test_the_tree_has_the_known_subcommands() -> None:
    """The discovery itself works (an empty list would silently test nothing)."""
    known = {"setup", "pause", "resume", "status", "preview", "remove", "export", "accountability"}
    assert {f"coach {n}" for n in known} <= set(SUBCOMMANDS)


async def _snapshot() -> dict[str, list[dict[str, Any]]]:
    return {
        m.__name__: sorted(await m.all().values(), key=lambda r: r["id"])  # type: ignore[attr-defined]
        for m in MODELS
    }


def _options(command: app_commands.Command[Any, ..., Any], world: dict[str, Any]) -> dict[str, Any]:
    """Arguments that would change something (or show something) if the check were missing."""
    known: dict[str, dict[str, Any]] = {
        "coach setup": {
            "channel": world["channel"],
            "timezone": "Asia/Tokyo",
            "start": "2027-03-01",
        },
        "coach pause": {"start": "2027-02-08", "end": "2027-02-14"},
        "coach preview": {"date": "2027-02-04"},
        "coach remove": {"entry": world["entry_id"]},
        "coach accountability": {"nudges": False, "rest_days": 3, "points_hard": 50},
        "coach rooms add": {"channel": world["new_voice"]},
        "coach rooms settings": {"ignore_deafened": True},
    }
    options = dict(known.get(command.qualified_name, {}))
    for param in command.parameters:  # any other required option: a plausible value by type
        if not param.required or param.display_name in options:
            continue
        options[param.display_name] = {
            Opt.string: "main",
            Opt.integer: int(param.min_value or 1),
            Opt.number: float(param.min_value or 1),
            Opt.boolean: True,
            Opt.user: world["alice"],
            Opt.mentionable: world["alice"],
            Opt.channel: world["voice"]
            if discord.ChannelType.voice in param.channel_types
            else world["channel"],
            Opt.role: world["role"],
        }[param.type]
    return options


@pytest.mark.parametrize("name", SUBCOMMANDS)
async def test_a_member_shown_coach_by_an_override_is_still_refused(
    simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock, name: str
) -> None:
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    role = guild.create_role("Mentors")
    alice = guild.add_member(simcord_env.create_user("alice"))
    bob = guild.add_member(simcord_env.create_user("bob"))  # no Manage Server
    cohort = await make_cohort(guild.id, channel.id)
    await join(cohort, alice.id)
    await join(cohort, bob.id)
    await alice.slash(channel, "ledger", text="alice's entry")
    await CohortPause.create(cohort=cohort, start_date=date(2027, 3, 1), end_date=date(2027, 3, 7))
    world = {
        "channel": channel,
        "voice": guild.create_voice_channel("Focus Room"),  # a study room (below)
        "new_voice": guild.create_voice_channel("Lounge"),  # not one yet
        "role": role,
        "alice": alice,
        "entry_id": (await Entry.get()).id,
    }
    await add_room(guild.id, cohort, world["voice"].id, 1, clock())
    synced = await simcord_bot.tree.fetch_commands()
    guild.set_command_permissions(next(c for c in synced if c.name == "coach"), {bob: True})
    assert name in bob.available_commands(channel)  # the override shows it to bob
    command: Any = simcord_bot.tree.get_command("coach")
    for part in name.split(" ")[1:]:  # nested groups too: "coach rooms add"
        command = command.get_command(part)
    assert isinstance(command, app_commands.Command)
    before, posts_before = await _snapshot(), len(bot_posts(channel))

    result = await bob.slash(channel, name, **_options(command, world))

    assert result.ephemeral
    assert "You need the **Manage Server** permission" in result.response.content
    assert result.response.embeds == [] and result.response.attachments == []
    expect_errors(simcord_env, app_commands.MissingPermissions)
    assert await _snapshot() == before
    assert len(bot_posts(channel)) == posts_before


async def test_an_admin_passes_the_same_check(simcord_env: Any, clock: FixedClock) -> None:
    """The refusal above is the permission check, not a broken command: an admin gets in."""
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("study")
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    ada = guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    await make_cohort(guild.id, channel.id)

    result = await ada.slash(channel, "coach accountability", rest_days=3)

    assert "3 rest day(s)" in result.response.content
    assert (await Cohort.get()).rest_days_per_week == 3
