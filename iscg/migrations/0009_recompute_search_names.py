"""Communes' search keys follow iscg.text.normalize, the one rule every search compares with.

The earlier key kept some punctuation ("(", "!") and the ligatures "œ" and "æ" that a typed
query ("oe") never matched; only keys that change are written.
"""

from django.db import migrations

from iscg.text import normalize


def recompute(apps, schema_editor):
    Commune = apps.get_model("iscg", "Commune")
    changed = []
    for commune in Commune.objects.only("pk", "name", "search_name").iterator(chunk_size=5000):
        key = normalize(commune.name)
        if key != commune.search_name:
            commune.search_name = key
            changed.append(commune)
    Commune.objects.bulk_update(changed, ["search_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("iscg", "0008_form_submissions")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
