"""What the rules editor's tests share: an organiser of BRIDA Badung and its Mangupura edition."""

import pytest

from sayembara.accounts.enums import Role
from sayembara.competitions.services.editions import create_edition
from sayembara.template_format import load_template
from tests.factories import OrganiserFactory, UserFactory, grant


@pytest.fixture
def organiser_user():
    return UserFactory(username="sekretariat-brida")


@pytest.fixture
def edition(organiser_user):
    organiser = OrganiserFactory(name="BRIDA Kabupaten Badung", slug="brida-badung")
    grant(organiser_user, Role.ORGANISER, organiser=organiser)
    return create_edition(template=load_template("mangupura-2024"), year=2025,
                          organiser=organiser, actor=organiser_user)
