"""The data state of each post's own bilan frozen before states were recorded: the digest
of the rows frozen with it (Report.sources are the rows its figures were computed from,
JSON values both ways), so that the bilans made after it relate to it
(reporting.secrecy.versions). A bilan of several posts froze its rows summed over its
posts: its posts' states are inferred when it is audited."""

from django.db import migrations

from reporting.indicators.states import digest


def backfill(apps, schema_editor):
    report_model = apps.get_model("reporting", "Report")
    frozen = report_model.objects.filter(scope_kind="post", post_states={}).exclude(sources={})
    for report in frozen.only("pk", "scope_post_id", "sources").iterator(chunk_size=200):
        rows = {
            name: [dict(zip(packed["fields"], row, strict=True)) for row in packed["rows"]]
            for name, packed in report.sources.items()
        }
        report_model.objects.filter(pk=report.pk).update(
            post_states={str(report.scope_post_id): digest(rows)}
        )


class Migration(migrations.Migration):
    dependencies = [("reporting", "0010_report_post_states")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
