"""Hostile or broken answers are one member's failed request, never a crash or a global pause:
oversized bodies are refused while streaming, deep or huge JSON is refused, connection errors
name no host or port, and the Verify button answers every press."""

from __future__ import annotations

import gzip
import json
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from tortoise.connection import get_connection

from bot.core.clock import FixedClock
from bot.leetcode.client import LeetCodeClient
from bot.leetcode.errors import BadResponse, Blocked
from bot.leetcode.models import LeetCodeLink
from bot.leetcode.service import LeetCodeService
from bot.leetcode.transport import MAX_BODY_BYTES, MAX_JSON_DEPTH
from bot.models import Entry
from tests.leetcode.fake_server import FakeLeetCode, FakeSubmission
from tests.leetcode.linkutil import NOW, Room, fresh, link_account, sub

ROW = {
    "id": "1",
    "title": "Two Sum",
    "titleSlug": "two-sum",
    "timestamp": "1700000000",
    "lang": "python3",
}


def _document(rows: list[dict[str, Any]], **extra: Any) -> bytes:
    return json.dumps({"data": {"recentAcSubmissionList": rows}, **extra}).encode()


# -- size -------------------------------------------------------------------------------
async def test_an_endless_body_is_refused_at_the_cap_not_read_whole(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.stream_next(b"[" + b" " * 65_535)  # never ends: reading it whole would hang

    with pytest.raises(BadResponse, match="larger than 2 MB"):
        await com_client.recent_accepted("alice")


async def test_a_declared_length_over_the_cap_is_refused(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.fail_next(200, b" " * (MAX_BODY_BYTES + 1), content_type="application/json")

    with pytest.raises(BadResponse, match="larger than 2 MB"):
        await com_client.recent_accepted("alice")


async def test_the_cap_counts_decoded_bytes(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    bomb = gzip.compress(_document([ROW], padding="x" * (3 * MAX_BODY_BYTES // 2)))
    assert len(bomb) < 64 * 1024  # small on the wire, 3 MB once decoded
    fake_leetcode.fail_next(
        200, bomb, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )

    with pytest.raises(BadResponse, match="larger than 2 MB"):
        await com_client.recent_accepted("alice")


async def test_a_large_answer_under_the_cap_is_fine(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    body = _document([ROW], padding="x" * (MAX_BODY_BYTES - 1000))
    assert len(body) <= MAX_BODY_BYTES
    fake_leetcode.fail_next(200, body, content_type="application/json")

    (got,) = await com_client.recent_accepted("alice")
    assert got.slug == "two-sum"


# -- shape ------------------------------------------------------------------------------
def _nested(depth: int) -> bytes:
    return b'{"data": ' + b"[" * depth + b"]" * depth + b"}"


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (_nested(MAX_JSON_DEPTH + 1), "nested too deeply"),
        (_nested(200_000), "nested too deeply"),  # deeper than Python's recursion limit
        (_document([{**ROW, "timestamp": 10**40}]), "number is too long"),
        (b'{"data": {"recentAcSubmissionList": [{"id": ' + b"9" * 5000 + b"}]}}", "too long"),
        (b'{"data": {"recentAcSubmissionList": [], "x": 1e999999}}', "number is too large"),
        (b'{"data": {"recentAcSubmissionList": [], "x": Infinity}}', "not JSON"),
    ],
    ids=["one-too-deep", "very-deep", "long-timestamp", "5000-digit-id", "huge-exp", "infinity"],
)
async def test_deep_or_oversized_json_is_a_bad_response(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient, body: bytes, match: str
) -> None:
    fake_leetcode.fail_next(200, body, content_type="application/json")

    with pytest.raises(BadResponse, match=match) as info:
        await com_client.recent_accepted("alice")
    assert not isinstance(info.value, Blocked)


async def test_nesting_the_real_answers_use_is_fine(
    fake_leetcode: FakeLeetCode, com_client: LeetCodeClient
) -> None:
    fake_leetcode.add_user("alice", [FakeSubmission("1", "two-sum", "Two Sum", 1_700_000_000)])
    assert len(await com_client.recent_accepted("alice")) == 1


# -- in the poller: one member's failure -------------------------------------------------
@pytest.mark.parametrize(
    "script",
    ["not-json", "html-error-page", "too-big", "too-deep", "huge-number"],
)
async def test_a_broken_answer_is_that_members_failed_poll_and_others_go_on(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService, script: str
) -> None:
    alice = await link_account(room.alice_member, "alice_lc", next_poll_at=NOW - timedelta(1))
    await link_account(room.bob_member, "bob_lc")
    fake_leetcode.add_user("alice_lc", [sub("1", "two-sum", NOW - timedelta(hours=1))])
    fake_leetcode.add_user("bob_lc", [sub("2", "two-sum", NOW - timedelta(hours=1))])
    if script == "not-json":
        fake_leetcode.fail_next(200, "upstream error", content_type="text/plain")
    elif script == "html-error-page":
        fake_leetcode.fail_next(200, "<html><h1>Oops</h1></html>", content_type="text/html")
    elif script == "too-big":
        fake_leetcode.stream_next(b" " * 65_536)
    elif script == "too-deep":
        fake_leetcode.fail_next(200, _nested(5000), content_type="application/json")
    else:
        fake_leetcode.fail_next(200, _document([{**ROW, "timestamp": 10**30}]))

    assert await lc.poll_due(NOW) == 2

    assert lc.paused_until is None  # not a global pause
    failed = await fresh(alice)
    assert failed.failures == 1 and failed.last_error and failed.next_poll_at > NOW
    assert "internal error" not in failed.last_error  # handled, not a crash
    assert [e.source for e in await Entry.filter(member_id=room.bob_member.id)] == ["leetcode"]
    assert await Entry.filter(member_id=room.alice_member.id).count() == 0


async def test_connection_errors_shown_to_members_name_no_host_or_port(
    room: Room, lc: LeetCodeService, monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = FakeLeetCode()
    await gone.start()
    dead = gone.base_url
    await gone.close()
    monkeypatch.setattr(lc, "base_url", lambda site: dead)
    link = await link_account(room.alice_member, "alice_lc")

    await lc.poll_due(NOW)

    error = (await fresh(link)).last_error or ""
    status = await room.alice.slash(room.channel, "leetcode status")
    (status_line,) = [x for x in status.response.content.splitlines() if "Last error" in x]
    port = str(urlsplit(dead).port)
    for shown in (error, status_line):
        assert "could not connect to LeetCode" in shown
        assert "127.0.0.1" not in shown and "localhost" not in shown and port not in shown


# -- the Verify button answers every press -----------------------------------------------
async def _asked(room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService) -> Any:
    fake_leetcode.add_user("alice_lc")
    asked = await room.alice.slash(room.channel, "leetcode link", username="alice_lc")
    code = (await LeetCodeLink.get(member_id=room.alice_member.id)).code
    fake_leetcode.users["alice_lc"].about_me = f"hi {code}"
    return asked


@pytest.mark.sqlite  # a read-only SQLite database is the fault
async def test_verify_answers_when_the_database_fails_and_works_after(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService, clock: FixedClock
) -> None:
    asked = await _asked(room, fake_leetcode, lc)
    conn = get_connection("default")
    await conn.execute_script("PRAGMA query_only = ON")

    await room.alice.click(asked.response, label="Verify")

    assert "Something went wrong while checking your profile" in asked.response.content
    assert "`coach-" in asked.response.content  # the code stays on screen
    await conn.execute_script("PRAGMA query_only = OFF")
    clock.set(NOW + timedelta(seconds=11))
    await room.alice.click(asked.response, label="Verify")
    assert "✅ Linked" in asked.response.content
    assert asked.response.components == []


async def test_verify_answers_after_a_restart(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService, simcord_env: Any
) -> None:
    from bot.app import CoachBot
    from bot.db import close_db

    asked = await _asked(room, fake_leetcode, lc)
    old = simcord_env.bot
    await close_db()
    await simcord_env.restart_bot(
        CoachBot(old.settings, old.curriculum, clock=old.clock, start_scheduler=False)
    )

    try:
        await room.alice.click(asked.response, label="Verify")

        assert "✅ Linked" in asked.response.content
        assert (await LeetCodeLink.get(member_id=room.alice_member.id)).verified_at is not None
    finally:
        await simcord_env.bot.close()  # the restarted bot opened its own LeetCode session
