from django.db import migrations


def forget_old_sessions(apps, schema_editor):
    """The sessions of Django's own table: once the engine writes iscg_accountsession, none
    is read again, and the nightly clearsessions no longer clears that table. Their data
    (an import preview's messages, with names) is deleted now rather than kept forever."""
    apps.get_model("sessions", "Session").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("iscg", "0012_account_session"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forget_old_sessions, migrations.RunPython.noop)]
