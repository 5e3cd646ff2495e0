"""Every error the LeetCode client raises: a :class:`LeetCodeError` subclass, never a
``KeyError`` or a raw aiohttp exception.

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
