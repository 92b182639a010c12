"""The open cases of a post read from the index alone (worker dashboard)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_search_within_posts'),
        ('iscg', '0002_access_log'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='cases_case_post_id_ea61fc_idx',
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['post', 'closed_on'], include=('opened_on', 'beneficiary', 'id'), name='case_post_closed'),
        ),
    ]
