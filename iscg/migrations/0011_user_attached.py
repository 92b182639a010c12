from django.db import migrations, models


def mark_attached(apps, schema_editor):
    """Every account holding or having held a role is attached."""
    User = apps.get_model("iscg", "User")
    Membership = apps.get_model("iscg", "Membership")
    User.objects.filter(
        models.Exists(Membership.objects.filter(user=models.OuterRef("pk")))
    ).update(attached=True)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("iscg", "0010_accesslog_partial_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="attached",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="rattaché à un département"
            ),
        ),
        migrations.RunPython(mark_attached, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(
                condition=models.Q(("attached", False), ("is_superuser", False)),
                fields=["last_name", "first_name", "email"],
                name="user_unattached_name",
            ),
        ),
    ]
