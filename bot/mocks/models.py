"""Peer mock interview tables. All datetimes are aware UTC.

Model docstrings become SQL table comments: they must never contain a semicolon.
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from bot.models import Cohort, Entry, Member


class ProfileStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    LEFT = "left"


class RoundStatus(StrEnum):
    CLAIMED = "claimed"  # a matcher took this week, result not written yet
    MATCHED = "matched"  # pairs written, being delivered
    DONE = "done"  # every pair delivered (or given up)


class PairStatus(StrEnum):
    PENDING = "pending"  # waiting to be posted
    POSTING = "posting"  # claimed by a sender
    OPEN = "open"  # the thread or DMs went out
    CANCELLED = "cancelled"  # a member left the server before it could start


class SessionStatus(StrEnum):
    OPEN = "open"  # no time yet
    PROPOSED = "proposed"  # one member proposed a time
    CONFIRMED = "confirmed"  # the other confirmed it
    DONE = "done"  # feedback given
    NO_SHOW = "no_show"  # reported as a no-show
    EXPIRED = "expired"  # closed quietly after a week without a result


class MockSettings(Model):
    """A cohort's peer mock settings: when the weekly matching runs."""

    id = fields.IntField(primary_key=True)
    cohort: fields.OneToOneRelation[Cohort] = fields.OneToOneField(
        "coach.Cohort", related_name="mock_settings", on_delete=fields.CASCADE
    )
    weekday = fields.CharField(max_length=3, default="mon")
    # local HH:MM, or null for 30 minutes after the cohort's Block-A time
    match_time = fields.CharField(max_length=5, null=True)
    enabled = fields.BooleanField(default=True)

    class Meta:
        table = "mock_settings"


class MockProfile(Model):
    """A member's opt-in for peer mocks: kinds, weekly windows and their place in line."""

    id = fields.IntField(primary_key=True)
    member: fields.OneToOneRelation[Member] = fields.OneToOneField(
        "coach.Member", related_name="mock_profile", on_delete=fields.CASCADE
    )
    status = fields.CharField(max_length=8, default=ProfileStatus.ACTIVE.value)
    kinds = fields.CharField(max_length=60)  # comma-separated: dsa,system_design,behavioral
    windows = fields.CharField(max_length=400)  # comma-separated window ids
    waited = fields.IntField(default=0)  # rounds in a row left unmatched while eligible
    no_show_streak = fields.IntField(default=0)  # reported no-shows in a row
    sit_out = fields.BooleanField(default=False)  # left out of the next matching
    updated_at = fields.DatetimeField()

    class Meta:
        table = "mock_profile"


class MockRound(Model):
    """One cohort's weekly matching, claimed once per cohort and week."""

    id = fields.IntField(primary_key=True)
    cohort: fields.ForeignKeyRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="mock_rounds", on_delete=fields.CASCADE
    )
    week_start = fields.DateField()  # the local Monday of the matching week
    status = fields.CharField(max_length=8, default=RoundStatus.CLAIMED.value)
    claimed_at = fields.DatetimeField()
    matched_at = fields.DatetimeField(null=True)
    pair_count = fields.IntField(default=0)
    # how the pairs were reached: thread, or dm with the reason threads were not possible
    delivery = fields.CharField(max_length=200, null=True)
    announced = fields.BooleanField(default=False)

    class Meta:
        table = "mock_round"
        unique_together = (("cohort", "week_start"),)


class MockPair(Model):
    """Two members paired for a week: two sessions with the roles swapped."""

    id = fields.IntField(primary_key=True)
    round: fields.ForeignKeyRelation[MockRound] = fields.ForeignKeyField(
        "coach.MockRound", related_name="pairs", on_delete=fields.CASCADE
    )
    member_a: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="mock_pairs_a", on_delete=fields.CASCADE
    )
    member_b: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="mock_pairs_b", on_delete=fields.CASCADE
    )
    kind = fields.CharField(max_length=16)
    overlap = fields.TextField()  # UTC epoch ranges (bot.core.mock_windows.encode)
    status = fields.CharField(max_length=10, default=PairStatus.PENDING.value)
    claimed_at = fields.DatetimeField(null=True)
    thread_id = fields.BigIntField(null=True)  # the private thread, when there is one
    created_at = fields.DatetimeField()

    class Meta:
        table = "mock_pair"
        indexes = (("status", "claimed_at"),)


class MockSession(Model):
    """One interview of a pair: who interviews whom, when, the packet and the feedback."""

    id = fields.IntField(primary_key=True)
    pair: fields.ForeignKeyRelation[MockPair] = fields.ForeignKeyField(
        "coach.MockPair", related_name="sessions", on_delete=fields.CASCADE
    )
    number = fields.IntField()  # 1 or 2
    interviewer: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="mock_sessions_given", on_delete=fields.CASCADE
    )
    interviewee: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="mock_sessions_received", on_delete=fields.CASCADE
    )
    status = fields.CharField(max_length=10, default=SessionStatus.OPEN.value)
    proposed_at = fields.DatetimeField(null=True)  # the proposed start
    proposed_by = fields.IntField(null=True)  # member id
    starts_at = fields.DatetimeField(null=True)  # the confirmed start
    event_id = fields.BigIntField(null=True)  # the Discord scheduled event, if created
    reminder_at = fields.DatetimeField(null=True)
    reminder_status = fields.CharField(max_length=10, null=True)  # scheduled/claimed/sent
    reminder_claimed_at = fields.DatetimeField(null=True)
    topic = fields.CharField(max_length=64, null=True)  # problem number or prompt id
    topic_week = fields.IntField(null=True)
    packet_status = fields.CharField(max_length=8, null=True)  # claimed/sent/failed
    scores = fields.CharField(max_length=40, null=True)  # "3,4,2,3"
    verdict = fields.CharField(max_length=14, null=True)
    feedback: fields.ForeignKeyNullableRelation[Entry] = fields.ForeignKeyField(
        "coach.Entry", related_name="mock_feedback", null=True, on_delete=fields.SET_NULL
    )
    mistakes = fields.TextField(null=True)
    advice = fields.TextField(null=True)
    oops: fields.ForeignKeyNullableRelation[Entry] = fields.ForeignKeyField(
        "coach.Entry", related_name="mock_oops", null=True, on_delete=fields.SET_NULL
    )
    no_show: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="mock_no_shows", null=True, on_delete=fields.SET_NULL
    )
    closed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "mock_session"
        unique_together = (("pair", "number"),)
        indexes = (("reminder_status", "reminder_at"), ("status", "created_at"))
