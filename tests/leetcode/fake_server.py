"""A scriptable fake of LeetCode's public GraphQL endpoint, served by a real aiohttp server.

It answers ``POST /graphql/`` by ``operationName`` with responses shaped like the real site's
(leetcode.com and leetcode.cn shapes), records every request, and can be told to misbehave:

    fake.add_user("alice", [FakeSubmission("11", "two-sum", "Two Sum", 1_700_000_000)])
    fake.add_question(FakeQuestion("two-sum", "Two Sum", frontend_id="1", question_id="901"))
    fake.fail_next(429, headers={"Retry-After": "120"})      # next request gets a 429
    fake.respond_next({"data": {...}})                       # next request gets this JSON
    fake.delay_next(1.0)                                     # next request answers late
    fake.stream_next(b"[" * 1024)                            # an endless streamed body
    fake.requests[-1].headers["Referer"]                     # what the client sent
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

MISSING_USER_MESSAGE = "That user does not exist."


@dataclass
class FakeSubmission:
    id: str
    slug: str
    title: str
    timestamp: int  # unix seconds
    lang: str = "python3"
    frontend_id: str = "1"
    translated_title: str = ""


@dataclass
class FakeQuestion:
    slug: str
    title: str
    frontend_id: str  # the number the site shows
    question_id: str  # the internal id, deliberately different in tests
    difficulty: str = "Easy"


@dataclass
class FakeUser:
    submissions: list[FakeSubmission] = field(default_factory=list)
    real_name: str = ""
    about_me: str = ""


@dataclass
class ScriptedResponse:
    status: int = 200
    body: bytes | None = None  # None: answer normally (after ``delay``)
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    stream: bytes | None = None  # streamed over and over (chunked) instead of ``body``
    stream_limit: int | None = None  # bytes to stream; None: until the client hangs up


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any  # None when the body was not JSON


class FakeLeetCode:
    """The fake site. ``await start()`` before use and ``await close()`` after."""

    def __init__(self, *, cn_recent_cap: int = 15) -> None:
        self.users: dict[str, FakeUser] = {}
        self.questions: dict[str, FakeQuestion] = {}
        self.requests: list[RecordedRequest] = []
        self.cn_recent_cap = cn_recent_cap  # leetcode.cn has no limit argument
        self.streamed: list[int] = []  # bytes sent by each stream_next answer
        self._script: deque[ScriptedResponse] = deque()
        self._closing = asyncio.Event()
        app = web.Application()
        app.router.add_post("/graphql/", self._handle)
        self._server = TestServer(app, host="127.0.0.1", port=0)

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        await self._server.start_server()

    async def close(self) -> None:
        self._closing.set()  # releases handlers that are sleeping for delay_next/fail_next
        await self._server.close()

    @property
    def base_url(self) -> str:
        return str(self._server.make_url("/")).rstrip("/")

    # --- scripting ------------------------------------------------------------------------

    def add_user(
        self,
        username: str,
        submissions: list[FakeSubmission] | None = None,
        *,
        real_name: str = "",
        about_me: str = "",
    ) -> FakeUser:
        user = FakeUser(list(submissions or []), real_name, about_me)
        self.users[username] = user
        return user

    def add_question(self, question: FakeQuestion) -> None:
        self.questions[question.slug] = question

    def fail_next(
        self,
        status: int = 500,
        body: str | bytes = "",
        *,
        headers: dict[str, str] | None = None,
        content_type: str = "text/plain",
        delay: float = 0.0,
    ) -> None:
        """Answer the next unscripted request with exactly this (queued, FIFO)."""
        raw = body.encode() if isinstance(body, str) else body
        self._script.append(ScriptedResponse(status, raw, dict(headers or {}), content_type, delay))

    def respond_next(
        self, payload: Any, *, status: int = 200, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next request with this JSON document (e.g. one missing a field)."""
        self.fail_next(
            status, json.dumps(payload), headers=headers, content_type="application/json"
        )

    def delay_next(self, seconds: float) -> None:
        """Answer the next request normally, but only after ``seconds``."""
        self._script.append(ScriptedResponse(delay=seconds))

    def stream_next(
        self,
        chunk: bytes,
        *,
        limit: int | None = None,
        status: int = 200,
        content_type: str = "application/json",
    ) -> None:
        """Answer the next request with ``chunk`` repeated (chunked, no Content-Length) until
        ``limit`` bytes were sent, or without end until the client hangs up (``limit=None``).
        ``streamed`` records how many bytes went out."""
        self._script.append(
            ScriptedResponse(status, None, {}, content_type, stream=chunk, stream_limit=limit)
        )

    @property
    def last_request(self) -> RecordedRequest:
        return self.requests[-1]

    # --- serving --------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            parsed: Any = json.loads(body)
        except ValueError:
            parsed = None
        self.requests.append(
            RecordedRequest(request.method, request.path, dict(request.headers), body, parsed)
        )
        scripted = self._script.popleft() if self._script else None
        if scripted is not None and scripted.delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), scripted.delay)
        if scripted is not None and scripted.stream is not None:
            return await self._stream(request, scripted)
        if scripted is not None and scripted.body is not None:
            return web.Response(
                status=scripted.status,
                body=scripted.body,
                headers=scripted.headers,
                content_type=scripted.content_type,
            )
        status, document = self._answer(parsed)
        return web.json_response(document, status=status)

    async def _stream(self, request: web.Request, scripted: ScriptedResponse) -> web.StreamResponse:
        assert scripted.stream
        response = web.StreamResponse(status=scripted.status)
        response.content_type = scripted.content_type
        response.enable_chunked_encoding()
        await response.prepare(request)
        sent = 0
        try:
            while scripted.stream_limit is None or sent < scripted.stream_limit:
                if self._closing.is_set():
                    break
                await response.write(scripted.stream)
                sent += len(scripted.stream)
            await response.write_eof()
        except (ConnectionError, RuntimeError):  # the client hung up
            pass
        finally:
            self.streamed.append(sent)
        return response

    def _answer(self, payload: Any) -> tuple[int, dict[str, Any]]:
        if not isinstance(payload, dict):
            return 400, _errors("Must provide query string.")
        operation = payload.get("operationName")
        query = payload.get("query")
        variables = payload.get("variables")
        if not isinstance(query, str) or not isinstance(variables, dict):
            return 400, _errors("Must provide query string and variables.")
        if not isinstance(operation, str) or f"query {operation}(" not in query:
            return 400, _errors(f'Unknown operation named "{operation}".')
        handlers = {
            "recentAcSubmissions": self._com_recent,
            "recentACSubmissions": self._cn_recent,
            "questionTitle": self._question,
            "userPublicProfile": self._profile,
        }
        handler = handlers.get(operation)
        if handler is None:
            return 400, _errors(f'Unknown operation named "{operation}".')
        try:
            return 200, handler(query, variables)
        except _MissingVariable as missing:
            return 400, _errors(
                f'Variable "${missing.name}" of required type "String!" was not provided.'
            )

    def _com_recent(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        username = _var(variables, "username")
        limit = _var(variables, "limit")
        user = self.users.get(username)
        if user is None:
            return {
                "errors": [_error(MISSING_USER_MESSAGE, "recentAcSubmissionList")],
                "data": {"recentAcSubmissionList": None},
            }
        rows = [
            {
                "id": s.id,
                "title": s.title,
                "titleSlug": s.slug,
                "timestamp": str(s.timestamp),  # the real site sends a string
                "statusDisplay": "Accepted",
                "lang": s.lang,
                "__typename": "SubmissionDumpNode",
            }
            for s in _newest_first(user.submissions)[: int(limit)]
        ]
        return {"data": {"recentAcSubmissionList": rows}}

    def _cn_recent(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(_var(variables, "userSlug"))
        if user is None:
            return {"data": {"recentACSubmissions": None}}
        rows = [
            {
                "submissionId": int(s.id),  # cn sends a number
                "submitTime": s.timestamp,
                "question": {
                    "title": s.title,
                    "translatedTitle": s.translated_title or s.title,
                    "titleSlug": s.slug,
                    "questionFrontendId": s.frontend_id,
                },
            }
            for s in _newest_first(user.submissions)[: self.cn_recent_cap]
        ]
        return {"data": {"recentACSubmissions": rows}}

    def _question(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        question = self.questions.get(_var(variables, "titleSlug"))
        if question is None:
            return {"data": {"question": None}}
        node = {
            "questionId": question.question_id,
            "questionFrontendId": question.frontend_id,
            "title": question.title,
            "titleSlug": question.slug,
            "difficulty": question.difficulty,
            "isPaidOnly": False,
            "__typename": "QuestionNode",
        }
        return {"data": {"question": node}}

    def _profile(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        if "userProfilePublicProfile" in query:  # leetcode.cn shape
            user = self.users.get(_var(variables, "userSlug"))
            if user is None:
                return {"data": {"userProfilePublicProfile": None}}
            profile = {"realName": user.real_name, "aboutMe": user.about_me}
            return {"data": {"userProfilePublicProfile": {"profile": profile}}}
        username = _var(variables, "username")
        user = self.users.get(username)
        if user is None:
            return {
                "errors": [_error(MISSING_USER_MESSAGE, "matchedUser")],
                "data": {"matchedUser": None},
            }
        profile = {"realName": user.real_name, "aboutMe": user.about_me}
        return {"data": {"matchedUser": {"username": username, "profile": profile}}}


class _MissingVariable(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def _var(variables: dict[str, Any], name: str) -> Any:
    if name not in variables:
        raise _MissingVariable(name)
    return variables[name]


def _newest_first(submissions: list[FakeSubmission]) -> list[FakeSubmission]:
    return sorted(submissions, key=lambda s: s.timestamp, reverse=True)


def _error(message: str, path: str) -> dict[str, Any]:
    return {
        "message": message,
        "locations": [{"line": 2, "column": 3}],
        "path": [path],
        "extensions": {"handled": True},
    }


def _errors(message: str) -> dict[str, Any]:
    return {"errors": [{"message": message, "locations": [{"line": 1, "column": 1}]}]}


T0 = 1_700_000_000  # 2023-11-14T22:13:20Z, a convenient "submitted at"


def make_submissions(n: int, start: int = T0) -> list[FakeSubmission]:
    """``n`` accepted submissions a minute apart: ids 1000…, slugs ``slug-0``…"""
    return [
        FakeSubmission(str(1000 + i), f"slug-{i}", f"Title {i}", start + 60 * i, frontend_id=str(i))
        for i in range(n)
    ]
