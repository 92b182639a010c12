"""Indexes of the worker's beneficiary search.

- cases (post, beneficiary): the beneficiaries accompanied on a post, read from the index
  alone (``Beneficiary.objects.visible_to``).
- on PostgreSQL only, a trigram GIN index on ``search_text`` for ``LIKE '%…%'``. It is not
  part of the model state (SQLite has no such index): ``makemigrations`` stays clean on
  both databases, and ``IF NOT EXISTS`` makes the step safe to replay.
"""

from django.db import migrations, models

TRIGRAM_INDEX = "beneficiary_search_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} "
        "ON cases_beneficiary USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_bilan_covering_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["post", "beneficiary"], name="case_post_beneficiary"),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False),
    ]
