from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('coach', '0006_real_size')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BlockAttendance',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='attendance', on_delete=OnDelete.CASCADE)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', db_constraint=True, to_field='id', related_name='attendance', on_delete=OnDelete.CASCADE)),
                ('local_date', fields.DateField()),
                ('slot', fields.CharField(max_length=12)),
                ('week', fields.IntField()),
                ('status', fields.CharField(null=True, max_length=10)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('done_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('skipped_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('done_by', fields.CharField(null=True, max_length=8)),
                ('voice_seconds', fields.IntField(default=0)),
                ('solves_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('solve_count', fields.IntField(default=0)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'block_attendance', 'app': 'coach', 'unique_together': (('member', 'cohort', 'local_date', 'slot'),), 'indexes': [Index(fields=['cohort_id', 'week', 'status']), Index(fields=['member_id', 'week', 'status', 'slot'])], 'pk_attr': 'id', 'table_description': "A member's check-in on one block post: started, done (button or voice) or skipped."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FocusTimer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('guild', fields.ForeignKeyField('coach.GuildConfig', source_field='guild_id', db_constraint=True, to_field='id', related_name='focus_timers', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='focus_timers', on_delete=OnDelete.CASCADE)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', null=True, db_constraint=True, to_field='id', related_name='focus_timers', on_delete=OnDelete.SET_NULL)),
                ('room_id', fields.BigIntField(null=True)),
                ('channel_id', fields.BigIntField(null=True)),
                ('routine', fields.CharField(max_length=40)),
                ('block_date', fields.DateField(null=True)),
                ('block_slot', fields.CharField(null=True, max_length=12)),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='running', max_length=10)),
                ('stopped_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('active_key', fields.CharField(null=True, unique=True, max_length=32)),
            ],
            options={'table': 'focus_timer', 'app': 'coach', 'pk_attr': 'id', 'table_description': "A micro-routine timer: a member's own (announced by DM) or a study room's shared one."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FocusPhase',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('timer', fields.ForeignKeyField('coach.FocusTimer', source_field='timer_id', db_constraint=True, to_field='id', related_name='phases', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='focus_phases', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('name', fields.CharField(max_length=120)),
                ('kind', fields.CharField(max_length=10)),
                ('minutes', fields.IntField()),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='scheduled', max_length=10)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('message_id', fields.BigIntField(null=True)),
                ('error', fields.CharField(null=True, max_length=200)),
            ],
            options={'table': 'focus_phase', 'app': 'coach', 'unique_together': (('timer', 'position'),), 'indexes': [Index(fields=['status', 'due_at'])], 'pk_attr': 'id', 'table_description': 'One announcement of a focus timer: a phase starting, or the routine ending.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoomSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cohort', fields.OneToOneField('coach.Cohort', source_field='cohort_id', db_constraint=True, to_field='id', related_name='room_settings', on_delete=OnDelete.CASCADE)),
                ('ignore_deafened', fields.BooleanField(default=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'room_settings', 'app': 'coach', 'pk_attr': 'id', 'table_description': "A cohort's study-room options (one row per cohort, created when first changed)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StudyRoom',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('guild', fields.ForeignKeyField('coach.GuildConfig', source_field='guild_id', db_constraint=True, to_field='id', related_name='study_rooms', on_delete=OnDelete.CASCADE)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', db_constraint=True, to_field='id', related_name='study_rooms', on_delete=OnDelete.CASCADE)),
                ('channel_id', fields.BigIntField(unique=True)),
                ('added_by', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'study_room', 'app': 'coach', 'pk_attr': 'id', 'table_description': 'A voice channel whose time counts as study time for one cohort.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VoiceDay',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='voice_days', on_delete=OnDelete.CASCADE)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', null=True, db_constraint=True, to_field='id', related_name='voice_days', on_delete=OnDelete.SET_NULL)),
                ('local_date', fields.DateField()),
                ('week', fields.IntField()),
                ('seconds', fields.IntField(default=0)),
                ('deaf_seconds', fields.IntField(default=0)),
            ],
            options={'table': 'voice_day', 'app': 'coach', 'unique_together': (('member', 'local_date'),), 'indexes': [Index(fields=['member_id', 'week', 'seconds', 'deaf_seconds'])], 'pk_attr': 'id', 'table_description': "A member's study-room time on one local day (their own zone), from closed sessions."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VoiceSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='voice_sessions', on_delete=OnDelete.CASCADE)),
                ('guild', fields.ForeignKeyField('coach.GuildConfig', source_field='guild_id', db_constraint=True, to_field='id', related_name='voice_sessions', on_delete=OnDelete.CASCADE)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', null=True, db_constraint=True, to_field='id', related_name='voice_sessions', on_delete=OnDelete.SET_NULL)),
                ('channel_id', fields.BigIntField()),
                ('started_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('deaf_since', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deaf_spans', fields.TextField(default='', unique=False)),
                ('seconds', fields.IntField(null=True)),
                ('deaf_seconds', fields.IntField(null=True)),
                ('counted', fields.BooleanField(default=True)),
                ('end_reason', fields.CharField(null=True, max_length=12)),
                ('open_for', fields.IntField(null=True, unique=True)),
            ],
            options={'table': 'voice_session', 'app': 'coach', 'indexes': [Index(fields=['guild_id', 'ended_at']), Index(fields=['member_id', 'started_at'])], 'pk_attr': 'id', 'table_description': 'One stay in a study room: join to leave (or move out), with its self-deafened spans.'},
            bases=['Model'],
        ),
    ]
