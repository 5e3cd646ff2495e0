"""Importing accepted submissions: entries, marks, gaps, duplicates, revisits, /solve details."""

from __future__ import annotations

from datetime import date, timedelta

from bot.leetcode.importer import complete_imported
from bot.leetcode.models import LeetCodeProblem
from bot.leetcode.service import LeetCodeService
from bot.models import Entry
from bot.services.progress import member_context, summary_for
from bot.services.recap import cohort_week_report
from curriculum.loader import Curriculum
from tests.leetcode.fake_server import FakeLeetCode
from tests.leetcode.linkutil import NOW, Room, fresh, link_account, question, sub


def ops(fake: FakeLeetCode) -> list[str]:
    return [r.json["operationName"] for r in fake.requests]


async def test_import_creates_solve_entries_and_moves_the_mark(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc")
    late_night = NOW.replace(hour=23, minute=30) - timedelta(days=1)  # 00:30 in Berlin
    fake_leetcode.add_user(
        "alice_lc",
        [
            sub("101", "two-sum", late_night, lang="python3"),
            sub("102", "lru-cache", NOW - timedelta(hours=1), lang="cpp"),
            sub("103", "ancient", NOW - timedelta(days=30)),  # before the first-import window
        ],
    )
    fake_leetcode.add_question(question("lru-cache", 146))

    assert await lc.poll_due(NOW) == 1

    two_sum, lru = await Entry.filter(member_id=room.alice_member.id).order_by("id")
    assert (two_sum.kind, two_sum.source, two_sum.dedupe_key) == (
        "solve",
        "leetcode",
        "lc:leetcode.com:101",
    )
    assert (two_sum.problem_key, two_sum.problem_number, two_sum.problem_title) == (
        "1",
        1,
        "Two Sum",
    )
    assert (two_sum.difficulty, two_sum.pattern, two_sum.language) == (
        "easy",
        "Array/Hash",
        "python",
    )
    assert (two_sum.minutes, two_sum.mode, two_sum.local_date, two_sum.week) == (
        None,
        None,
        date(2027, 2, 3),
        5,
    )
    assert two_sum.created_at == NOW
    assert (lru.problem_key, lru.problem_slug, lru.difficulty, lru.language) == (
        "146",
        "lru-cache",
        "medium",
        "cpp",
    )
    assert await LeetCodeProblem.filter(slug="lru-cache").values_list("number", flat=True) == [146]
    assert ops(fake_leetcode) == ["recentAcSubmissions", "questionTitle"]  # two-sum: catalogue
    link = await fresh(link)
    assert link.last_seen_at == NOW - timedelta(hours=1)
    assert (link.last_sync_at, link.failures, link.last_error) == (NOW, 0, None)
    assert link.next_poll_at is not None
    assert NOW + timedelta(minutes=16) <= link.next_poll_at <= NOW + timedelta(minutes=24)


async def test_cached_problem_is_not_fetched_again_and_revisits_count_once(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService, curriculum: Curriculum
) -> None:
    await link_account(room.alice_member, "alice_lc")
    user = fake_leetcode.add_user("alice_lc", [sub("1", "lru-cache", NOW - timedelta(days=1))])
    fake_leetcode.add_question(question("lru-cache", 146))
    await lc.poll_due(NOW)
    fake_leetcode.requests.clear()

    user.submissions.append(sub("2", "lru-cache", NOW + timedelta(minutes=10)))
    later = NOW + timedelta(minutes=30)
    await lc.poll_due(later)

    assert ops(fake_leetcode) == ["recentAcSubmissions"]
    assert await Entry.filter(problem_key="146").count() == 2
    ctx = await member_context(room.guild.id, room.alice.id, curriculum, later)
    summary, _ = await summary_for(ctx, curriculum)
    assert summary.cumulative == 1 and summary.week_entries == 2


async def test_repeated_id_and_same_slug_and_time_import_once(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    await link_account(room.alice_member, "alice_lc")
    at = NOW - timedelta(hours=2)
    fake_leetcode.add_user(
        "alice_lc",
        [
            sub("7", "two-sum", at),
            sub("7", "two-sum", at),  # the same submission twice in one answer
            sub("8", "two-sum", at),  # another id, same problem and second
            sub("9", "two-sum", NOW - timedelta(hours=1)),  # a later accept: a revisit
        ],
    )

    await lc.poll_due(NOW)

    keys = await Entry.all().order_by("id").values_list("dedupe_key", flat=True)
    assert keys == ["lc:leetcode.com:7", "lc:leetcode.com:9"]


async def test_more_new_than_one_page_tells_the_member_once(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc", last_seen_at=NOW - timedelta(days=3))
    subs = [sub(str(500 + i), "two-sum", NOW - timedelta(hours=30 - i)) for i in range(25)]
    user = fake_leetcode.add_user("alice_lc", subs)

    await lc.poll_due(NOW)

    assert await Entry.all().count() == 20  # the page holds the newest 20
    dms = [m.content for m in room.alice_user.dm_channel.history()]
    assert len(dms) == 1 and "may be missing" in dms[0] and "/solve" in dms[0]
    assert (await fresh(link)).gap_notified_at == NOW

    later = NOW + timedelta(hours=1)
    user.submissions += [
        sub(str(600 + i), "two-sum", NOW + timedelta(minutes=i)) for i in range(25)
    ]
    await lc.poll_due(later)
    assert await Entry.all().count() == 40
    assert len(list(room.alice_user.dm_channel.history())) == 1  # told once only


async def test_first_import_does_not_warn_about_gaps(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user(
        "alice_lc", [sub(str(i), "two-sum", NOW - timedelta(minutes=i)) for i in range(20)]
    )
    await lc.poll_due(NOW)
    assert await Entry.all().count() == 20
    assert list(room.alice_user.dm_channel.history()) == []


async def test_removed_import_is_not_imported_again(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user("alice_lc", [sub("31", "two-sum", NOW - timedelta(hours=1))])
    await lc.poll_due(NOW)
    entry = await Entry.get()

    removed = await room.alice.slash(room.channel, "delete", entry=entry.id)
    assert "Removed" in removed.response.content
    await lc.poll_due(NOW + timedelta(hours=1))

    assert await Entry.all().count() == 0
    assert (await fresh(link)).last_seen_at == NOW - timedelta(hours=1)


async def test_dedupe_key_is_the_safety_net_when_the_mark_is_lost(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    link = await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user("alice_lc", [sub("31", "two-sum", NOW - timedelta(hours=1))])
    await lc.poll_due(NOW)
    await type(link).filter(id=link.id).update(last_seen_at=None, next_poll_at=NOW)

    await lc.poll_due(NOW + timedelta(minutes=1))

    assert await Entry.all().values_list("dedupe_key", flat=True) == ["lc:leetcode.com:31"]


async def test_a_typed_solve_of_that_day_absorbs_the_import(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    await link_account(room.alice_member, "alice_lc")
    await room.alice.slash(room.channel, "solve", problem="347", minutes=25, mode="timed")
    fake_leetcode.add_user(
        "alice_lc", [sub("41", "top-k-frequent-elements", NOW - timedelta(minutes=30))]
    )

    await lc.poll_due(NOW)

    (entry,) = await Entry.all()
    assert (entry.source, entry.minutes, entry.mode, entry.dedupe_key) == (
        "command",
        25,
        "timed",
        "lc:leetcode.com:41",
    )


async def test_solve_details_complete_the_imported_entry(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService, curriculum: Curriculum
) -> None:
    await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user("alice_lc", [sub("51", "two-sum", NOW - timedelta(hours=3))])
    await lc.poll_due(NOW)
    ctx = await member_context(room.guild.id, room.alice.id, curriculum, NOW)
    today = date(2027, 2, 3)

    assert await complete_imported(ctx, "1", today - timedelta(days=1), minutes=9) is None
    assert await complete_imported(ctx, "2", today, minutes=9) is None
    done = await complete_imported(
        ctx,
        "1",
        today,
        problem_title="typed title",
        difficulty="hard",
        minutes=12,
        language="cpp",
        mode="guided",
        pattern="Hashing",
        text="use a dict",
    )

    assert done is not None
    stored = await Entry.get(id=done.id)
    assert (stored.minutes, stored.language, stored.mode, stored.text) == (
        12,
        "cpp",
        "guided",
        "use a dict",
    )
    assert (stored.problem_title, stored.difficulty, stored.pattern) == (
        "Two Sum",
        "easy",
        "Hashing",
    )
    assert await complete_imported(ctx, "1", today, minutes=5) is None  # completed once
    assert await Entry.all().count() == 1


async def test_imported_solves_count_like_typed_ones(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService, curriculum: Curriculum
) -> None:
    await link_account(room.alice_member, "alice_lc")
    await room.alice.slash(room.channel, "solve", problem="49", minutes=20)
    fake_leetcode.add_user(
        "alice_lc",
        [
            sub("61", "two-sum", NOW - timedelta(hours=2)),
            sub("62", "top-k-frequent-elements", NOW - timedelta(hours=1)),
        ],
    )
    await lc.poll_due(NOW)

    ctx = await member_context(room.guild.id, room.alice.id, curriculum, NOW)
    summary, _ = await summary_for(ctx, curriculum)
    assert (summary.cumulative, summary.week_new, summary.week_entries) == (3, 3, 3)
    shown = await room.alice.slash(room.channel, "solve", problem="1", minutes=5)
    assert "Total: **3** unique problems" in shown.response.content
    # the weekly recap and the milestones count them too
    report = await cohort_week_report(ctx.cohort, ctx.this_week or 1, curriculum, NOW)
    (alice,) = [m for m in report.members if m.stats.member_id == ctx.member.id]
    assert alice.stats.unique_total == 3 and alice.stats.week_new == 3


async def test_leetcode_cn_import(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    await link_account(room.alice_member, "xiao-ming", site="leetcode.cn")
    fake_leetcode.add_user("xiao-ming", [sub("71", "lru-cache", NOW - timedelta(hours=1))])
    fake_leetcode.add_question(question("lru-cache", 146, "Medium"))

    await lc.poll_due(NOW)

    entry = await Entry.get()
    assert (entry.dedupe_key, entry.problem_number, entry.language) == (
        "lc:leetcode.cn:71",
        146,
        None,
    )
    assert ops(fake_leetcode) == ["recentACSubmissions", "questionTitle"]


async def test_log_lists_imported_entries(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user("alice_lc", [sub("81", "two-sum", NOW - timedelta(hours=1))])
    await lc.poll_due(NOW)
    shown = await room.alice.slash(room.channel, "log")
    assert "#1 Two Sum · easy" in shown.response.content
    assert "imported" in shown.response.content


async def test_solve_command_completes_the_import(
    room: Room, fake_leetcode: FakeLeetCode, lc: LeetCodeService
) -> None:
    await link_account(room.alice_member, "alice_lc")
    fake_leetcode.add_user("alice_lc", [sub("91", "two-sum", NOW - timedelta(hours=1))])
    await lc.poll_due(NOW)

    result = await room.alice.slash(room.channel, "solve", problem="1", minutes=14, notes="hash")

    (entry,) = await Entry.all()
    assert (entry.minutes, entry.text, entry.source) == (14, "hash", "leetcode")
    assert "revisit" not in result.response.content.lower()
    assert "Total: **1** unique problems" in result.response.content
