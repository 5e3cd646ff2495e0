from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('coach', '0004_leetcode')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='Entry',
            index=Index(fields=['member_id', 'kind', 'problem_key', 'week', 'difficulty']),
        ),
        ops.AddIndex(
            model_name='Entry',
            index=Index(fields=['member_id', 'local_date', 'week']),
        ),
    ]
