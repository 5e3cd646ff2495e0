"""APScheduler wiring: a thin trigger that calls the pipeline at "now".

Jobs are derived from the database: cron triggers in each cohort's zone for its weekday
blocks, weekend session and recap/finale time (cohorts sharing zone, days and time share one
job), plus an exact one-off trigger for each cohort's next due slot (which covers local times
skipped by a DST change). A sweep every
few minutes catches anything else. Every trigger runs the same idempotent "send what is due"
pass, so a double fire (an autumn 02:30) cannot double-post.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import time as clock_time
from datetime import timedelta

from apscheduler.events import EVENT_JOB_SUBMITTED, JobSubmissionEvent
from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.core.calendar import CohortCalendar
from bot.core.schedule import next_slots
from bot.failures import is_database_error
from bot.metrics import METRICS
from bot.models import Cohort
from bot.runtime.host import Host
from bot.scheduling.pipeline import Outcome, PostPipeline
from bot.scheduling.sender import DiscordSender
from bot.services.cohorts import calendar_for, cohort_calendar, post_times
from bot.shards import ShardScope

log = logging.getLogger(__name__)
Job = Callable[[], Awaitable[object]]
SWEEP_MINUTES = 5
CRON_SLOTS = ("block_a", "block_b", "session", "recap")


GroupKey = tuple[str, str, str]  # (zone, days, "HH:MM")


def cron_keys(cohort: Cohort) -> dict[str, GroupKey]:
    """When each kind of slot fires for a cohort, as (zone, days, local time).

    Cohorts with the same key share one cron job, so a thousand cohorts in a few zones
    need a few dozen jobs, not thousands.
    """
    times = post_times(cohort)
    zone = cohort.timezone

    def at(days: str, t: clock_time) -> GroupKey:
        return (zone, days, f"{t.hour:02d}:{t.minute:02d}")

    return {  # keys: CRON_SLOTS
        "block_a": at("mon-fri", times.block_a),
        "block_b": at("mon-fri", times.block_b),
        "session": at("sat,sun", times.weekend),
        "recap": at(times.recap_weekday, times.recap),
    }


def group_trigger(key: GroupKey) -> CronTrigger:
    """A cron trigger in the group's zone (day names: never numeric weekdays)."""
    zone, days, at = key
    hour, minute = at.split(":")
    return CronTrigger(day_of_week=days, hour=int(hour), minute=int(minute), timezone=zone)


def cron_triggers(cohort: Cohort) -> dict[str, CronTrigger]:
    """The cron triggers of one cohort, in its zone."""
    return {name: group_trigger(key) for name, key in cron_keys(cohort).items()}


def group_job_id(key: GroupKey) -> str:
    return "g:" + "|".join(key)


class PostScheduler:
    """The post scheduler service: one APScheduler, the cohorts' post jobs and periodic jobs.

    Other services put their periodic work here (:meth:`periodic`), so the watchdog sees and
    repairs every job in one place and a restarted APScheduler gets all of them back.
    """

    name = "scheduler"

    def __init__(self, bot: Host) -> None:
        self.bot = bot
        self.scheduler = self._new_scheduler()
        self.pipeline = PostPipeline(
            bot.curriculum,
            DiscordSender(bot),
            grace=timedelta(hours=bot.settings.catchup_grace_hours),
        )
        self._periodic: dict[str, tuple[Job, BaseTrigger]] = {
            "sweep": (self.run_all, IntervalTrigger(minutes=SWEEP_MINUTES)),
        }
        self._locks: dict[int, asyncio.Lock] = {}
        self._groups: dict[GroupKey, set[int]] = {}  # cron group → cohort ids
        self._cohort_keys: dict[int, set[GroupKey]] = {}
        self._catch_up_task: asyncio.Task[list[Outcome]] | None = None

    def _new_scheduler(self) -> AsyncIOScheduler:
        scheduler = AsyncIOScheduler(timezone="UTC")
        scheduler.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        return scheduler

    def _submitted(self, event: JobSubmissionEvent) -> None:
        """How late APScheduler hands a job over (a busy loop or a sleeping host shows here).

        Measured on the wall clock, the one APScheduler itself fires by (not the bot's
        injected clock, which decides what is due).
        """
        if event.scheduled_run_times:
            lag = time.time() - max(t.timestamp() for t in event.scheduled_run_times)
            METRICS.scheduler_lag.observe(max(0.0, lag))

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    async def start(self) -> None:
        self.scheduler.start()
        await self._add_all_jobs()
        # Catch up after downtime once the gateway is ready (sends need the cache).
        self._catch_up_task = asyncio.get_running_loop().create_task(self._catch_up_when_ready())

    def owns(self, guild_id: int) -> bool:
        """Whether this process schedules the guild (its shard is one of ours)."""
        return ShardScope.of(self.bot.settings).owns(guild_id)

    async def _cohorts(self) -> list[Cohort]:
        # A guild the bot left keeps its data for 30 days but gets no posts.
        cohorts = await Cohort.filter(guild__left_at=None).prefetch_related("pauses", "guild")
        scope = ShardScope.of(self.bot.settings)
        return [c for c in cohorts if scope.owns(c.guild.guild_id)]

    # -- periodic jobs of other services ---------------------------------------------------
    def periodic(self, name: str, func: Job, trigger: BaseTrigger) -> PeriodicJob:
        """A service that runs ``func`` on ``trigger`` here (register it with the others)."""
        return PeriodicJob(self, name, func, trigger)

    def add_periodic(self, job_id: str, func: Job, trigger: BaseTrigger) -> None:
        self._periodic[job_id] = (func, trigger)
        if self.running:
            self._add_job(job_id, func, trigger)

    def remove_periodic(self, job_id: str) -> None:
        self._periodic.pop(job_id, None)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def _add_job(self, job_id: str, func: Job, trigger: BaseTrigger) -> None:
        self.scheduler.add_job(
            func, trigger, id=job_id, replace_existing=True, coalesce=True, max_instances=1
        )

    async def _add_all_jobs(self) -> None:
        for cohort in await self._cohorts():
            pauses = [(p.start_date, p.end_date) for p in cohort.pauses]
            self._add_jobs(cohort, calendar_for(cohort, self.bot.curriculum, pauses))
        for job_id, (func, trigger) in self._periodic.items():
            self._add_job(job_id, func, trigger)

    async def missing_jobs(self) -> list[str]:
        """Expected job ids that the scheduler does not have (the watchdog re-adds them)."""
        have = {job.id for job in self.scheduler.get_jobs()}
        want = set(self._periodic)
        for cohort in await self._cohorts():
            want |= {group_job_id(key) for key in cron_keys(cohort).values()}
        return sorted(want - have)

    async def add_missing_jobs(self) -> None:
        await self._add_all_jobs()

    async def restart(self) -> None:
        """A fresh APScheduler with every job (after it stopped for any reason)."""
        with contextlib.suppress(Exception):
            self.scheduler.shutdown(wait=False)
        self.scheduler = self._new_scheduler()
        self.scheduler.start()
        await self._add_all_jobs()

    async def _catch_up_when_ready(self) -> list[Outcome]:
        await self.bot.wait_until_ready()
        return await self.run_all()

    async def stop(self) -> None:
        if self._catch_up_task is not None and not self._catch_up_task.done():
            self._catch_up_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._catch_up_task
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            # AsyncIOScheduler shuts down on the next loop iteration: wait for it, so a second
            # stop (the registry stops every service on close) finds it stopped.
            for _ in range(10):
                if not self.scheduler.running:
                    break
                await asyncio.sleep(0)

    async def rebuild(self, cohort_id: int) -> None:
        """(Re)create a cohort's jobs from its row; removes them if the cohort is gone."""
        for key in self._cohort_keys.pop(cohort_id, set()):
            members = self._groups.get(key, set())
            members.discard(cohort_id)
            if not members:
                self._groups.pop(key, None)
                with contextlib.suppress(JobLookupError):
                    self.scheduler.remove_job(group_job_id(key))
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(f"c{cohort_id}-next")
        cohort = await Cohort.get_or_none(id=cohort_id)
        if cohort is None:
            return
        self._add_jobs(cohort, await cohort_calendar(cohort, self.bot.curriculum))

    def _add_jobs(self, cohort: Cohort, calendar: CohortCalendar) -> None:
        keys = set(cron_keys(cohort).values())
        self._cohort_keys[cohort.id] = keys
        for key in keys:
            self._groups.setdefault(key, set()).add(cohort.id)
            job_id = group_job_id(key)
            if self.scheduler.get_job(job_id) is None:
                self.scheduler.add_job(
                    self.run_group,
                    group_trigger(key),
                    args=[key],
                    id=job_id,
                    replace_existing=True,
                    coalesce=True,
                    max_instances=1,
                    misfire_grace_time=300,
                )
        self._schedule_exact(cohort, calendar)

    async def run_group(self, key: GroupKey) -> list[Outcome]:
        """Every cohort whose slot fires at this zone, days and time, concurrently."""
        ids = sorted(self._groups.get(key, ()))
        results = await asyncio.gather(*(self.run_cohort(i) for i in ids))
        return [o for r in results for o in r]

    def _schedule_exact(self, cohort: Cohort, calendar: CohortCalendar) -> None:
        times = post_times(cohort)
        upcoming = next_slots(calendar, self.bot.curriculum, times, self.bot.clock(), 1)
        if upcoming:
            self.scheduler.add_job(
                self.run_cohort,
                DateTrigger(run_date=upcoming[0].due_at),
                args=[cohort.id],
                id=f"c{cohort.id}-next",
                replace_existing=True,
                misfire_grace_time=300,
            )

    async def run_cohort(self, cohort_id: int) -> list[Outcome]:
        lock = self._locks.setdefault(cohort_id, asyncio.Lock())
        async with lock:
            try:
                cohort = await Cohort.get_or_none(id=cohort_id, guild__left_at=None)
                if cohort is None:
                    return []
                outcomes = await self.pipeline.run_cohort(cohort, self.bot.clock())
            except Exception as exc:
                log.exception("cohort %s: scheduled run failed", cohort_id)
                if is_database_error(exc):
                    METRICS.database_errors.labels("scheduler").inc()
                return []
            for outcome in outcomes:
                METRICS.count_post(outcome.key, outcome.status)
            if self.scheduler.running:
                self._schedule_exact(cohort, await cohort_calendar(cohort, self.bot.curriculum))
            return outcomes

    async def run_all(self) -> list[Outcome]:
        """Run every cohort concurrently: one guild's trouble never delays another."""
        ids = [c.id for c in await self._cohorts()]
        results = await asyncio.gather(*(self.run_cohort(i) for i in ids))
        return [o for r in results for o in r]


class PeriodicJob:
    """A service whose work is one job in the post scheduler (reviews, purge, backup …).

    A failing run is logged (and counted when the database was the trouble); the next run
    goes ahead as usual.
    """

    def __init__(self, posts: PostScheduler, name: str, func: Job, trigger: BaseTrigger) -> None:
        self.posts = posts
        self.name = name
        self.func = func
        self.trigger = trigger

    async def run(self) -> object:
        try:
            return await self.func()
        except Exception as exc:
            log.exception("%s run failed", self.name)
            if is_database_error(exc):
                METRICS.database_errors.labels(self.name).inc()
            return None

    async def start(self) -> None:
        self.posts.add_periodic(self.name, self.run, self.trigger)

    async def stop(self) -> None:
        self.posts.remove_periodic(self.name)
