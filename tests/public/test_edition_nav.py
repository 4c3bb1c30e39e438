"""The links under an edition's title on the public pages lead only to pages with content."""

import pytest
from django.urls import reverse

from tests import factories_public as f

pytestmark = pytest.mark.django_db


def _nav(client, edition) -> str:
    page = client.get(reverse("public:edition", args=[edition.slug])).content.decode()
    return page[page.index('<nav class="subnav'):].split("</nav>")[0]


def test_an_edition_without_a_public_test_does_not_link_one(client, settings):
    settings.LANGUAGE_CODE = "id"
    edition = f.public_edition(template=f.public_template(uji_days=None))
    nav = _nav(client, edition)
    assert reverse("public:uji_publik", args=[edition.slug]) not in nav
    assert "Uji publik" not in nav
    assert "Finalis dan hasil" in nav


def test_an_edition_with_a_public_test_links_it(client, settings):
    settings.LANGUAGE_CODE = "id"
    edition = f.public_edition(template=f.public_template(uji_days=5))
    nav = _nav(client, edition)
    uji = reverse("public:uji_publik", args=[edition.slug])
    assert f'<a href="{uji}">Uji publik</a>' in nav
