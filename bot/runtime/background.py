"""The one place that lists the bot's background services, in start order.

``CoachBot.setup_hook`` registers them and starts them in this order; ``CoachBot.close``
stops them in reverse (metrics first, the scheduler last). Adding one is one line here::

    services.add(SupervisedTask("voice-heartbeat", heartbeat.run))        # a loop, supervised
    services.add(posts.periodic("mock-matching", matcher.run, trigger))  # a scheduled job

None of these modules imports the bot class: they take a ``bot.runtime.host.Host``.
"""

from __future__ import annotations

import logging

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.backup import DailyBackup, sqlite_file
from bot.coaching.roles import RewardRunner
from bot.leetcode.service import LeetCodePoller
from bot.mocks.runner import MockRunner
from bot.runtime.endpoint import MetricsServer
from bot.runtime.host import Host
from bot.scheduling.reviews import ReviewRunner
from bot.scheduling.runner import PostScheduler
from bot.scheduling.watchdog import watchdog_service
from bot.services.privacy import purge_departed
from bot.sessions.focus_runner import FocusRunner
from bot.sessions.tracker import VoiceTracker
from bot.web.app import WebServer

log = logging.getLogger(__name__)

PURGE_AT = CronTrigger(hour=4, minute=30, timezone="UTC")
BACKUP_AT = CronTrigger(hour=3, minute=45, timezone="UTC")


def register_services(host: Host, database_url: str) -> PostScheduler:
    """Register every background service of ``host``; returns the post scheduler."""
    services = host.services
    settings = host.settings
    posts = services.add(PostScheduler(host))
    reviews = ReviewRunner(host)
    services.add(posts.periodic("reviews", reviews.run_due, IntervalTrigger(minutes=1)))
    services.add(LeetCodePoller(host, posts))
    services.add(VoiceTracker(host))  # study-room time: events, reconcile, heartbeat
    services.add(FocusRunner(host, posts))  # focus-timer phases, announced when due
    services.add(posts.periodic("mocks", MockRunner(host).run_due, IntervalTrigger(minutes=1)))
    services.add(posts.periodic("rewards", RewardRunner(host).run_due, IntervalTrigger(minutes=10)))

    async def purge() -> int:
        return await purge_departed(host.clock())

    services.add(posts.periodic("privacy-purge", purge, PURGE_AT))
    if settings.backup_dir is not None:
        source = sqlite_file(database_url)
        if source is None:
            log.warning("BACKUP_DIR backs up SQLite only: back PostgreSQL up with pg_dump")
        else:
            daily = DailyBackup(source, settings.backup_dir, settings.backup_keep, host.clock)
            services.add(posts.periodic("backup", daily.run, BACKUP_AT))
    services.add(watchdog_service(posts))
    if settings.metrics_port is not None:
        services.add(
            MetricsServer(host, posts, port=settings.metrics_port, bind=settings.metrics_host)
        )
    if settings.web_port is not None:  # the progress pages (/coach web, /progress link)
        services.add(WebServer(host, port=settings.web_port, bind=settings.web_host))
    return posts
