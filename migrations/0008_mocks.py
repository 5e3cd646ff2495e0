from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("coach", "0007_sessions")]

    initial = False

    operations = [
        ops.CreateModel(
            name="MockProfile",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "member",
                    fields.OneToOneField(
                        "coach.Member",
                        source_field="member_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_profile",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("status", fields.CharField(default="active", max_length=8)),
                ("kinds", fields.CharField(max_length=60)),
                ("windows", fields.CharField(max_length=400)),
                ("waited", fields.IntField(default=0)),
                ("no_show_streak", fields.IntField(default=0)),
                ("sit_out", fields.BooleanField(default=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "mock_profile",
                "app": "coach",
                "pk_attr": "id",
                "table_description": "A member's opt-in for peer mocks: kinds, weekly windows and their place in line.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MockRound",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "cohort",
                    fields.ForeignKeyField(
                        "coach.Cohort",
                        source_field="cohort_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_rounds",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("week_start", fields.DateField()),
                ("status", fields.CharField(default="claimed", max_length=8)),
                ("claimed_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("matched_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("pair_count", fields.IntField(default=0)),
                ("delivery", fields.CharField(null=True, max_length=200)),
                ("announced", fields.BooleanField(default=False)),
            ],
            options={
                "table": "mock_round",
                "app": "coach",
                "unique_together": (("cohort", "week_start"),),
                "pk_attr": "id",
                "table_description": "One cohort's weekly matching, claimed once per cohort and week.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MockPair",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "round",
                    fields.ForeignKeyField(
                        "coach.MockRound",
                        source_field="round_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="pairs",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "member_a",
                    fields.ForeignKeyField(
                        "coach.Member",
                        source_field="member_a_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_pairs_a",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "member_b",
                    fields.ForeignKeyField(
                        "coach.Member",
                        source_field="member_b_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_pairs_b",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("kind", fields.CharField(max_length=16)),
                ("overlap", fields.TextField(unique=False)),
                ("status", fields.CharField(default="pending", max_length=10)),
                ("claimed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("thread_id", fields.BigIntField(null=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "mock_pair",
                "app": "coach",
                "indexes": [Index(fields=["status", "claimed_at"])],
                "pk_attr": "id",
                "table_description": "Two members paired for a week: two sessions with the roles swapped.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MockSession",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "pair",
                    fields.ForeignKeyField(
                        "coach.MockPair",
                        source_field="pair_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("number", fields.IntField()),
                (
                    "interviewer",
                    fields.ForeignKeyField(
                        "coach.Member",
                        source_field="interviewer_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_sessions_given",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "interviewee",
                    fields.ForeignKeyField(
                        "coach.Member",
                        source_field="interviewee_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_sessions_received",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("status", fields.CharField(default="open", max_length=10)),
                (
                    "proposed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("proposed_by", fields.IntField(null=True)),
                ("starts_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("event_id", fields.BigIntField(null=True)),
                (
                    "reminder_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("reminder_status", fields.CharField(null=True, max_length=10)),
                (
                    "reminder_claimed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("topic", fields.CharField(null=True, max_length=64)),
                ("topic_week", fields.IntField(null=True)),
                ("packet_status", fields.CharField(null=True, max_length=8)),
                ("scores", fields.CharField(null=True, max_length=40)),
                ("verdict", fields.CharField(null=True, max_length=14)),
                (
                    "feedback",
                    fields.ForeignKeyField(
                        "coach.Entry",
                        source_field="feedback_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_feedback",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("mistakes", fields.TextField(null=True, unique=False)),
                ("advice", fields.TextField(null=True, unique=False)),
                (
                    "oops",
                    fields.ForeignKeyField(
                        "coach.Entry",
                        source_field="oops_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_oops",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "no_show",
                    fields.ForeignKeyField(
                        "coach.Member",
                        source_field="no_show_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_no_shows",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "mock_session",
                "app": "coach",
                "unique_together": (("pair", "number"),),
                "indexes": [
                    Index(fields=["reminder_status", "reminder_at"]),
                    Index(fields=["status", "created_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One interview of a pair: who interviews whom, when, the packet and the feedback.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MockSettings",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "cohort",
                    fields.OneToOneField(
                        "coach.Cohort",
                        source_field="cohort_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="mock_settings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("weekday", fields.CharField(default="mon", max_length=3)),
                ("match_time", fields.CharField(null=True, max_length=5)),
                ("enabled", fields.BooleanField(default=True)),
            ],
            options={
                "table": "mock_settings",
                "app": "coach",
                "pk_attr": "id",
                "table_description": "A cohort's peer mock settings: when the weekly matching runs.",
            },
            bases=["Model"],
        ),
    ]
