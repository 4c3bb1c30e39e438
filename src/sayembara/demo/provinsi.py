"""The provincial Krenova of Jawa Tengah in the demo: the next level's competition, run by
another organiser, that takes entries put forward by cities and regencies.

BRIDA Provinsi Jawa Tengah runs its own edition (the Krenova rules, under its own name), open
for entries and taking entries put forward. Balitbang Kota Magelang has already put forward
the entry ranked first at its field verification; the province has not decided yet, so the
demo shows both sides of the step: the sender's list and outcome, the receiver's inbox.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sayembara.accounts.enums import Role
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import create_edition, get_or_create_organiser
from sayembara.competitions.services.status import set_edition_status
from sayembara.demo.seed import ACTOR, Summary, demo_user, ensure_membership
from sayembara.entries.enums import FORWARDABLE_STATES
from sayembara.entries.services.referrals import forward_entry_to, set_forwarding
from sayembara.template_format import load_template

ORGANISER = "BRIDA Provinsi Jawa Tengah"
ACCOUNT = "penyelenggara-jateng"
DESCRIPTION = gettext_lazy("Organiser (BRIDA Provinsi Jawa Tengah), the provincial Krenova "
                           "that takes entries put forward by cities and regencies")


def seed(*, summary: Summary, log: Callable[[str], None]) -> Edition:
    organiser = get_or_create_organiser(name=ORGANISER, actor=ACTOR, timezone_code="WIB",
                                        region_name="Provinsi Jawa Tengah")
    user = demo_user(ACCOUNT, "Sekretariat Krenova BRIDA Provinsi Jawa Tengah")
    ensure_membership(user, Role.ORGANISER, organiser=organiser)
    summary.accounts.append((ACCOUNT, str(DESCRIPTION)))
    existing = Edition.objects.filter(organiser=organiser).first()
    if existing is not None:
        log(_("%(edition)s: already present.") % {"edition": existing.title})
        return existing
    base = load_template("krenova-magelang-2017")
    template = dataclasses.replace(
        base, name="krenova-jateng-2017", competition="Lomba Krenova Provinsi Jawa Tengah",
        title="Lomba Krenova Provinsi Jawa Tengah 2017", organiser=ORGANISER,
        description="Lomba kreativitas dan inovasi tingkat provinsi; peserta adalah inovasi "
                    "terbaik yang diusulkan pemerintah kabupaten dan kota.")
    with transaction.atomic():
        edition = create_edition(template=template, year=2017, organiser=organiser, actor=user)
        set_edition_status(edition=edition, status=EditionStatus.OPEN, actor=user)
        set_forwarding(edition=edition, accepts=True, actor=user,
                       note="Kabupaten/kota mengusulkan paling banyak tiga inovasi terbaik "
                            "hasil lomba krenova daerahnya, paling lambat 30 September 2017.")
        _magelang_puts_forward(edition)
    log(_("%(edition)s: taking entries put forward; one from Kota Magelang waits.")
        % {"edition": edition.title})
    return edition


def _magelang_puts_forward(edition: Edition) -> None:
    """Kota Magelang puts forward its entry ranked first at the field verification."""
    from sayembara.judging.models import StageResult

    magelang = Edition.objects.filter(template_name="krenova-magelang-2017",
                                      organiser__name="Balitbang Kota Magelang").first()
    if magelang is None:
        return
    best = (StageResult.objects.filter(stage__edition=magelang, rank__isnull=False,
                                       entry__state__in=FORWARDABLE_STATES)
            .select_related("entry", "stage").order_by("-stage__order", "rank").first())
    sender = demo_user("penyelenggara-magelang", "Sekretariat Krenova Balitbang Kota Magelang")
    if best is not None:
        forward_entry_to(entry=best.entry, edition=edition, actor=sender,
                         note="Peringkat 1 pada verifikasi lapangan Krenova Kota Magelang "
                              "2017 dan masuk Top 15. Narahubung: Balitbang Kota Magelang.")
