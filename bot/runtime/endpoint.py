"""``/healthz`` and ``/metrics`` on ``METRICS_PORT`` (off unless the port is set).

* ``GET /healthz`` — 200 when the gateway is connected, the scheduler runs and the database
  answers ``SELECT 1`` within 3 s; 503 otherwise. The JSON body says which part is down.
* ``GET /metrics`` — Prometheus text format: :data:`bot.metrics.METRICS` plus gauges read
  from the running bot at scrape time (gateway latency and connection, scheduler, guilds).
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Iterator

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from tortoise.connection import get_connection

from bot.failures import is_database_error
from bot.metrics import METRICS, Metrics
from bot.runtime.host import Host
from bot.runtime.listen import bound_port, serve
from bot.scheduling.runner import PostScheduler

log = logging.getLogger(__name__)
DB_CHECK_TIMEOUT = 3.0


def gateway_connected(host: Host) -> bool:
    """READY, not closed, and a heartbeat measured (``latency`` is infinite before that)."""
    return host.is_ready() and not host.is_closed() and math.isfinite(host.latency)


async def database_answers() -> bool:
    """``SELECT 1`` within :data:`DB_CHECK_TIMEOUT` seconds."""
    try:
        async with asyncio.timeout(DB_CHECK_TIMEOUT):
            await get_connection("default").execute_query("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any failure means "not answering"
        log.warning("health check: the database did not answer (%s)", exc)
        if is_database_error(exc):
            METRICS.database_errors.labels("healthz").inc()
        return False
    return True


class HostCollector(Collector):
    """Gauges read from the running bot at each scrape."""

    def __init__(self, host: Host, posts: PostScheduler | None) -> None:
        self.host = host
        self.posts = posts

    def collect(self) -> Iterator[Metric]:
        latency = self.host.latency
        yield GaugeMetricFamily(
            "coach_gateway_latency_seconds",
            "Gateway heartbeat latency (NaN before the first heartbeat)",
            value=latency if math.isfinite(latency) else math.nan,
        )
        yield GaugeMetricFamily(
            "coach_gateway_connected",
            "1 when the gateway session is READY",
            value=1.0 if gateway_connected(self.host) else 0.0,
        )
        yield GaugeMetricFamily(
            "coach_scheduler_running",
            "1 when the post scheduler runs",
            value=1.0 if self.posts is not None and self.posts.running else 0.0,
        )
        yield GaugeMetricFamily(
            "coach_guilds", "Guilds this process sees", value=float(len(self.host.guilds))
        )


class MetricsServer:
    """The HTTP endpoint as a service of the registry."""

    name = "metrics"

    def __init__(
        self,
        host: Host,
        posts: PostScheduler | None,
        *,
        port: int,
        bind: str = "127.0.0.1",
        metrics: Metrics = METRICS,
    ) -> None:
        self.host = host
        self.posts = posts
        self.port = port
        self.bind = bind
        self.metrics = metrics
        self.collector = HostCollector(host, posts)
        self._runner: web.AppRunner | None = None
        self._registered = False

    @property
    def bound_port(self) -> int | None:
        """The port actually listened on (``port=0`` picks a free one, for tests)."""
        return bound_port(self._runner)

    async def healthz(self, request: web.Request) -> web.Response:
        parts = {
            "gateway": gateway_connected(self.host),
            "scheduler": self.posts is not None and self.posts.running,
            "database": await database_answers(),
        }
        healthy = all(parts.values())
        return web.json_response(
            {"status": "ok" if healthy else "unhealthy", **parts}, status=200 if healthy else 503
        )

    async def scrape(self, request: web.Request) -> web.Response:
        body = generate_latest(self.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self) -> None:
        if not self._registered:
            self.metrics.registry.register(self.collector)
            self._registered = True
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.scrape)
        self._runner = await serve(app, self.bind, self.port, "METRICS_PORT")
        log.info("health and metrics on http://%s:%s/healthz, /metrics", self.bind, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._registered:
            self.metrics.registry.unregister(self.collector)
            self._registered = False
