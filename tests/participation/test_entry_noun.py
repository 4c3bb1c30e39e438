"""A competition whose entries are not innovations names them in its template
(``entry_form.entry_noun``): the new-entry and entry forms ask for the title by that name, and
the public results and the certificate check head the titles with it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sayembara.competitions.services.editions import create_edition
from sayembara.documents.services.publication import update_publication
from sayembara.template_format import TemplateError, load_template, parse_template
from tests import factories_public as f
from tests.factories import InstitutionFactory, OrganiserFactory
from tests.factories_entries import make_edition, make_entry, make_operator
from tests.template_format.test_errors import BASE, replaced

pytestmark = pytest.mark.django_db


def _open_edition(name: str):
    edition = create_edition(template=load_template(name), year=timezone.now().year,
                             organiser=OrganiserFactory(), actor="test")
    edition.submission_deadline = timezone.now() + dt.timedelta(days=10)
    edition.status = "open"
    edition.save(update_fields=["submission_deadline", "status"])
    return edition


def _label(page: str, field: str) -> str:
    return re.search(rf'<label for="id_{field}"[^>]*>\s*([^<*:]+?)\s*[<*:]', page).group(1)


@pytest.mark.parametrize(("edition", "label", "heading"), [
    (lambda: _open_edition("mangupura-2024"), "Judul dokumen kinerja", "Dokumen kinerja"),
    (lambda: _open_edition("pengaduan-2020"), "Judul praktik pengelolaan pengaduan",
     "Praktik pengelolaan pengaduan"),
    (make_edition, "Judul inovasi", "Inovasi"),  # a template that names no noun
], ids=["mangupura", "pengaduan", "default"])
def test_the_entry_forms_ask_for_the_title_as_the_template_names_the_entry(
        client, edition, label, heading):
    edition = edition()
    category = edition.categories.order_by("order").first()
    kind = (category.institution_types or ["opd"])[0]
    institution = InstitutionFactory(organiser=edition.organiser, kind=kind)
    operator = make_operator(institution)
    client.force_login(operator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("participation:entry_start", args=[edition.slug])).content.decode()
    assert _label(page, "title") == label
    entry = make_entry(edition=edition, institution=institution, category_key=category.key,
                       actor=operator)
    page = client.get(reverse("participation:entry_edit", args=[entry.pk])).content.decode()
    assert _label(page, "title") == label
    assert f'<fieldset class="card rowcard"><legend>{heading}</legend>' in page


def test_the_public_results_head_the_titles_with_the_entry_noun(client):
    edition = f.public_edition()  # Mangupura: dokumen kinerja
    f.entry(edition, title="Dokumen Kinerja 2023 Kelurahan Kuta")
    update_publication(edition=edition, actor="test", publish_finalists=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("public:results", args=[edition.slug])).content.decode()
    heads = re.findall(r"<th[^>]*>([^<]+)</th>", page[page.index("<thead"):])
    assert heads[:3] == ["Kategori", "Peserta", "Dokumen kinerja"]
    assert "Dokumen Kinerja 2023 Kelurahan Kuta" in page


@pytest.mark.parametrize("key", ["entry_noun", "title_label"])
def test_an_entry_noun_or_title_label_longer_than_a_label_is_refused(key):
    text = replaced("timeline:\n", f"entry_form:\n  {key}: {'dokumen ' * 10}\ntimeline:\n", BASE)
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="uji.yaml")
    assert [p.message for p in caught.value.problems] == [
        f"entry_form.{key} must be a short label on one line, at most 60 characters."]


def test_a_title_label_replaces_the_one_made_from_the_noun():
    text = replaced("timeline:\n", "entry_form:\n  entry_noun: dokumen kinerja\n"
                    "  title_label: Nama berkas kinerja\ntimeline:\n", BASE)
    from sayembara.entries.selectors.wording import entry_words

    words = entry_words(parse_template(text))
    assert (words.noun, words.heading, words.title_label) == (
        "dokumen kinerja", "Dokumen kinerja", "Nama berkas kinerja")
