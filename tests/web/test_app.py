"""The progress pages over HTTP (aiohttp's test client): every route, tokens (valid, wrong,
replaced, expired), escaping, headers, hidden members, 404s, the rate limit and the cache."""

from __future__ import annotations

import asyncio
import re
import threading
from datetime import date
from typing import Any
from unittest import mock

from aiohttp.test_utils import TestClient, TestServer, make_mocked_request

from bench.queries import count_queries
from bot.core.clock import FixedClock
from bot.models import Cohort, CohortPause, Entry, Member
from bot.web.app import CSP, ProgressSite, client_address
from bot.web.links import (
    issue_cohort_link,
    issue_member_link,
    new_token,
    revoke_cohort_link,
    token_hash,
)
from bot.web.models import WebLink
from curriculum.loader import Curriculum
from tests.web.conftest import HOSTILE, NOW, SECRETS, Group, add_solve, later, seed_group

Client = TestClient[Any, Any]


async def page(client: Client, path: str, status: int = 200) -> str:
    response = await client.get(path)
    assert response.status == status, (path, response.status)
    return await response.text()


async def test_the_cohort_page_shows_the_sharing_members(client: Client, group: Group) -> None:
    link = await issue_cohort_link(group.cohort, 1, NOW)
    html = await page(client, f"/{link.path}")

    assert "<h1>main</h1>" in html and "Week 5 of 16" in html
    for heading in ("Season calendar", "Unique problems against the roadmap", "Pattern coverage"):
        assert heading in html
    assert "Milestone board" in html and "This week's blocks" in html
    assert "Ada" in html
    assert "Quiet Person" not in html  # turned sharing off: not shown at all
    assert "1 member keeps their progress private" in html
    for secret in SECRETS:  # never notes, Oops text, ledger lines or wins
        assert secret not in html
    # one heatmap row per member shown, one cell per program day so far (Mon 4 Jan … Wed 3 Feb)
    assert html.count('<g class="row"') == 2
    cells = re.findall(r'<rect class="c\d" x="\d+" width', html)
    assert len(cells) == 2 * 31


async def test_the_page_is_bounded_and_says_who_is_beyond(
    client: Client, group: Group, monkeypatch: Any
) -> None:
    """Every per-member part of the page has a bound (here 1 instead of 500): the first
    members A–Z are drawn, and the page says how many more there are and where they look."""
    import bot.web.data as web_data

    monkeypatch.setattr(web_data, "MAX_PAGE_MEMBERS", 1)
    link = await issue_cohort_link(group.cohort, 1, NOW)
    html = await page(client, f"/{link.path}")

    assert html.count('<g class="row"') == 1  # "<script>… Bo" sorts before "Ada"
    assert "&lt;b&gt;Bo" in html and "Ada" not in html
    assert "This page draws the first 1 A–Z; 1 more member shares their progress" in html
    assert "1 member keeps their progress private" in html


async def test_hostile_names_are_text(client: Client, group: Group) -> None:
    cohort_link = await issue_cohort_link(group.cohort, 1, NOW)
    own = await issue_member_link(group.bo, group.cohort, NOW)
    for path in (f"/{cohort_link.path}", f"/{own.path}"):
        html = await page(client, path)
        assert "<script" not in html.lower()
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;Bo" in html
        assert "<b>Bo</b>" not in html and HOSTILE not in html


async def test_every_response_carries_the_security_headers(client: Client, group: Group) -> None:
    link = await issue_cohort_link(group.cohort, 1, NOW)
    for path, status in (
        (f"/{link.path}", 200),
        ("/c/" + new_token(), 404),
        ("/nowhere", 404),
        ("/assets/progress.css", 200),
        ("/robots.txt", 200),
    ):
        response = await client.get(path)
        assert response.status == status
        h = response.headers
        assert h["Content-Security-Policy"] == CSP
        assert "script-src" not in CSP and "default-src 'none'" in CSP
        assert "unsafe-inline" not in CSP and "style-src 'self'" in CSP
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["Referrer-Policy"] == "no-referrer"
        assert h["X-Frame-Options"] == "DENY"
        assert "Set-Cookie" not in h and not response.cookies
        assert "Server" not in h
    page_headers = (await client.get(f"/{link.path}")).headers
    assert page_headers["Cache-Control"] == "no-store"
    assert page_headers["Content-Type"] == "text/html; charset=utf-8"


async def test_no_inline_style_or_script_anywhere(client: Client, group: Group) -> None:
    """What the CSP forbids is not needed: the pages work under it."""
    link = await issue_cohort_link(group.cohort, 1, NOW)
    own = await issue_member_link(group.ada, group.cohort, NOW)
    for path in (f"/{link.path}", f"/{own.path}"):
        html = await page(client, path)
        assert "<script" not in html and "style=" not in html and "<style" not in html
        assert 'href="../assets/progress.css"' in html
        assert "http://" not in html.split("<main")[0]  # nothing loaded from another site
    css = await client.get("/assets/progress.css")
    assert css.headers["Content-Type"].startswith("text/css")
    assert ".c7" in await css.text()


async def test_wrong_and_malformed_tokens_are_a_plain_404(client: Client, group: Group) -> None:
    await issue_cohort_link(group.cohort, 1, NOW)
    for path in (
        "/c/" + new_token(),  # well formed, unknown
        "/m/" + new_token(),
        "/c/short",
        "/c/" + "A" * 33,
        "/c/",
        "/",
        "/favicon.ico",
    ):
        assert await page(client, path, 404) == "404: Not Found"
    response = await client.post("/c/" + new_token())
    assert response.status == 405 and await response.text() == "405: Method Not Allowed"


async def test_a_token_only_opens_its_own_kind_of_page(client: Client, group: Group) -> None:
    cohort_link = await issue_cohort_link(group.cohort, 1, NOW)
    own = await issue_member_link(group.ada, group.cohort, NOW)
    await page(client, f"/m/{cohort_link.token}", 404)
    await page(client, f"/c/{own.token}", 404)


async def test_a_new_link_kills_the_old_one(client: Client, group: Group) -> None:
    first = await issue_cohort_link(group.cohort, 1, NOW)
    await page(client, f"/{first.path}")
    second = await issue_cohort_link(group.cohort, 1, NOW)
    assert second.replaced and not first.replaced and second.token != first.token
    await page(client, f"/{first.path}", 404)
    await page(client, f"/{second.path}")
    assert await revoke_cohort_link(group.cohort)
    await page(client, f"/{second.path}", 404)
    assert not await revoke_cohort_link(group.cohort)


async def test_links_are_stored_only_as_hashes(group: Group) -> None:
    link = await issue_cohort_link(group.cohort, 1, NOW)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", link.token)  # 24 random bytes = 192 bits
    rows = await WebLink.all().values()
    assert [r["token_hash"] for r in rows] == [token_hash(link.token)]
    assert all(link.token not in str(v) for r in rows for v in r.values())
    assert len({new_token() for _ in range(200)}) == 200


async def test_a_members_own_page_and_its_expiry(
    client: Client, group: Group, web_clock: FixedClock
) -> None:
    own = await issue_member_link(group.ada, group.cohort, NOW)
    html = await page(client, f"/{own.path}")
    assert "<h1>Ada</h1>" in html
    assert "SECRET-OOPS text" in html and "SECRET-LESSON" in html  # their own page only
    assert "Mock interviews" in html and "Hire" in html
    assert "Quiet Person" not in html and "&lt;script&gt;" not in html  # nobody else
    later(web_clock, days=6, hours=23)
    await page(client, f"/{own.path}")
    later(web_clock, hours=1)  # 7 days after it was made
    assert await page(client, f"/{own.path}", 404) == "404: Not Found"


async def test_a_new_member_link_replaces_the_old_one(client: Client, group: Group) -> None:
    first = await issue_member_link(group.ada, group.cohort, NOW)
    second = await issue_member_link(group.ada, group.cohort, NOW)
    assert second.replaced
    await page(client, f"/{first.path}", 404)
    await page(client, f"/{second.path}")
    other = await issue_member_link(group.bo, group.cohort, NOW)
    await page(client, f"/{second.path}")  # someone else's link changes nothing of Ada's
    await page(client, f"/{other.path}")


async def test_a_member_who_left_loses_their_page(client: Client, group: Group) -> None:
    own = await issue_member_link(group.ada, group.cohort, NOW)
    await page(client, f"/{own.path}")
    group.ada.left_at = NOW
    await group.ada.save()
    await page(client, f"/{own.path}", 404)


async def test_a_quiet_member_still_sees_their_own_page(client: Client, group: Group) -> None:
    own = await issue_member_link(group.quiet, group.cohort, NOW)
    assert "<h1>Quiet Person</h1>" in await page(client, f"/{own.path}")


async def test_a_deleted_cohort_takes_its_links_with_it(client: Client, group: Group) -> None:
    link = await issue_cohort_link(group.cohort, 1, NOW)
    await Cohort.filter(id=group.cohort.id).delete()
    await page(client, f"/{link.path}", 404)
    assert await WebLink.all().count() == 0


async def test_the_rate_limit_is_per_address(
    curriculum: Curriculum, web_clock: FixedClock, group: Group
) -> None:
    site = ProgressSite(curriculum, web_clock, rate_limit=3, rebuild_wait=None)
    link = await issue_cohort_link(group.cohort, 1, NOW)
    async with TestClient(TestServer(site.app())) as client:
        for _ in range(3):
            await page(client, f"/{link.path}")
        refused = await client.get(f"/{link.path}")
        assert refused.status == 429 and refused.headers["Retry-After"] == "60"
        assert refused.headers["Content-Security-Policy"] == CSP
        await page(client, "/c/" + new_token(), 429)  # guessing tokens counts too
        later(web_clock, minutes=1)
        await page(client, f"/{link.path}")


async def test_a_cached_page_costs_one_statement_until_something_changes(
    client: Client, group: Group, site: ProgressSite, curriculum: Curriculum
) -> None:
    link = await issue_cohort_link(group.cohort, 1, NOW)
    first = await page(client, f"/{link.path}")
    with count_queries() as counted:
        again = await page(client, f"/{link.path}")
    assert again == first and counted.total == 1 and site.cache.hits == 1

    # a new solve: rebuilt, Ada's count moves
    before = site.cache.builds
    await add_solve(group.ada, group.cohort, curriculum, 1, date(2027, 2, 3), 5)
    fresh = await page(client, f"/{link.path}")
    assert site.cache.builds == before + 1 and fresh != first

    # a member stops sharing: gone at once
    group.bo.share_progress = False
    await group.bo.save()
    html = await page(client, f"/{link.path}")
    assert "&lt;script&gt;" not in html and "2 members keep their progress private" in html

    # a removed entry, a pause: rebuilt too
    builds = site.cache.builds
    await Entry.filter(member_id=group.ada.id, kind="solve").order_by("-id").limit(1).delete()
    await page(client, f"/{link.path}")
    await CohortPause.create(
        cohort=group.cohort, start_date=date(2027, 3, 1), end_date=date(2027, 3, 7)
    )
    await page(client, f"/{link.path}")
    assert site.cache.builds == builds + 2


async def test_the_same_statements_whatever_the_cohorts_size(
    db: str, curriculum: Curriculum, web_clock: FixedClock
) -> None:
    small = await seed_group(curriculum, guild_id=601)
    large = await seed_group(curriculum, guild_id=701)
    for i in range(12):  # four times the members
        m = await Member.create(
            guild_id=large.cohort.guild_id, user_id=900 + i, cohort=large.cohort
        )  # type: ignore[attr-defined]
        m.display_name = f"extra {i}"
        await m.save()
        await add_solve(m, large.cohort, curriculum, 1, date(2027, 1, 5), 1)
    site = ProgressSite(curriculum, web_clock, rebuild_wait=None)
    counts = []
    async with TestClient(TestServer(site.app())) as client:
        for g in (small, large):
            link = await issue_cohort_link(g.cohort, 1, NOW)
            with count_queries() as counted:
                html = await page(client, f"/{link.path}")
            counts.append(counted.total)
            assert html.count('<g class="row"') == (2 if g is small else 14)
    assert counts[0] == counts[1]


async def test_a_slow_rebuild_serves_the_previous_page_meanwhile(
    curriculum: Curriculum, web_clock: FixedClock, group: Group, monkeypatch: Any
) -> None:
    site = ProgressSite(curriculum, web_clock, rebuild_wait=0.01)
    link = await issue_cohort_link(group.cohort, 1, NOW)
    async with TestClient(TestServer(site.app())) as client:
        first = await page(client, f"/{link.path}")
        release = asyncio.Event()
        build = site.build

        async def slow(*args: Any) -> str | None:
            await release.wait()
            return await build(*args)

        monkeypatch.setattr(site, "build", slow)
        await add_solve(group.ada, group.cohort, curriculum, 1, date(2027, 2, 3), 5)
        assert await page(client, f"/{link.path}") == first  # the previous page, at once
        assert await page(client, f"/{link.path}") == first  # one rebuild, not two
        assert site.cache.served_stale == 2
        release.set()
        await site.settled()
        assert await page(client, f"/{link.path}") != first
        assert site.cache.builds == 2


async def test_the_page_is_built_off_the_event_loop(
    client: Client, group: Group, monkeypatch: Any
) -> None:
    """The view model, the HTML and the compression of a page run in a worker thread: a
    large cohort's build must not stall the bot's event loop (Discord's 3-second answers)."""
    import bot.web.app as web_app

    threads: list[str] = []
    for name in ("cohort_page", "render_cohort", "member_page", "render_member"):
        real = getattr(web_app, name)

        def spy(*args: Any, _real: Any = real, **kw: Any) -> Any:
            threads.append(threading.current_thread().name)
            return _real(*args, **kw)

        monkeypatch.setattr(web_app, name, spy)
    cohort_link = await issue_cohort_link(group.cohort, 1, NOW)
    own = await issue_member_link(group.ada, group.cohort, NOW)

    assert "Milestone board" in await page(client, f"/{cohort_link.path}")
    assert "Ada" in await page(client, f"/{own.path}")

    assert len(threads) == 4
    assert threading.main_thread().name not in threads


async def test_behind_a_local_reverse_proxy_the_limit_is_per_forwarded_client(
    curriculum: Curriculum, web_clock: FixedClock, group: Group
) -> None:
    """The test client connects from 127.0.0.1 like a reverse proxy on the same host: the
    client it forwards is what counts, so one busy client doesn't lock everyone out."""
    site = ProgressSite(curriculum, web_clock, rate_limit=3, rebuild_wait=None)
    link = await issue_cohort_link(group.cohort, 1, NOW)
    one = {"X-Forwarded-For": "198.51.100.7, 203.0.113.5"}  # the proxy appended the last
    other = {"X-Real-IP": "203.0.113.9"}
    async with TestClient(TestServer(site.app())) as client:
        for _ in range(3):
            assert (await client.get(f"/{link.path}", headers=one)).status == 200
        assert (await client.get(f"/{link.path}", headers=one)).status == 429
        spoofed = {"X-Forwarded-For": "203.0.113.5, 198.51.100.7"}  # a new last address
        assert (await client.get(f"/{link.path}", headers=spoofed)).status == 200
        assert (await client.get(f"/{link.path}", headers=other)).status == 200
        assert (await client.get(f"/{link.path}")).status == 200  # the proxy's own


def test_forwarded_addresses_count_only_from_a_local_proxy() -> None:
    def request(peer: str, headers: dict[str, str]) -> Any:
        transport = mock.Mock()
        transport.get_extra_info.side_effect = lambda name, default=None: (
            (peer, 40000) if name == "peername" else default
        )
        return make_mocked_request("GET", "/", headers=headers, transport=transport)

    forwarded = {"X-Forwarded-For": "203.0.113.5", "X-Real-IP": "203.0.113.6"}
    assert client_address(request("198.51.100.1", forwarded)) == "198.51.100.1"
    assert client_address(request("127.0.0.1", forwarded)) == "203.0.113.5"
    assert client_address(request("::1", {"X-Real-IP": "203.0.113.6"})) == "203.0.113.6"
    assert client_address(request("127.0.0.1", {})) == "127.0.0.1"
