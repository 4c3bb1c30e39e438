"""Model fields shared by the apps."""

from __future__ import annotations

import json
from typing import Any

from django.db import models


class OrderedJSONField(models.TextField):
    """JSON kept as text, so the order of keys survives the database.

    PostgreSQL's ``jsonb`` (Django's JSONField) reorders object keys; competition rules need
    their order kept (the order of rubric variants, of sections, of keys shown to people), and
    they are never queried inside the database.
    """

    description = "JSON text with its key order kept"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return json.dumps(value, ensure_ascii=False, default=str)

    def value_to_string(self, obj: Any) -> str:
        return self.get_prep_value(self.value_from_object(obj)) or ""
