"""Factories for the public side: public editions, finalists, the engine's stored results,
ballots, voters, certificates. Results rows are made here the way the engine adapter stores
them, so the public side can be tested on its own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from sayembara import scoring
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.services.editions import create_edition, template_of
from sayembara.documents.services.publication import update_publication
from sayembara.entries.models import Entry
from sayembara.judging.enums import JuryRole, SheetStatus, Unsur
from sayembara.judging.models import (
    FinalResult,
    Judge,
    Panel,
    PanelMember,
    Score,
    ScoreSheet,
    StageResult,
)
from sayembara.template_format import load_template
from sayembara.template_format.model import (
    FavouriteAward,
    FavouriteVote,
    PublicParticipation,
    UjiPublik,
)
from sayembara.voting.models import Voter
from sayembara.voting.services.ballots import create_ballot
from tests.factories import InstitutionFactory, OrganiserFactory

_numbers = itertools.count(1)


def public_template(name: str = "mangupura-2024", *, uji_days: int | None = 7,
                    vote: tuple[dt.date, dt.date] | None = None, favourite: bool = True):
    """A built-in template with a public-test window and a favourite vote added."""
    template = load_template(name)
    stage_key = template.stages[0].id
    vote = vote or (dt.date(template.year, 9, 1), dt.date(template.year, 9, 30))
    public = PublicParticipation(
        uji_publik=UjiPublik(after_stage=stage_key, days=uji_days) if uji_days else None,
        favourite_vote=FavouriteVote(start=vote[0], end=vote[1]),
    )
    awards = template.awards
    if favourite:
        awards = dataclasses.replace(awards, favourite=FavouriteAward(
            name="Inovasi Terfavorit", scope="category"))
    return dataclasses.replace(template, public=public, awards=awards)


def public_edition(*, template=None, year: int | None = None, organiser=None,
                   status: str = EditionStatus.PUBLISHED, title: str | None = None,
                   region: str = "Kabupaten Badung"):
    template = template or public_template()
    organiser = organiser or OrganiserFactory(region_name=region)
    edition = create_edition(template=template, year=year or template.year,
                             organiser=organiser, actor=None, title=title)
    edition.status = status
    edition.save(update_fields=["status"])
    return edition


def entry(edition, *, category=None, state: str = "finalist", title: str | None = None,
          institution=None, kind: str | None = None, region: str = "", summary: str = ""):
    """An entry in ``state`` (set directly: these tests are not about the entry workflow)."""
    number = next(_numbers)
    category = category or edition.categories.order_by("order").first()
    kind = kind or (category.institution_types or ["perangkat_daerah"])[0]
    institution = institution or InstitutionFactory(
        organiser=edition.organiser, name=f"Dinas Inovasi {number}", kind=kind,
        region_name=region)
    return Entry.objects.create(
        edition=edition, institution=institution, category=category,
        code=f"E{number:04d}", title=title or f"Inovasi Layanan {number}", state=state,
        summary=summary, submitted_at=timezone.now(),
    )


def stage_result(stage, entry, *, score, rank, advanced=True, rank_low=None, rank_high=None,
                 p_top_n=None, judges=3, details=None):
    return StageResult.objects.create(
        stage=stage, entry=entry, score=Decimal(str(score)), raw=Decimal(str(score)),
        rank=rank, rank_low=rank_low or rank, rank_high=rank_high or rank,
        p_top_n=None if p_top_n is None else Decimal(str(p_top_n)), judges_count=judges,
        advanced=advanced, details=details or {}, engine_version="test",
    )


def final_result(entry, *, rank, total, tier_key: str | None = None, label: str = "",
                 prize=0, favourite: str = "", special: tuple[str, ...] = ()):
    """A final result as the engine adapter stores it (``favourite``: the prize's name).

    The award is named as the engine names it, from the template's tier (``Juara 1``)."""
    awards = template_of(entry.edition).awards
    tier = None
    if tier_key:
        tier = entry.edition.award_tiers.filter(key=tier_key).first()
        spec = next(t for t in awards.tiers if t.id == tier_key)
        label = label or scoring.AwardTier(
            key=spec.id, name=spec.name, rank_from=spec.rank_from, rank_to=spec.rank_to,
            rank_name=spec.rank_name).award_for(rank)
    unit = {"category": entry.category.key,
            "group": entry.group.key if entry.group_id else ""}.get(awards.ranking, "overall")
    details = {"unit": unit}
    if favourite:
        details |= {"favourite": True, "favourite_name": favourite}
    if special:
        details |= {"special_awards": list(special)}
    return FinalResult.objects.create(
        edition=entry.edition, entry=entry, category=entry.category, rank=rank,
        total=Decimal(str(total)), award_tier=tier, award_label=label,
        prize=Decimal(str(prize)), details=details, engine_version="test",
    )


def publish(edition, *, breakdown: str = "total", results: bool = True,
            intervals: bool = False):
    return update_publication(edition=edition, actor=None, breakdown=breakdown,
                              show_rank_intervals=intervals, publish_finalists=True,
                              publish_results=results)


def open_ballot(edition, *, entries=None, opens_in: dt.timedelta = -dt.timedelta(hours=1),
                closes_in: dt.timedelta = dt.timedelta(days=1), **fields):
    now = timezone.now()
    return create_ballot(edition=edition, actor=None, entries=entries,
                         opens_at=now + opens_in, closes_at=now + closes_in, **fields)


def voter(address: str | None = None, *, verified: bool = True, verified_at=None):
    address = address or f"warga{next(_numbers)}@contoh.id"
    return Voter.objects.create(
        address=address, domain=address.rsplit("@", 1)[-1],
        verified_at=(verified_at or timezone.now()) if verified else None,
    )


def judge(edition, *, name: str, role: str = JuryRole.ANGGOTA, unsur: str = Unsur.AKADEMISI):
    return Judge.objects.create(edition=edition, name=name, role=role, unsur=unsur)


def panel(stage, judges_and_roles):
    row = Panel.objects.create(stage=stage, name=f"Tim {stage.name}")
    for j, role in judges_and_roles:
        PanelMember.objects.create(panel=row, judge=j, role=role)
    return row


def sheet(stage, judge_row, entry_row, values: dict):
    """A submitted sheet with a score per criterion key of the entry's rubric."""
    rubric = stage.rubric_for(entry_row.category_id)
    row = ScoreSheet.objects.create(stage=stage, judge=judge_row, entry=entry_row,
                                    status=SheetStatus.SUBMITTED, submitted_at=timezone.now())
    criteria = {c.key: c for c in rubric.criteria.all()}
    for key, value in values.items():
        Score.objects.create(sheet=row, criterion=criteria[key], value=Decimal(str(value)))
    return row


def reset_public_state(settings) -> None:
    """Fresh cache and cached ballot snapshots, and a cheap proof of work, for each test."""
    from django.core.cache import cache

    from sayembara.voting.services import votes

    settings.VOTING_POW_BITS = 4
    cache.clear()
    votes._LOCAL.clear()
    from sayembara.voting.selectors import votes as vote_selectors

    vote_selectors._BALLOT_IDS.clear()


def solved(purpose: str = "vote") -> dict:
    """Form fields with a fresh, solved proof-of-work challenge."""
    from sayembara.voting.services import pow

    found = pow.issue_challenge(purpose=purpose)
    return {pow.FIELD: pow.solve(found)}


def confirm_stage(stage, *, at=None):
    """The organiser confirmed the stage's list (as the judging app's closing does)."""
    from sayembara.judging.models import StageClosing

    return StageClosing.objects.create(stage=stage, computed_at=at or timezone.now(),
                                       confirmed_at=at or timezone.now())
