"""``coach doctor``'s Discord side and ``/coach status`` give the same per-cohort verdicts.

The doctor reads the server over REST (here: simcord's REST API, through the real
discord.py client); ``/coach status`` reads the gateway cache. Both go through
``bot.health.cohort_checks``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import discord
import pytest

from bot.core.clock import FixedClock
from bot.doctor import Report, cohort_sections
from bot.health import Check
from bot.models import Post
from tests.helpers import make_cohort, reply_text

NOW = datetime(2027, 2, 3, 12, 0, tzinfo=UTC)


def _statuses(checks: list[Check]) -> dict[str, str]:
    return {c.name: c.status for c in checks}


@pytest.fixture
async def world(simcord_env: Any, clock: FixedClock) -> Any:
    clock.set(NOW)
    guild = simcord_env.create_guild("Study Hall")
    study = guild.create_text_channel("study")
    me = guild.me
    no_embeds = discord.PermissionOverwrite(
        embed_links=False, create_public_threads=False, mention_everyone=False
    )
    locked = guild.create_text_channel("locked", overwrites={me: no_embeds})
    quiet = guild.create_role("Quiet", mentionable=False)
    loud = guild.create_role("Loud", mentionable=True)
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    admin = guild.add_member(simcord_env.create_user("ada"), roles=[admins])
    good = await make_cohort(guild.id, study.id, name="good", role_id=loud.id)
    await make_cohort(guild.id, locked.id, name="locked", role_id=quiet.id)
    await make_cohort(guild.id, 4242, name="gone")
    await make_cohort(7 << 22, 4343, name="elsewhere")  # a server the bot is not in
    await Post.create(
        cohort=good,
        local_date=date(2027, 2, 3),
        slot="block_a",
        status="failed",
        due_at=datetime(2027, 2, 3, 6, tzinfo=UTC),
        nonce="n1",
        claimed_at=datetime(2027, 2, 3, 6, tzinfo=UTC),
        error="403 Forbidden: Missing Access",
    )
    return guild, study, admin


async def test_doctor_checks_every_cohort_over_rest(world: Any, simcord_env: Any) -> None:
    sections = await cohort_sections(simcord_env.bot, NOW)
    by_name = {s.title.split("”")[0].split("“")[1]: s.checks for s in sections}
    assert set(by_name) == {"good", "locked", "gone", "elsewhere"}
    assert _statuses(by_name["good"]) == {
        "Channel": "ok",
        "Permissions": "ok",
        "Threads": "ok",
        "Role": "ok",
        "Time zone": "ok",
        "Last post": "fail",
    }
    assert "Missing Access" in by_name["good"][-1].detail
    locked = {c.name: c for c in by_name["locked"]}
    assert locked["Permissions"].status == "fail"
    assert locked["Permissions"].detail == "missing Embed Links"
    assert (
        locked["Threads"].status == "warn" and "Create Public Threads" in locked["Threads"].detail
    )
    assert locked["Role"].status == "fail" and "@Quiet is not mentionable" in locked["Role"].detail
    assert _statuses(by_name["gone"])["Channel"] == "fail"
    assert _statuses(by_name["elsewhere"]) == {
        "Server": "fail",
        "Time zone": "ok",
        "Last post": "ok",
    }
    report = Report()
    report.sections += sections
    assert not report.passed and "checks failed" in report.render()


async def test_status_shows_the_same_checks(world: Any, simcord_env: Any) -> None:
    guild, study, admin = world
    doctor = {
        s.title.split("”")[0].split("“")[1]: s.checks
        for s in await cohort_sections(simcord_env.bot, NOW)
    }
    for name in ("good", "locked", "gone"):
        result = await admin.slash(study, "coach status", cohort=name)
        text = reply_text(result)
        assert result.ephemeral and doctor[name]
        for check in doctor[name]:
            assert check.line() in text, (name, check.line())


async def test_the_limit_bounds_the_servers_checked(world: Any, simcord_env: Any) -> None:
    sections = await cohort_sections(simcord_env.bot, NOW, limit=1)
    assert sections[-1].checks[0].name == "Not checked"
    assert "1 more server: run with" in sections[-1].checks[0].detail
