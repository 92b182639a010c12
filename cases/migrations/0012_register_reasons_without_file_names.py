"""The register's import reasons named the file deposited (often a person's name): they
now say the import's number only."""

from django.db import migrations
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat

REASONS = {"import": "Import d'activité n° ", "import_undo": "Annulation de l'import n° "}


def forwards(apps, schema_editor):
    events = apps.get_model("cases", "DataProtectionEvent").objects
    for action, prefix in REASONS.items():
        events.filter(action=action).update(
            reason=Concat(Value(prefix), Cast("object_id", CharField()), output_field=CharField())
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_open_cases_covering_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
