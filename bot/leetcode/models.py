"""Tables of the LeetCode integration (app label ``coach``, registered in :mod:`bot.db`).

Docstrings become SQL table comments and must not contain a semicolon (Tortoise 1.1.9).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.models import GuildConfig, Member


class LeetCodeLink(Model):
    """A member's LeetCode account: pending until its profile code is verified, then polled."""

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Member] = fields.OneToOneField(
        "coach.Member", related_name="leetcode_link", on_delete=fields.CASCADE
    )
    guild: fields.ForeignKeyRelation[GuildConfig] = fields.ForeignKeyField(
        "coach.GuildConfig", related_name="leetcode_links", on_delete=fields.CASCADE
    )
    site = fields.CharField(max_length=16)  # leetcode.com / leetcode.cn
    username = fields.CharField(max_length=64)  # as the member typed it
    # Set only when verified: NULLs never collide in a unique constraint, so the
    # (guild, site, username_lower) constraint allows one member per verified account while
    # a pending request blocks nobody (whoever proves control of the profile wins).
    username_lower = fields.CharField(max_length=64, null=True)
    code = fields.CharField(max_length=32, null=True)  # single use, cleared when verified
    code_expires_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()
    verified_at = fields.DatetimeField(null=True)
    # The newest submission time seen by a poll: only newer submissions are imported.
    last_seen_at = fields.DatetimeField(null=True)
    last_sync_at = fields.DatetimeField(null=True)  # last successful poll
    last_error = fields.CharField(max_length=300, null=True)
    last_error_at = fields.DatetimeField(null=True)
    failures = fields.IntField(default=0)  # consecutive failed polls (for the back-off)
    next_poll_at = fields.DatetimeField(null=True)
    gap_notified_at = fields.DatetimeField(null=True)  # told once that older accepts may be missing

    class Meta:
        table = "leetcode_link"
        unique_together = (("guild", "site", "username_lower"),)
        indexes = (("next_poll_at",),)


class LeetCodeProblem(Model):
    """Problem metadata by slug, fetched from LeetCode once and kept."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=100, unique=True)
    number = fields.IntField()  # questionFrontendId, the number the site shows
    title = fields.CharField(max_length=200)
    difficulty = fields.CharField(max_length=6)
    site = fields.CharField(max_length=16)  # where it was fetched from
    fetched_at = fields.DatetimeField()

    class Meta:
        table = "leetcode_problem"
