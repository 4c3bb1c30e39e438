"""Background work of the documents app (tasks take ids)."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def generate_certificates(batch_id: int) -> None:
    from django.utils.translation import gettext as _

    from sayembara.documents.models import CertificateBatch
    from sayembara.documents.services.certificates import fail_batch, run_batch

    try:
        run_batch(CertificateBatch.objects.get(pk=batch_id))
    except Exception:
        logger.exception("Certificate batch %s failed", batch_id)
        fail_batch(batch_id, _("Generation stopped because of an internal error; the details "
                               "are in the server log. Try again, or report it."))
        raise


@task()
def draw_page_charts(page: str, pks: list[int], language: str) -> None:
    """Draw the charts a page lacked, in its reader's language, and keep them."""
    from django.utils import translation

    from sayembara.documents.services.chart_pages import draw_now

    with translation.override(language):
        draw_now(page, pks)
