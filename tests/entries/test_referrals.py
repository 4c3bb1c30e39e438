"""Putting an entry forward to the next level's competition of another organiser: the
receiving organiser's setting, sending, reading, accepting or declining, the sender's view
of the outcome, the public catalogue, the audit trail and tenant isolation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from sayembara.common.models import AuditEvent
from sayembara.competitions.enums import EditionStatus
from sayembara.entries.enums import EntryState, ReferralStatus
from sayembara.entries.models import Entry, Referral
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.services.followup import add_mentoring_note
from sayembara.entries.services.referrals import (
    decide_referral,
    forward_entry_to,
    set_forwarding,
)
from tests.factories import InstitutionFactory
from tests.factories_entries import (
    complete_entry,
    make_edition,
    make_entry,
    make_organiser_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A city's edition with a winner and a province's edition that takes entries."""
    city = make_edition(year=2026)
    province = make_edition(year=2026)
    province.status = EditionStatus.OPEN
    province.save(update_fields=["status"])
    unit = InstitutionFactory(organiser=city.organiser, name="Dinas Kesehatan Kota Magelang",
                              kind="perangkat_daerah", email="dinkes@magelangkota.go.id")
    winner = complete_entry(make_entry(edition=city, institution=unit,
                                       title="Layanan Antar Obat"), actor="test")
    Entry.objects.filter(pk=winner.pk).update(state=EntryState.WINNER)
    winner.refresh_from_db()
    sender = make_organiser_user(city.organiser, email="balitbang@magelangkota.go.id")
    receiver = make_organiser_user(province.organiser)
    add_mentoring_note(entry=winner, held_on=dt.date(2026, 8, 1), mentor="Balitbang",
                       notes="Siapkan data replikasi.", actor=sender)
    return city, province, winner, sender, receiver


def test_an_edition_takes_entries_only_once_its_organiser_turns_it_on(world):
    city, province, winner, sender, receiver = world
    with pytest.raises(EntryStateError, match="does not take entries put forward now"):
        forward_entry_to(entry=winner, edition=province, note="", actor=sender)
    set_forwarding(edition=province, accepts=True, note="Kirim juara 1 saja.", actor=receiver)
    referral = forward_entry_to(entry=winner, edition=province, note="Juara 1.", actor=sender)
    assert referral.status == ReferralStatus.PENDING
    with pytest.raises(EntryStateError, match="already put forward"):
        forward_entry_to(entry=winner, edition=province, note="", actor=sender)
    assert list(AuditEvent.objects.filter(action__in=[
        "edition.forwarding_changed", "entry.put_forward", "referral.received"])
        .values_list("action", flat=True)) == [
        "edition.forwarding_changed", "entry.put_forward", "referral.received"]


def test_a_draft_or_an_edition_of_the_same_organiser_is_refused(world):
    city, province, winner, sender, receiver = world
    set_forwarding(edition=province, accepts=True, note="", actor=receiver)
    draft = make_entry(edition=city, title="Belum diajukan")
    with pytest.raises(EntryStateError, match="only entries that passed"):
        forward_entry_to(entry=draft, edition=province, note="", actor=sender)
    own = make_edition(organiser=city.organiser, year=2027)
    set_forwarding(edition=own, accepts=True, note="", actor=sender)
    with pytest.raises(EntryStateError, match="same organiser; carry the entry"):
        forward_entry_to(entry=winner, edition=own, note="", actor=sender)


def test_the_receiver_accepts_and_the_entry_arrives_with_documents_for_a_new_institution(
        world, django_capture_on_commit_callbacks):
    city, province, winner, sender, receiver = world
    set_forwarding(edition=province, accepts=True, note="", actor=receiver)
    referral = forward_entry_to(entry=winner, edition=province, note="Juara 1.", actor=sender)
    with django_capture_on_commit_callbacks(execute=True):
        referral, carried = decide_referral(
            referral=referral, accept=True, actor=receiver, reason="Selamat datang.",
            category=province.categories.get(key="tata-kelola"))
    new = carried.entry
    assert (referral.status, referral.accepted_entry) == (ReferralStatus.ACCEPTED, new)
    assert (new.edition, new.state, new.carried_from) == (province, EntryState.DRAFT, winner)
    # The institution joins the receiving registry as it was sent; the sender's is untouched.
    assert new.institution.organiser == province.organiser
    assert (new.institution.name, new.institution.email) == (
        "Dinas Kesehatan Kota Magelang", "dinkes@magelangkota.go.id")
    assert new.documents.count() == 2
    assert mail.outbox[-1].to == ["balitbang@magelangkota.go.id"]
    assert mail.outbox[-1].subject == f"[{province.title}] Entry {winner.code} was accepted"
    assert "Selamat datang." in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="entry.forward_accepted", object_id=str(new.pk),
                                     after__code=new.code).exists()


def test_declining_needs_a_reason_and_the_sender_reads_it(world, client):
    city, province, winner, sender, receiver = world
    set_forwarding(edition=province, accepts=True, note="", actor=receiver)
    referral = forward_entry_to(entry=winner, edition=province, note="", actor=sender)
    with pytest.raises(EntryStateError, match="Say why"):
        decide_referral(referral=referral, accept=False, actor=receiver, reason=" ")
    decide_referral(referral=referral, accept=False, actor=receiver,
                    reason="Kuota kabupaten/kota sudah penuh.")
    client.force_login(sender)
    page = client.get(f"/peserta/penyelenggaraan/{city.slug}/usulkan/").content.decode()
    assert "Declined" in page and "Kuota kabupaten/kota sudah penuh." in page
    page = client.get(f"/peserta/entri/{winner.pk}/").content.decode()
    assert "Kuota kabupaten/kota sudah penuh." in page


def test_pages_walk_sender_and_receiver_through_a_forward(world, client):
    city, province, winner, sender, receiver = world
    client.force_login(receiver)
    inbox = f"/peserta/penyelenggaraan/{province.slug}/usulan-masuk/"
    client.post(inbox, {"accepts": "on", "note": "Kirim paling lambat Oktober."})
    province.refresh_from_db()
    assert province.accepts_forwarded_entries is True

    client.force_login(sender)
    send = f"/peserta/penyelenggaraan/{city.slug}/usulkan/"
    page = client.get(f"{send}?entri={winner.pk}").content.decode()
    assert f'value="{winner.pk}" id="pf-{winner.pk}" checked' in page
    assert f"{province.title} · {province.organiser.name}" in page
    response = client.post(send, {"entries": [winner.pk], "to_edition": province.pk,
                                  "note": "Juara 1 Krenova."})
    assert response.status_code == 302
    referral = Referral.objects.get()

    client.force_login(receiver)
    page = client.get(inbox).content.decode()
    assert "Layanan Antar Obat" in page and city.title in page
    page = client.get(f"/peserta/usulan/{referral.pk}/").content.decode()
    assert "Juara 1 Krenova." in page and "Siapkan data replikasi." in page
    document = winner.documents.first()
    assert f"/peserta/berkas/{document.pk}/" in page
    assert client.get(f"/peserta/berkas/{document.pk}/").status_code == 200
    # Only what was put forward: the city's other entries stay out of reach.
    other = make_entry(edition=city, title="Lain")
    assert client.get(f"/peserta/entri/{other.pk}/").status_code == 404
    assert client.get(f"/peserta/entri/{winner.pk}/").status_code == 404
    response = client.post(f"/peserta/usulan/{referral.pk}/putuskan/", {
        "decision": "accept", "category": province.categories.get(key="tata-kelola").pk,
        "reason": ""})
    new = Entry.objects.get(edition=province)
    assert response["Location"] == f"/peserta/entri/{new.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Put forward by" in page and f"/peserta/usulan/{referral.pk}/" in page
    assert f"/peserta/entri/{winner.pk}/" not in page
    # The sender cannot decide, the receiver cannot withdraw.
    client.force_login(sender)
    assert client.post(f"/peserta/usulan/{referral.pk}/putuskan/",
                       {"decision": "decline", "reason": "x"}).status_code == 404
    assert "Accepted" in client.get(f"/peserta/usulan/{referral.pk}/").content.decode()
    page = client.get(f"/peserta/entri/{winner.pk}/").content.decode()
    assert "Accepted" in page and f"/peserta/entri/{new.pk}/" not in page


def test_the_catalogue_shows_where_an_innovation_went_next(world, client):
    city, province, winner, sender, receiver = world
    set_forwarding(edition=province, accepts=True, note="", actor=receiver)
    referral = forward_entry_to(entry=winner, edition=province, note="", actor=sender)
    city.status = EditionStatus.JUDGING
    city.save(update_fields=["status"])
    page = client.get(f"/publik/inovasi/{winner.pk}/")
    assert page.status_code == 200
    assert "Went on to" not in page.content.decode()
    decide_referral(referral=referral, accept=True, actor=receiver,
                    category=province.categories.get(key="tata-kelola"))
    page = client.get(f"/publik/inovasi/{winner.pk}/").content.decode()
    assert "Went on to" in page and province.title in page


def test_a_withdrawn_referral_closes_the_documents_again(world, client):
    city, province, winner, sender, receiver = world
    set_forwarding(edition=province, accepts=True, note="", actor=receiver)
    referral = forward_entry_to(entry=winner, edition=province, note="", actor=sender)
    client.force_login(sender)
    client.post(f"/peserta/usulan/{referral.pk}/tarik/")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    client.force_login(receiver)
    document = winner.documents.first()
    assert client.get(f"/peserta/berkas/{document.pk}/").status_code == 404
