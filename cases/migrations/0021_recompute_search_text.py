"""People's search text follows iscg.text.normalize, the one rule every search compares with.

The archive search and the import's matching used other rules than the stored text; the
stored text kept "_" and the ligatures "œ" and "æ" that a typed query ("oe") never matched.
Only rows whose text changes are written, a batch at a time.
"""

from django.db import migrations

from iscg.text import person_search_text


def recompute(apps, schema_editor):
    Beneficiary = apps.get_model("cases", "Beneficiary")
    rows = Beneficiary.objects.only("pk", "last_name", "first_name", "phone", "search_text")
    changed = []
    for person in rows.iterator(chunk_size=5000):
        text = person_search_text(person.last_name, person.first_name, person.phone)
        if text != person.search_text:
            person.search_text = text
            changed.append(person)
        if len(changed) >= 2000:
            Beneficiary.objects.bulk_update(changed, ["search_text"])
            changed = []
    Beneficiary.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0020_orientation_import_batch")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop, elidable=True)]
