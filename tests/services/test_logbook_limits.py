"""Every option is checked again on the server: a value outside its limits (which Discord's
client would refuse) gets an error naming the option, and nothing is written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.errors import UserFacingError
from bot.models import Entry, EntryKind
from bot.services import logbook
from bot.services.progress import MemberContext, member_context
from curriculum.loader import Curriculum
from tests.helpers import join, make_cohort

Call = Callable[[MemberContext, Curriculum], Awaitable[Any]]


def solve(**kw: Any) -> Call:
    values: dict[str, Any] = {"problem": "1", "minutes": 10, **kw}
    return lambda ctx, cur: logbook.log_solve(ctx, cur, logbook.SolveInput(**values))


CASES: list[tuple[str, Call]] = [
    ("minutes", solve(minutes=0)),
    ("minutes", solve(minutes=601)),
    ("difficulty", solve(problem="3999", difficulty="extreme")),
    ("language", solve(language="rust")),
    ("mode", solve(mode="asleep")),
    ("notes", solve(notes="x" * 501)),
    ("pattern", solve(pattern="p" * 101)),
    ("when", solve(when="2026-12-01")),
    ("problem", solve(problem="-5")),
    ("what", lambda c, cur: logbook.log_oops(c, cur, "  ", "lesson")),
    ("lesson", lambda c, cur: logbook.log_oops(c, cur, "what", "l" * 501)),
    ("problem", lambda c, cur: logbook.log_oops(c, cur, "what", "lesson", problem="??")),
    ("kind", lambda c, cur: logbook.log_mock(c, "coding", "hire")),
    ("rating", lambda c, cur: logbook.log_mock(c, "dsa", "amazing")),
    ("platform", lambda c, cur: logbook.log_mock(c, "dsa", "hire", platform="zoom")),
    ("percentile", lambda c, cur: logbook.log_contest(c, 100.5)),
    ("percentile", lambda c, cur: logbook.log_contest(c, -1)),
    ("rank", lambda c, cur: logbook.log_contest(c, 50, rank=0)),
    ("solved", lambda c, cur: logbook.log_contest(c, 50, solved=11)),
    ("name", lambda c, cur: logbook.log_contest(c, 50, name="n" * 101)),
    ("reviewed", lambda c, cur: logbook.log_anki(c, -1)),
    ("new_cards", lambda c, cur: logbook.log_anki(c, 10, new_cards=1001)),
    ("mature_total", lambda c, cur: logbook.log_anki(c, 10, mature_total=-3)),
    ("text", lambda c, cur: logbook.log_text(c, EntryKind.LEDGER, "\u200b")),
    ("text", lambda c, cur: logbook.log_text(c, EntryKind.WIN, "w" * 201)),
]


@pytest.mark.parametrize(("option", "call"), CASES)
async def test_out_of_limits_names_the_option_and_writes_nothing(
    db: str, curriculum: Curriculum, option: str, call: Call
) -> None:
    cohort = await make_cohort(1, 2)
    await join(cohort, 10)
    ctx = await member_context(1, 10, curriculum, datetime(2027, 2, 3, 18, tzinfo=UTC))

    with pytest.raises(UserFacingError, match=f"`{option}`"):
        await call(ctx, curriculum)

    assert await Entry.all().count() == 0
