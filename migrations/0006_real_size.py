from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('coach', '0005_recap_indexes')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BuddySeat',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('coach.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='buddy_seat', on_delete=OnDelete.CASCADE)),
                ('pair', fields.ForeignKeyField('coach.Buddy', source_field='pair_id', db_constraint=True, to_field='id', related_name='seats', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'buddy_seat', 'app': 'coach', 'pk_attr': 'id', 'table_description': "A member's one seat in an active pairing: unique per member, so nobody has two buddies."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Entry',
            name='quantity',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Member',
            name='share_progress',
            field=fields.BooleanField(default=True),
        ),
    ]
