"""A tiny Discord REST API on localhost: the token check, the application, its commands.

Enough for ``coach sync`` and ``coach doctor`` run as real processes with
``DISCORD_API_URL`` pointing here (the gateway is never reached). It answers 401 to any token
but :data:`GOOD_TOKEN`, like Discord.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

from aiohttp import web

GOOD_TOKEN = "fake.good.token"
BOT_ID = 900000000000000001
APP_ID = 900000000000000002
OWNER_ID = 900000000000000003


def _json(data: Any, status: int = 200) -> web.Response:
    """JSON with Discord's exact content type (discord.py compares it as a whole string)."""
    body = json.dumps(data).encode()
    return web.Response(body=body, status=status, headers={"Content-Type": "application/json"})


class FakeDiscord:
    def __init__(self) -> None:
        self.commands: dict[str, list[dict[str, Any]]] = {}  # scope ("global"/guild) → commands
        self.requests: list[tuple[str, str]] = []
        self._ids = itertools.count(910000000000000000)
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bot {GOOD_TOKEN}"

    @web.middleware
    async def _auth(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        if not self._authorised(request):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        response: web.StreamResponse = await handler(request)
        return response

    async def me(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(BOT_ID),
                "username": "StudyCoach",
                "discriminator": "0",
                "global_name": None,
                "avatar": None,
                "bot": True,
                "flags": 0,
            }
        )

    async def application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": str(APP_ID),
                "name": "StudyCoach",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": 0,
                "owner": {
                    "id": str(OWNER_ID),
                    "username": "owner",
                    "discriminator": "0",
                    "avatar": None,
                },
            }
        )

    def _scope(self, request: web.Request) -> str:
        return request.match_info.get("guild_id", "global")

    async def get_commands(self, request: web.Request) -> web.Response:
        return _json(self.commands.get(self._scope(request), []))

    async def put_commands(self, request: web.Request) -> web.Response:
        stored = []
        for payload in await request.json():
            command = {
                "type": 1,
                "description": "",
                "options": [],
                "default_member_permissions": None,
                "dm_permission": True,
                "nsfw": False,
                **payload,
                "id": str(next(self._ids)),
                "application_id": str(APP_ID),
                "version": str(next(self._ids)),
            }
            stored.append(command)
        self.commands[self._scope(request)] = stored
        return _json(stored)

    async def start(self) -> None:
        app = web.Application(middlewares=[self._auth])
        base = "/api/v10"
        app.router.add_get(f"{base}/users/@me", self.me)
        app.router.add_get(f"{base}/oauth2/applications/@me", self.application)
        app.router.add_get(f"{base}/applications/{{app_id}}/commands", self.get_commands)
        app.router.add_put(f"{base}/applications/{{app_id}}/commands", self.put_commands)
        guild_commands = f"{base}/applications/{{app_id}}/guilds/{{guild_id}}/commands"
        app.router.add_get(guild_commands, self.get_commands)
        app.router.add_put(guild_commands, self.put_commands)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
