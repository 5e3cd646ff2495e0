"""Tables of study sessions (app label ``coach``, registered in :mod:`bot.db`).

All datetimes are aware UTC. Docstrings become SQL table comments and must not contain a
semicolon (Tortoise 1.1.9 splits migration SQL there).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from bot.models import Cohort, GuildConfig, Member


class BlockStatus(StrEnum):
    STARTED = "started"
    DONE = "done"
    SKIPPED = "skipped"


class BlockAttendance(Model):
    """A member's check-in on one block post: started, done (button or voice) or skipped."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="attendance", on_delete=fields.CASCADE
    )
    cohort: fields.ForeignKeyRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="attendance", on_delete=fields.CASCADE
    )
    local_date = fields.DateField()  # the post's date in the cohort's zone
    slot = fields.CharField(max_length=12)  # block_a / block_b / session
    week = fields.IntField()  # the program week of local_date
    status = fields.CharField(max_length=10, null=True)  # null: only voice time so far
    started_at = fields.DatetimeField(null=True)
    done_at = fields.DatetimeField(null=True)
    skipped_at = fields.DatetimeField(null=True)
    done_by = fields.CharField(max_length=8, null=True)  # button / voice
    voice_seconds = fields.IntField(default=0)  # time in a study room during the block
    # Set once, when the Done form's solves were logged: the claim that makes them exactly once.
    solves_at = fields.DatetimeField(null=True)
    solve_count = fields.IntField(default=0)
    updated_at = fields.DatetimeField()

    class Meta:
        table = "block_attendance"
        unique_together = (("member", "cohort", "local_date", "slot"),)
        indexes = (("cohort_id", "week", "status"), ("member_id", "week", "status", "slot"))


class StudyRoom(Model):
    """A voice channel whose time counts as study time for one cohort."""

    id = fields.IntField(primary_key=True)
    guild: fields.ForeignKeyRelation[GuildConfig] = fields.ForeignKeyField(
        "coach.GuildConfig", related_name="study_rooms", on_delete=fields.CASCADE
    )
    cohort: fields.ForeignKeyRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="study_rooms", on_delete=fields.CASCADE
    )
    channel_id = fields.BigIntField(unique=True)
    added_by = fields.BigIntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "study_room"


class RoomSettings(Model):
    """A cohort's study-room options (one row per cohort, created when first changed)."""

    id = fields.IntField(primary_key=True)
    cohort: fields.OneToOneRelation[Cohort] = fields.OneToOneField(
        "coach.Cohort", related_name="room_settings", on_delete=fields.CASCADE
    )
    ignore_deafened = fields.BooleanField(default=False)  # self-deafened time does not count
    updated_at = fields.DatetimeField()

    class Meta:
        table = "room_settings"


class VoiceSession(Model):
    """One stay in a study room: join to leave (or move out), with its self-deafened spans."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="voice_sessions", on_delete=fields.CASCADE
    )
    guild: fields.ForeignKeyRelation[GuildConfig] = fields.ForeignKeyField(
        "coach.GuildConfig", related_name="voice_sessions", on_delete=fields.CASCADE
    )
    cohort: fields.ForeignKeyNullableRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="voice_sessions", null=True, on_delete=fields.SET_NULL
    )
    channel_id = fields.BigIntField()
    started_at = fields.DatetimeField()
    ended_at = fields.DatetimeField(null=True)
    # The last moment the bot saw the member in the room (events and the heartbeat): a
    # session the bot lost sight of is closed here, never at the time it noticed.
    last_seen_at = fields.DatetimeField()
    deaf_since = fields.DatetimeField(null=True)  # self-deafened right now, since then
    deaf_spans = fields.TextField(default="")  # closed self-deafened spans, epoch seconds
    seconds = fields.IntField(null=True)  # the whole stay, set when it ends
    deaf_seconds = fields.IntField(null=True)
    counted = fields.BooleanField(default=True)  # False: shorter than a minute, ignored
    end_reason = fields.CharField(max_length=12, null=True)  # left / moved / lost / removed
    # The member id while the session is open, null once closed: unique, so a member never
    # has two open sessions (NULLs never collide).
    open_for = fields.IntField(null=True, unique=True)

    class Meta:
        table = "voice_session"
        indexes = (("guild_id", "ended_at"), ("member_id", "started_at"))


class VoiceDay(Model):
    """A member's study-room time on one local day (their own zone), from closed sessions."""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="voice_days", on_delete=fields.CASCADE
    )
    cohort: fields.ForeignKeyNullableRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="voice_days", null=True, on_delete=fields.SET_NULL
    )
    local_date = fields.DateField()
    week = fields.IntField()  # the program week local_date counts towards
    seconds = fields.IntField(default=0)
    deaf_seconds = fields.IntField(default=0)

    class Meta:
        table = "voice_day"
        unique_together = (("member", "local_date"),)
        indexes = (("member_id", "week", "seconds", "deaf_seconds"),)


class TimerStatus(StrEnum):
    RUNNING = "running"
    STOPPED = "stopped"
    FINISHED = "finished"


class FocusTimer(Model):
    """A micro-routine timer: a member's own (announced by DM) or a study room's shared one."""

    id = fields.IntField(primary_key=True)
    guild: fields.ForeignKeyRelation[GuildConfig] = fields.ForeignKeyField(
        "coach.GuildConfig", related_name="focus_timers", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="focus_timers", on_delete=fields.CASCADE
    )  # who started it
    cohort: fields.ForeignKeyNullableRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="focus_timers", null=True, on_delete=fields.SET_NULL
    )
    room_id = fields.BigIntField(null=True)  # the study room of a group timer
    channel_id = fields.BigIntField(null=True)  # where it was started (the DM fallback)
    routine = fields.CharField(max_length=40)  # "roadmap" or a spec like "50/10 x3"
    block_date = fields.DateField(null=True)  # the block it is for, if any
    block_slot = fields.CharField(max_length=12, null=True)
    started_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    status = fields.CharField(max_length=10, default=TimerStatus.RUNNING.value)
    stopped_at = fields.DatetimeField(null=True)
    # "m<member id>" or "r<room id>" while running, null after: one running timer each.
    active_key = fields.CharField(max_length=32, null=True, unique=True)

    class Meta:
        table = "focus_timer"


class PhaseStatus(StrEnum):
    SCHEDULED = "scheduled"
    CLAIMED = "claimed"  # a sender took it, result unknown
    SENT = "sent"
    FAILED = "failed"  # could not be delivered anywhere
    SKIPPED = "skipped"  # a later phase was already due: announced together with it
    CANCELLED = "cancelled"  # the timer was stopped


class FocusPhase(Model):
    """One announcement of a focus timer: a phase starting, or the routine ending."""

    id = fields.IntField(primary_key=True)
    timer: fields.ForeignKeyRelation[FocusTimer] = fields.ForeignKeyField(
        "coach.FocusTimer", related_name="phases", on_delete=fields.CASCADE
    )
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="focus_phases", on_delete=fields.CASCADE
    )  # the timer's owner (so forgetting a member finds these rows directly)
    position = fields.IntField()  # 0 = the first phase, len(phases) = the end
    name = fields.CharField(max_length=120)
    kind = fields.CharField(max_length=10)  # anki / focus / reflect / break / end
    minutes = fields.IntField()
    due_at = fields.DatetimeField()
    status = fields.CharField(max_length=10, default=PhaseStatus.SCHEDULED.value)
    claimed_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)
    message_id = fields.BigIntField(null=True)
    error = fields.CharField(max_length=200, null=True)

    class Meta:
        table = "focus_phase"
        unique_together = (("timer", "position"),)
        indexes = (("status", "due_at"),)
