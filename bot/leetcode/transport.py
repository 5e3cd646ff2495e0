"""One POST to LeetCode's GraphQL endpoint, and the vetting of its answer.

The answer is judged by its status line and headers first (429, 403, a Cloudflare
challenge), then read with a size cap (``MAX_BODY_BYTES``, refused while streaming), then
parsed as strict JSON (no NaN/Infinity, numbers of at most ``MAX_NUMBER_DIGITS`` digits,
nesting of at most ``MAX_JSON_DEPTH``) into a GraphQL :class:`~bot.leetcode.wire.Envelope`.
Every failure on the way is a :mod:`bot.leetcode.errors` error whose message names no host,
port or URL.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any, Final

import aiohttp
from pydantic import ValidationError

from bot.leetcode import wire
from bot.leetcode.errors import BadResponse, Blocked, RateLimited

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


async def post_graphql(
    session: aiohttp.ClientSession,
    endpoint: str,
    operation: str,
    query: str,
    variables: dict[str, Any],
    *,
    headers: dict[str, str],
    time_limit: float,
) -> wire.Envelope:
    """POST one GraphQL operation (answer within ``time_limit`` seconds); its vetted answer,
    or a :mod:`bot.leetcode.errors` error."""
    payload = {"operationName": operation, "query": query, "variables": variables}
    try:
        async with session.post(
            endpoint,
            data=json.dumps(payload),
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=time_limit),
        ) as resp:
            _raise_for_status(operation, resp.status, resp.headers)
            body = await _read_capped(operation, resp)
            return _interpret(operation, resp.status, resp.content_type, body)
    except TimeoutError as exc:  # also covers aiohttp's ServerTimeoutError
        raise BadResponse(f"{operation}: no answer within {time_limit:g}s") from exc
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


def _interpret(operation: str, status: int, content_type: str, body: bytes) -> wire.Envelope:
    """The body of an answer :func:`_raise_for_status` let through."""
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
        raise BadResponse(f"{operation}: HTTP {status}{error_summary(envelope)}")
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


def error_summary(envelope: wire.Envelope) -> str:
    """``": "`` and the GraphQL error messages (cut at 300 characters), or ``""``."""
    if not envelope.errors:
        return ""
    return ": " + "; ".join(e.message for e in envelope.errors)[:300]
