"""The LeetCode tables: table comments without semicolons, the migrated unique constraints."""

from __future__ import annotations

import pytest
from tortoise.exceptions import IntegrityError

from bot.leetcode.models import LeetCodeLink, LeetCodeProblem
from tests.helpers import join, make_cohort
from tests.leetcode.linkutil import NOW, link_account


def test_model_docstrings_have_no_semicolons() -> None:
    for model in (LeetCodeLink, LeetCodeProblem):
        assert ";" not in (model.__doc__ or ""), model.__name__


async def test_one_verified_member_per_account_and_one_link_per_member(db: str) -> None:
    cohort = await make_cohort(1, 2)
    alice, bob, carol = [await join(cohort, uid) for uid in (10, 11, 12)]
    await link_account(alice, "Shared")
    pending = await LeetCodeLink.create(
        member=bob, guild=cohort.guild, site="leetcode.com", username="shared", created_at=NOW
    )  # pending requests (no username_lower) never collide
    await LeetCodeLink.create(
        member=carol, guild=cohort.guild, site="leetcode.com", username="shared", created_at=NOW
    )
    with pytest.raises(IntegrityError):
        await LeetCodeLink.filter(id=pending.id).update(username_lower="shared")
    with pytest.raises(IntegrityError):
        await LeetCodeLink.create(
            member=alice, guild=cohort.guild, site="leetcode.cn", username="x", created_at=NOW
        )
