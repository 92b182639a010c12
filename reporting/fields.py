"""A JSON document kept as text: written once, read whole, never queried inside."""

import json

from django.db import models


class JSONTextField(models.TextField):
    """JSON stored as plain text rather than ``jsonb``.

    For documents the application writes once and reads back whole, such as the grouped
    rows frozen with a bilan (``Report.sources``), which a consolidation reads by the
    hundred: PostgreSQL returns a text column as stored, where it rebuilds the text of
    every ``jsonb`` value on each read (bench/README.md, « Réglages mesurés »). Nothing
    queries inside these documents, so ``jsonb``'s operators are not missed.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return json.dumps(value, separators=(",", ":"))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))
