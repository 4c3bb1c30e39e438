"""KIPP 2024 Kabupaten Minahasa Utara in the demo: during the favourite vote.

Every agency head, camat, head of a Bagian of the Setda and the directors of RSUD Maria
Walanda Maramis, PDAM and PUD Klabat must take part (``minut-institutions.csv``). By the
deadline of 31 May 2024, 46 of them had sent the link of their one-to-two-minute video
(``minut-kipp-2024-entries.csv``); three have only a draft, one of them with a video too
long to be accepted, and four have sent nothing: the organiser's tracker lists all seven.
The jury is scoring the videos, and citizens are voting for their favourite after
confirming their e-mail address, a few of them commenting.

The template's vote runs from 31 May to 4 June 2024; the demo keeps the vote open for
thirty days after the demo is built, so that a visitor can cast a vote (the code arrives
by the configured e-mail backend, the console by default). The votes already there were
cast through the same services as a visitor's, with codes that the demo captures instead
of sending; the anomaly report shows one burst of votes from a single network, and also a
wave of new voters (all of them verified while the demo was built).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import string
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sayembara.competitions.models import Edition
from sayembara.demo.krenova import (
    Account,
    Cast,
    Seat,
    Setting,
    draw_values,
    local_time,
    new_edition,
    pass_admin_check,
    prepare,
    read_rows,
    score_assignments,
    seat_jury,
    start_judging,
)
from sayembara.demo.seed import Summary
from sayembara.entries.models import Entry, Institution

DEWAN_JURI = "Dewan Juri"
OPERATOR_INSTITUTION = "Dinas Ketahanan Pangan"
#: How long the demo keeps the favourite vote open after the demo is built.
VOTE_OPEN_FOR = dt.timedelta(days=30)
#: Citizens' votes (ordinary ones, then a burst from one network for one entry).
VOTES = 240
BURST_VOTES = 26

CAST = Cast(
    label="KIPP Minahasa Utara 2024", template="kipp-minut-2024",
    organiser="BRIDA Kabupaten Minahasa Utara", timezone_code="WITA",
    region_name="Kabupaten Minahasa Utara, Sulawesi Utara", registry_csv="minut-institutions.csv",
    organiser_account=Account(
        username="penyelenggara-minut",
        description=gettext_lazy(
            "Organiser (BRIDA Minahasa Utara), KIPP 2024 during the favourite vote"),
        full_name="Sekretariat KIPP BRIDA Minahasa Utara",
    ),
    operator_account=Account(
        username="operator-minut",
        description=gettext_lazy(
            "Participant operator, Dinas Ketahanan Pangan Minut (video not sent)"),
        full_name="Operator Dinas Ketahanan Pangan Minahasa Utara",
    ),
    operator_institution=OPERATOR_INSTITUTION,
    judge_account=Account(
        username="juri-minut",
        description=gettext_lazy(
            "Judge, KIPP Minahasa Utara 2024 (secretary)"),
    ),
)

MINUT_JURY = (
    Seat("Ir. Novly G. Wowiling, M.Si.", "birokrasi", "ketua",
         "Sekretaris Daerah Kabupaten Minahasa Utara", (DEWAN_JURI,),
         institution="Sekretariat Daerah"),
    Seat("Dr. Magdalena Wullur, S.E., M.M.", "akademisi", "sekretaris",
         "Universitas Sam Ratulangi Manado; Staf Khusus Bupati", (DEWAN_JURI,),
         username=CAST.judge_account.username),
    Seat("Hanny T. Tambani, S.Sos., M.Si.", "birokrasi", "anggota",
         "Kepala BAPPEDA Kabupaten Minahasa Utara", (DEWAN_JURI,),
         institution="Badan Perencanaan Pembangunan Daerah"),
    Seat("Drs. Robby Parengkuan", "birokrasi", "anggota",
         "Kepala Dinas Komunikasi, Informatika dan Persandian", (DEWAN_JURI,),
         institution="Dinas Komunikasi Informatika dan Persandian"),
    Seat("Joune Ganda, S.E., M.M., M.A.P., M.Si.", "birokrasi", "kehormatan",
         "Bupati Minahasa Utara", (DEWAN_JURI,)),
)

COMMENTS = (
    "Sangat membantu warga pulau, semoga terus berjalan.",
    "Inovasi yang bagus, sudah saya rasakan manfaatnya.",
    "Mantap! Pelayanan jadi lebih cepat.",
    "Semoga bisa ditiru kecamatan lain di Minut.",
    "Videonya jelas dan mudah dipahami.",
    "Terima kasih, sekarang tidak perlu antre lama lagi.",
    "Promo pulsa murah, hubungi 0812-0000-0000.",
)
MAIL_PROVIDERS = ("gmail.com", "yahoo.co.id", "gmail.com", "outlook.com", "yahoo.com")


class CodeBox:
    """A code sender that keeps the one-time codes instead of delivering them, so the demo
    can confirm its voters through the same services as a visitor."""

    codes: ClassVar[dict[str, str]] = {}

    def send(self, *, address: str, code: str, expires_at: dt.datetime) -> None:
        CodeBox.codes[address] = code


def seed(*, summary: Summary, log: Callable[[str], None]) -> Edition:
    setting, existing = prepare(CAST, summary=summary, log=log)
    if existing is not None:
        return existing
    log(_("KIPP Minahasa Utara 2024: videos, the jury's scores and the favourite vote…"))
    rng = random.Random(2024_05_31)
    secretariat = setting.organiser_user
    with transaction.atomic():
        edition, _template = new_edition(setting)
        entries = _videos(edition=edition, setting=setting, rng=rng)
        _video_judging(edition=edition, institutions=setting.institutions, rng=rng,
                       secretariat=secretariat)
        ballot = _open_vote(edition=edition, secretariat=secretariat)
    # Codes are delivered once their request is committed, so the votes come afterwards.
    _cast_votes(ballot=ballot, entries=entries, rng=rng, secretariat=secretariat)
    log(_("KIPP Minahasa Utara 2024: videos being scored, the favourite vote open."))
    return edition


def drive_link(rng: random.Random) -> str:
    """A link in the form Google Drive gives for a shared file (nothing is fetched)."""
    alphabet = string.ascii_letters + string.digits + "_-"
    return "https://drive.google.com/file/d/1" + "".join(
        rng.choice(alphabet) for _ in range(32)) + "/view"


def _videos(*, edition: Edition, setting: Setting, rng: random.Random) -> list[Entry]:
    """Entries with their video links; those marked submitted are submitted on 31 May."""
    from sayembara.entries.services import drafts, process
    from sayembara.entries.services.entries import create_entry

    categories = {c.key: c for c in edition.categories.all()}
    submitted = []
    for number, row in enumerate(read_rows("minut-kipp-2024-entries.csv")):
        actor = setting.participant(row["institution"])
        entry = create_entry(edition=edition, institution=setting.institutions[row["institution"]],
                             category=categories[row["category"]], title=row["title"],
                             actor=actor)
        seconds = int(row["seconds"])
        drafts.save_draft(entry=entry, base_version=entry.version, actor=actor,
                          data=drafts.draft_data(entry) | {
                              "summary": f"Video inovasi {row['title']} oleh "
                                         f"{row['institution']}.",
                              "video_url": drive_link(rng) if seconds else "",
                              "video_seconds": seconds or None,
                          })
        if row["state"] == "submitted":
            submitted.append(process.submit_entry(
                entry=entry, actor=actor,
                now=local_time(edition, 2024, 5, 31, 8 + number // 4, (number * 13) % 60)))
    pass_admin_check(entries=submitted, actor=setting.organiser_user)
    return submitted


def _video_judging(*, edition: Edition, institutions: Mapping[str, Institution],
                   rng: random.Random, secretariat: Any) -> None:
    """The jury scores the videos: most sheets submitted, some still drafts, some to do."""
    from sayembara.judging.services import assignments, closing

    jury = seat_jury(edition=edition, seats=MINUT_JURY, institutions=institutions,
                     actor=secretariat)
    severity = {judge.pk: rng.gauss(0, 0.05) for judge in jury}
    quality = {entry.pk: min(0.95, max(0.3, rng.gauss(0.65, 0.12)))
               for entry in edition.entries.all()}
    stage = edition.stages.order_by("order").first()
    start_judging(edition=edition, actor=secretariat)
    closing.open_stage(stage=stage, actor=secretariat)
    assignments.assign_everyone(stage=stage, actor=secretariat)
    score_assignments(
        stage=stage, rng=rng, actor=secretariat,
        draw=lambda rng, entry, judge, specs: draw_values(rng, quality[entry.pk],
                                                          severity[judge.pk], specs),
        scored=lambda position, assignment: position % 10 < 7,
        submitted=lambda position, assignment: position % 10 < 6,
    )


def _open_vote(*, edition: Edition, secretariat: Any) -> Any:
    """The favourite vote over every video in the race, open from the template's first day
    until thirty days after the demo was built."""
    from sayembara.competitions.services.editions import template_of
    from sayembara.judging.selectors.jury import stage_entries
    from sayembara.voting.services.ballots import create_ballot

    window = template_of(edition).public.favourite_vote
    stage = edition.stages.order_by("order").first()
    closes = max(dt.datetime.combine(window.end, dt.time(23, 59, 59), tzinfo=edition.zoneinfo),
                 timezone.now() + VOTE_OPEN_FOR)
    return create_ballot(edition=edition, actor=secretariat, closes_at=closes,
                         entries=list(stage_entries(stage).order_by("category__order", "code")))


@contextmanager
def captured_codes() -> Iterator[None]:
    """One-time codes go to :class:`CodeBox` at once instead of being e-mailed by the
    worker; the background-task log, one line per code, is kept quiet meanwhile."""
    tasks_log = logging.getLogger("django_tasks")
    level = tasks_log.level
    tasks_log.setLevel(logging.WARNING)
    try:
        with override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            VOTING_CODE_SENDERS={"email": f"{__name__}.CodeBox"},
            VOTING_POW_BITS=2,  # the demo's own voters need no protection against bots
        ):
            yield
    finally:
        tasks_log.setLevel(level)


def _cast_votes(*, ballot: Any, entries: list[Entry], rng: random.Random,
                secretariat: Any) -> None:
    """Citizens confirm their e-mail address and vote, from 31 May to 2 June 2024; a few
    comment. One entry gets a burst of votes from a single network and mail domain."""
    from sayembara.voting.models import Comment
    from sayembara.voting.services import comments, pow, voters, votes

    if transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "The demo's favourite vote must be seeded outside a transaction: a one-time code "
            "is sent only when its request is committed.")

    def solved(purpose: str) -> tuple[str, str]:
        challenge = pow.issue_challenge(purpose=purpose)
        return pow.solve(challenge)

    def vote(address: str, ip: str, entry: Entry, moment: dt.datetime) -> int:
        proof = solved("code")
        voters.request_code(address=address, ip=ip, proof=proof)
        voter = voters.verify_code(address=address, code=CodeBox.codes.pop(address))
        proof = solved("vote")
        votes.cast_vote(ballot_id=ballot.pk, voter_id=voter.pk, entry_id=entry.pk, ip=ip,
                        proof=proof, now=moment)
        return voter.pk

    zone = ballot.edition.zoneinfo
    start = dt.datetime(2024, 5, 31, 9, 0, tzinfo=zone)
    span = int(dt.timedelta(days=2, hours=12).total_seconds())
    popularity = [rng.lognormvariate(0, 0.9) for _ in entries]
    commenters = []
    with captured_codes():
        for number in range(VOTES):
            entry = rng.choices(entries, weights=popularity)[0]
            moment = start + dt.timedelta(seconds=rng.randrange(span))
            address = f"pemilih.{number:03d}@{rng.choice(MAIL_PROVIDERS)}"
            ip = f"10.{rng.randrange(16, 120)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            voter_id = vote(address, ip, entry, moment)
            if number % 20 == 7:
                commenters.append((voter_id, entry, ip))
        burst_entry = entries[len(entries) // 3]
        burst_start = dt.datetime(2024, 6, 1, 23, 41, tzinfo=zone)
        for number in range(BURST_VOTES):  # within one minute
            vote(f"akun{number:02d}@kilatmail.example", f"10.200.7.{10 + number}", burst_entry,
                 burst_start + dt.timedelta(seconds=2 * number))
    for number, (voter_id, entry, ip) in enumerate(commenters):
        comments.post_comment(entry=entry, voter_id=voter_id, ip=ip,
                              body=COMMENTS[number % len(COMMENTS)])
    for comment in Comment.objects.filter(entry__edition=ballot.edition).order_by("pk")[:9]:
        if "pulsa" in comment.body:
            comments.moderate_comment(comment=comment, actor=secretariat, publish=False,
                                      reason="Iklan, bukan tanggapan atas inovasi.")
        else:
            comments.moderate_comment(comment=comment, actor=secretariat, publish=True)
