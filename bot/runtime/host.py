"""The bot as background work sees it, without importing the bot class.

Services (the post scheduler, the review runner, the LeetCode poller, the metrics server …)
take a :class:`Host`: a ``discord.Client`` that also carries the settings, the curriculum,
the injected clock and the service registry. ``bot.app.CoachBot`` is the one implementation;
this module imports neither it nor any service, so the import graph stays one-way:
``bot.app`` → services → ``bot.runtime.host``.
"""

from __future__ import annotations

import discord

from bot.core.clock import Clock
from bot.runtime.services import ServiceRegistry
from bot.settings import Settings
from curriculum.loader import Curriculum


class Host(discord.Client):
    """A Discord client with StudyCoach's settings, curriculum, clock and services."""

    settings: Settings
    curriculum: Curriculum
    clock: Clock
    services: ServiceRegistry
