"""Background work is a list of services: started in order in ``setup_hook``, stopped in
reverse on close, every one of them (whether it was started or not)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.leetcode.service import get_service
from bot.runtime.services import ServiceRegistry, ServiceStartError
from bot.scheduling.runner import PostScheduler
from bot.settings import Settings
from curriculum.loader import Curriculum


class Recorder:
    def __init__(self, name: str, log: list[str], *, fail_start: bool = False) -> None:
        self.name = name
        self.log = log
        self.fail_start = fail_start

    async def start(self) -> None:
        if self.fail_start:
            raise OSError("port in use")
        self.log.append(f"start {self.name}")

    async def stop(self) -> None:
        self.log.append(f"stop {self.name}")
        if self.name == "clumsy":
            raise RuntimeError("stop failed")


async def test_start_in_order_stop_in_reverse() -> None:
    log: list[str] = []
    services = ServiceRegistry()
    for name in ("a", "b", "c"):
        services.add(Recorder(name, log))
    await services.start_all()
    await services.stop_all()
    assert log == ["start a", "start b", "start c", "stop c", "stop b", "stop a"]
    with pytest.raises(ValueError, match="already registered"):
        services.add(Recorder("b", log))


async def test_a_failed_start_stops_what_was_started(caplog: Any) -> None:
    log: list[str] = []
    services = ServiceRegistry()
    services.add(Recorder("a", log))
    services.add(Recorder("clumsy", log))
    services.add(Recorder("metrics", log, fail_start=True))
    with pytest.raises(ServiceStartError, match="metrics: port in use"):
        await services.start_all()
    # every service is stopped, last first; a failing stop is logged and the rest go on
    assert log == ["start a", "start clumsy", "stop metrics", "stop clumsy", "stop a"]
    assert "service clumsy failed to stop cleanly" in caplog.text
    assert services.started == []


@pytest.fixture
async def simcord_bot(
    tmp_path: Path, db_url: str, curriculum: Curriculum, clock: FixedClock
) -> AsyncIterator[CoachBot]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=db_url,
        backup_dir=tmp_path / "backups",
        metrics_port=0,
    )
    bot = CoachBot(settings, curriculum, clock=clock, start_scheduler=True, run_migrations=False)
    yield bot
    await bot.close()


async def test_the_bot_starts_every_service_and_stops_them_on_close(simcord_env: Any) -> None:
    bot: CoachBot = simcord_env.bot
    names = bot.services.names
    backup = ["backup"] if bot.settings.database_url.startswith("sqlite") else []  # type: ignore[union-attr]
    expected = [
        "scheduler",
        "reviews",
        "leetcode",
        "voice",
        "focus",
        "privacy-purge",
        *backup,
        "watchdog",
        "metrics",
    ]
    assert [n for n in names if n in expected] == expected  # others register theirs in between
    assert names[0] == "scheduler" and names[-1] == "metrics"
    assert bot.services.started == names  # started in setup_hook, in this order
    posts = bot.scheduler
    assert isinstance(posts, PostScheduler) and posts.running
    jobs = {job.id for job in posts.scheduler.get_jobs()}
    assert {"sweep", "reviews", "leetcode", "focus-sweep", "privacy-purge", *backup} <= jobs
    lc = get_service(bot)
    lc.client("leetcode.com")  # opens the HTTP session, as /leetcode commands do
    session = lc._session
    assert session is not None and not session.closed

    await bot.close()

    assert not posts.running and bot.scheduler is None
    assert session.closed and bot.services.started == []
