from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('coach', '0009_coach')]

    initial = False

    operations = [
        ops.CreateModel(
            name='WebLink',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=8)),
                ('cohort', fields.ForeignKeyField('coach.Cohort', source_field='cohort_id', db_constraint=True, to_field='id', related_name='web_links', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('coach.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='web_links', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_by', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'web_link', 'app': 'coach', 'indexes': [Index(fields=['cohort_id', 'kind']), Index(fields=['member_id', 'kind'])], 'pk_attr': 'id', 'table_description': 'An unguessable progress-page link, stored as the SHA-256 of its token, never the token'},
            bases=['Model'],
        ),
    ]
