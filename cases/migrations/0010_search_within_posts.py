"""Search within the posts' own records.

- ``Case.beneficiary_elsewhere`` marks the cases whose person's record belongs to another
  post; existing cases are marked here;
- a partial index finds those few people per post, and a (post, search_text) index lets a
  search read a post's names from the index alone.
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def mark_cases_elsewhere(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    Case.objects.exclude(post=F("beneficiary__post")).update(beneficiary_elsewhere=True)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_orientation_covering_index'),
        ('iscg', '0002_access_log'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='case_post_beneficiary',
        ),
        migrations.AddField(
            model_name='case',
            name='beneficiary_elsewhere',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.RunPython(mark_cases_elsewhere, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='beneficiary',
            index=models.Index(fields=['post', 'search_text'], include=('id',), name='beneficiary_post_search'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('beneficiary_elsewhere', True)), fields=['post', 'beneficiary'], name='case_post_elsewhere'),
        ),
    ]
