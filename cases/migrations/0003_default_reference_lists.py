from django.db import migrations

from cases.reference_data import ACTION_KINDS, PROBLEMS


def load(apps, schema_editor):
    Problem = apps.get_model("cases", "Problem")
    ActionKind = apps.get_model("cases", "ActionKind")
    for order, (code, label) in enumerate(PROBLEMS, start=1):
        Problem.objects.update_or_create(code=code, defaults={"label": label, "order": order * 10})
    for order, (code, label, legal_report, is_contact) in enumerate(ACTION_KINDS, start=1):
        ActionKind.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "legal_report": legal_report,
                "is_contact": is_contact,
                "order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
