"""The bot: ``setup_hook`` = database → migrations → cogs → scheduler → deliberate sync."""

from __future__ import annotations

import hashlib
import json
import logging
import pkgutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import discord
from discord.ext import commands

import cogs
from bot.core.clock import Clock, system_clock
from bot.core.ratelimit import RateLimiter
from bot.db import close_db, init_db
from bot.settings import Settings
from bot.tree import CoachTree
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)


def extension_names() -> list[str]:
    """Every cog module in ``cogs/`` (modules starting with ``_`` are helpers)."""
    return sorted(
        f"cogs.{m.name}" for m in pkgutil.iter_modules(cogs.__path__) if not m.name.startswith("_")
    )


class CoachBot(commands.Bot):
    def __init__(
        self,
        settings: Settings,
        curriculum: Curriculum,
        *,
        clock: Clock = system_clock,
        run_migrations: bool = True,
        start_scheduler: bool = True,
        force_sync: bool = False,
        **client_options: Any,
    ) -> None:
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
        self.scheduler: Any = None  # bot.scheduling.runner.PostScheduler once started

    async def setup_hook(self) -> None:
        await init_db(self.settings.resolved_database_url(), migrate=self.run_migrations)
        self.db_ready = True
        for name in extension_names():
            await self.load_extension(name)
        if self.start_scheduler:
            await self.start_background_work()
        await self.sync_commands_if_changed(force=self.force_sync)

    async def start_background_work(self) -> None:
        """Start the post scheduler (jobs derived from the database, catch-up when ready)."""
        from bot.scheduling.runner import PostScheduler

        self.scheduler = PostScheduler(self)
        await self.scheduler.start()

    # -- deliberate command sync -------------------------------------------------------
    def command_hash(self) -> str:
        payload = [c.to_dict(self.tree) for c in self.tree.get_commands()]
        blob = json.dumps(payload, sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()

    def _hash_file(self) -> Path:
        scope = self.settings.dev_guild_id or "global"
        return self.settings.data_dir / f"command-hash-{scope}.txt"

    async def sync_commands_if_changed(self, *, force: bool = False) -> bool:
        """Sync app commands only when their definition changed (or when forced)."""
        digest = self.command_hash()
        path = self._hash_file()
        if not force and path.is_file() and path.read_text().strip() == digest:
            log.info("app commands unchanged; not syncing")
            return False
        guild = discord.Object(self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        synced = await self.tree.sync(guild=guild)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(digest)
        log.info("synced %d app commands (%s)", len(synced), "dev guild" if guild else "global")
        return True

    async def close(self) -> None:
        try:
            if self.scheduler is not None:
                await self.scheduler.stop()
            from bot.leetcode.service import stop_polling

            await stop_polling(self)  # the poll loop and its HTTP session, if any
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


async def run_bot(settings: Settings, curriculum: Curriculum, *, sync_only: bool = False) -> None:
    bot = create_bot(settings, curriculum, force_sync=sync_only, start_scheduler=not sync_only)
    assert settings.discord_token is not None
    token = settings.discord_token.get_secret_value()
    if sync_only:
        async with bot:
            await bot.login(token)  # login runs setup_hook, which syncs (forced)
        return
    async with bot:
        await bot.start(token)
