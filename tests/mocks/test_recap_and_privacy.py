"""The weekly recap's mock section (bounded for 500 members) and /forget-me for peer mocks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.core.clock import FixedClock
from bot.mocks.models import MockPair, MockProfile, MockSession
from bot.render.channel_recap import mocks_section
from bot.services.privacy import forget_member
from curriculum.loader import Curriculum
from tests.mocks.conftest import MONDAY_W6, World
from tests.render.test_report_sizes import report_for


@pytest.mark.parametrize("n", [1, 8, 500])
def test_the_recap_counts_the_weeks_mocks_and_who_is_short(curriculum: Curriculum, n: int) -> None:
    report = report_for(n, 16, curriculum)
    section = mocks_section(report)
    assert section is not None
    text = "\n".join(section.lines)
    # synthetic stats: every fourth member has no mock; the others 2–4 Strong Hire DS&A
    # and 0–1 Hire system design this week
    logged = sum(n for m in report.members for _, _, w, n in m.stats.mocks if w == 16)
    assert f"**{logged} mock interview" in text
    assert "≥ 5 mock interviews total" in text and '≥ 2 "Strong Hire" DS&A' in text
    short = [m for m in report.members if not _meets_all(m.stats)]
    assert f"Still short of the roadmap's mock goals: **{len(short)} of {n}**" in text
    assert len(section.lines) <= 7  # counts, a line per goal, a few names: whatever n is
    if len(short) > 3:
        assert f"and {len(short) - 3} more" in text


def _meets_all(stats: Any) -> bool:
    total = stats.mock_count()
    return (
        total >= 5
        and stats.mock_count("dsa", "strong_hire") >= 2
        and stats.mock_count("system_design", "hire") >= 1
    )


def test_no_mock_section_before_anyone_has_one_or_it_is_due(curriculum: Curriculum) -> None:
    report = report_for(1, 3, curriculum)
    for m in report.members:
        m.stats.mocks.clear()
    assert mocks_section(report) is None


async def test_forget_me_removes_peer_mock_rows(pair_world: World, clock: FixedClock) -> None:
    clock.set(MONDAY_W6)
    await pair_world.runner().run_due()
    clock.set(MONDAY_W6 + timedelta(hours=1))
    alice = pair_world.member("alice")

    forgotten = await forget_member(pair_world.guild.id, alice.user_id, owner_id=None)

    assert forgotten.counts.get("peer mock settings") == 1
    assert await MockProfile.filter(member_id=alice.id).count() == 0
    assert await MockPair.all().count() == 0 and await MockSession.all().count() == 0
    assert await MockProfile.filter(member_id=pair_world.member("bob").id).count() == 1
