"""A real browser (Debian's Chromium, driven by Playwright) opens a seeded cohort's page.

The demo's study group (``bot.demo_data``) on the Wednesday of week 6, served by the real
aiohttp application on loopback: the heatmap has one cell per member and program day so far,
the milestone board has one ✅ per criterion a member meets, nothing is blocked by the
Content-Security-Policy or logged as an error, and the page fits a phone's width. The
screenshot is a test artifact in ``test-artifacts/``; README shows a copy kept in
``docs/screenshots/progress-page.png``.

Chromium comes from the system (``.ci/run`` installs ``chromium`` when it is missing); the
test fails, saying so, when it is not there — it never downloads a browser.
"""

from __future__ import annotations

import shutil
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import async_playwright

from bot.core.calendar import local_to_utc
from bot.core.clock import FixedClock
from bot.demo_data import COHORT_ZONE, START
from bot.demo_writer import GroupWriter
from bot.services.cohorts import cohort_calendar
from bot.web.app import ProgressSite
from bot.web.cohort_view import cohort_page
from bot.web.data import cohort_numbers
from bot.web.links import issue_cohort_link
from curriculum.loader import Curriculum

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A test artifact (ignored by git); README shows a copy kept in docs/screenshots/.
SCREENSHOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "progress-page.png"


def chromium() -> str:
    found = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if found is None:
        pytest.fail(
            "Chromium is not installed: `apt-get install -y chromium` (.ci/run does it) — "
            "this test uses the system browser and never downloads one"
        )
    return found


async def test_a_browser_shows_the_cohorts_season(db: str, curriculum: Curriculum) -> None:
    writer = GroupWriter(curriculum, 2027)
    zone = ZoneInfo(COHORT_ZONE)
    cohort, sims = await writer.create(local_to_utc(START - timedelta(days=7), time(9), zone))
    calendar = await cohort_calendar(cohort, curriculum)
    now = local_to_utc(calendar.date_of(6, "wed"), time(18), zone)
    await writer.write(cohort, sims, now)
    clock = FixedClock(now)
    expected = cohort_page(await cohort_numbers(cohort, curriculum, now), curriculum, now)
    days = (calendar.date_of(6, "wed") - calendar.program_start).days + 1  # no pauses here
    assert expected.board is not None and len(expected.members) == len(sims) == 4
    link = await issue_cohort_link(cohort, 1, now)

    site = ProgressSite(curriculum, clock, rebuild_wait=None)
    server = TestServer(site.app(), host="127.0.0.1")
    await server.start_server()
    problems: list[str] = []
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=chromium(), args=ARGS)
            try:
                page = await browser.new_page(viewport={"width": 1100, "height": 1500})
                page.on(
                    "console",
                    lambda m: problems.append(m.text) if m.type in ("error", "warning") else None,
                )
                page.on("pageerror", lambda e: problems.append(str(e)))
                page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
                response = await page.goto(str(server.make_url(f"/{link.path}")))
                assert response is not None and response.status == 200

                cells = await page.locator("svg.heat g.row rect").count()
                rows = await page.locator("svg.heat g.row").count()
                ticks = await page.locator("table.board td .tick").all_inner_texts()
                css_applied = await page.evaluate(
                    "getComputedStyle(document.querySelector('svg.heat g.row rect')).fill"
                )
                SCREENSHOT.parent.mkdir(exist_ok=True)
                await page.screenshot(path=str(SCREENSHOT))

                phone = await browser.new_page(viewport={"width": 390, "height": 844})
                await phone.goto(str(server.make_url(f"/{link.path}")))
                width: Any = await phone.evaluate("document.documentElement.scrollWidth")
            finally:
                await browser.close()
    finally:
        await server.close()

    assert rows == 4 and cells == 4 * days
    assert ticks.count("✅") == expected.board.ticks > 0
    assert ticks.count("✅") + ticks.count("❌") == 4 * len(expected.board.criteria)
    assert css_applied.startswith("rgb")  # the stylesheet loaded under the CSP
    assert problems == []  # no console errors, no CSP violation, no failed request
    assert width <= 390  # the page fits a phone; wide tables and charts scroll inside it
    assert SCREENSHOT.stat().st_size > 20_000
