"""A small client for LeetCode's public GraphQL endpoint (no login, no cookies).

Every call is one POST to ``{base}/graphql/`` with ``operationName``, ``query`` and
``variables`` (:mod:`bot.leetcode.transport`, which also vets the answer). This module picks
the query shapes for the site and turns the answers into :class:`AcceptedSubmission` and
:class:`QuestionMeta`. Responses are validated strictly; anything unexpected becomes a
:class:`~bot.leetcode.errors.LeetCodeError` subclass (see :mod:`bot.leetcode.errors`), never
a ``KeyError`` or a raw aiohttp exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal, TypeVar, get_args
from urllib.parse import quote, urlsplit

import aiohttp
from pydantic import ValidationError

from bot.leetcode import wire
from bot.leetcode.errors import BadResponse, QuestionNotFound, UserNotFound
from bot.leetcode.transport import error_summary, post_graphql

Site = Literal["leetcode.com", "leetcode.cn"]
Difficulty = Literal["easy", "medium", "hard"]

DEFAULT_BASE_URL: Final = "https://leetcode.com"
CN_BASE_URL: Final = "https://leetcode.cn"
USER_AGENT: Final = "StudyCoach/0.1 (+study-group bot)"

_DIFFICULTIES: Final[dict[str, Difficulty]] = {"easy": "easy", "medium": "medium", "hard": "hard"}
# Substrings of GraphQL error messages that mean "no such user" (lower-cased).
_MISSING_USER_MARKERS: Final = ("does not exist", "not exist", "user not found", "不存在")


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
        return await post_graphql(
            self._session,
            self.endpoint,
            operation,
            query,
            variables,
            headers=self.headers(username),
            time_limit=self.timeout,
        )


def _raise_for_missing_user(envelope: wire.Envelope, username: str) -> None:
    for error in envelope.errors or ():
        message = error.message.lower()
        if any(marker in message for marker in _MISSING_USER_MARKERS):
            raise UserNotFound(username)


def _parse(shape: type[_S], envelope: wire.Envelope) -> _S:
    if envelope.errors:
        raise BadResponse(f"GraphQL errors{error_summary(envelope)}")
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
