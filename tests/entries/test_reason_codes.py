"""Reasons the system gives for an entry's move are stored as codes and parameters and
written in the reader's language; the sentences stored before are turned into codes."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from sayembara.entries.enums import CheckOutcome, CheckReason
from sayembara.entries.models import EntryStateChange
from sayembara.entries.services.process import record_admin_check, submit_entry
from tests.factories import InstitutionFactory, UserFactory
from tests.factories_entries import complete_entry, make_edition, make_entry, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    edition = make_edition()
    unit = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan")
    operator = make_operator(unit)
    entry = complete_entry(make_entry(edition=edition, institution=unit), actor=operator)
    submit_entry(entry=entry, actor=operator)
    return entry


def test_an_administrative_check_decided_in_indonesian_reads_in_english(submitted):
    with translation.override("id"):
        record_admin_check(entry=submitted, outcome=CheckOutcome.FAILED,
                           reasons=[CheckReason.MISSING_DOCUMENTS], note="SK belum ada.",
                           actor=UserFactory())
    change = submitted.state_changes.last()
    assert change.reason_code == "admin_check"
    with translation.override("en"):
        assert change.reason_text == "Required documents are missing; SK belum ada."
    with translation.override("id"):
        assert change.reason_text.endswith("; SK belum ada.")
        assert "Required documents" not in change.reason_text


def test_stored_indonesian_sentences_become_codes(submitted):
    change = submitted.state_changes.last()
    EntryStateChange.objects.filter(pk=change.pk).update(reason="Memasuki tahap pertama.",
                                                         reason_code="")
    migration = importlib.import_module(
        "sayembara.entries.migrations.0005_state_change_reason_codes")
    migration.codes_for_stored_reasons(apps, None)
    change.refresh_from_db()
    assert change.reason_code == "entered_first_stage"
    with translation.override("en"):
        assert change.reason_text == "Entered the first stage."
    # A reason a person typed stays as it was.
    EntryStateChange.objects.filter(pk=change.pk).update(reason="Dokumen lengkap.",
                                                         reason_code="")
    migration.codes_for_stored_reasons(apps, None)
    change.refresh_from_db()
    assert (change.reason_code, change.reason_text) == ("", "Dokumen lengkap.")


def test_the_engine_reason_names_the_category_and_the_whole_stage_as_people_know_them(
        submitted):
    category = submitted.category
    change = submitted.state_changes.last()
    for pool, shown in ((category.key, category.name), ("overall", "all entries of the stage")):
        EntryStateChange.objects.filter(pk=change.pk).update(
            reason_code="engine", reason_params={
                "code": "within_places", "params": {"rank": "1", "pool": pool, "places": "15"}})
        change = EntryStateChange.objects.select_related("entry__edition").get(pk=change.pk)
        with translation.override("en"):
            assert change.reason_text == f"Ranked 1 in {shown}, within its 15 places."
