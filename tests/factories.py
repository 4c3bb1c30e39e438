"""factory_boy factories for the data model (tests only)."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.competitions.models import Organiser
from sayembara.entries.models import Institution


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save(update_fields=["password"])


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"BRIDA Kabupaten {n}")
    slug = factory.Sequence(lambda n: f"brida-{n}")
    timezone = "WITA"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    organiser = factory.SubFactory(OrganiserFactory)
    name = factory.Sequence(lambda n: f"Dinas Nomor {n}")
    kind = "perangkat_daerah"


def grant(user, role: str, **scope) -> Membership:
    """Give ``user`` a role within a scope (organiser=, edition= or institution=)."""
    membership = Membership.objects.create(user=user, role=role, **scope)
    if hasattr(user, "_sayembara_scopes"):
        del user._sayembara_scopes
    return membership


__all__ = ["InstitutionFactory", "OrganiserFactory", "Role", "UserFactory", "grant"]
