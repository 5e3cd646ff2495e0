"""What the ``coach`` commands share: settings (and logging), the shipped curriculum, and an
event loop that ends on SIGTERM like on Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import Any, TypeVar

from pydantic import ValidationError

from bot.core.text import plural
from bot.failures import ConfigError, Failure
from bot.logs import configure_logging
from bot.settings import Settings, describe_error
from curriculum.issues import CurriculumError
from curriculum.loader import Curriculum, load_curriculum

T = TypeVar("T")


def load_settings(*, require_token: bool = False) -> Settings:
    """The settings, or :class:`ConfigError` naming what to set."""
    try:
        settings = Settings()
    except ValidationError as exc:
        raise ConfigError(describe_error(exc)) from None
    if require_token and (
        settings.discord_token is None or not settings.discord_token.get_secret_value()
    ):
        raise ConfigError(
            "DISCORD_TOKEN is not set: put your bot token in the environment or in .env "
            "(DISCORD_TOKEN=...)."
        )
    configure_logging(settings.log_level, settings.log_format)
    return settings


def run(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` that ends on SIGTERM like on Ctrl-C (the bot closes cleanly)."""

    async def main() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        assert task is not None
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGTERM, task.cancel)
        try:
            return await coro
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGTERM)

    return asyncio.run(main())


def shipped_curriculum() -> Curriculum:
    """The shipped curriculum, or a :class:`Failure` that points at ``coach curriculum check``."""
    try:
        return load_curriculum()
    except CurriculumError as exc:
        first = exc.issues[0] if exc.issues else exc
        raise Failure(
            f"the curriculum data is invalid ({plural(len(exc.issues), 'error')}, first: {first}); "
            "run `coach curriculum check` for all of them"
        ) from None
