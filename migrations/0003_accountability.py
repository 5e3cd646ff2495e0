from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('coach', '0002_progress_entries')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Buddy',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('requester', fields.ForeignKeyField('coach.Member', source_field='requester_id', db_constraint=True, to_field='id', related_name='buddy_requests', on_delete=OnDelete.CASCADE)),
                ('partner', fields.ForeignKeyField('coach.Member', source_field='partner_id', db_constraint=True, to_field='id', related_name='buddy_invites', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(default='pending', max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('responded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'buddy', 'app': 'coach', 'pk_attr': 'id', 'table_description': 'An accountability pair. Both members accept before it is active.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OopsReview',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry', fields.ForeignKeyField('coach.Entry', source_field='entry_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.CASCADE)),
                ('round', fields.IntField(default=1)),
                ('step', fields.IntField()),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='scheduled', max_length=10)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('delivery', fields.CharField(null=True, max_length=6)),
                ('message_id', fields.BigIntField(null=True)),
            ],
            options={'table': 'oops_review', 'app': 'coach', 'unique_together': (('entry', 'round', 'step'),), 'indexes': [Index(fields=['status', 'due_at'])], 'pk_attr': 'id', 'table_description': "One step of an Oops entry's re-review ladder (1, 3, 7, 21 days), sent exactly once."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Cohort',
            name='points_easy',
            field=fields.IntField(default=1),
        ),
        ops.AddField(
            model_name='Cohort',
            name='points_hard',
            field=fields.IntField(default=7),
        ),
        ops.AddField(
            model_name='Cohort',
            name='points_medium',
            field=fields.IntField(default=3),
        ),
        ops.AddField(
            model_name='Member',
            name='buddy_alerted_for',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Member',
            name='nudged_for',
            field=fields.DateField(null=True),
        ),
    ]
