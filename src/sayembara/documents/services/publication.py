"""What the organiser publishes: finalists, results and how much of the score to show."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from sayembara.competitions.services.status import advance_edition_status
from sayembara.documents.enums import Breakdown
from sayembara.documents.models import Publication

FIELDS = ("breakdown", "show_rank_intervals")


def publication_of(edition: Edition) -> Publication:
    publication = getattr(edition, "_publication", None)
    if publication is None:
        publication = Publication.objects.filter(edition=edition).first() or \
            Publication(edition=edition)
        edition._publication = publication
    return publication


def newly_public(edition: Edition, publication: Publication, wanted: dict[str, Any]
                 ) -> list[str]:
    """What the public would see for the first time if ``wanted`` (the publication form's
    values) were saved, one sentence each; empty when nothing new becomes public."""
    from sayembara.entries.enums import EntryState
    from sayembara.judging.models import FinalResult

    out = []
    if wanted.get("publish_finalists") and publication.finalists_published_at is None:
        count = edition.entries.filter(
            state__in=[EntryState.FINALIST, EntryState.WINNER]).count()
        out.append(ngettext("The finalists: the name of %(count)s entry and its institution.",
                            "The finalists: the names of %(count)s entries and their "
                            "institutions.", count) % {"count": count})
    if wanted.get("publish_results") and publication.results_published_at is None:
        count = FinalResult.objects.filter(edition=edition).count()
        out.append(ngettext("The final ranking of %(count)s entry with its score, and who "
                            "wins each award.",
                            "The final ranking of %(count)s entries with their scores, and "
                            "who wins each award.", count) % {"count": count})
        breakdown = Breakdown(wanted.get("breakdown") or publication.breakdown).label
        out.append(_("The score breakdown: %(breakdown)s.") % {"breakdown": breakdown})
        if wanted.get("show_rank_intervals"):
            out.append(_("The finalists' rank intervals."))
        out.append(_("The results bundle: the rules, every score (judges under pseudonyms) "
                     "and the results, for anyone to recompute."))
        out.append(_("The certificates can be verified, and the edition becomes “%(status)s”.")
                   % {"status": EditionStatus.PUBLISHED.label})
    return out


@transaction.atomic
def update_publication(*, edition: Edition, actor: Any, publish_finalists: bool | None = None,
                       publish_results: bool | None = None, **fields: Any) -> Publication:
    publication, _created = Publication.objects.select_for_update().get_or_create(edition=edition)
    before = {name: getattr(publication, name) for name in FIELDS} | {
        "finalists": publication.finalists_published_at is not None,
        "results": publication.results_published_at is not None,
    }
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValueError(name)
        setattr(publication, name, value)
    now = timezone.now()
    if publish_finalists is not None:
        publication.finalists_published_at = now if publish_finalists else None
    if publish_results is not None:
        publication.results_published_at = now if publish_results else None
    publication.version += 1
    publication.updated_by = actor if getattr(actor, "pk", None) else None
    publication.save()
    if publish_results:
        advance_edition_status(edition=edition, status=EditionStatus.PUBLISHED, actor=actor)
    after = {name: getattr(publication, name) for name in FIELDS} | {
        "finalists": publication.finalists_published_at is not None,
        "results": publication.results_published_at is not None,
    }
    record_event(actor=actor, action="results.publication_changed", obj=publication,
                 edition_id=edition.pk, before=before, after=after)
    transaction.on_commit(lambda: cache.delete_many([f"public-results:{edition.pk}:{lang}"
                                                     for lang in ("id", "en")]))
    return publication


def follow_edition_status(*, edition: Edition, published: bool, actor: Any) -> None:
    """Keep the public results in step with the edition's life cycle: the step "Publish
    the results" on the dashboard makes the finalists and the results public, and going back
    from "Results published" withdraws the results. Nothing happens when they already agree."""
    publication, _created = Publication.objects.select_for_update().get_or_create(
        edition=edition)
    if published == (publication.results_published_at is not None):
        return
    before = {"finalists": publication.finalists_published_at is not None,
              "results": not published}
    now = timezone.now()
    publication.results_published_at = now if published else None
    if published and publication.finalists_published_at is None:
        publication.finalists_published_at = now
    publication.version += 1
    publication.updated_by = actor if getattr(actor, "pk", None) else None
    publication.save()
    record_event(actor=actor, action="results.publication_changed", obj=publication,
                 edition_id=edition.pk, before=before,
                 after={"finalists": publication.finalists_published_at is not None,
                        "results": published})
    transaction.on_commit(lambda: cache.delete_many([f"public-results:{edition.pk}:{lang}"
                                                     for lang in ("id", "en")]))
