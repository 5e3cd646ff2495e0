"""``coach doctor``: what is left to fix before (or while) the bot runs, as one table.

Checks, in order: settings; the database (reachable, migrations current); the curriculum;
the token (Discord's ``/users/@me``) and the slash commands (the hash stored at the last sync
against the commands of this version, and the names Discord has); then, for every cohort, the
checks of :mod:`bot.health` that ``/coach status`` shows too. Exit 0 when nothing failed
(warnings don't fail).

The Discord part (:func:`discord_checks`) takes any logged-in ``discord.Client``: the command
line logs in a plain client over REST (no gateway); the tests pass simcord's.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import discord

from bot.app import CoachBot, extension_names, network_reason, use_discord_api
from bot.core.text import plural
from bot.db import close_db, describe_url, init_db, pending_migrations
from bot.failures import Failure
from bot.health import Check, cohort_checks, reward_role_checks
from bot.models import Cohort, Post
from bot.services.rewards import role_map
from bot.settings import Settings
from curriculum.issues import CurriculumError
from curriculum.loader import Curriculum, load_curriculum

log = logging.getLogger(__name__)
DISCORD_TIMEOUT = 30.0
DEFAULT_LIMIT = 25  # servers checked per run (each costs three REST calls)


@dataclass
class Section:
    title: str
    checks: list[Check] = field(default_factory=list)


@dataclass
class Report:
    sections: list[Section] = field(default_factory=list)

    def add(self, title: str, *checks: Check) -> Section:
        section = Section(title, list(checks))
        self.sections.append(section)
        return section

    @property
    def checks(self) -> list[Check]:
        return [c for s in self.sections for c in s.checks]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    def render(self) -> str:
        width = max((len(c.name) for c in self.checks), default=10) + 2
        lines: list[str] = []
        for section in self.sections:
            lines.append(section.title)
            for c in section.checks:
                lines.append(f"  {c.status.upper():<4}  {c.name:<{width}}{c.detail}")
        failed = sum(1 for c in self.checks if c.status == "fail")
        warned = sum(1 for c in self.checks if c.status == "warn")
        total = len(self.checks)
        if failed:
            lines.append(f"{failed} of {total} checks failed, {plural(warned, 'warning')}.")
        else:
            lines.append(f"All {total} checks passed ({plural(warned, 'warning')}).")
        return "\n".join(lines)


# -- the parts -------------------------------------------------------------------------------
def settings_checks(settings: Settings) -> list[Check]:
    checks: list[Check] = []
    token = settings.discord_token
    if token is None or not token.get_secret_value():
        checks.append(Check("Token", "fail", "DISCORD_TOKEN is not set (environment or .env)"))
    else:
        checks.append(Check("Token", "ok", "DISCORD_TOKEN is set"))
    try:
        settings.ensure_data_dir()
        checks.append(Check("Data directory", "ok", f"{settings.data_dir} is writable"))
    except Failure as exc:
        checks.append(Check("Data directory", "fail", str(exc)))
    return checks


async def database_checks(url: str) -> tuple[list[Check], bool]:
    """(checks, usable): usable means reachable with every migration applied."""
    try:
        pending = await pending_migrations(url)
    except Failure as exc:
        return [Check("Reachable", "fail", str(exc))], False
    reach = Check("Reachable", "ok", describe_url(url))
    if pending:
        names = ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")
        return [
            reach,
            Check(
                "Migrations",
                "fail",
                f"{len(pending)} pending ({names}): run `coach db upgrade` (`coach run` "
                "applies them too)",
            ),
        ], False
    return [reach, Check("Migrations", "ok", "up to date")], True


def curriculum_check() -> tuple[Check, Curriculum | None]:
    try:
        curriculum = load_curriculum()
    except CurriculumError as exc:
        first = exc.issues[0] if exc.issues else exc
        return Check(
            "Data",
            "fail",
            f"{plural(len(exc.issues), 'error')}, first: {first} (coach curriculum check)",
        ), None
    return Check(
        "Data",
        "ok",
        f"{len(curriculum.weeks)} weeks, {len(curriculum.problems)} problems, "
        f"{plural(len(curriculum.warnings), 'warning')}",
    ), curriculum


async def command_checks(
    client: discord.Client, settings: Settings, curriculum: Curriculum
) -> list[Check]:
    """The commands of this version against the hash of the last sync and Discord's list."""
    local = CoachBot(settings, curriculum, start_scheduler=False)
    try:
        for name in extension_names():
            await local.load_extension(name)
        digest = local.command_hash()
        path = local.command_hash_file()
        names = sorted(c.name for c in local.tree.get_commands())
    finally:
        await local.close()
    stored = path.read_text().strip() if path.is_file() else None
    if stored is None:
        hashed = Check(
            "Command sync", "fail", f"never synced from here ({path} is missing): run `coach sync`"
        )
    elif stored != digest:
        hashed = Check(
            "Command sync",
            "fail",
            "the commands changed since the last sync: run `coach sync` (or restart the bot)",
        )
    else:
        hashed = Check("Command sync", "ok", f"hash matches the last sync ({len(names)} commands)")
    app_id = client.application_id
    if app_id is None:
        return [hashed]
    guild_id = settings.dev_guild_id
    try:
        if guild_id is not None:
            remote = await client.http.get_guild_commands(app_id, guild_id)
        else:
            remote = await client.http.get_global_commands(app_id)
    except discord.HTTPException as exc:
        return [hashed, Check("Registered", "fail", f"Discord answered {exc.status}")]
    have = sorted(str(c["name"]) for c in remote)
    where = f"server {guild_id}" if guild_id is not None else "global"
    if have == names:
        return [hashed, Check("Registered", "ok", f"{len(have)} commands ({where})")]
    if not have:
        detail = f"Discord ({where}) has none of the {len(names)} commands"
    else:
        lacking = sorted(set(names) - set(have))
        extra = sorted(set(have) - set(names))
        parts = [f"lacks {_few(lacking)}"] if lacking else []
        parts += [f"still has {_few(extra)}"] if extra else []
        parts += [] if parts else ["has different definitions"]
        detail = f"Discord ({where}) " + " and ".join(parts)
    return [hashed, Check("Registered", "fail", detail + ": run `coach sync`")]


def _few(names: list[str], shown: int = 6) -> str:
    text = ", ".join("/" + n for n in names[:shown])
    return text + (f" and {len(names) - shown} more" if len(names) > shown else "")


async def _fetch_guild(
    client: discord.Client, guild_id: int, me_id: int | None
) -> tuple[discord.Guild | None, discord.Member | None, dict[int, discord.abc.GuildChannel]]:
    """The guild (with roles), the bot's member and the channels — or what could be read."""
    try:
        guild = await client.fetch_guild(guild_id)
    except (discord.NotFound, discord.Forbidden):
        return None, None, {}
    me: discord.Member | None = None
    if me_id is not None:
        try:
            me = await guild.fetch_member(me_id)
        except (discord.NotFound, discord.Forbidden):
            me = None
    channels: dict[int, discord.abc.GuildChannel] = {}
    try:
        channels = {c.id: c for c in await guild.fetch_channels()}
    except (discord.NotFound, discord.Forbidden):
        channels = {}
    return guild, me, channels


async def cohort_sections(
    client: discord.Client, now: datetime, limit: int = DEFAULT_LIMIT
) -> list[Section]:
    """The :mod:`bot.health` checks of every cohort, read over REST (``limit`` servers)."""
    cohorts = await Cohort.filter(guild__left_at=None).prefetch_related("guild").order_by("id")
    by_guild: dict[int, list[Cohort]] = defaultdict(list)
    for cohort in cohorts:
        by_guild[cohort.guild.guild_id].append(cohort)
    me_id = client.user.id if client.user else None
    sections: list[Section] = []
    for guild_id in list(by_guild)[:limit]:
        guild, me, channels = await _fetch_guild(client, guild_id, me_id)
        for cohort in by_guild[guild_id]:
            last = await Post.filter(cohort_id=cohort.id).order_by("-due_at", "-id").first()
            checks = cohort_checks(
                cohort,
                guild=guild,
                channel=channels.get(cohort.channel_id),
                me=me,
                last=last,
                now=now,
            )
            rewards = sorted((await role_map(cohort.id)).items())
            checks += reward_role_checks(guild, me, rewards)
            server = f"{guild.name} ({guild_id})" if guild is not None else str(guild_id)
            sections.append(Section(f"Cohort “{cohort.name}” · server {server}", checks))
    if not by_guild:
        none_yet = Check("Cohorts", "warn", "none set up yet: run /coach setup in your server")
        sections.append(Section("Cohorts", [none_yet]))
    if len(by_guild) > limit:
        rest = len(by_guild) - limit
        skipped = Check(
            "Not checked",
            "warn",
            f"{plural(rest, 'more server')}: run with --limit {len(by_guild)}",
        )
        sections.append(Section("More cohorts", [skipped]))
    return sections


async def discord_checks(
    client: discord.Client,
    settings: Settings,
    curriculum: Curriculum | None,
    now: datetime,
    *,
    database: bool,
    limit: int = DEFAULT_LIMIT,
) -> list[Section]:
    """Commands and cohorts, for a logged-in ``client``."""
    sections: list[Section] = []
    if curriculum is not None:
        sections.append(
            Section("Slash commands", await command_checks(client, settings, curriculum))
        )
    if database:
        sections += await cohort_sections(client, now, limit)
    return sections


async def _login(token: str) -> tuple[discord.Client | None, Check]:
    client = discord.Client(intents=discord.Intents(guilds=True))  # REST only: no gateway
    try:
        async with asyncio.timeout(DISCORD_TIMEOUT):
            await client.login(token)
    except discord.LoginFailure:
        await client.close()
        return None, Check(
            "Token",
            "fail",
            "Discord rejected the token (401): reset it in the "
            "Developer Portal (Bot → Reset Token) and update DISCORD_TOKEN",
        )
    except discord.HTTPException as exc:
        await client.close()
        return None, Check("Token", "fail", f"Discord answered {exc.status} to the token check")
    except (OSError, TimeoutError, discord.GatewayNotFound) as exc:
        await client.close()
        return None, Check("Token", "fail", f"can't reach Discord ({network_reason(exc)})")
    user = client.user
    name = f"{user} (id {user.id})" if user else "?"
    return client, Check("Token", "ok", f"accepted: {name}")


async def run_doctor(settings: Settings, now: datetime, *, limit: int = DEFAULT_LIMIT) -> Report:
    report = Report()
    report.add("Settings", *settings_checks(settings))
    url: str | None
    try:
        url = settings.resolved_database_url()
    except Failure as exc:
        url = None
        report.add("Database", Check("Reachable", "fail", str(exc)))
    usable = False
    if url is not None:
        checks, usable = await database_checks(url)
        report.add("Database", *checks)
    check, curriculum = curriculum_check()
    report.add("Curriculum", check)
    token = settings.discord_token.get_secret_value() if settings.discord_token else ""
    if not token:
        report.add("Discord", Check("Token", "fail", "skipped: DISCORD_TOKEN is not set"))
        return report
    use_discord_api(settings.discord_api_url)
    client, token_check = await _login(token)
    report.add("Discord", token_check)
    if client is None:
        return report
    opened = False
    try:
        if usable and url is not None:
            await init_db(url, migrate=False)
            opened = True
        report.sections += await discord_checks(
            client, settings, curriculum, now, database=opened, limit=limit
        )
    finally:
        if opened:
            await close_db()
        await client.close()
    return report
