"""Tortoise ORM models. All datetimes are aware UTC. Discord snowflakes are BigInt columns.

Model docstrings become SQL table comments: Tortoise 1.1.9 splits migration SQL at ";",
so a docstring must never contain a semicolon (tests/test_migrations.py checks it).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class PostStatus(StrEnum):
    CLAIMED = "claimed"  # claimed by a sender; result unknown until marked
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"  # too old after downtime; listed in one catch-up message


class GuildConfig(Model):
    """A Discord server that uses the bot."""

    id = fields.IntField(primary_key=True)
    guild_id = fields.BigIntField(unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    left_at = fields.DatetimeField(null=True)

    cohorts: fields.ReverseRelation[Cohort]

    class Meta:
        table = "guild_config"


class Cohort(Model):
    """A study group following the roadmap on one schedule in one channel."""

    id = fields.IntField(primary_key=True)
    guild: fields.ForeignKeyRelation[GuildConfig] = fields.ForeignKeyField(
        "coach.GuildConfig", related_name="cohorts", on_delete=fields.CASCADE
    )
    name = fields.CharField(max_length=64)
    channel_id = fields.BigIntField()
    timezone = fields.CharField(max_length=64)
    start_date = fields.DateField()
    block_a_time = fields.CharField(max_length=5, default="07:00")
    block_b_time = fields.CharField(max_length=5, default="19:00")
    weekend_time = fields.CharField(max_length=5, default="10:00")
    recap_weekday = fields.CharField(max_length=3, default="sun")
    recap_time = fields.CharField(max_length=5, default="20:00")
    role_id = fields.BigIntField(null=True)
    # Slots due before this instant are never posted (set when the schedule is configured).
    schedule_from = fields.DatetimeField()
    setup_user_id = fields.BigIntField()
    failure_notified = fields.BooleanField(default=False)
    rest_days_per_week = fields.IntField(default=1)  # days off a streak survives each week
    nudges_enabled = fields.BooleanField(default=True)
    # leaderboard points per unique problem by difficulty
    points_easy = fields.IntField(default=1)
    points_medium = fields.IntField(default=3)
    points_hard = fields.IntField(default=7)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    pauses: fields.ReverseRelation[CohortPause]
    entries: fields.ReverseRelation[Entry]
    posts: fields.ReverseRelation[Post]
    members: fields.ReverseRelation[Member]

    class Meta:
        table = "cohort"
        unique_together = (("guild", "name"),)


class CohortPause(Model):
    id = fields.IntField(primary_key=True)
    cohort: fields.ForeignKeyRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="pauses", on_delete=fields.CASCADE
    )
    start_date = fields.DateField()
    end_date = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "cohort_pause"


class Member(Model):
    """A Discord user studying in a guild. History stays when they leave a cohort."""

    id = fields.IntField(primary_key=True)
    guild: fields.ForeignKeyRelation[GuildConfig] = fields.ForeignKeyField(
        "coach.GuildConfig", related_name="members", on_delete=fields.CASCADE
    )
    user_id = fields.BigIntField()
    cohort: fields.ForeignKeyNullableRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="members", null=True, on_delete=fields.SET_NULL
    )
    display_name = fields.CharField(max_length=100, default="")
    timezone = fields.CharField(max_length=64, null=True)
    public_lines = fields.BooleanField(default=True)
    nudges = fields.BooleanField(default=True)
    # Whether cohort mates may look at this member's /log, /recap and /milestones.
    share_progress = fields.BooleanField(default=True)
    joined_at = fields.DatetimeField(auto_now_add=True)
    left_at = fields.DatetimeField(null=True)
    # The last-activity date a nudge (or a buddy alert) was already sent for: once per lapse.
    nudged_for = fields.DateField(null=True)
    buddy_alerted_for = fields.DateField(null=True)

    entries: fields.ReverseRelation[Entry]

    class Meta:
        table = "member"
        unique_together = (("guild", "user_id"),)


class Post(Model):
    """The post ledger: one row per (cohort, local date, slot), claimed before sending."""

    id = fields.IntField(primary_key=True)
    cohort: fields.ForeignKeyRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="posts", on_delete=fields.CASCADE
    )
    local_date = fields.DateField()
    slot = fields.CharField(max_length=24)
    status = fields.CharField(max_length=12)
    due_at = fields.DatetimeField()
    nonce = fields.CharField(max_length=25)
    claimed_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    late = fields.BooleanField(default=False)
    message_ids = fields.CharField(max_length=400, default="")
    error = fields.CharField(max_length=500, null=True)
    attempts = fields.IntField(default=0)

    class Meta:
        table = "post"
        unique_together = (("cohort", "local_date", "slot"),)


class EntryKind(StrEnum):
    SOLVE = "solve"
    OOPS = "oops"
    MOCK = "mock"
    CONTEST = "contest"
    ANKI = "anki"
    DONE = "done"
    LEDGER = "ledger"
    WIN = "win"
    CARD = "card"


class Entry(Model):
    """One logged piece of progress. Kind-specific columns are null for the other kinds."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="entries", on_delete=fields.CASCADE
    )
    # The cohort the member was in when logging (recaps aggregate by it).
    cohort: fields.ForeignKeyNullableRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="entries", null=True, on_delete=fields.SET_NULL
    )
    kind = fields.CharField(max_length=10)
    local_date = fields.DateField()  # the member's local day the entry counts for
    week = fields.IntField(null=True)  # the program week local_date counts towards (0 = before)
    created_at = fields.DatetimeField()  # from the bot's clock, aware UTC
    source = fields.CharField(max_length=10, default="command")  # command / leetcode
    # Unique per member when set: a /done item, an imported submission id.
    dedupe_key = fields.CharField(max_length=120, null=True)
    # solve
    problem_key = fields.CharField(max_length=100, null=True)  # number, or slug if unknown
    problem_number = fields.IntField(null=True)
    problem_slug = fields.CharField(max_length=100, null=True)
    problem_title = fields.CharField(max_length=200, null=True)
    difficulty = fields.CharField(max_length=6, null=True)
    minutes = fields.IntField(null=True)
    language = fields.CharField(max_length=10, null=True)
    mode = fields.CharField(max_length=10, null=True)
    pattern = fields.CharField(max_length=100, null=True)
    # free text: solve notes, oops mistake, ledger / win text, card front
    text = fields.TextField(null=True)
    lesson = fields.TextField(null=True)  # oops lesson, card back
    # mock
    mock_kind = fields.CharField(max_length=16, null=True)
    rating = fields.CharField(max_length=14, null=True)
    platform = fields.CharField(max_length=20, null=True)
    # contest
    percentile = fields.FloatField(null=True)
    contest_name = fields.CharField(max_length=100, null=True)
    rank = fields.IntField(null=True)
    solved_count = fields.IntField(null=True)
    # anki
    reviewed = fields.IntField(null=True)
    new_cards = fields.IntField(null=True)
    mature_total = fields.IntField(null=True)
    # done
    item_id = fields.CharField(max_length=64, null=True)
    quantity = fields.IntField(null=True)  # how many a tick of a countable item adds (null = 1)

    class Meta:
        table = "entry"
        unique_together = (("member", "dedupe_key"),)
        indexes = (
            ("member_id", "kind", "local_date"),
            ("cohort_id", "kind", "week"),
            # covering indexes for the recap's aggregates (no table reads)
            ("member_id", "kind", "problem_key", "week", "difficulty"),
            ("member_id", "local_date", "week"),
        )


class BuddyStatus(StrEnum):
    ASKING = "asking"  # the ask is being posted: not a request until the post went out
    PENDING = "pending"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"
    WITHDRAWN = "withdrawn"  # the requester took the ask back
    EXPIRED = "expired"  # nobody answered within the ask's lifetime


class Buddy(Model):
    """An accountability pair. Both members accept before it is active."""

    id = fields.IntField(primary_key=True)
    requester: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="buddy_requests", on_delete=fields.CASCADE
    )
    partner: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="buddy_invites", on_delete=fields.CASCADE
    )
    status = fields.CharField(max_length=10, default=BuddyStatus.PENDING.value)
    created_at = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "buddy"


class BuddySeat(Model):
    """A member's one seat in an active pairing: unique per member, so nobody has two buddies."""

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Member] = fields.OneToOneField(
        "coach.Member", related_name="buddy_seat", on_delete=fields.CASCADE
    )
    pair: fields.ForeignKeyRelation[Buddy] = fields.ForeignKeyField(
        "coach.Buddy", related_name="seats", on_delete=fields.CASCADE
    )

    class Meta:
        table = "buddy_seat"


class ReviewStatus(StrEnum):
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"  # a sender took it, result unknown
    SENT = "sent"  # delivered by DM or inline, waiting for a button
    INLINE = "inline"  # DM failed, shown on the member's next command
    REVIEWED = "reviewed"
    SHAKY = "shaky"
    SUPERSEDED = "superseded"  # a "Still shaky" press restarted the ladder


class OopsReview(Model):
    """One step of an Oops entry's re-review ladder (1, 3, 7, 21 days), sent exactly once."""

    id = fields.IntField(primary_key=True)
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "coach.Entry", related_name="reviews", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="reviews", on_delete=fields.CASCADE
    )
    round = fields.IntField(default=1)  # a "Still shaky" press starts the next round
    step = fields.IntField()  # 1..4
    due_at = fields.DatetimeField()
    status = fields.CharField(max_length=10, default=ReviewStatus.SCHEDULED.value)
    claimed_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)
    answered_at = fields.DatetimeField(null=True)
    delivery = fields.CharField(max_length=6, null=True)  # dm / inline
    message_id = fields.BigIntField(null=True)

    class Meta:
        table = "oops_review"
        unique_together = (("entry", "round", "step"),)
        indexes = (("status", "due_at"),)
