"""Polling under failure: unknown users, bad answers, 429 back-off, blocks, isolation, sync."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest

from bot.core.clock import FixedClock
from bot.errors import UserFacingError
from bot.leetcode import importer, polling
from bot.leetcode.client import USER_AGENT
from bot.leetcode.models import LeetCodeLink
from bot.leetcode.policy import RequestPacer
from bot.leetcode.service import LeetCodeService, polling_status
from bot.models import Entry
from tests.helpers import expect_errors
from tests.leetcode.fake_server import FakeLeetCode
from tests.leetcode.linkutil import NOW, Room, fresh, link_account, sub

CHALLENGE = "<!DOCTYPE html><html><title>Just a moment...</title></html>"


async def test_unknown_user_is_recorded_and_the_link_kept(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "ghost")

    await lc.poll_due(NOW)

    link = await fresh(link)
    assert link.last_error is not None and "no user 'ghost'" in link.last_error
    assert (link.failures, link.last_error_at, link.next_poll_at) == (
        1,
        NOW,
        NOW + timedelta(minutes=1),
    )
    assert await Entry.all().count() == 0


async def test_graphql_errors_write_nothing_and_keep_the_mark(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    mark = NOW - timedelta(days=1)
    link = await link_account(room.alice_member, "alice_lc", last_seen_at=mark)
    fake_leetcode.add_user("alice_lc", [sub("1", "two-sum", NOW - timedelta(hours=1))])
    fake_leetcode.respond_next({"errors": [{"message": "internal oops"}], "data": None})

    await lc.poll_due(NOW)

    link = await fresh(link)
    assert link.last_seen_at == mark and link.last_sync_at is None
    assert link.last_error is not None and "internal oops" in link.last_error
    assert await Entry.all().count() == 0


async def test_missing_field_fails_the_poll(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc")
    row = {"id": "1", "title": "Two Sum", "titleSlug": "two-sum", "lang": "python3"}
    fake_leetcode.respond_next({"data": {"recentAcSubmissionList": [row]}})  # no timestamp

    await lc.poll_due(NOW)

    link = await fresh(link)
    assert link.last_error is not None and "timestamp" in link.last_error
    assert link.last_seen_at is None and await Entry.all().count() == 0


async def test_a_failed_question_lookup_writes_nothing(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user(
        "alice_lc",
        [sub("1", "two-sum", NOW - timedelta(hours=2)), sub("2", "lru-cache", NOW)],
    )
    fake_leetcode.delay_next(0)  # the list answers normally …
    fake_leetcode.respond_next({"data": {"question": {"title": "LRU Cache"}}})  # … this not

    await lc.poll_due(NOW)

    assert await Entry.all().count() == 0  # not even the catalogue problem
    assert (await fresh(link)).last_seen_at is None


async def test_rate_limit_backs_off_with_retry_after_and_a_cap(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user("alice_lc")
    fake_leetcode.fail_next(429, headers={"Retry-After": "120"})

    await lc.poll_due(NOW)
    link = await fresh(link)
    assert (link.failures, link.next_poll_at) == (1, NOW + timedelta(minutes=2))
    assert link.last_error is not None and "429" in link.last_error
    assert await lc.poll_due(NOW + timedelta(minutes=1)) == 0  # not due yet

    later = NOW + timedelta(minutes=2)
    fake_leetcode.fail_next(429, headers={"Retry-After": "86400"})
    await lc.poll_due(later)
    link = await fresh(link)
    assert (link.failures, link.next_poll_at) == (2, later + timedelta(minutes=60))
    assert lc.paused_until is None  # a 429 only slows this link down

    await lc.poll_due(later + timedelta(minutes=60))
    link = await fresh(link)
    assert (link.failures, link.last_error, link.last_sync_at) == (
        0,
        None,
        later + timedelta(minutes=60),
    )


async def test_block_pauses_every_poll_and_is_shown(
    room: Room,
    fake_leetcode: FakeLeetCode,
    lc: LeetCodeService,
    simcord_env: Any,
    clock: FixedClock,
) -> None:
    alice = await link_account(room.alice_member, "alice_lc")
    await link_account(room.bob_member, "bob_lc")
    fake_leetcode.add_user("alice_lc", [sub("1", "two-sum", NOW)])
    fake_leetcode.add_user("bob_lc", [sub("2", "two-sum", NOW)])
    fake_leetcode.fail_next(403, CHALLENGE, content_type="text/html")
    assert polling_status(simcord_env.bot) is None

    await lc.poll_due(NOW)

    assert len(fake_leetcode.requests) == 1  # bob was not asked
    assert lc.paused_until is not None
    assert NOW + timedelta(minutes=30) <= lc.paused_until <= NOW + timedelta(minutes=60)
    line = polling_status(simcord_env.bot)
    assert line is not None and f"<t:{int(lc.paused_until.timestamp())}:t>" in line
    assert "blocked" in ((await fresh(alice)).last_error or "")
    status = await room.alice.slash(room.channel, "leetcode status")
    assert "Polling: paused until" in status.response.content
    refused = await room.bob.slash(room.channel, "leetcode sync")
    assert "paused" in refused.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await lc.poll_due(NOW + timedelta(minutes=29)) == 0
    assert len(fake_leetcode.requests) == 1

    clock.set(lc.paused_until + timedelta(seconds=1))
    assert await lc.poll_due(clock()) == 2
    assert await Entry.all().count() == 2
    assert polling_status(simcord_env.bot) is None and lc.paused_until is None


async def test_requests_carry_the_site_headers_and_are_paced(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    lc.pacer = RequestPacer(1.0, monotonic=lambda: 0.0, sleep=sleep)  # time stands still
    await link_account(room.alice_member, "alice_lc")
    await link_account(room.bob_member, "bob_lc")
    fake_leetcode.add_user("alice_lc", [sub("1", "two-sum", NOW)])
    fake_leetcode.add_user("bob_lc", [sub("2", "two-sum", NOW)])

    await lc.poll_due(NOW)

    assert len(fake_leetcode.requests) == 2 and waits == [1.0]  # the second waited a second
    for request, name in zip(fake_leetcode.requests, ("alice_lc", "bob_lc"), strict=True):
        assert request.headers["Referer"] == f"{fake_leetcode.base_url}/u/{name}/"
        assert request.headers["Origin"] == fake_leetcode.base_url
        assert request.headers["User-Agent"] == USER_AGENT


async def test_one_failure_does_not_stop_the_others(
    room: Room,
    fake_leetcode: FakeLeetCode,
    lc: LeetCodeService,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    alice = await link_account(room.alice_member, "alice_lc")
    await link_account(room.bob_member, "bob_lc")
    fake_leetcode.add_user("alice_lc", [sub("1", "two-sum", NOW)])
    fake_leetcode.add_user("bob_lc", [sub("2", "two-sum", NOW)])
    real = importer.import_submissions

    async def explode(ctx: Any, link: Any, *args: Any, **kwargs: Any) -> Any:
        if link.username == "alice_lc":
            raise RuntimeError("bug")
        return await real(ctx, link, *args, **kwargs)

    monkeypatch.setattr(polling, "import_submissions", explode)
    with caplog.at_level(logging.ERROR):
        assert await lc.poll_due(NOW) == 2

    assert await Entry.filter(member_id=room.bob_member.id).count() == 1
    alice = await fresh(alice)
    assert (alice.last_error, alice.failures) == (polling.INTERNAL_ERROR, 1)
    assert alice.next_poll_at == NOW + timedelta(minutes=1)
    assert any("LeetCode poll of link" in r.message and r.exc_info for r in caplog.records)


async def test_only_due_links_of_active_members_are_polled(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    await link_account(room.alice_member, "alice_lc", next_poll_at=NOW + timedelta(minutes=5))
    await link_account(room.bob_member, "bob_lc")
    room.bob_member.left_at = NOW
    await room.bob_member.save()

    assert await lc.poll_due(NOW) == 0
    assert await lc.poll_due(NOW + timedelta(minutes=5)) == 1

    room.alice_member.cohort = None  # type: ignore[assignment]
    await room.alice_member.save()
    await LeetCodeLink.all().update(next_poll_at=NOW)
    assert await lc.poll_due(NOW + timedelta(hours=2)) == 0


async def test_idle_members_are_polled_hourly(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc", verified_at=NOW - timedelta(days=30))
    fake_leetcode.add_user("alice_lc")
    await lc.poll_due(NOW)
    nxt = (await fresh(link)).next_poll_at
    assert nxt is not None and NOW + timedelta(minutes=48) <= nxt <= NOW + timedelta(minutes=72)


async def test_sync_now_with_a_cooldown(
    room: Room,
    fake_leetcode: FakeLeetCode,
    lc: LeetCodeService,
    clock: FixedClock,
    simcord_env: Any,
) -> None:
    await link_account(room.alice_member, "alice_lc")
    user = fake_leetcode.add_user("alice_lc", [sub("1", "two-sum", NOW - timedelta(hours=1))])

    first = await room.alice.slash(room.channel, "leetcode sync")
    assert first.ephemeral and "Imported 1 accepted solve: #1 Two Sum (easy)" in (
        first.response.content
    )
    clock.set(NOW + timedelta(minutes=2))
    again = await room.alice.slash(room.channel, "leetcode sync")
    assert "try again in 3 min 0 s" in again.response.content
    expect_errors(simcord_env, UserFacingError)

    user.submissions.append(sub("2", "two-sum", NOW + timedelta(minutes=1)))
    clock.set(NOW + timedelta(minutes=5))
    third = await room.alice.slash(room.channel, "leetcode sync")
    assert "Imported 1" in third.response.content
    nothing = await room.bob.slash(room.channel, "leetcode sync")
    assert "haven't linked" in nothing.response.content
    expect_errors(simcord_env, UserFacingError)


async def test_a_failing_tick_is_logged_and_the_next_one_runs(
    room: Room, lc: LeetCodeService, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    calls: list[Any] = []

    async def poll_due(now: Any) -> int:
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database away")
        return 0

    monkeypatch.setattr(lc, "poll_due", poll_due)
    await lc.tick()
    await lc.tick()
    assert calls == [NOW, NOW]
    assert "LeetCode poll pass failed" in caplog.text


async def test_polling_can_be_turned_off(room: Room, lc: LeetCodeService, simcord_env: Any) -> None:
    simcord_env.bot.settings.leetcode_polling = False
    assert "off" in (polling_status(simcord_env.bot) or "")
