"""The progress pages inside ``coach run``: off by default, on with WEB_PORT (a service of the
registry, listening while the bot runs), and their settings."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import ValidationError

from bot.app import CoachBot
from bot.core.clock import FixedClock
from bot.failures import ConfigError
from bot.settings import Settings, describe_error
from bot.web.app import WebServer
from bot.web.links import issue_cohort_link
from curriculum.loader import Curriculum
from tests.web.conftest import NOW, seed_group


def _settings(tmp_path: Path, db_url: str, **kw: Any) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=db_url,
        leetcode_polling=False,
        **kw,
    )


@pytest.fixture
async def simcord_bot(
    tmp_path: Path, db_url: str, curriculum: Curriculum, clock: FixedClock
) -> AsyncIterator[CoachBot]:
    clock.set(NOW)
    settings = _settings(tmp_path, db_url, web_port=0, web_base_url="https://c.example.org")
    bot = CoachBot(settings, curriculum, clock=clock, start_scheduler=True, run_migrations=False)
    yield bot
    await bot.close()


async def test_web_port_serves_the_pages_while_the_bot_runs(
    simcord_env: Any, curriculum: Curriculum
) -> None:
    bot: CoachBot = simcord_env.bot
    assert bot.services.names[-1] == "web" and "web" in bot.services.started
    server = bot.services.get("web")
    assert isinstance(server, WebServer) and server.bound_port
    group = await seed_group(curriculum)
    link = await issue_cohort_link(group.cohort, 1, NOW)
    url = f"http://127.0.0.1:{server.bound_port}/{link.path}"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 200 and "<h1>main</h1>" in await response.text()

    await bot.close()

    assert server.bound_port is None
    with pytest.raises(aiohttp.ClientConnectionError):
        async with aiohttp.ClientSession() as session, session.get(url):
            pass


async def test_off_by_default(tmp_path: Path, db: str, curriculum: Curriculum) -> None:
    settings = _settings(tmp_path, db)
    assert settings.web_port is None
    bot = CoachBot(settings, curriculum, start_scheduler=False, run_migrations=False)
    from bot.runtime.background import register_services

    register_services(bot, db)
    assert "web" not in bot.services.names
    await bot.close()


async def test_a_busy_port_is_one_clear_line(
    tmp_path: Path, db: str, curriculum: Curriculum
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = _settings(tmp_path, db, web_port=port)
        bot = CoachBot(settings, curriculum, start_scheduler=False, run_migrations=False)
        server = WebServer(bot, port=port)
        with pytest.raises(ConfigError, match=f"WEB_PORT: can't listen on 127.0.0.1:{port}"):
            await server.start()
        await server.stop()
        await bot.close()


def test_web_settings_are_checked(tmp_path: Path) -> None:
    s = _settings(tmp_path, "sqlite:///x.db", web_port=8080, web_base_url=" https://a.org/coach/ ")
    assert s.web_url("c/abc") == "https://a.org/coach/c/abc"
    assert _settings(tmp_path, "sqlite:///x.db", web_port=8080).web_url("/m/x") == (
        "http://localhost:8080/m/x"
    )
    for bad, field in (
        ({"web_port": 70000}, "WEB_PORT"),
        ({"web_port": 9108, "metrics_port": 9108}, "WEB_PORT: must differ from METRICS_PORT"),
        ({"web_base_url": "ftp://a.org"}, "WEB_BASE_URL: must be an http(s) address"),
        ({"web_base_url": "https://a.org/?x=1"}, "WEB_BASE_URL"),
        ({"web_rate_limit": 0}, "WEB_RATE_LIMIT"),
    ):
        with pytest.raises(ValidationError) as caught:
            _settings(tmp_path, "sqlite:///x.db", **bad)
        assert field in describe_error(caught.value)
