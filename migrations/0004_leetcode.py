from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('coach', '0003_accountability')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LeetCodeLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='leetcode_link', on_delete=OnDelete.CASCADE)),
                ('guild', fields.ForeignKeyField('coach.GuildConfig', source_field='guild_id', db_constraint=True, to_field='id', related_name='leetcode_links', on_delete=OnDelete.CASCADE)),
                ('site', fields.CharField(max_length=16)),
                ('username', fields.CharField(max_length=64)),
                ('username_lower', fields.CharField(null=True, max_length=64)),
                ('code', fields.CharField(null=True, max_length=32)),
                ('code_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('verified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_sync_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(null=True, max_length=300)),
                ('last_error_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('failures', fields.IntField(default=0)),
                ('next_poll_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('gap_notified_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'leetcode_link', 'app': 'coach', 'unique_together': (('guild', 'site', 'username_lower'),), 'indexes': [Index(fields=['next_poll_at'])], 'pk_attr': 'id', 'table_description': "A member's LeetCode account: pending until its profile code is verified, then polled."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LeetCodeProblem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=100)),
                ('number', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('difficulty', fields.CharField(max_length=6)),
                ('site', fields.CharField(max_length=16)),
                ('fetched_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'leetcode_problem', 'app': 'coach', 'pk_attr': 'id', 'table_description': 'Problem metadata by slug, fetched from LeetCode once and kept.'},
            bases=['Model'],
        ),
    ]
