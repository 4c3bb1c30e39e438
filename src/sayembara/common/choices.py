"""Form fields choosing database rows by id, safe against any typed value.

Django's model choice fields hand the posted value to the database as it is: a 30-digit
"id" then overflows the integer column (a server error on SQLite and on PostgreSQL alike)
instead of being refused as a wrong choice. These fields refuse anything that is not a
plain id before a query is built; every form of the project uses them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from sayembara.common.params import is_plain_int


def _id_key(field: forms.ModelChoiceField) -> bool:
    return field.to_field_name in (None, "pk", "id")


class ModelChoiceField(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        if (value not in self.empty_values and _id_key(self)
                and not isinstance(value, self.queryset.model) and not is_plain_int(value)):
            raise ValidationError(self.error_messages["invalid_choice"],
                                  code="invalid_choice", params={"value": value})
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Any) -> Any:
        if _id_key(self):
            for pk in value:
                if not isinstance(pk, self.queryset.model) and not is_plain_int(pk):
                    raise ValidationError(self.error_messages["invalid_pk_value"],
                                          code="invalid_pk_value", params={"pk": pk})
        return super()._check_values(value)
