"""The progress pages over HTTP (aiohttp), as a background service of ``coach run``.

Routes (everything else is a plain 404):

* ``GET /c/{token}`` — a cohort's page (``/coach web``);
* ``GET /m/{token}`` — a member's own page (``/progress link``, expires);
* ``GET /assets/progress.css``, ``/assets/icon.svg`` — the stylesheet and the icon;
  ``GET /robots.txt`` — "index nothing".

A wrong, replaced or expired token is the same plain 404 as a path that never existed.
Every response carries a strict Content-Security-Policy (no scripts at all, styles only from
this server), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer`` and
``X-Frame-Options: DENY``; pages are ``Cache-Control: no-store``; no cookie is ever set.
Each client address may make ``WEB_RATE_LIMIT`` requests a minute (then 429); behind a
reverse proxy on the same host, the address it forwards (:func:`client_address`).

Pages are cached per link target (:class:`PageCache`): a request costs one statement
(:func:`bot.web.links.resolve`, the link and a fingerprint of what its page shows) while
nothing changed; a new entry, block, member, pause or settings change rebuilds the page.
"""

from __future__ import annotations

import asyncio
import gzip
import ipaddress
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.core.calendar import local_date
from bot.core.clock import Clock
from bot.core.ratelimit import RateLimiter
from bot.models import Cohort, Member
from bot.runtime.host import Host
from bot.runtime.listen import bound_port, serve
from bot.web.cohort_view import CohortNumbers, cohort_page
from bot.web.data import cohort_numbers, member_numbers
from bot.web.links import Resolved, resolve
from bot.web.member_view import MemberNumbers, member_page
from bot.web.models import LinkKind
from bot.web.render import CSS_NAME, icon, render_cohort, render_member, stylesheet
from curriculum.loader import Curriculum

log = logging.getLogger(__name__)

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
}
CSS_HREF = f"../assets/{CSS_NAME}"  # relative: works behind a proxy that adds a path prefix
REBUILD_WAIT = 0.2  # seconds a request waits for a rebuilt page before the previous one
PAGE_TTL = timedelta(minutes=10)  # rebuilt at least this often (e.g. an edited entry's minutes)
CACHED_PAGES = 64
HTML = "text/html; charset=utf-8"
ROBOTS = "User-agent: *\nDisallow: /\n"


@dataclass(frozen=True)
class CachedPage:
    fingerprint: tuple[str, ...]
    day: date  # the cohort's local date it was built on (the page shows "today")
    built: datetime
    body: bytes  # gzip-compressed HTML


class PageCache:
    """Built pages by (kind, id): valid while the fingerprint, the local day and the TTL hold."""

    def __init__(self, size: int = CACHED_PAGES, ttl: timedelta = PAGE_TTL) -> None:
        self.size = size
        self.ttl = ttl
        self._pages: OrderedDict[tuple[str, int], CachedPage] = OrderedDict()
        self.hits = 0
        self.builds = 0
        self.served_stale = 0

    def get(
        self, key: tuple[str, int], fingerprint: tuple[str, ...], now: datetime, day: date
    ) -> bytes | None:
        page = self._pages.get(key)
        if (
            page is None
            or page.fingerprint != fingerprint
            or page.day != day
            or not page.built <= now < page.built + self.ttl
        ):
            return None
        self._pages.move_to_end(key)
        self.hits += 1
        return page.body

    def stale(self, key: tuple[str, int], day: date) -> bytes | None:
        """The last page built for ``key`` today, however old (while a new one is built)."""
        page = self._pages.get(key)
        return page.body if page is not None and page.day == day else None

    def put(self, key: tuple[str, int], page: CachedPage) -> None:
        self.builds += 1
        self._pages[key] = page
        self._pages.move_to_end(key)
        while len(self._pages) > self.size:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ProgressSite:
    """The aiohttp application: routes, headers, rate limit and the page cache."""

    def __init__(
        self,
        curriculum: Curriculum,
        clock: Clock,
        *,
        rate_limit: int = 60,
        rebuild_wait: float | None = REBUILD_WAIT,
    ) -> None:
        self.curriculum = curriculum
        self.clock = clock
        self.limiter = RateLimiter(rate_limit, timedelta(minutes=1), clock)
        self.cache = PageCache()
        self.rebuild_wait = rebuild_wait
        self._building: dict[tuple[str, int], asyncio.Task[bytes | None]] = {}

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard])
        app.router.add_get("/c/{token}", self.cohort)
        app.router.add_get("/m/{token}", self.member)
        app.router.add_get(f"/assets/{CSS_NAME}", self.css)
        app.router.add_get("/assets/icon.svg", self.icon)
        app.router.add_get("/robots.txt", self.robots)
        app.on_response_prepare.append(_secure)
        return app

    # -- middleware ------------------------------------------------------------------------
    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        wait = self.limiter.hit(client_address(request))
        if wait is not None:
            return web.Response(
                status=429,
                text="429: Too Many Requests — try again in a minute.",
                headers={"Retry-After": str(max(1, round(wait)))},
            )
        try:
            return await handler(request)
        except web.HTTPException as exc:  # 404, 405 …: one plain line, no details
            if exc.status >= 400:
                return web.Response(status=exc.status, text=f"{exc.status}: {exc.reason}")
            raise
        except Exception:
            log.exception("progress page %s failed", request.path)
            return web.Response(status=500, text="500: Something went wrong — try again later.")

    # -- routes ----------------------------------------------------------------------------
    async def cohort(self, request: web.Request) -> web.StreamResponse:
        return await self._page(request, LinkKind.COHORT)

    async def member(self, request: web.Request) -> web.StreamResponse:
        return await self._page(request, LinkKind.MEMBER)

    async def css(self, request: web.Request) -> web.Response:
        return web.Response(
            text=stylesheet(),
            content_type="text/css",
            headers={"Cache-Control": "public, max-age=3600"},
        )

    async def icon(self, request: web.Request) -> web.Response:
        return web.Response(
            text=icon(),
            content_type="image/svg+xml",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    async def robots(self, request: web.Request) -> web.Response:
        return web.Response(text=ROBOTS, content_type="text/plain")

    async def _page(self, request: web.Request, kind: LinkKind) -> web.StreamResponse:
        now = self.clock()
        link = await resolve(kind, request.match_info["token"], now)
        if link is None:
            raise web.HTTPNotFound()
        body = await self.page_body(link, now)
        if body is None:
            raise web.HTTPNotFound()
        headers = {"Cache-Control": "no-store", "Vary": "Accept-Encoding"}
        if "gzip" in request.headers.get("Accept-Encoding", ""):
            headers["Content-Encoding"] = "gzip"
        else:
            body = gzip.decompress(body)
        return web.Response(body=body, headers={**headers, "Content-Type": HTML})

    async def page_body(self, link: Resolved, now: datetime) -> bytes | None:
        """The page of ``link``, gzip-compressed: from the cache while it is current.

        When it is not (a new entry …), the page is rebuilt once however many requests
        ask; a request waits for the new page up to ``rebuild_wait`` seconds and otherwise
        gets the previous one of the same day (the next request gets the new one).
        """
        day = local_date(now, ZoneInfo(link.timezone))
        key = (link.kind.value, link.member_id if link.member_id is not None else link.cohort_id)
        cached = self.cache.get(key, link.fingerprint, now, day)
        if cached is not None:
            return cached
        task = self._building.get(key)
        if task is None or task.done():
            task = asyncio.create_task(self._rebuild(key, link, now, day))
            self._building[key] = task
        stale = self.cache.stale(key, day)
        if stale is None or self.rebuild_wait is None:
            return await asyncio.shield(task)
        try:
            return await asyncio.wait_for(asyncio.shield(task), self.rebuild_wait)
        except TimeoutError:
            self.cache.served_stale += 1
            return stale

    async def settled(self) -> None:
        """Wait for the rebuilds under way (tests, the benchmark, shutdown)."""
        await asyncio.gather(*list(self._building.values()), return_exceptions=True)

    async def _rebuild(
        self, key: tuple[str, int], link: Resolved, now: datetime, day: date
    ) -> bytes | None:
        try:
            cohort = await Cohort.get_or_none(id=link.cohort_id)
            html = None if cohort is None else await self.build(link, cohort, now)
        except Exception:
            log.exception("building the progress page %s failed", key)
            raise
        finally:
            self._building.pop(key, None)
        if html is None:
            return None
        body = await asyncio.to_thread(gzip.compress, html.encode("utf-8"), compresslevel=6)
        self.cache.put(key, CachedPage(link.fingerprint, day, now, body))
        return body

    async def build(self, link: Resolved, cohort: Cohort, now: datetime) -> str | None:
        """The page's HTML: the numbers from the database, then the view model and the HTML
        in a worker thread (pure work of up to a second for a large cohort, which must not
        hold up the bot's event loop — nor the requests waiting for a rebuilt page)."""
        if link.kind is LinkKind.COHORT:
            numbers = await cohort_numbers(cohort, self.curriculum, now)
            return await asyncio.to_thread(self._cohort_html, numbers, now)
        member = await Member.get_or_none(id=link.member_id, cohort_id=cohort.id, left_at=None)
        if member is None:
            return None
        numbers_m = await member_numbers(member, cohort, self.curriculum, now)
        return await asyncio.to_thread(self._member_html, numbers_m, now)

    def _cohort_html(self, numbers: CohortNumbers, now: datetime) -> str:
        return render_cohort(cohort_page(numbers, self.curriculum, now), css_href=CSS_HREF)

    def _member_html(self, numbers: MemberNumbers, now: datetime) -> str:
        return render_member(member_page(numbers, self.curriculum, now), css_href=CSS_HREF)


def client_address(request: web.Request) -> str:
    """Who a request comes from, for the rate limit. Behind a reverse proxy on the same host
    (the README's setup: the peer is a loopback address) every request would share the
    proxy's address, so one busy minute would lock everyone out; the client is then the
    address the proxy put last in ``X-Forwarded-For`` (or its ``X-Real-IP``). From any other
    peer those headers are ignored: they are the client's own word."""
    remote = request.remote or "?"
    try:
        local = ipaddress.ip_address(remote).is_loopback
    except ValueError:
        local = False
    if not local:
        return remote
    forwarded = request.headers.get("X-Forwarded-For", "").rsplit(",", 1)[-1].strip()
    client = forwarded or request.headers.get("X-Real-IP", "").strip()
    return client[:64] if client else remote


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.pop("Server", None)
    response.headers.pop("Set-Cookie", None)


class WebServer:
    """The progress pages as a service of the registry (``WEB_PORT``)."""

    name = "web"

    def __init__(self, host: Host, *, port: int, bind: str = "127.0.0.1") -> None:
        self.site = ProgressSite(
            host.curriculum, host.clock, rate_limit=host.settings.web_rate_limit
        )
        self.port = port
        self.bind = bind
        self._runner: web.AppRunner | None = None

    @property
    def bound_port(self) -> int | None:
        """The port actually listened on (``port=0`` picks a free one, for tests)."""
        return bound_port(self._runner)

    async def start(self) -> None:
        self._runner = await serve(self.site.app(), self.bind, self.port, "WEB_PORT")
        log.info("progress pages on http://%s:%s/", self.bind, self.bound_port or self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
