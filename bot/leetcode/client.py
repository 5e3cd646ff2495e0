"""A small client for LeetCode's public GraphQL endpoint (no login, no cookies).

Every call is one POST to ``{base}/graphql/`` with ``operationName``, ``query`` and
``variables``. Responses are validated strictly; anything unexpected becomes a
:class:`LeetCodeError` subclass, never a ``KeyError`` or a raw aiohttp exception:

* :class:`RateLimited` — HTTP 429 (``retry_after`` from a ``Retry-After: <seconds>`` header).
* :class:`Blocked` — HTTP 403, or a block/challenge page (Cloudflare's ``cf-mitigated:
  challenge`` header, or an HTML page that says it is a challenge): every request pauses.
* :class:`UserNotFound` — the site says the user does not exist (or returns null for them).
* :class:`BadResponse` — one failed request, nothing more: GraphQL ``errors``, a
  missing/mistyped field, 5xx, other non-200, any other non-JSON body (an error page, plain
  text, empty), JSON nested deeper than ``MAX_JSON_DEPTH`` or with a number longer than
  ``MAX_NUMBER_DIGITS``, a body over ``MAX_BODY_BYTES`` (refused while streaming, never read
  whole), timeouts and connection errors. :class:`QuestionNotFound` is a subclass.

Error messages may be shown to members (``/leetcode status``): they name the operation and the
kind of failure, never a host, port or URL.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal, TypeVar, get_args
from urllib.parse import quote, urlsplit

import aiohttp
from pydantic import ValidationError

from bot.leetcode import wire

Site = Literal["leetcode.com", "leetcode.cn"]
Difficulty = Literal["easy", "medium", "hard"]

DEFAULT_BASE_URL: Final = "https://leetcode.com"
CN_BASE_URL: Final = "https://leetcode.cn"
USER_AGENT: Final = "StudyCoach/0.1 (+study-group bot)"

MAX_BODY_BYTES: Final = 2 * 1024 * 1024  # decoded; the real answers are a few kilobytes
MAX_JSON_DEPTH: Final = 32  # the real answers nest 5 levels deep
MAX_NUMBER_DIGITS: Final = 24  # ids and unix times have at most ~20
_CHUNK: Final = 64 * 1024
# What a block or challenge page says (lower-cased), as opposed to any other HTML error page.
_CHALLENGE_MARKERS: Final = (
    "cf-chl",
    "challenge-platform",
    "just a moment",
    "attention required",
    "checking your browser",
    "captcha",
    "access denied",
    "you have been blocked",
)

_DIFFICULTIES: Final[dict[str, Difficulty]] = {"easy": "easy", "medium": "medium", "hard": "hard"}
# Substrings of GraphQL error messages that mean "no such user" (lower-cased).
_MISSING_USER_MARKERS: Final = ("does not exist", "not exist", "user not found", "不存在")


class LeetCodeError(Exception):
    """Base class of every error this client raises."""


class RateLimited(LeetCodeError):
    def __init__(self, retry_after: float | None) -> None:
        self.retry_after = retry_after
        hint = f"; retry after {retry_after:g}s" if retry_after is not None else ""
        super().__init__(f"LeetCode rate limited the request (HTTP 429{hint})")


class Blocked(LeetCodeError):
    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"LeetCode blocked the request: {detail}")


class UserNotFound(LeetCodeError):
    def __init__(self, username: str) -> None:
        self.username = username
        super().__init__(f"LeetCode user {username!r} does not exist")


class BadResponse(LeetCodeError):
    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"unexpected LeetCode response: {detail}")


class QuestionNotFound(BadResponse):
    def __init__(self, slug: str) -> None:
        self.slug = slug
        super().__init__(f"no question with slug {slug!r}")


@dataclass(frozen=True, slots=True)
class AcceptedSubmission:
    submission_id: str
    title: str
    slug: str
    submitted_at: datetime  # aware, UTC
    lang: str | None  # None on leetcode.cn, which does not report it


@dataclass(frozen=True, slots=True)
class QuestionMeta:
    number: int  # the number shown on the site (questionFrontendId), never the internal id
    title: str
    slug: str
    difficulty: Difficulty


_S = TypeVar("_S", bound=wire.Shape)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header; ``None`` if absent or not a number of seconds.

    The HTTP-date form is not interpreted (that would need a clock); callers back off instead.
    """
    if value is None:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


class LeetCodeClient:
    """Public-GraphQL client for one LeetCode site. Holds no state besides its settings."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str = DEFAULT_BASE_URL,
        site: Site | None = None,
        timeout: float = 10,
    ) -> None:
        """``site`` picks the query shapes; if omitted it is inferred from ``base_url``'s host."""
        if site is None:
            host = urlsplit(base_url).hostname or ""
            is_cn = host == "leetcode.cn" or host.endswith(".leetcode.cn")
            site = "leetcode.cn" if is_cn else "leetcode.com"
        if site not in get_args(Site):
            raise ValueError(f"unknown LeetCode site {site!r}")
        if not timeout > 0:
            raise ValueError("timeout must be positive")
        self._session = session
        self.base_url = base_url.rstrip("/")
        self.site: Site = site
        self.timeout = float(timeout)
        self.endpoint = f"{self.base_url}/graphql/"

    # --- public API ----------------------------------------------------------------------

    async def recent_accepted(self, username: str, limit: int = 20) -> list[AcceptedSubmission]:
        """The user's most recent accepted submissions, newest first, at most ``limit``."""
        _require_name(username, "username")
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if self.site == "leetcode.cn":
            cn_env = await self._call(
                "recentACSubmissions", wire.CN_RECENT_AC, {"userSlug": username}, username
            )
            _raise_for_missing_user(cn_env, username)
            cn = _parse(wire.CnRecentData, cn_env).recentACSubmissions
            if cn is None:
                raise UserNotFound(username)
            items = [_from_cn(row) for row in cn]
        else:
            com_env = await self._call(
                "recentAcSubmissions",
                wire.COM_RECENT_AC,
                {"username": username, "limit": limit},
                username,
            )
            _raise_for_missing_user(com_env, username)
            com = _parse(wire.ComRecentData, com_env).recentAcSubmissionList
            if com is None:
                raise UserNotFound(username)
            items = [_from_com(row) for row in com]
        items.sort(key=lambda s: s.submitted_at, reverse=True)
        return items[:limit]

    async def question(self, slug: str) -> QuestionMeta:
        """Number, title and difficulty of the problem with this slug."""
        _require_name(slug, "slug")
        env = await self._call("questionTitle", wire.QUESTION, {"titleSlug": slug}, None)
        node = _parse(wire.QuestionData, env).question
        if node is None:
            raise QuestionNotFound(slug)
        difficulty = _DIFFICULTIES.get(node.difficulty.strip().lower())
        if difficulty is None:
            raise BadResponse(f"question {slug!r} has unknown difficulty {node.difficulty!r}")
        number = str(node.questionFrontendId).strip()
        if not (number.isascii() and number.isdigit()):
            raise BadResponse(f"question {slug!r} has non-numeric frontend id {number!r}")
        return QuestionMeta(
            number=int(number),
            title=node.title,
            slug=node.titleSlug,
            difficulty=difficulty,
        )

    async def profile_text(self, username: str) -> str:
        """``realName + "\\n" + aboutMe`` from the public profile (for code verification)."""
        _require_name(username, "username")
        profile: wire.Profile
        if self.site == "leetcode.cn":
            cn_env = await self._call(
                "userPublicProfile", wire.CN_PROFILE, {"userSlug": username}, username
            )
            _raise_for_missing_user(cn_env, username)
            cn = _parse(wire.CnProfileData, cn_env).userProfilePublicProfile
            if cn is None:
                raise UserNotFound(username)
            profile = cn.profile
        else:
            com_env = await self._call(
                "userPublicProfile", wire.COM_PROFILE, {"username": username}, username
            )
            _raise_for_missing_user(com_env, username)
            com = _parse(wire.ComProfileData, com_env).matchedUser
            if com is None:
                raise UserNotFound(username)
            profile = com.profile
        return f"{profile.realName or ''}\n{profile.aboutMe or ''}"

    # --- transport -----------------------------------------------------------------------

    def headers(self, username: str | None) -> dict[str, str]:
        """The headers sent with every request (Referer is the user's profile page if any)."""
        referer = f"{self.base_url}/u/{quote(username, safe='')}/" if username else ""
        return {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Referer": referer or f"{self.base_url}/",
            "Origin": self.base_url,
            "User-Agent": USER_AGENT,
        }

    async def _call(
        self, operation: str, query: str, variables: dict[str, Any], username: str | None
    ) -> wire.Envelope:
        payload = {"operationName": operation, "query": query, "variables": variables}
        try:
            async with self._session.post(
                self.endpoint,
                data=json.dumps(payload),
                headers=self.headers(username),
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as resp:
                _raise_for_status(operation, resp.status, resp.headers)
                body = await _read_capped(operation, resp)
                return _interpret(operation, resp.status, resp.headers, resp.content_type, body)
        except TimeoutError as exc:  # also covers aiohttp's ServerTimeoutError
            raise BadResponse(f"{operation}: no answer within {self.timeout:g}s") from exc
        except aiohttp.ClientError as exc:
            # The exception's text names the host and port: keep it for the logs only.
            raise BadResponse(f"{operation}: {_transport_failure(exc)}") from exc


def _transport_failure(exc: aiohttp.ClientError) -> str:
    """What went wrong on the way, in words that name no host, port or URL."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        return "could not connect to LeetCode"
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError):
        return "the connection to LeetCode broke off"
    if isinstance(exc, aiohttp.ClientPayloadError):
        return "the answer from LeetCode was cut off or garbled"
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"LeetCode sent an invalid answer (HTTP {exc.status})"
    return f"the request to LeetCode failed ({type(exc).__name__})"


async def _read_capped(operation: str, resp: aiohttp.ClientResponse) -> bytes:
    """The decoded body, refused as soon as it grows past ``MAX_BODY_BYTES``."""
    too_big = BadResponse(f"{operation}: answer larger than {MAX_BODY_BYTES // (1024 * 1024)} MB")
    if resp.content_length is not None and resp.content_length > MAX_BODY_BYTES:
        raise too_big  # the compressed size alone is over the cap
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def _raise_for_status(operation: str, status: int, headers: Mapping[str, str]) -> None:
    """Answers decided by the status line and headers alone (the body is not read)."""
    if status == 429:
        raise RateLimited(parse_retry_after(headers.get("Retry-After")))
    if status == 403:
        raise Blocked(f"{operation}: HTTP 403")
    if headers.get("cf-mitigated", "").lower() == "challenge":
        raise Blocked(f"{operation}: Cloudflare challenge (HTTP {status})")


def _interpret(
    operation: str,
    status: int,
    headers: Mapping[str, str],
    content_type: str,
    body: bytes,
) -> wire.Envelope:
    _raise_for_status(operation, status, headers)
    if "html" in content_type:
        if _is_challenge_page(body):
            raise Blocked(f"{operation}: challenge page instead of JSON (HTTP {status})")
        raise BadResponse(f"{operation}: HTML page instead of JSON (HTTP {status})")
    if status >= 500:
        raise BadResponse(f"{operation}: HTTP {status}")
    raw = _parse_json(operation, status, body)
    try:
        envelope = wire.Envelope.model_validate(raw)
    except ValidationError as exc:
        raise BadResponse(f"{operation}: not a GraphQL response (HTTP {status})") from exc
    if status != 200:
        raise BadResponse(f"{operation}: HTTP {status}{_error_summary(envelope)}")
    return envelope


def _is_challenge_page(body: bytes) -> bool:
    head = body[:_CHUNK].decode("utf-8", "replace").lower()
    return any(marker in head for marker in _CHALLENGE_MARKERS)


class _Refused(ValueError):
    pass


def _number(text: str) -> int | float:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _Refused("a number is too long")
    if not any(c in text for c in ".eE"):
        return int(text)
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("a number is too large")
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not JSON")


def _parse_json(operation: str, status: int, body: bytes) -> Any:
    """Strict JSON: no NaN/Infinity, no overlong numbers, no deep nesting."""
    try:
        raw = json.loads(body, parse_int=_number, parse_float=_number, parse_constant=_constant)
    except _Refused as exc:
        raise BadResponse(f"{operation}: unusable JSON ({exc}) (HTTP {status})") from exc
    except RecursionError as exc:
        raise BadResponse(f"{operation}: JSON nested too deeply (HTTP {status})") from exc
    except ValueError as exc:  # includes UnicodeDecodeError
        raise BadResponse(f"{operation}: body is not JSON (HTTP {status})") from exc
    if _depth(raw) > MAX_JSON_DEPTH:
        raise BadResponse(f"{operation}: JSON nested too deeply (HTTP {status})")
    return raw


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (iterative: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


def _error_summary(envelope: wire.Envelope) -> str:
    if not envelope.errors:
        return ""
    return ": " + "; ".join(e.message for e in envelope.errors)[:300]


def _raise_for_missing_user(envelope: wire.Envelope, username: str) -> None:
    for error in envelope.errors or ():
        message = error.message.lower()
        if any(marker in message for marker in _MISSING_USER_MARKERS):
            raise UserNotFound(username)


def _parse(shape: type[_S], envelope: wire.Envelope) -> _S:
    if envelope.errors:
        raise BadResponse(f"GraphQL errors{_error_summary(envelope)}")
    if envelope.data is None:
        raise BadResponse("response has neither data nor errors")
    try:
        return shape.model_validate(envelope.data)
    except ValidationError as exc:
        problems = ", ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()[:3]
        )
        raise BadResponse(f"malformed data ({problems})") from exc


def _when(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def _from_com(row: wire.ComAccepted) -> AcceptedSubmission:
    return AcceptedSubmission(
        submission_id=str(row.id),
        title=row.title,
        slug=row.titleSlug,
        submitted_at=_when(row.timestamp),
        lang=row.lang or None,
    )


def _from_cn(row: wire.CnAccepted) -> AcceptedSubmission:
    q = row.question
    return AcceptedSubmission(
        submission_id=str(row.submissionId),
        title=q.title or q.translatedTitle or q.titleSlug,
        slug=q.titleSlug,
        submitted_at=_when(row.submitTime),
        lang=None,
    )


def _require_name(value: str, what: str) -> None:
    if not value or not value.strip():
        raise ValueError(f"{what} must not be empty")
