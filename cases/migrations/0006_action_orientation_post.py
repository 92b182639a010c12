"""Actes and orientations carry their case's post (filled from the case here), so that
visibility and bilans filter them by (post, date) through one index."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_post_from_case(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for name in ("Action", "Orientation"):
        model = apps.get_model("cases", name)
        model.objects.update(
            post_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("post_id")[:1])
        )


def _post(null):
    return models.ForeignKey(
        editable=False,
        null=null,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to="iscg.post",
        verbose_name="poste",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_notification_outbox"),
        ("iscg", "0002_access_log"),
    ]

    operations = [
        migrations.AddField(model_name="action", name="post", field=_post(null=True)),
        migrations.AddField(model_name="orientation", name="post", field=_post(null=True)),
        migrations.RunPython(copy_post_from_case, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(model_name="action", name="post", field=_post(null=False)),
        migrations.AlterField(model_name="orientation", name="post", field=_post(null=False)),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                fields=["post", "occurred_at"],
                include=["kind", "site", "case"],
                name="action_post_date",
            ),
        ),
        migrations.AddIndex(
            model_name="orientation",
            index=models.Index(fields=["post", "oriented_on"], name="orientation_post_date"),
        ),
    ]
