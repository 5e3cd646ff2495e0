"""Tables of the progress page (app label ``coach``, registered in :mod:`bot.db`).

Docstrings become SQL table comments and must not contain a semicolon (Tortoise 1.1.9).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from bot.models import Cohort, Member


class LinkKind(StrEnum):
    COHORT = "cohort"  # the whole group's page, made by /coach web
    MEMBER = "member"  # one member's own page, made by /progress link


class WebLink(Model):
    """An unguessable progress-page link, stored as the SHA-256 of its token, never the token"""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=8)
    cohort: fields.ForeignKeyRelation[Cohort] = fields.ForeignKeyField(
        "coach.Cohort", related_name="web_links", on_delete=fields.CASCADE
    )
    # the member whose own page it opens (member links only)
    member: fields.ForeignKeyNullableRelation[Member] = fields.ForeignKeyField(
        "coach.Member", related_name="web_links", null=True, on_delete=fields.CASCADE
    )
    token_hash = fields.CharField(max_length=64, unique=True)
    created_by = fields.BigIntField()  # the Discord user who made it
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(null=True)  # member links expire, cohort links don't

    class Meta:
        table = "web_link"
        indexes = (("cohort_id", "kind"), ("member_id", "kind"))
