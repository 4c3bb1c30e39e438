"""Background work of the voting app. Tasks take ids (and, for codes, the code itself,
which is never stored in clear in the database)."""

from __future__ import annotations

from django_tasks import task


@task()
def send_code(voter_code_id: int, code: str, zone: str = "") -> None:
    """Deliver a code; its expiry is given in ``zone`` (the competition's WIB/WITA/WIT)."""
    from django.utils import timezone

    from sayembara.common.timefmt import zone_of
    from sayembara.voting.models import VoterCode
    from sayembara.voting.senders import sender_for

    row = VoterCode.objects.select_related("voter").get(pk=voter_code_id)
    sender_for(row.voter.channel).send(
        address=row.voter.address, code=code,
        expires_at=timezone.localtime(row.expires_at, zone_of(zone or None)[0]))


@task()
def tally_ballot(ballot_id: int) -> None:
    from sayembara.voting.models import Ballot
    from sayembara.voting.services.votes import record_tally

    record_tally(ballot=Ballot.objects.get(pk=ballot_id), actor="task:tally")
