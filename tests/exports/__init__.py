"""Export renderer tests; :func:`sample_export` is the member they all render."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.exports.data import CriterionRow, EntryRow, MemberExport, MilestoneRow

GUILD_ID = 912_345_678_901_234_567
USER_ID = 198_765_432_109_876_543


def _at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def sample_entries() -> tuple[EntryRow, ...]:
    """A week of entries around Berlin's spring-forward change (2027-03-28, 01:00 UTC)."""
    return (
        EntryRow(
            1, "solve", date(2027, 3, 27), _at(2027, 3, 27, 22, 30), week=2,
            problem_number=1, problem_title="Two Sum", difficulty="easy", minutes=18,
            language="python", mode="unguided", pattern="Arrays & Hashing",
            notes='Hash map, "one pass", done',
        ),
        EntryRow(
            2, "solve", date(2027, 3, 28), _at(2027, 3, 28, 1, 30), week=2,
            problem_number=49, problem_title="Group Anagrams", difficulty="medium",
            minutes=35, language="cpp", mode="timed", pattern="Arrays & Hashing",
            notes='=HYPERLINK("http://evil.example","click")',
        ),
        EntryRow(
            3, "solve", date(2027, 3, 28), _at(2027, 3, 28, 9, 0), week=2,
            problem_number=242, problem_title="Valid Anagram", difficulty="easy", minutes=9,
            notes="-5 min vs last time | @home\nsecond line", imported=True,
        ),
        EntryRow(
            4, "oops", date(2027, 3, 28), _at(2027, 3, 28, 10, 0), week=2,
            problem_number=1, problem_title="Two Sum", pattern="Arrays & Hashing",
            notes="Used a | b as the key", lesson="Escape | pipes\nand keep <tags> & text",
            review_state="due 2027-04-02 (step 2 of 4)",
        ),
        EntryRow(
            5, "ledger", date(2027, 3, 28), _at(2027, 3, 28, 20, 0), week=2,
            notes="# not a heading\n[link](http://x) *bold* and 1. not a list",
        ),
        EntryRow(6, "win", date(2027, 3, 28), _at(2027, 3, 28, 20, 5), week=2,
                 notes="First medium under 40 min"),
        EntryRow(
            7, "card", date(2027, 3, 29), _at(2027, 3, 29, 6, 0), week=3,
            notes="Why is dict lookup O(1) <average>?", lesson="Hashing & buckets",
            pattern="Arrays & Hashing",
        ),
        EntryRow(8, "oops", date(2027, 3, 29), _at(2027, 3, 29, 7, 0), week=3,
                 notes="Forgot the empty input", lesson=None, review_state="reviewed"),
        EntryRow(9, "mock", date(2027, 3, 29), _at(2027, 3, 29, 8, 0), week=3,
                 mock_kind="dsa", rating="hire", platform="Pramp", minutes=45),
        EntryRow(10, "contest", date(2027, 3, 29), _at(2027, 3, 29, 9, 0), week=3,
                 contest_name="Weekly 440", rank=5120, solved_count=2, percentile=31.5),
        EntryRow(11, "anki", date(2027, 3, 29), _at(2027, 3, 29, 10, 0), week=3,
                 reviewed=40, new_cards=8, mature_total=12),
        EntryRow(12, "done", date(2027, 3, 29), _at(2027, 3, 29, 11, 0), week=3,
                 item_id="w1-anki-5", item_title="5 Anki cards (Big-O of array ops)"),
        EntryRow(13, "ledger", date(2027, 3, 29), _at(2027, 3, 29, 12, 0), week=3,
                 notes="Column | with pipe"),
    )  # fmt: skip


def sample_export(entries: tuple[EntryRow, ...] | None = None) -> MemberExport:
    return MemberExport(
        guild_id=GUILD_ID,
        user_id=USER_ID,
        display_name="Ada *the* Coder",
        timezone="Europe/Berlin",
        cohort_name="Spring 2027",
        goals=("Get an offer by summer", "Solve 150 problems"),
        entries=sample_entries() if entries is None else entries,
        recaps=("# Recap\nSolved **5**/12", "Solved 9/12\n```\n# code, not a heading\n```"),
        milestones=(
            MilestoneRow(
                "Phase 0 exit",
                2,
                (
                    CriterionRow("Unique solves", 3.0, 3.0, ">=", True),
                    CriterionRow("Median minutes", None, 30.0, "<=", False),
                ),
            ),
        ),
        generated_at=_at(2027, 3, 29, 18, 45),
    )
