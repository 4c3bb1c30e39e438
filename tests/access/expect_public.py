"""Access to the public side (namespace ``public``): public pages, the favourite vote, and
the organiser's pages for publication, moderation, anomalies, certificates and papers."""

from __future__ import annotations

from django.utils import timezone

from tests.access.matrix import PUBLIC, Expect

ORGANISER = {"organiser"}


def extend(side):
    """A published edition of the side's organiser with a finalist, a favourite vote, a
    comment, a certificate and a certificate run (the world's own edition stays a draft)."""
    import datetime as dt

    from sayembara.competitions.enums import EditionStatus
    from sayembara.competitions.services.editions import create_edition
    from sayembara.documents.enums import BatchStatus
    from sayembara.documents.models import Certificate, CertificateBatch
    from sayembara.documents.services.certificates import make_code
    from sayembara.entries.models import Entry
    from sayembara.voting.models import Comment, Voter
    from sayembara.voting.services.ballots import create_ballot
    from tests.access.world import world_template

    template = world_template()
    edition = create_edition(template=template, year=template.year + 1,
                             organiser=side.organiser, actor=None,
                             title=f"{template.competition} terbuka ({side.name})")
    edition.status = EditionStatus.PUBLISHED
    edition.save(update_fields=["status"])
    category = edition.categories.order_by("order").first()
    entry = Entry.objects.create(edition=edition, institution=side.institution,
                                 category=category, code=f"PUB-{side.name}",
                                 title=f"Inovasi publik {side.name}", state="finalist")
    now = timezone.now()
    create_ballot(edition=edition, actor=None, entries=[entry], name="Terfavorit",
                  opens_at=now - dt.timedelta(hours=1), closes_at=now + dt.timedelta(days=1))
    voter = Voter.objects.create(address=f"warga-{side.name}@contoh.id", domain="contoh.id",
                                 verified_at=now)
    comment = Comment.objects.create(entry=entry, voter=voter, body="Bagus sekali.")
    certificate = Certificate.objects.create(
        edition=edition, entry=entry, award_label="Juara 1", recipient=side.institution.name,
        category_name=category.name, rank=1, code=make_code())
    batch = CertificateBatch.objects.create(edition=edition, status=BatchStatus.DONE, total=1,
                                            done=1)
    # A design that can be previewed: someone signs it.
    from sayembara.documents.services.certificates import design_for

    design = design_for(edition)
    design.signatories = [{"name": "I Made Contoh", "title": "Kepala", "id_number": ""}]
    design.save()
    from sayembara.documents.services.publication import update_publication

    update_publication(edition=edition, actor=None, publish_finalists=True,
                       publish_results=True)
    side.add("public_edition", edition)
    side.add("public_entry", entry)
    side.add("public_comment", comment)
    side.add("public_certificate", certificate)
    side.add("public_batch", batch)


def _edition(side):
    return {"slug": side.public_edition.slug}


def _entry(side):
    return {"pk": side.public_entry.pk}


def _comment(side):
    return {"slug": side.public_edition.slug, "pk": side.public_comment.pk}


def _batch(side):
    return {"slug": side.public_edition.slug, "pk": side.public_batch.pk}


def _stage(side):
    return {"slug": side.public_edition.slug,
            "stage": side.public_edition.stages.order_by("order").first().key}


EXPECT = {
    "public:index": Expect(allow=PUBLIC),
    "public:catalogue": Expect(allow=PUBLIC),
    "public:entry": Expect(kwargs=_entry, allow=PUBLIC),
    "public:comment": Expect(kwargs=_entry, allow=PUBLIC, post_only=True,
                             note="Anyone may try; the service asks for a verified voter."),
    "public:certificate_lookup": Expect(allow=PUBLIC),
    "public:certificate": Expect(kwargs=lambda side: {"code": side.public_certificate.code},
                                 allow=PUBLIC),
    "public:challenge": Expect(allow=PUBLIC, data={"purpose": "vote"}),
    "public:request_code": Expect(allow=PUBLIC, post_only=True),
    "public:verify": Expect(allow=PUBLIC, post_only=True),
    "public:voter_sign_out": Expect(allow=PUBLIC, post_only=True),
    "public:edition": Expect(kwargs=_edition, allow=PUBLIC),
    "public:results": Expect(kwargs=_edition, allow=PUBLIC),
    "public:results_bundle": Expect(kwargs=_edition, allow=PUBLIC,
                                    note="Published results only; anyone may recompute them."),
    "public:uji_publik": Expect(kwargs=_edition, allow=PUBLIC),
    "public:uji_publik_feedback": Expect(kwargs=_edition, allow=PUBLIC, post_only=True,
                                         note="Anyone may send; the judging service checks "
                                              "the window and the message."),
    "public:ballot": Expect(kwargs=_edition, allow=PUBLIC),
    "public:vote": Expect(kwargs=_edition, allow=PUBLIC, post_only=True,
                          note="Anyone may try; the service asks for a verified voter."),
    "public:manage": Expect(kwargs=_edition, allow=ORGANISER),
    "public:manage_ballot": Expect(kwargs=_edition, allow=ORGANISER),
    "public:anomalies": Expect(kwargs=_edition, allow=ORGANISER),
    "public:moderation": Expect(kwargs=_edition, allow=ORGANISER),
    "public:moderate": Expect(kwargs=_comment, allow=ORGANISER, method="POST",
                              data={"decision": "publish"}),
    "public:certificates": Expect(kwargs=_edition, allow=ORGANISER),
    "public:certificate_preview": Expect(kwargs=_edition, allow=ORGANISER),
    "public:batch_progress": Expect(kwargs=_batch, allow=ORGANISER),
    "public:batch_download": Expect(kwargs=_batch, allow=ORGANISER),
    "public:berita_acara": Expect(kwargs=_stage, allow=ORGANISER),
    "public:sk_draft": Expect(kwargs=_edition, allow=ORGANISER),
    "public:rekap": Expect(kwargs=_edition, allow=ORGANISER),
    "public:charts": Expect(kwargs=_edition, allow=ORGANISER),
    "public:audit_integrity": Expect(kwargs=_edition, allow=ORGANISER),
}
