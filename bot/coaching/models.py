"""Tables of the coach (app label ``coach``, registered in :mod:`bot.db`).

Docstrings become SQL table comments and must not contain a semicolon (Tortoise 1.1.9).
"""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from bot.models import Cohort, Member


class CoachPlan(Model):
    """A catch-up plan for the rest of one program week, built by /plan and followed by /next"""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="coach_plans", on_delete=fields.CASCADE
    )
    cohort: fields.ForeignKeyNullableRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="coach_plans", null=True, on_delete=fields.SET_NULL
    )
    week = fields.IntField()  # the program week it plans
    created_at = fields.DatetimeField()
    starts_on = fields.DateField()  # the member's local date it was made
    ends_on = fields.DateField()
    unique_before = fields.IntField()  # unique problems when it was made
    pace_target = fields.IntField()  # the roadmap's pace at the end of the week (rounded up)
    active = fields.BooleanField(default=True)  # false once a newer plan replaced it
    # {"items": [{"day": iso date, "slot": block_a|block_b|session, "key": problem key or null
    #   (any new problem), "difficulty": str, "minutes": int, "pattern": str|null}],
    #  "rest": [iso dates kept free]}: see bot.core.plan.plan_to_json
    items: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)

    class Meta:
        table = "coach_plan"
        indexes = (("member_id", "week"),)


class RewardRole(Model):
    """A role the bot grants in a cohort when a member passes a milestone or keeps a streak"""

    id = fields.IntField(primary_key=True)
    cohort: fields.ForeignKeyRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="reward_roles", on_delete=fields.CASCADE
    )
    reward = fields.CharField(max_length=40)  # milestone:eow-8 / streak:30
    role_id = fields.BigIntField()
    set_by = fields.BigIntField()
    updated_at = fields.DatetimeField()

    class Meta:
        table = "reward_role"
        unique_together = (("cohort", "reward"),)


class RoleGrant(Model):
    """A reward a member earned, recorded so its role is granted and announced once"""

    id = fields.IntField(primary_key=True)
    member: fields.ForeignKeyRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="role_grants", on_delete=fields.CASCADE
    )
    reward = fields.CharField(max_length=40)
    role_id = fields.BigIntField()
    status = fields.CharField(max_length=10, default="owed")  # owed (not given yet) / granted
    earned_at = fields.DatetimeField()
    granted_at = fields.DatetimeField(null=True)
    announced = fields.BooleanField(default=False)

    class Meta:
        table = "role_grant"
        unique_together = (("member", "reward"),)
