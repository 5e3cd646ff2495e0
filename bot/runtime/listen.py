"""Serving an aiohttp application inside ``coach run`` (the metrics port, the progress pages):
one place that binds it and turns a port that can't be used into one clear settings error,
and that says which port it got (:func:`bound_port`)."""

from __future__ import annotations

import os

from aiohttp import web

from bot.failures import ConfigError


async def serve(app: web.Application, bind: str, port: int, setting: str) -> web.AppRunner:
    """Start serving ``app`` on ``bind:port``; the runner to clean up on stop. A port taken
    or not allowed is a :class:`ConfigError` naming ``setting`` (e.g. ``METRICS_PORT``)."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, bind, port).start()
    except OSError as exc:
        await runner.cleanup()
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise ConfigError(
            f"{setting}: can't listen on {bind}:{port} ({reason}); "
            "choose another port or stop what uses it"
        ) from exc
    return runner


def bound_port(runner: web.AppRunner | None) -> int | None:
    """The port ``runner`` actually listens on (``port=0`` picks a free one, for tests);
    ``None`` when it is not serving."""
    if runner is None:
        return None
    for site in runner.sites:
        server = getattr(site, "_server", None)
        for sock in getattr(server, "sockets", None) or []:
            return int(sock.getsockname()[1])
    return None
