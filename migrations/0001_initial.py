from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='GuildConfig',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('guild_id', fields.BigIntField(unique=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('left_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'guild_config', 'app': 'coach', 'pk_attr': 'id', 'table_description': 'A Discord server that uses the bot.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Cohort',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('guild', fields.ForeignKeyField('coach.GuildConfig', source_field='guild_id', db_constraint=True, to_field='id', related_name='cohorts', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=64)),
                ('channel_id', fields.BigIntField()),
                ('timezone', fields.CharField(max_length=64)),
                ('start_date', fields.DateField()),
                ('block_a_time', fields.CharField(default='07:00', max_length=5)),
                ('block_b_time', fields.CharField(default='19:00', max_length=5)),
                ('weekend_time', fields.CharField(default='10:00', max_length=5)),
                ('recap_weekday', fields.CharField(default='sun', max_length=3)),
                ('recap_time', fields.CharField(default='20:00', max_length=5)),
                ('role_id', fields.BigIntField(null=True)),
                ('schedule_from', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('setup_user_id', fields.BigIntField()),
                ('failure_notified', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'cohort', 'app': 'coach', 'unique_together': (('guild', 'name'),), 'pk_attr': 'id', 'table_description': 'A study group following the roadmap on one schedule in one channel.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CohortPause',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', db_constraint=True, to_field='id', related_name='pauses', on_delete=OnDelete.CASCADE)),
                ('start_date', fields.DateField()),
                ('end_date', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'cohort_pause', 'app': 'coach', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Member',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('guild', fields.ForeignKeyField('coach.GuildConfig', source_field='guild_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('user_id', fields.BigIntField()),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', null=True, db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.SET_NULL)),
                ('display_name', fields.CharField(default='', max_length=100)),
                ('timezone', fields.CharField(null=True, max_length=64)),
                ('public_lines', fields.BooleanField(default=True)),
                ('nudges', fields.BooleanField(default=True)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('left_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'member', 'app': 'coach', 'unique_together': (('guild', 'user_id'),), 'pk_attr': 'id', 'table_description': 'A Discord user studying in a guild. History stays when they leave a cohort.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Post',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', db_constraint=True, to_field='id', related_name='posts', on_delete=OnDelete.CASCADE)),
                ('local_date', fields.DateField()),
                ('slot', fields.CharField(max_length=24)),
                ('status', fields.CharField(max_length=12)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('nonce', fields.CharField(max_length=25)),
                ('claimed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('late', fields.BooleanField(default=False)),
                ('message_ids', fields.CharField(default='', max_length=400)),
                ('error', fields.CharField(null=True, max_length=500)),
                ('attempts', fields.IntField(default=0)),
            ],
            options={'table': 'post', 'app': 'coach', 'unique_together': (('cohort', 'local_date', 'slot'),), 'pk_attr': 'id', 'table_description': 'The post ledger: one row per (cohort, local date, slot), claimed before sending.'},
            bases=['Model'],
        ),
    ]
