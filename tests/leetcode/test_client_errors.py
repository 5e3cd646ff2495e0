"""LeetCodeClient failure handling: every way the site can misbehave maps to one error type."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest

from bot.leetcode.client import LeetCodeClient
from bot.leetcode.errors import (
    BadResponse,
    Blocked,
    LeetCodeError,
    QuestionNotFound,
    RateLimited,
    UserNotFound,
)
from bot.leetcode.transport import parse_retry_after
from tests.leetcode.fake_server import FakeLeetCode, FakeQuestion, make_submissions

CLOUDFLARE_HTML = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    "<body>Checking your browser before accessing leetcode.com.</body></html>"
)


async def test_unknown_user_com(fake_leetcode: FakeLeetCode, com_client: LeetCodeClient) -> None:
    with pytest.raises(UserNotFound) as info:
        await com_client.recent_accepted("ghost")
    assert info.value.username == "ghost"
    with pytest.raises(UserNotFound):
        await com_client.profile_text("ghost")


async def test_unknown_user_cn(fake_leetcode: FakeLeetCode, cn_client: LeetCodeClient) -> None:
    with pytest.raises(UserNotFound):
        await cn_client.recent_accepted("ghost")
    with pytest.raises(UserNotFound):
        await cn_client.profile_text("ghost")


async def test_null_list_without_errors_is_unknown_user(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.respond_next({"data": {"recentAcSubmissionList": None}})
    with pytest.raises(UserNotFound):
        await com_client.recent_accepted("ghost")


async def test_graphql_errors_are_bad_response(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.respond_next(
        {
            "errors": [{"message": "Cannot query field 'lang' on type 'SubmissionDumpNode'."}],
            "data": None,
        }
    )
    with pytest.raises(BadResponse, match="Cannot query field") as info:
        await com_client.recent_accepted("alice")
    assert not isinstance(info.value, UserNotFound)


async def test_http_400_with_errors_is_bad_response(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.respond_next({"errors": [{"message": "Syntax Error"}]}, status=400)
    with pytest.raises(BadResponse, match="HTTP 400: Syntax Error"):
        await com_client.recent_accepted("alice")


async def test_cloudflare_403_html_is_blocked(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.fail_next(403, CLOUDFLARE_HTML, content_type="text/html")
    with pytest.raises(Blocked):
        await com_client.recent_accepted("alice")


async def test_cloudflare_challenge_header_is_blocked(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.fail_next(
        503, CLOUDFLARE_HTML, content_type="text/html", headers={"cf-mitigated": "challenge"}
    )
    with pytest.raises(Blocked, match="Cloudflare"):
        await com_client.question("two-sum")


@pytest.mark.parametrize("status", [200, 503])
async def test_a_challenge_page_is_blocked(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient, status: int
) -> None:
    fake_leetcode.fail_next(status, CLOUDFLARE_HTML, content_type="text/html")
    with pytest.raises(Blocked, match="challenge page"):
        await com_client.recent_accepted("alice")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"data": {}}', "text/html"),  # HTML content type wins even over a JSON-ish body
        ("<html><body><h1>We'll be right back</h1></body></html>", "text/html"),
        ("Service temporarily unavailable", "text/plain"),
        ("", "application/json"),
        ('{"data": {"recentAcSubmissionList": [', "application/json"),  # cut off
        (b"\xff\xfe\x00garbage", "application/json"),
        ('{"data": NaN}', "application/json"),
    ],
    ids=["json-as-html", "error-page", "plain-text", "empty", "truncated", "bytes", "nan"],
)
async def test_any_other_non_json_is_one_failed_request(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient, body: str | bytes, content_type: str
) -> None:
    fake_leetcode.fail_next(200, body, content_type=content_type)
    with pytest.raises(BadResponse) as info:
        await com_client.recent_accepted("alice")
    assert not isinstance(info.value, Blocked)


@pytest.mark.parametrize(("header", "expected"), [({"Retry-After": "120"}, 120.0), ({}, None)])
async def test_429_is_rate_limited(
    fake_leetcode: FakeLeetCode,
    com_client: LeetCodeClient,
    header: dict[str, str],
    expected: float | None,
) -> None:
    fake_leetcode.fail_next(429, "Too Many Requests", headers=header)
    with pytest.raises(RateLimited) as info:
        await com_client.recent_accepted("alice")
    assert info.value.retry_after == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30", 30.0),
        (" 1.5 ", 1.5),
        ("Wed, 21 Oct 2015 07:28:00 GMT", None),
        ("-1", None),
        ("nan", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value) == expected


@pytest.mark.parametrize("status", [500, 502])
async def test_5xx_is_bad_response(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient, status: int
) -> None:
    fake_leetcode.fail_next(status, "Internal Server Error")
    with pytest.raises(BadResponse, match=f"HTTP {status}"):
        await com_client.recent_accepted("alice")


GOOD_ROW = {
    "id": "1",
    "title": "Two Sum",
    "titleSlug": "two-sum",
    "timestamp": "1700000000",
    "lang": "python3",
}
NO_SLUG_ROW = {k: v for k, v in GOOD_ROW.items() if k != "titleSlug"}


@pytest.mark.parametrize(
    "document",
    [
        {"data": {"recentAcSubmissionList": [NO_SLUG_ROW]}},
        {"data": {"recentAcSubmissionList": [{**GOOD_ROW, "timestamp": "yesterday"}]}},
        {"data": {"recentAcSubmissionList": [{**GOOD_ROW, "id": None}]}},
        {"data": {"recentAcSubmissionList": [{**GOOD_ROW, "timestamp": 10**15}]}},
        {"data": {"recentAcSubmissionList": "nope"}},
        {"data": {}},
        {"data": None},
        {},
        ["not", "an", "object"],
    ],
    ids=[
        "no-slug",
        "bad-timestamp",
        "null-id",
        "huge-timestamp",
        "not-a-list",
        "no-field",
        "null-data",
        "empty",
        "array",
    ],
)
async def test_missing_or_mistyped_fields_are_bad_response(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient, document: Any
) -> None:
    fake_leetcode.respond_next(document)
    with pytest.raises(BadResponse):
        await com_client.recent_accepted("alice")


async def test_missing_field_in_question_is_bad_response(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.respond_next(
        {
            "data": {
                "question": {
                    "questionId": "901",
                    "title": "Two Sum",
                    "titleSlug": "two-sum",
                    "difficulty": "Easy",
                }
            }
        }
    )
    with pytest.raises(BadResponse, match="questionFrontendId"):
        await com_client.question("two-sum")


@pytest.mark.parametrize(
    ("frontend_id", "difficulty", "match"),
    [("LCP 01", "Easy", "non-numeric"), ("1", "Impossible", "difficulty")],
)
async def test_question_oddities_are_bad_response(
    fake_leetcode: FakeLeetCode,
    com_client: LeetCodeClient,
    frontend_id: str,
    difficulty: str,
    match: str,
) -> None:
    fake_leetcode.add_question(FakeQuestion("q", "Q", frontend_id, "9", difficulty))
    with pytest.raises(BadResponse, match=match):
        await com_client.question("q")


async def test_unknown_question(fake_leetcode: FakeLeetCode, com_client: LeetCodeClient) -> None:
    with pytest.raises(QuestionNotFound) as info:
        await com_client.question("no-such-problem")
    assert isinstance(info.value, BadResponse)
    assert info.value.slug == "no-such-problem"


async def test_timeout_is_bad_response(
    fake_leetcode: FakeLeetCode, http_session: aiohttp.ClientSession
) -> None:
    fake_leetcode.add_user("alice", make_submissions(1))
    client = LeetCodeClient(http_session, fake_leetcode.base_url, "leetcode.com", timeout=0.1)
    fake_leetcode.delay_next(2.0)

    with pytest.raises(BadResponse, match=re.escape("no answer within 0.1s")) as info:
        await client.recent_accepted("alice")

    assert isinstance(info.value.__cause__, TimeoutError)
    assert len(await client.recent_accepted("alice")) == 1  # the next request is fine


async def test_connection_refused_is_bad_response(http_session: aiohttp.ClientSession) -> None:
    gone = FakeLeetCode()
    await gone.start()
    base = gone.base_url
    await gone.close()
    client = LeetCodeClient(http_session, base, "leetcode.com", timeout=2)

    with pytest.raises(BadResponse) as info:
        await client.recent_accepted("alice")
    assert isinstance(info.value.__cause__, aiohttp.ClientError)
    port = str(urlsplit(base).port)
    assert "could not connect to LeetCode" in str(info.value)
    assert "127.0.0.1" not in str(info.value) and port not in str(info.value)


def test_every_error_is_a_leetcode_error() -> None:
    errors = [
        RateLimited(None),
        Blocked("x"),
        UserNotFound("u"),
        BadResponse("x"),
        QuestionNotFound("s"),
    ]
    assert all(isinstance(e, LeetCodeError) for e in errors)
