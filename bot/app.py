"""The bot: ``setup_hook`` = database → migrations → services → cogs → deliberate sync.

Background work lives in services (``bot.runtime.background``) that ``setup_hook`` starts in
order and ``close`` stops in reverse; none of them imports this module.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import pkgutil
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
from discord.ext import commands

import cogs
from bot.core.clock import Clock, system_clock
from bot.core.ratelimit import RateLimiter
from bot.db import close_db, init_db
from bot.failures import ConfigError, DiscordUnavailable, TokenRejected
from bot.runtime.background import register_services
from bot.runtime.host import Host
from bot.runtime.services import ServiceRegistry
from bot.settings import Settings
from bot.shards import ShardScope
from bot.tree import CoachTree
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)


def extension_names() -> list[str]:
    """Every cog module in ``cogs/`` (modules starting with ``_`` are helpers)."""
    return sorted(
        f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_")
    )


class CoachBot(commands.Bot, Host):
    def __init__(
        self,
        settings: Settings,
        curriculum: Curriculum,
        *,
        clock: Clock = system_clock,
        run_migrations: bool = True,
        start_scheduler: bool = True,
        force_sync: bool = False,
        freeze_gc: bool = False,
        **client_options: Any,
    ) -> None:
        self.freeze_gc = freeze_gc
        intents = discord.Intents.default()
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            tree_cls=CoachTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **client_options,
        )
        self.settings = settings
        self.curriculum = curriculum
        self.clock = clock
        self.run_migrations = run_migrations
        self.start_scheduler = start_scheduler
        self.force_sync = force_sync
        self.db_ready = False
        self.log_limiter = RateLimiter(settings.log_rate_limit, timedelta(minutes=1), clock)
        self.services = ServiceRegistry()
        self.scheduler: Any = None  # bot.scheduling.runner.PostScheduler once started

    async def setup_hook(self) -> None:
        url = self.settings.resolved_database_url()
        await init_db(url, migrate=self.run_migrations)
        self.db_ready = True
        # Registered always (stopping them releases what cogs may open, e.g. the LeetCode
        # HTTP session); started only when this bot runs its background work.
        posts = register_services(self, url)
        for name in extension_names():
            await self.load_extension(name)
        if self.start_scheduler:
            await self.services.start_all()
            self.scheduler = posts
        await self.sync_commands_if_changed(force=self.force_sync)
        if self.freeze_gc:
            # Everything loaded so far (curriculum, commands, modules) lives for the whole
            # process: keep it out of the cyclic collector, whose full passes otherwise add
            # 50–100 ms to a command's latency now and then (coach run only; tests build
            # many bots in one process).
            gc.freeze()

    # -- deliberate command sync -------------------------------------------------------
    def command_hash(self) -> str:
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands()]
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    def command_hash_file(self) -> Path:
        """Where the hash of the last synced command set is kept (per scope)."""
        scope = self.settings.dev_guild_id or "global"
        return self.settings.data_dir / f"command-hash-{scope}.txt"

    async def sync_commands_if_changed(self, *, force: bool = False) -> bool:
        """Sync app commands only when their definition changed (or when forced)."""
        digest = self.command_hash()
        path = self.command_hash_file()
        if not force and path.is_file() and path.read_text().strip() == digest:
            log.info("app commands unchanged; not syncing")
            return False
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(digest)
        except OSError as exc:
            raise ConfigError(
                f"can't write {path} ({exc.strerror or exc}): set DATA_DIR to a writable directory"
            ) from None
        log.info("synced %d app commands (%s)", len(synced), "dev guild" if guild else "global")
        return True

    async def on_ready(self) -> None:
        """One line when the gateway session is ready (discord.py's own INFO lines are off)."""
        scope = ShardScope.of(self.settings).describe()
        log.info("connected to Discord as %s: %d server(s), %s", self.user, len(self.guilds), scope)

    async def close(self) -> None:
        try:
            await self.services.stop_all()  # in reverse order of start
            self.scheduler = None
            await super().close()
        finally:
            if self.db_ready:
                await close_db()
                self.db_ready = False


class ShardedCoachBot(CoachBot, commands.AutoShardedBot):
    """The bot over ``SHARD_IDS`` of ``SHARD_COUNT`` shards (one process of several).

    Each process schedules only its shards' guilds; the post ledger's unique key keeps posts
    exactly once even if two processes overlap for a while.
    """

    def __init__(self, settings: Settings, curriculum: Curriculum, **kwargs: Any) -> None:
        super().__init__(
            settings,
            curriculum,
            shard_count=settings.shard_count,
            shard_ids=settings.shard_ids,
            **kwargs,
        )


def create_bot(settings: Settings, curriculum: Curriculum, **kwargs: Any) -> CoachBot:
    """A sharded bot when ``SHARD_COUNT`` is set, else the plain one."""
    if settings.shard_count:
        return ShardedCoachBot(settings, curriculum, **kwargs)
    return CoachBot(settings, curriculum, **kwargs)


def use_discord_api(base_url: str) -> None:
    """Send Discord REST calls to ``base_url`` (``DISCORD_API_URL``; a local fake in tests).

    Also quiets discord.py's start-up warning about voice libraries: the bot has no voice.
    """
    discord.http.Route.BASE = base_url.rstrip("/")
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


FIRST_RETRY = 5.0  # seconds before the first reconnect attempt when Discord can't be reached
MAX_RETRY = 300.0
NETWORK_ERRORS = (
    aiohttp.ClientError,
    discord.GatewayNotFound,
    discord.DiscordServerError,
    TimeoutError,
)


def network_reason(exc: BaseException) -> str:
    """A short reason for a failed connection to Discord (no traceback)."""
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return f"can't resolve {exc.host}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, ConnectionRefusedError):
            return f"connection refused by {exc.host}:{exc.port}"
        return f"{exc.host}:{exc.port}: {exc.os_error.strerror or exc.os_error}"
    if isinstance(exc, discord.DiscordServerError):
        return f"Discord answered {exc.status}"
    if isinstance(exc, TimeoutError):
        return "timed out"
    return str(exc) or type(exc).__name__


async def run_bot(
    settings: Settings,
    curriculum: Curriculum,
    *,
    sync_only: bool = False,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> None:
    """Run until stopped; while Discord can't be reached, retry with a growing pause.

    Raises :class:`TokenRejected` for a token Discord refuses (retrying cannot help) and
    :class:`DiscordUnavailable` when ``coach sync`` can't reach Discord (one-shot commands
    don't wait).
    """
    use_discord_api(settings.discord_api_url)
    assert settings.discord_token is not None
    token = settings.discord_token.get_secret_value()
    delay = FIRST_RETRY
    while True:
        bot = create_bot(
            settings,
            curriculum,
            force_sync=sync_only,
            start_scheduler=not sync_only,
            freeze_gc=not sync_only,
        )
        try:
            async with bot:
                if sync_only:
                    await bot.login(token)  # login runs setup_hook, which syncs (forced)
                else:
                    await bot.start(token)
            return
        except discord.LoginFailure:
            raise TokenRejected(
                "Discord rejected the token (401): copy it again from the Developer Portal "
                "(your application → Bot → Reset Token) into DISCORD_TOKEN"
            ) from None
        except NETWORK_ERRORS as exc:
            reason = network_reason(exc)
            if sync_only:
                raise DiscordUnavailable(
                    f"can't reach Discord ({reason}): check the network and try again"
                ) from exc
            log.warning("can't reach Discord (%s); retrying in %.0f s", reason, delay)
            await sleep(delay)
            delay = min(MAX_RETRY, delay * 2)
        except discord.HTTPException as exc:
            raise DiscordUnavailable(
                f"Discord refused the request ({exc.status}: {exc.text or 'no detail'})"
            ) from exc
