from django.db import migrations

from partners.reference_data import PARTNER_KINDS


def load(apps, schema_editor):
    PartnerKind = apps.get_model("partners", "PartnerKind")
    for order, (code, label) in enumerate(PARTNER_KINDS, start=1):
        PartnerKind.objects.update_or_create(code=code, defaults={"label": label, "order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
