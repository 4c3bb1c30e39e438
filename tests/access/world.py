"""Two complete sides of Sayembara for the access matrix (see ``matrix.py``).

Each side is one organiser with an edition created from a built-in template, a parent and
a child institution, an entry from the child unit, a judge's seat with an assignment and a
draft score sheet, a field verifier's seat, and one user per role:

- ``organiser``: organiser membership of the side's organiser;
- ``admin_lokal``: Admin Lokal of the parent institution (so of the child unit too);
- ``operator``: operator of the child institution, the one that made the entry;
- ``judge``: judge of the edition, holding the judge's seat;
- ``field_verifier``: field verifier of the edition, holding the verifier's seat;
- ``auditor``: auditor of the edition.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from sayembara.accounts.enums import Role
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition, Organiser, Stage
from sayembara.competitions.services.editions import create_edition
from sayembara.competitions.services.status import set_edition_status
from sayembara.entries.models import Entry, Institution
from sayembara.entries.services.entries import create_entry
from sayembara.judging.enums import JuryRole, Unsur
from sayembara.judging.models import Assignment, Judge, ScoreSheet
from tests.factories import InstitutionFactory, OrganiserFactory, UserFactory, grant

#: The built-in templates tried, in order, for the world's editions.
PREFERRED_TEMPLATES = ("kipp-pemalang-2020", "mangupura-2024")


@functools.cache
def world_template():
    from sayembara.template_format import TemplateError, load_template

    for name in PREFERRED_TEMPLATES[:-1]:
        try:
            return load_template(name)
        except TemplateError:
            continue
    return load_template(PREFERRED_TEMPLATES[-1])


@dataclass
class Side:
    """One organiser's complete world; objects are attributes (see the module docstring)."""

    name: str
    organiser: Organiser
    edition: Edition
    stage: Stage
    parent_institution: Institution
    institution: Institution
    entry: Entry
    judge: Judge
    assignment: Assignment
    sheet: ScoreSheet
    verifier: Judge
    users: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, obj: Any) -> Any:
        """Keep an object made by an expectation file's ``extend(side)`` as ``side.<name>``."""
        if name in self.extra or name in self.__dataclass_fields__:
            raise ValueError(f"The side already has an object named {name!r}.")
        self.extra[name] = obj
        return obj

    def __getattr__(self, name: str) -> Any:
        extra = self.__dict__.get("extra", {})
        if name in extra:
            return extra[name]
        raise AttributeError(
            f"The {self.__dict__.get('name', '?')} side has no {name!r}; build it in the "
            "expectation file's extend(side) and store it with side.add()."
        )


@dataclass
class World:
    own: Side
    other: Side

    def side(self, name: str) -> Side:
        return self.own if name == "own" else self.other


def build_side(name: str) -> Side:
    template = world_template()
    organiser = OrganiserFactory(name=f"BRIDA Sisi {name}", slug=f"brida-{name}")
    organiser_user = UserFactory(username=f"{name}-organiser")
    grant(organiser_user, Role.ORGANISER, organiser=organiser)
    edition = create_edition(template=template, year=template.year, organiser=organiser,
                             actor=organiser_user, title=f"{template.title} ({name})")
    set_edition_status(edition=edition, status=EditionStatus.OPEN, actor=organiser_user)
    category = edition.categories.order_by("order").first()
    kinds = category.institution_types or [template.institution_types[0].id]
    parent = InstitutionFactory(organiser=organiser, name=f"Pemerintah Daerah {name}",
                                kind=kinds[0])
    child = InstitutionFactory(organiser=organiser, name=f"Unit Layanan {name}", kind=kinds[0],
                               parent=parent)
    users = {Role.ORGANISER.value: organiser_user}
    for role, scope in (
        (Role.ADMIN_LOKAL, {"institution": parent}),
        (Role.OPERATOR, {"institution": child}),
        (Role.JUDGE, {"edition": edition}),
        (Role.FIELD_VERIFIER, {"edition": edition}),
        (Role.AUDITOR, {"edition": edition}),
    ):
        user = UserFactory(username=f"{name}-{role.value}")
        grant(user, role, **scope)
        users[role.value] = user
    # The platform administrator belongs to no organiser: the same kind of account on both
    # sides, holding no key to either side's editions.
    platform_admin = UserFactory(username=f"{name}-{Role.PLATFORM_ADMIN.value}")
    grant(platform_admin, Role.PLATFORM_ADMIN)
    users[Role.PLATFORM_ADMIN.value] = platform_admin
    entry = create_entry(edition=edition, institution=child, category=category,
                         title=f"Inovasi layanan {name}", actor=users[Role.OPERATOR])
    stages = list(edition.stages.order_by("order"))
    stage = stages[0]
    judge = Judge.objects.create(edition=edition, user=users[Role.JUDGE],
                                 name=users[Role.JUDGE].display_name, unsur=Unsur.AKADEMISI,
                                 role=JuryRole.ANGGOTA)
    assignment = Assignment.objects.create(stage=stage, judge=judge, entry=entry)
    sheet = ScoreSheet.objects.create(stage=stage, judge=judge, entry=entry)
    verifier_stage = next((s for s in stages if s.can_only_lower), stages[-1])
    verifier = Judge.objects.create(edition=edition, user=users[Role.FIELD_VERIFIER],
                                    name=users[Role.FIELD_VERIFIER].display_name,
                                    unsur=Unsur.BIROKRASI, role=JuryRole.ANGGOTA)
    Assignment.objects.create(stage=verifier_stage, judge=verifier, entry=entry)
    edition.refresh_from_db()
    return Side(name=name, organiser=organiser, edition=edition, stage=stage,
                parent_institution=parent, institution=child, entry=entry, judge=judge,
                assignment=assignment, sheet=sheet, verifier=verifier, users=users)


def signed_in_session(user: Any) -> str:
    """The key of a new session in which ``user`` is signed in and past the second step
    (for a test client's or a browser's session cookie)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from sayembara.accounts.services.security import SESSION_VERIFIED_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_VERIFIED_KEY] = True
    session.create()
    return session.session_key


def build_world(extenders: list | tuple = ()) -> World:
    """Both sides, then every ``extend(side)`` of the expectation files on each side."""
    world = World(own=build_side("own"), other=build_side("other"))
    for extend in extenders:
        for side in (world.own, world.other):
            extend(side)
    return world
