"""/coach setup, pause, resume, status and preview against simcord and a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import discord
import pytest
from discord import app_commands
from simcord.backend.errors import SetupError

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.models import Cohort, CohortPause, Post
from tests.helpers import expect_errors, make_cohort, reply_text

NOW = datetime(2027, 2, 3, 12, 0, tzinfo=UTC)  # the clock fixture: Wed 13:00 in Berlin


class FakeScheduler:
    def __init__(self) -> None:
        self.rebuilt: list[int] = []

    async def rebuild(self, cohort_id: int) -> None:
        self.rebuilt.append(cohort_id)

    async def stop(self) -> None:
        pass


def _world(env: Any, **channel_kw: Any) -> tuple[Any, Any, Any]:
    guild = env.create_guild()
    channel = guild.create_text_channel("study", **channel_kw)
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(env.create_user("ada"), roles=[admins])
    return guild, channel, admin


async def _setup(actor: Any, where: Any, /, **options: Any) -> Any:
    """/coach setup run in ``where`` with defaults for the required options."""
    args = {"channel": where, "timezone": "Europe/Berlin", "start": "2027-01-04", **options}
    return await actor.slash(where, "coach setup", **args)


# -- setup -------------------------------------------------------------------------------
async def test_setup_stores_the_cohort_and_rebuilds(
    simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    simcord_bot.scheduler = scheduler = FakeScheduler()
    guild, channel, admin = _world(simcord_env)

    result = await _setup(admin, channel)

    assert result.ephemeral
    cohort = await Cohort.get(guild__guild_id=guild.id)
    assert (cohort.name, cohort.channel_id, cohort.timezone) == (
        "main",
        channel.id,
        "Europe/Berlin",
    )
    assert cohort.start_date == date(2027, 1, 4)
    assert (cohort.block_a_time, cohort.block_b_time, cohort.weekend_time) == (
        "07:00",
        "19:00",
        "10:00",
    )
    assert (cohort.recap_weekday, cohort.recap_time, cohort.role_id) == ("sun", "20:00", None)
    assert cohort.setup_user_id == admin.id and cohort.schedule_from == NOW
    assert scheduler.rebuilt == [cohort.id]
    text = reply_text(result)
    assert "Europe/Berlin" in text and "Mon 4 Jan 2027" in text
    assert "Wed 3 Feb 2027 **19:00** (18:00 UTC) · Week 5 Block-B" in text


async def test_setup_update_keeps_one_row(simcord_env: Any, clock: FixedClock) -> None:
    guild, channel, admin = _world(simcord_env)
    other = guild.create_text_channel("other")
    mentors = guild.create_role("Mentors")
    await _setup(admin, channel, start="2027-01-06")
    clock.set(datetime(2027, 2, 4, 9, 0, tzinfo=UTC))

    # Only the channel and role change: the schedule (and schedule_from) stays put.
    result = await _setup(admin, channel, channel=other, start="2027-01-06", role=mentors)
    cohort = await Cohort.get(guild__guild_id=guild.id)
    assert (cohort.channel_id, cohort.role_id, cohort.schedule_from) == (other.id, mentors.id, NOW)
    assert f"Mentions: <@&{mentors.id}>" in reply_text(result)

    moved = {"timezone": "asia/tokyo", "block_a": "06:30", "recap_day": "sat"}
    result = await _setup(
        admin, channel, name="MAIN", channel=other, start="2027-01-06", recap_time="21:15", **moved
    )
    assert await Cohort.filter(guild__guild_id=guild.id).count() == 1
    cohort = await Cohort.get(guild__guild_id=guild.id)
    assert (cohort.name, cohort.timezone, cohort.block_a_time) == ("main", "Asia/Tokyo", "06:30")
    assert (cohort.recap_weekday, cohort.recap_time) == ("sat", "21:15")
    assert cohort.schedule_from == clock()
    text = reply_text(result)
    assert "updated" in text and "Mon 11 Jan 2027" in text  # week 1: first Monday after


async def test_second_cohort_by_name(simcord_env: Any) -> None:
    guild, channel, admin = _world(simcord_env)
    await _setup(admin, channel)
    await _setup(admin, channel, name="evening", timezone="America/New_York", start="2027-02-08")
    names = (
        await Cohort.filter(guild__guild_id=guild.id)
        .order_by("name")
        .values_list("name", flat=True)
    )
    assert names == ["evening", "main"]
    everyone = await _setup(admin, channel, name="x", role=guild.default_role)
    assert "can't be @everyone" in everyone.response.content
    assert await Cohort.all().count() == 2
    expect_errors(simcord_env, UserFacingError)


async def test_non_admin_cannot_see_or_run_setup(simcord_env: Any, simcord_bot: CoachBot) -> None:
    guild, channel, _ = _world(simcord_env)
    bob = guild.add_member(simcord_env.create_user("bob"))

    with pytest.raises(SetupError):  # hidden by default_permissions
        await _setup(bob, channel)

    # Even when the command is made visible to them, the server-side check refuses.
    commands = await simcord_bot.tree.fetch_commands()
    guild.set_command_permissions(next(c for c in commands if c.name == "coach"), {bob: True})
    result = await _setup(bob, channel)
    assert result.ephemeral
    assert "Manage Server" in result.response.content
    assert await Cohort.all().count() == 0
    expect_errors(simcord_env, app_commands.MissingPermissions)


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        ({"timezone": "Mars/Base"}, "`Mars/Base` isn't an IANA time zone"),
        ({"start": "2027-02-30"}, "**start**"),
        ({"start": "next monday"}, "**start**"),
        ({"block_a": "25:00"}, "**block_a**"),
        ({"block_b": "7pm"}, "**block_b**"),
        ({"recap_time": "20.00"}, "**recap_time**"),
    ],
)
async def test_invalid_input_names_the_option_and_saves_nothing(
    simcord_env: Any, options: dict[str, str], needle: str
) -> None:
    _, channel, admin = _world(simcord_env)

    result = await _setup(admin, channel, **options)

    assert result.ephemeral
    assert needle in result.response.content
    assert await Cohort.all().count() == 0
    expect_errors(simcord_env, UserFacingError)


@pytest.mark.parametrize(
    ("deny", "missing"),
    [
        # Discord: without Send Messages, embeds and attachments are denied too.
        ({"send_messages": False}, ["Send Messages", "Embed Links", "Attach Files"]),
        ({"attach_files": False}, ["Attach Files"]),
    ],
)
async def test_missing_channel_permissions_are_listed(
    simcord_env: Any, deny: dict[str, bool], missing: list[str]
) -> None:
    guild = simcord_env.create_guild()
    overwrite = discord.PermissionOverwrite(**deny)
    channel = guild.create_text_channel("locked", overwrites={guild.me: overwrite})
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("ada"), roles=[admins])

    result = await _setup(admin, channel)

    assert result.ephemeral
    text = result.response.content
    listed = [
        p for p in ("View Channel", "Send Messages", "Embed Links", "Attach Files") if p in text
    ]
    assert listed == missing and "Nothing was saved" in text
    assert await Cohort.all().count() == 0
    expect_errors(simcord_env, UserFacingError)


async def test_timezone_and_start_autocomplete(simcord_env: Any, clock: FixedClock) -> None:
    _, channel, admin = _world(simcord_env)

    everything = await admin.autocomplete(channel, "coach setup", "timezone", "")
    assert len(everything) == 25
    berlin = await admin.autocomplete(channel, "coach setup", "timezone", "BERL")
    assert berlin[0] == {"name": "Europe/Berlin", "value": "Europe/Berlin"}
    assert 0 < len(berlin) <= 25

    clock.set(datetime(2027, 2, 7, 20, 0, tzinfo=UTC))  # Sunday in UTC, Monday in Auckland
    utc = await admin.autocomplete(channel, "coach setup", "start", "")
    assert len(utc) == 6
    assert utc[0] == {"name": "Mon 8 Feb 2027", "value": "2027-02-08"}
    assert all(date.fromisoformat(c["value"]).weekday() == 0 for c in utc)
    auckland = await admin.autocomplete(
        channel, "coach setup", "start", "", timezone="Pacific/Auckland"
    )
    assert auckland[0]["value"] == "2027-02-15"
    march = await admin.autocomplete(channel, "coach setup", "start", "mar")
    assert [c["value"] for c in march] == ["2027-03-01", "2027-03-08", "2027-03-15"]


# -- cohort choice -----------------------------------------------------------------------
async def test_cohort_option_resolution(simcord_env: Any) -> None:
    guild, channel, admin = _world(simcord_env)
    result = await admin.slash(channel, "coach status")
    assert "/coach setup" in result.response.content

    await make_cohort(guild.id, channel.id, name="main")
    await make_cohort(guild.id, channel.id, name="evening")
    result = await admin.slash(channel, "coach status")
    assert "several cohorts" in result.response.content and "`evening`" in result.response.content
    result = await admin.slash(channel, "coach status", cohort="nope")
    assert "no cohort called `nope`" in result.response.content
    result = await admin.slash(channel, "coach status", cohort="Evening")
    assert "Cohort “evening”" in reply_text(result)

    choices = await admin.autocomplete(channel, "coach status", "cohort", "EV")
    assert choices == [{"name": "evening", "value": "evening"}]
    assert len(await admin.autocomplete(channel, "coach pause", "cohort", "")) == 2
    expect_errors(simcord_env, UserFacingError)


# -- status / preview / pause / resume -------------------------------------------------
async def test_status_lists_the_next_five_posts(simcord_env: Any) -> None:
    guild, channel, admin = _world(simcord_env)
    cohort = await make_cohort(guild.id, channel.id)
    await Post.create(
        cohort=cohort,
        local_date=date(2027, 2, 3),
        slot="block_a",
        status="failed",
        due_at=datetime(2027, 2, 3, 6, tzinfo=UTC),
        nonce="n1",
        claimed_at=datetime(2027, 2, 3, 6, tzinfo=UTC),
        error="403 Forbidden: Missing Access",
    )

    result = await admin.slash(channel, "coach status")

    assert result.ephemeral
    text = reply_text(result)
    assert "Week 5 · Wed · Phase 2" in text
    expected = [
        "Wed 3 Feb 2027 **19:00** (18:00 UTC) · Week 5 Block-B",
        "Thu 4 Feb 2027 **07:00** (06:00 UTC) · Week 5 Block-A",
        "Thu 4 Feb 2027 **19:00** (18:00 UTC) · Week 5 Block-B",
        "Fri 5 Feb 2027 **07:00** (06:00 UTC) · Week 5 Block-A",
        "Fri 5 Feb 2027 **19:00** (18:00 UTC) · Week 5 Block-B",
    ]
    assert "Next posts: " + "\n".join(expected) in text
    assert "Block-A of Wed 3 Feb 2027: **failed**" in text and "Missing Access" in text
    assert "✅ all set" in text


async def test_preview_week5_wednesday(simcord_env: Any) -> None:
    guild, channel, admin = _world(simcord_env)
    await make_cohort(guild.id, channel.id)

    result = await admin.slash(channel, "coach preview", date="2027-02-03")

    assert result.ephemeral
    titles = [e.title for e in result.response.embeds]
    assert titles[0] == "Week 5 · Arrays & Hashing — Wed · Block-A (90 min)"
    assert "Preview · main · Wed 3 Feb 2027" in reply_text(result)
    before = await admin.slash(channel, "coach preview", date="2027-01-01")
    assert "before the start" in before.response.content
    after = await admin.slash(channel, "coach preview", date="2027-05-01")
    assert "after week 16" in after.response.content
    bad = await admin.slash(channel, "coach preview", date="3 Feb")
    assert "**date**" in bad.response.content
    expect_errors(simcord_env, UserFacingError)


async def test_pause_shifts_and_resume_restores(
    simcord_env: Any, simcord_bot: CoachBot, clock: FixedClock
) -> None:
    simcord_bot.scheduler = scheduler = FakeScheduler()
    guild, channel, admin = _world(simcord_env)
    cohort = await make_cohort(guild.id, channel.id)

    result = await admin.slash(channel, "coach pause", start="2027-02-08", end="2027-02-10")

    text = result.response.content
    assert result.ephemeral
    assert "Mon 8 Feb 2027 – Sun 14 Feb 2027 (1 week)" in text
    assert "now ends on **Sun 2 May 2027** (was Sun 25 Apr 2027)" in text
    assert scheduler.rebuilt == [cohort.id]
    paused = await admin.slash(channel, "coach preview", date="2027-02-10")
    assert "is paused; posts resume Mon 15 Feb 2027" in paused.response.content
    shifted = await admin.slash(channel, "coach preview", date="2027-02-17")
    assert shifted.response.embeds[0].title.startswith("Week 6 · ")
    assert "— Wed · Block-A" in shifted.response.embeds[0].title

    clock.set(datetime(2027, 2, 7, 20, 0, tzinfo=UTC))  # Sun 21:00 Berlin
    status = reply_text(await admin.slash(channel, "coach status"))
    assert "Pause Mon 8 Feb 2027 – Sun 14 Feb 2027" in status
    assert "Next posts: Mon 15 Feb 2027 **07:00** (06:00 UTC) · Week 6 Block-A" in status

    result = await admin.slash(channel, "coach resume")
    assert "Removed the pause Mon 8 Feb 2027 – Wed 10 Feb 2027" in result.response.content
    assert "now ends on **Sun 25 Apr 2027**" in result.response.content
    assert await CohortPause.all().count() == 0
    assert scheduler.rebuilt == [cohort.id, cohort.id]
    again = await admin.slash(channel, "coach resume")
    assert "nothing changed" in again.response.content


async def test_resume_cuts_a_running_pause_short(simcord_env: Any, clock: FixedClock) -> None:
    guild, channel, admin = _world(simcord_env)
    cohort = await make_cohort(guild.id, channel.id)
    await CohortPause.create(cohort=cohort, start_date=date(2027, 2, 1), end_date=date(2027, 2, 20))

    result = await admin.slash(channel, "coach resume")  # today: Wed 3 Feb

    assert "now ends Tue 2 Feb 2027 (was Sat 20 Feb 2027)" in result.response.content
    pause = await CohortPause.get(cohort=cohort)
    assert (pause.start_date, pause.end_date) == (date(2027, 2, 1), date(2027, 2, 2))


@pytest.mark.parametrize(
    ("start", "end", "needle"),
    [
        ("2027-02-08", "2027-04-05", "at most 8 weeks"),
        ("2027-02-10", "2027-02-08", "is before **start**"),
        ("2027-01-25", "2027-02-08", "in the past"),
        ("2027-02-08", "soon", "**end**"),
    ],
)
async def test_invalid_pause_saves_nothing(
    simcord_env: Any, start: str, end: str, needle: str
) -> None:
    guild, channel, admin = _world(simcord_env)
    await make_cohort(guild.id, channel.id)

    result = await admin.slash(channel, "coach pause", start=start, end=end)

    assert result.ephemeral and needle in result.response.content
    assert await CohortPause.all().count() == 0
    expect_errors(simcord_env, UserFacingError)


async def test_status_reports_missing_channel_permissions(simcord_env: Any) -> None:
    guild, channel, admin = _world(simcord_env)
    overwrite = discord.PermissionOverwrite(embed_links=False)
    locked = guild.create_text_channel("locked", overwrites={guild.me: overwrite})
    await make_cohort(guild.id, locked.id)

    text = reply_text(await admin.slash(channel, "coach status"))

    assert "My channel permissions: ⚠️ missing Embed Links" in text
    assert "Last post: No posts yet." in text
