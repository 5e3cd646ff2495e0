from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('coach', '0008_mocks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CoachPlan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='coach_plans', on_delete=OnDelete.CASCADE)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', null=True, db_constraint=True, to_field='id', related_name='coach_plans', on_delete=OnDelete.SET_NULL)),
                ('week', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('unique_before', fields.IntField()),
                ('pace_target', fields.IntField()),
                ('active', fields.BooleanField(default=True)),
                ('items', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'coach_plan', 'app': 'coach', 'indexes': [Index(fields=['member_id', 'week'])], 'pk_attr': 'id', 'table_description': 'A catch-up plan for the rest of one program week, built by /plan and followed by /next'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RewardRole',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', db_constraint=True, to_field='id', related_name='reward_roles', on_delete=OnDelete.CASCADE)),
                ('reward', fields.CharField(max_length=40)),
                ('role_id', fields.BigIntField()),
                ('set_by', fields.BigIntField()),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'reward_role', 'app': 'coach', 'unique_together': (('cohort', 'reward'),), 'pk_attr': 'id', 'table_description': 'A role the bot grants in a cohort when a member passes a milestone or keeps a streak'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='role_grants', on_delete=OnDelete.CASCADE)),
                ('reward', fields.CharField(max_length=40)),
                ('role_id', fields.BigIntField()),
                ('status', fields.CharField(default='owed', max_length=10)),
                ('earned_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('granted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('announced', fields.BooleanField(default=False)),
            ],
            options={'table': 'role_grant', 'app': 'coach', 'unique_together': (('member', 'reward'),), 'pk_attr': 'id', 'table_description': 'A reward a member earned, recorded so its role is granted and announced once'},
            bases=['Model'],
        ),
    ]
