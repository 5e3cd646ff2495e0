from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('coach', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Entry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', null=True, db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharField(max_length=10)),
                ('local_date', fields.DateField()),
                ('week', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('source', fields.CharField(default='command', max_length=10)),
                ('dedupe_key', fields.CharField(null=True, max_length=120)),
                ('problem_key', fields.CharField(null=True, max_length=100)),
                ('problem_number', fields.IntField(null=True)),
                ('problem_slug', fields.CharField(null=True, max_length=100)),
                ('problem_title', fields.CharField(null=True, max_length=200)),
                ('difficulty', fields.CharField(null=True, max_length=6)),
                ('minutes', fields.IntField(null=True)),
                ('language', fields.CharField(null=True, max_length=10)),
                ('mode', fields.CharField(null=True, max_length=10)),
                ('pattern', fields.CharField(null=True, max_length=100)),
                ('text', fields.TextField(null=True, unique=False)),
                ('lesson', fields.TextField(null=True, unique=False)),
                ('mock_kind', fields.CharField(null=True, max_length=16)),
                ('rating', fields.CharField(null=True, max_length=14)),
                ('platform', fields.CharField(null=True, max_length=20)),
                ('percentile', fields.FloatField(null=True)),
                ('contest_name', fields.CharField(null=True, max_length=100)),
                ('rank', fields.IntField(null=True)),
                ('solved_count', fields.IntField(null=True)),
                ('reviewed', fields.IntField(null=True)),
                ('new_cards', fields.IntField(null=True)),
                ('mature_total', fields.IntField(null=True)),
                ('item_id', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'entry', 'app': 'coach', 'unique_together': (('member', 'dedupe_key'),), 'indexes': [Index(fields=['member_id', 'kind', 'local_date']), Index(fields=['cohort_id', 'kind', 'week'])], 'pk_attr': 'id', 'table_description': 'One logged piece of progress. Kind-specific columns are null for the other kinds.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Cohort',
            name='nudges_enabled',
            field=fields.BooleanField(default=True),
        ),
        ops.AddField(
            model_name='Cohort',
            name='rest_days_per_week',
            field=fields.IntField(default=1),
        ),
    ]
