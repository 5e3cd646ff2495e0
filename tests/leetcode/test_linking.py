"""/leetcode link + Verify, unlink and status: codes, expiry, one member per account."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from simcord.backend.errors import SetupError

from bot.core.clock import FixedClock
from bot.errors import NotAMember, UserFacingError
from bot.leetcode.models import LeetCodeLink
from bot.leetcode.service import LeetCodeService
from bot.leetcode.verify import new_code
from bot.models import Entry
from tests.helpers import expect_errors
from tests.leetcode.fake_server import FakeLeetCode
from tests.leetcode.linkutil import NOW, Room, fresh, link_account

pytestmark = pytest.mark.usefixtures("lc")


def code_in(text: str) -> str:
    match = re.search(r"`(coach-[A-Z0-9]{4}-[A-Z0-9]{4})`", text)
    assert match, text
    return match.group(1)


async def test_verify_refuses_without_the_code_then_links(
    room: Room, fake_leetcode: FakeLeetCode, clock: FixedClock
) -> None:
    profile = fake_leetcode.add_user("Alice_LC", about_me="grinding")

    asked = await room.alice.slash(room.channel, "leetcode link", username="Alice_LC")

    assert asked.ephemeral
    code = code_in(asked.response.content)
    assert "About me" in asked.response.content and "/u/Alice_LC/" in asked.response.content
    link = await LeetCodeLink.get(member_id=room.alice_member.id)
    assert (link.code, link.verified_at, link.username_lower) == (code, None, None)
    assert link.code_expires_at == NOW + timedelta(minutes=10)

    await room.alice.click(asked.response, label="Verify")
    assert "couldn't find" in asked.response.content
    assert code in asked.response.content  # still on screen, the button too
    assert asked.response.components
    assert (await fresh(link)).verified_at is None

    profile.about_me = f"grinding — {code.lower().replace('-', ' ')}"  # any case, any spacing
    clock.set(NOW + timedelta(seconds=30))
    await room.alice.click(asked.response, label="Verify")

    assert "Linked **Alice\\_LC**" in asked.response.content
    assert asked.response.components == []
    link = await fresh(link)
    assert link.verified_at == NOW + timedelta(seconds=30) and link.code is None
    assert link.username_lower == "alice_lc" and link.next_poll_at == link.verified_at
    sent = fake_leetcode.last_request
    assert sent.json["operationName"] == "userPublicProfile"
    assert sent.headers["Referer"] == f"{fake_leetcode.base_url}/u/Alice_LC/"
    assert sent.headers["Origin"] == fake_leetcode.base_url


async def test_expired_code_is_refused(
    room: Room, fake_leetcode: FakeLeetCode, clock: FixedClock
) -> None:
    asked = await room.alice.slash(room.channel, "leetcode link", username="alice_lc")
    fake_leetcode.add_user("alice_lc", real_name=code_in(asked.response.content))

    clock.set(NOW + timedelta(minutes=10))
    await room.alice.click(asked.response, label="Verify")

    assert "expired" in asked.response.content and "/leetcode link" in asked.response.content
    assert asked.response.components == []
    assert fake_leetcode.requests == []  # no need to ask LeetCode
    assert (await LeetCodeLink.get(member_id=room.alice_member.id)).verified_at is None


async def test_a_new_code_replaces_the_old_one(room: Room, fake_leetcode: FakeLeetCode) -> None:
    first = await room.alice.slash(room.channel, "leetcode link", username="alice_lc")
    old = code_in(first.response.content)
    second = await room.alice.slash(room.channel, "leetcode link", username="alice_lc")
    fake_leetcode.add_user("alice_lc", about_me=old)

    await room.alice.click(first.response, label="Verify")

    assert "no longer valid" in first.response.content
    assert code_in(second.response.content) != old
    assert await LeetCodeLink.filter(member_id=room.alice_member.id).count() == 1


async def test_one_member_per_account_in_a_guild(
    room: Room, fake_leetcode: FakeLeetCode, simcord_env: Any
) -> None:
    await link_account(room.alice_member, "shared")

    refused = await room.bob.slash(room.channel, "leetcode link", username="SHARED")

    assert "already linked to another member" in refused.response.content
    expect_errors(simcord_env, UserFacingError)
    assert await LeetCodeLink.filter(member_id=room.bob_member.id).count() == 0


async def test_pending_requests_race_and_the_verifier_wins(
    room: Room, fake_leetcode: FakeLeetCode, clock: FixedClock
) -> None:
    bob_asked = await room.bob.slash(room.channel, "leetcode link", username="dana")
    alice_asked = await room.alice.slash(room.channel, "leetcode link", username="dana")
    fake_leetcode.add_user(
        "dana",
        about_me=f"{code_in(bob_asked.response.content)} {code_in(alice_asked.response.content)}",
    )

    await room.alice.click(alice_asked.response, label="Verify")
    await room.bob.click(bob_asked.response, label="Verify")

    assert "Linked" in alice_asked.response.content
    assert "just linked by another member" in bob_asked.response.content
    linked = await LeetCodeLink.filter(verified_at__isnull=False).values_list(
        "member_id", flat=True
    )
    assert linked == [room.alice_member.id]


async def test_only_the_member_who_asked_can_press_verify(room: Room) -> None:
    asked = await room.alice.slash(room.channel, "leetcode link", username="alice_lc")
    with pytest.raises(SetupError):  # the reply is private: nobody else can press it
        await room.bob.click(asked.response, label="Verify")


async def test_verify_presses_are_spaced(
    room: Room, fake_leetcode: FakeLeetCode, clock: FixedClock
) -> None:
    fake_leetcode.add_user("alice_lc")
    asked = await room.alice.slash(room.channel, "leetcode link", username="alice_lc")
    await room.alice.click(asked.response, label="Verify")
    again = await room.alice.click(asked.response, label="Verify")
    assert "press **Verify** again in 10 s" in again.response.content
    assert len(fake_leetcode.requests) == 1


async def test_unknown_user_ends_the_attempt(room: Room, fake_leetcode: FakeLeetCode) -> None:
    asked = await room.alice.slash(room.channel, "leetcode link", username="nobody")
    await room.alice.click(asked.response, label="Verify")
    assert "no user **nobody**" in asked.response.content
    assert asked.response.components == []


async def test_profile_link_and_site(room: Room, lc: LeetCodeService) -> None:
    asked = await room.alice.slash(
        room.channel, "leetcode link", username="https://leetcode.cn/u/xiao-ming/"
    )
    link = await LeetCodeLink.get(member_id=room.alice_member.id)
    assert (link.username, link.site) == ("xiao-ming", "leetcode.cn")
    assert "on leetcode.cn" in asked.response.content


@pytest.mark.parametrize("name", ["bad name", "-x", "a" * 65, "<@123>"])
async def test_invalid_usernames(room: Room, simcord_env: Any, name: str) -> None:
    result = await room.alice.slash(room.channel, "leetcode link", username=name)
    assert "`username`" in result.response.content
    expect_errors(simcord_env, UserFacingError)


async def test_linking_needs_a_cohort(simcord_env: Any, room: Room) -> None:
    carol = room.guild.add_member(simcord_env.create_user("carol"))
    result = await carol.slash(room.channel, "leetcode link", username="carol")
    assert "/join" in result.response.content
    expect_errors(simcord_env, NotAMember)


async def test_already_linked_must_unlink_first(room: Room, simcord_env: Any) -> None:
    await link_account(room.alice_member, "alice_lc")
    result = await room.alice.slash(room.channel, "leetcode link", username="other")
    assert "already linked to **alice\\_lc**" in result.response.content
    expect_errors(simcord_env, UserFacingError)


async def test_unlink_keeps_imported_entries(room: Room, clock: FixedClock) -> None:
    link = await link_account(room.alice_member, "alice_lc")
    await Entry.create(
        member=room.alice_member,
        kind="solve",
        local_date=NOW.date(),
        created_at=NOW,
        source="leetcode",
        dedupe_key="lc:leetcode.com:1",
        problem_key="1",
    )

    result = await room.alice.slash(room.channel, "leetcode unlink")
    again = await room.alice.slash(room.channel, "leetcode unlink")

    assert "Unlinked **alice\\_lc**" in result.response.content
    assert "no linked LeetCode account" in again.response.content
    assert not await LeetCodeLink.filter(id=link.id).exists()
    assert await Entry.all().count() == 1


async def test_status_shows_link_sync_and_error(room: Room, lc: LeetCodeService) -> None:
    none = await room.alice.slash(room.channel, "leetcode status")
    assert "haven't linked" in none.response.content
    await room.alice.slash(room.channel, "leetcode link", username="alice_lc")
    pending = await room.alice.slash(room.channel, "leetcode status")
    assert "not verified yet" in pending.response.content

    await LeetCodeLink.filter(member_id=room.alice_member.id).delete()
    await link_account(
        room.alice_member,
        "alice_lc",
        last_sync_at=NOW - timedelta(hours=1),
        last_error="LeetCode rate limited the request (HTTP 429)",
        last_error_at=NOW - timedelta(minutes=5),
        next_poll_at=NOW + timedelta(minutes=7),
    )
    text = (await room.alice.slash(room.channel, "leetcode status")).response.content

    assert "**alice\\_lc** on leetcode.com" in text
    assert f"Last successful sync: <t:{int((NOW - timedelta(hours=1)).timestamp())}:R>" in text
    assert "Last error: LeetCode rate limited the request (HTTP 429)" in text
    assert f"Polling: active, next check <t:{int((NOW + timedelta(minutes=7)).timestamp())}" in text


def test_codes_come_from_the_service_rng(lc: LeetCodeService) -> None:
    assert new_code(lc.rng).startswith("coach-")
