"""Access to the participant side (namespace ``participation``, mounted at /peserta/).

Who is who on a side (see ``world.py``): the operator runs the child unit that made
``side.entry``; the Admin Lokal holds the parent institution; the organiser owns the registry
and the edition. Judges and field verifiers of the edition may read an entry's documents (they
assess them) but not the entry's participant pages.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from tests.access.matrix import PUBLIC, SIGNED_IN, Expect

OWNERS = {"organiser", "admin_lokal", "operator"}
OPERATOR = {"operator"}
ORGANISER = {"organiser"}
REVIEWERS = {"organiser", "admin_lokal"}


def extend(side):
    """An uploaded document, a kept draft copy and a pending invitation on each side."""
    from sayembara.entries.enums import DocumentKind
    from sayembara.entries.models import DraftCopy, EntryDocument
    from sayembara.entries.services.accounts import invitation_token, invite_member

    document = EntryDocument.objects.create(
        entry=side.entry, kind=DocumentKind.DOCUMENT, slot="laporan",
        file=f"entries/access/{side.name}.pdf", original_name="laporan.pdf", file_type="pdf",
        size=9, sha256="0" * 64,
    )
    side.add("participation_document", document)
    side.add("participation_copy", DraftCopy.objects.create(
        entry=side.entry, data={"title": "Salinan"}, based_on_version=1, saved_over_version=2))
    invitation = invite_member(institution=side.institution, email=f"baru-{side.name}@uji.id",
                               role="operator", actor="test")
    side.add("participation_invitation", invitation)
    side.add("participation_token", invitation_token(invitation))
    _referrals(side)


def _referrals(side):
    """An entry of a third organiser put forward to this side's edition, and this side's
    entry put forward to the third organiser's edition (each side is one organiser, so the
    other party of a referral is outside both sides)."""
    from sayembara.competitions.services.editions import create_edition
    from sayembara.entries.models import Entry, Referral
    from tests.access.world import world_template
    from tests.factories import InstitutionFactory, OrganiserFactory

    third = OrganiserFactory(name=f"Provinsi {side.name}", slug=f"provinsi-{side.name}")
    template = world_template()
    edition = create_edition(template=template, year=template.year, organiser=third,
                             actor=None, title=f"Tingkat provinsi {side.name}")
    unit = InstitutionFactory(organiser=third, name=f"Dinas Provinsi {side.name}")
    entry = Entry.objects.create(edition=edition, institution=unit,
                                 category=edition.categories.order_by("order").first(),
                                 code=f"PRV-{side.name}", title="Inovasi kiriman",
                                 state="winner")
    side.add("referral_in", Referral.objects.create(entry=entry, to_edition=side.edition))
    side.add("referral_out", Referral.objects.create(entry=side.entry, to_edition=edition))


def _document_file(side):
    """Write the document's file into this test's MEDIA_ROOT (the world is built before the
    per-test upload folder exists); no query string is sent."""
    document = side.participation_document
    storage = document.file.storage
    if not storage.exists(document.file.name):
        storage.save(document.file.name, ContentFile(b"%PDF-1.4\n"))
    return {}


def _entry(side):
    return {"pk": side.entry.pk}


def _edition(side):
    return {"slug": side.edition.slug}


def _organiser(side):
    return {"slug": side.organiser.slug}


def _unit(side):
    return {"pk": side.institution.pk}


def _operator_membership(side):
    from sayembara.accounts.models import Membership

    return {"pk": Membership.objects.get(user=side.users["operator"]).pk}


EXPECT = {
    "participation:home": Expect(allow=SIGNED_IN, note="Shows only the user's own work."),
    "participation:accept_invitation": Expect(
        kwargs=lambda side: {"token": side.participation_token}, allow=PUBLIC,
        note="The signed one-time link is the credential; anyone holding it may open it.",
    ),
    "participation:entry_start": Expect(kwargs=_edition, allow=OPERATOR),
    "participation:entry_detail": Expect(kwargs=_entry, allow=OWNERS),
    "participation:entry_edit": Expect(kwargs=_entry, allow=OPERATOR),
    "participation:entry_autosave": Expect(
        kwargs=_entry, method="POST", data=lambda side: {"version": side.entry.version},
        allow=OPERATOR,
    ),
    "participation:entry_submit": Expect(kwargs=_entry, method="POST", allow=OPERATOR),
    "participation:entry_withdraw": Expect(kwargs=_entry, method="POST", allow=OPERATOR),
    "participation:entry_reopen": Expect(kwargs=_entry, method="POST", allow=OPERATOR),
    "participation:entry_certificate": Expect(
        kwargs=lambda side: {"pk": side.public_entry.pk, "code": side.public_certificate.code},
        allow=OWNERS,
        note="The certificate of the published edition's entry (made by expect_public.extend).",
    ),
    "participation:document": Expect(
        kwargs=lambda side: {"pk": side.participation_document.pk}, data=_document_file,
        allow=OWNERS | {"judge", "field_verifier"},
        note="Judges and field verifiers of the edition assess the documents.",
    ),
    "participation:document_delete": Expect(
        kwargs=lambda side: {"pk": side.participation_document.pk}, method="POST",
        allow=OPERATOR,
    ),
    "participation:copy_use": Expect(
        kwargs=lambda side: {"pk": side.participation_copy.pk}, method="POST", allow=OPERATOR,
    ),
    "participation:copy_dismiss": Expect(
        kwargs=lambda side: {"pk": side.participation_copy.pk}, method="POST", allow=OPERATOR,
    ),
    "participation:entry_forward": Expect(kwargs=_entry, method="POST", allow={"admin_lokal"}),
    "participation:entry_return": Expect(
        kwargs=_entry, method="POST", data={"comment": "Lengkapi SK."}, allow=REVIEWERS,
    ),
    "participation:entry_check": Expect(
        kwargs=_entry, method="POST", data={"outcome": "passed"}, allow=ORGANISER,
    ),
    "participation:entry_extension": Expect(
        kwargs=_entry, method="POST", data={"until": "2030-01-01T16:00", "reason": "Banjir"},
        allow=ORGANISER,
    ),
    "participation:entry_mentoring": Expect(
        kwargs=_entry, method="POST",
        data={"held_on": "2024-03-01", "mentor": "Balitbang", "notes": "Data manfaat."},
        allow=REVIEWERS,
    ),
    "participation:entry_carry": Expect(kwargs=_entry, allow=OWNERS),
    "participation:admin_lokal": Expect(allow={"admin_lokal"}),
    "participation:edition_put_forward": Expect(kwargs=_edition, allow=ORGANISER),
    "participation:referral_inbox": Expect(kwargs=_edition, allow=ORGANISER),
    "participation:referral": Expect(
        kwargs=lambda side: {"pk": side.referral_in.pk}, allow=ORGANISER,
        note="The receiving organiser (this side) reads an entry put forward to it."),
    "participation:referral_decide": Expect(
        kwargs=lambda side: {"pk": side.referral_in.pk}, method="POST",
        data={"decision": "decline", "reason": "Belum sesuai tema."}, allow=ORGANISER),
    "participation:referral_withdraw": Expect(
        kwargs=lambda side: {"pk": side.referral_out.pk}, method="POST", allow=ORGANISER,
        note="Only the sender withdraws what it put forward."),
    "participation:check_list": Expect(kwargs=_edition, allow=ORGANISER),
    "participation:tracker": Expect(kwargs=_edition, allow=ORGANISER),
    "participation:tracker_remind": Expect(kwargs=_edition, method="POST", allow=ORGANISER),
    "participation:edition_extension": Expect(kwargs=_edition, allow=ORGANISER),
    "participation:past_winners": Expect(kwargs=_edition, allow=ORGANISER),
    "participation:registry": Expect(kwargs=_organiser, allow=ORGANISER),
    "participation:registry_import": Expect(kwargs=_organiser, allow=ORGANISER),
    "participation:institution": Expect(kwargs=_unit, allow=REVIEWERS),
    "participation:institution_invite": Expect(
        kwargs=_unit, method="POST", data={"email": "baru@uji.id", "role": "operator"},
        allow=REVIEWERS,
    ),
    "participation:institution_add_unit": Expect(
        kwargs=_unit, method="POST", data={"name": "UPT Baru", "kind": "unit_pelayanan"},
        allow=REVIEWERS,
    ),
    "participation:membership_remove": Expect(
        kwargs=_operator_membership, method="POST", allow=REVIEWERS,
        note="The Admin Lokal manages the operators of its units; the organiser every role.",
    ),
    "participation:invitation_revoke": Expect(
        kwargs=lambda side: {"pk": side.participation_invitation.pk}, method="POST",
        allow=REVIEWERS,
    ),
}
