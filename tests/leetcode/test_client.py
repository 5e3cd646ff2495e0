"""LeetCodeClient against a real local HTTP server that speaks LeetCode's GraphQL shapes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from bot.leetcode.client import USER_AGENT, AcceptedSubmission, LeetCodeClient, QuestionMeta
from tests.leetcode.fake_server import (
    T0,
    FakeLeetCode,
    FakeQuestion,
    FakeSubmission,
    make_submissions,
)

# --- normal answers -------------------------------------------------------------------------


async def test_recent_accepted_com_shape(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.add_user(
        "alice",
        [
            FakeSubmission("11", "two-sum", "Two Sum", T0, lang="python3"),
            FakeSubmission("12", "add-two-numbers", "Add Two Numbers", T0 + 3600, lang="cpp"),
        ],
    )

    got = await com_client.recent_accepted("alice")

    assert got == [
        AcceptedSubmission(
            "12",
            "Add Two Numbers",
            "add-two-numbers",
            datetime(2023, 11, 14, 23, 13, 20, tzinfo=UTC),
            "cpp",
        ),
        AcceptedSubmission(
            "11", "Two Sum", "two-sum", datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC), "python3"
        ),
    ]
    assert all(s.submitted_at.tzinfo is UTC for s in got)
    sent = fake_leetcode.last_request.json
    assert sent["operationName"] == "recentAcSubmissions"
    assert sent["variables"] == {"username": "alice", "limit": 20}
    assert "recentAcSubmissionList(username: $username, limit: $limit)" in sent["query"]


async def test_recent_accepted_com_passes_limit(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.add_user("alice", make_submissions(5))

    got = await com_client.recent_accepted("alice", limit=2)

    assert [s.slug for s in got] == ["slug-4", "slug-3"]
    assert fake_leetcode.last_request.json["variables"]["limit"] == 2


async def test_recent_accepted_cn_shape(
    fake_leetcode: FakeLeetCode, cn_client: LeetCodeClient
) -> None:
    fake_leetcode.add_user(
        "li-lei",
        [FakeSubmission("5501", "two-sum", "Two Sum", T0, translated_title="两数之和")],
    )

    got = await cn_client.recent_accepted("li-lei")

    assert got == [
        AcceptedSubmission("5501", "Two Sum", "two-sum", datetime.fromtimestamp(T0, UTC), None)
    ]
    sent = fake_leetcode.last_request.json
    assert sent["operationName"] == "recentACSubmissions"
    assert sent["variables"] == {"userSlug": "li-lei"}
    assert "recentACSubmissions(userSlug: $userSlug)" in sent["query"]


async def test_recent_accepted_cn_applies_limit_locally(
    fake_leetcode: FakeLeetCode, cn_client: LeetCodeClient
) -> None:
    fake_leetcode.add_user("li-lei", make_submissions(6))

    got = await cn_client.recent_accepted("li-lei", limit=3)

    assert [s.submission_id for s in got] == ["1005", "1004", "1003"]


async def test_empty_list_is_not_an_error(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.add_user("newbie")
    assert await com_client.recent_accepted("newbie") == []


async def test_question_uses_frontend_id_not_question_id(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.add_question(
        FakeQuestion("two-sum", "Two Sum", frontend_id="1", question_id="901", difficulty="Easy")
    )
    fake_leetcode.add_question(
        FakeQuestion(
            "lru-cache", "LRU Cache", frontend_id="146", question_id="7", difficulty="Medium"
        )
    )

    assert await com_client.question("two-sum") == QuestionMeta(1, "Two Sum", "two-sum", "easy")
    assert await com_client.question("lru-cache") == QuestionMeta(
        146, "LRU Cache", "lru-cache", "medium"
    )
    sent = fake_leetcode.last_request.json
    assert sent["operationName"] == "questionTitle"
    assert sent["variables"] == {"titleSlug": "lru-cache"}


async def test_question_on_cn(fake_leetcode: FakeLeetCode, cn_client: LeetCodeClient) -> None:
    fake_leetcode.add_question(FakeQuestion("trap", "Trapping Rain Water", "42", "42", "Hard"))
    assert await cn_client.question("trap") == QuestionMeta(
        42, "Trapping Rain Water", "trap", "hard"
    )


async def test_profile_text_com_and_cn(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient, cn_client: LeetCodeClient
) -> None:
    fake_leetcode.add_user("alice", real_name="Alice A.", about_me="hi coach-7KQ2-MX9D")

    assert await com_client.profile_text("alice") == "Alice A.\nhi coach-7KQ2-MX9D"
    assert fake_leetcode.last_request.json["variables"] == {"username": "alice"}
    assert "matchedUser(username: $username)" in fake_leetcode.last_request.json["query"]

    assert await cn_client.profile_text("alice") == "Alice A.\nhi coach-7KQ2-MX9D"
    assert fake_leetcode.last_request.json["variables"] == {"userSlug": "alice"}
    assert "userProfilePublicProfile" in fake_leetcode.last_request.json["query"]


async def test_profile_text_tolerates_null_parts(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.respond_next(
        {"data": {"matchedUser": {"username": "a", "profile": {"realName": None, "aboutMe": "x"}}}}
    )
    assert await com_client.profile_text("a") == "\nx"


async def test_headers_sent(fake_leetcode: FakeLeetCode, com_client: LeetCodeClient) -> None:
    fake_leetcode.add_user("alice")
    fake_leetcode.add_question(FakeQuestion("two-sum", "Two Sum", "1", "1"))
    base = fake_leetcode.base_url

    await com_client.recent_accepted("alice")
    await com_client.question("two-sum")

    user_req, question_req = fake_leetcode.requests
    for req in (user_req, question_req):
        assert req.method == "POST"
        assert req.path == "/graphql/"
        assert req.headers["Content-Type"] == "application/json"
        assert req.headers["Origin"] == base
        assert req.headers["User-Agent"] == USER_AGENT == "StudyCoach/0.1 (+study-group bot)"
        assert "Cookie" not in req.headers
        assert set(req.json) == {"operationName", "query", "variables"}
    assert user_req.headers["Referer"] == f"{base}/u/alice/"
    assert question_req.headers["Referer"] == f"{base}/"


def test_site_is_inferred_and_base_url_normalised() -> None:
    session: Any = object()  # never used: no request is made
    cn = LeetCodeClient(session, "https://leetcode.cn/")
    assert cn.site == "leetcode.cn"
    assert cn.endpoint == "https://leetcode.cn/graphql/"
    com = LeetCodeClient(session)
    assert com.site == "leetcode.com"
    assert com.endpoint == "https://leetcode.com/graphql/"


def test_bad_arguments() -> None:
    session: Any = object()
    with pytest.raises(ValueError, match="timeout"):
        LeetCodeClient(session, timeout=0)
    with pytest.raises(ValueError, match="site"):
        LeetCodeClient(session, site="leetcode.org")  # type: ignore[arg-type]


async def test_bad_call_arguments(com_client: LeetCodeClient) -> None:
    with pytest.raises(ValueError):
        await com_client.recent_accepted("alice", limit=0)
    with pytest.raises(ValueError):
        await com_client.recent_accepted("  ")
