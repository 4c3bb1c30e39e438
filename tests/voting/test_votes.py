import datetime as dt

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sayembara.common.models import AuditEvent
from sayembara.voting.errors import Refused
from sayembara.voting.models import Vote
from sayembara.voting.selectors.votes import live_counts, vote_counts
from sayembara.voting.services.ballots import update_ballot
from sayembara.voting.services.voters import voter_token
from sayembara.voting.services.votes import cast_vote, record_tally, void_votes, votes_digest
from tests import factories_public as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    edition = f.public_edition()
    categories = list(edition.categories.order_by("order"))
    entries = [f.entry(edition, category=categories[0]), f.entry(edition, category=categories[0]),
               f.entry(edition, category=categories[1])]
    ballot = f.open_ballot(edition)
    return edition, ballot, entries


def vote(ballot, voter, entry, *, ip="10.0.0.1", fields=None, now=None):
    fields = fields or f.solved()
    return cast_vote(ballot_id=ballot.pk, voter_id=voter.pk, entry_id=entry.pk, ip=ip,
                     proof=fields["altcha"], now=now)


def test_cast_vote_counts_one_vote_per_category(setup):
    _edition, ballot, (a, b, c) = setup
    citizen = f.voter()
    vote(ballot, citizen, a)
    with pytest.raises(Refused, match="already voted in this category") as refused:
        vote(ballot, citizen, b)
    assert refused.value.status == 409
    vote(ballot, citizen, c)
    assert vote_counts(ballot) == {a.pk: 1, b.pk: 0, c.pk: 1}


def test_cast_vote_overall_scope_allows_one_vote_in_all():
    other = f.public_edition(year=2025)
    x = f.entry(other)
    y = f.entry(other, category=other.categories.order_by("order")[1])
    ballot = f.open_ballot(other, scope="overall")
    citizen = f.voter()
    vote(ballot, citizen, x)
    with pytest.raises(Refused, match="You have already voted. Each person has one vote."):
        vote(ballot, citizen, y)


def test_cast_vote_database_refuses_a_double_vote_written_directly(setup):
    _edition, ballot, (a, b, _c) = setup
    citizen = f.voter()
    vote(ballot, citizen, a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(ballot=ballot, voter=citizen, entry=b, unit=a.category_id,
                            created_at=timezone.now(), challenge="another")


def test_cast_vote_refuses_a_replayed_solution_even_without_the_cache(setup):
    _edition, ballot, (a, _b, c) = setup
    fields = f.solved()
    vote(ballot, f.voter(), a, fields=fields)
    with pytest.raises(Refused, match="already used"):
        vote(ballot, f.voter(), c, fields=fields)
    cache.clear()  # a second server process that never saw the first vote
    with pytest.raises(Refused, match="already used"):
        vote(ballot, f.voter(), c, fields=fields)
    assert Vote.objects.count() == 1


def test_cast_vote_after_the_window_is_refused_with_the_closing_time(setup):
    _edition, ballot, (a, _b, _c) = setup
    later = ballot.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(Refused, match="Voting closed on") as refused:
        vote(ballot, f.voter(), a, now=later)
    assert refused.value.status == 403
    with pytest.raises(Refused, match="has not opened yet"):
        vote(ballot, f.voter(), a, now=ballot.opens_at - dt.timedelta(minutes=1))


def test_cast_vote_unverified_or_off_ballot_is_refused(setup):
    edition, ballot, (a, _b, _c) = setup
    with pytest.raises(Refused, match="Confirm your e-mail"):
        cast_vote(ballot_id=ballot.pk, voter_id=None, entry_id=a.pk, ip=None,
                  proof="")
    stranger = f.entry(edition, state="eliminated")
    with pytest.raises(Refused, match="not on the ballot"):
        vote(ballot, f.voter(), stranger)


def _tampered(payload: str, **solution) -> str:
    import base64
    import json

    decoded = json.loads(base64.b64decode(payload))
    decoded["solution"].update(solution)
    return base64.b64encode(json.dumps(decoded).encode()).decode()


def test_cast_vote_wrong_solution_is_refused(setup):
    _edition, ballot, (a, _b, _c) = setup
    fields = f.solved()
    fields["altcha"] = _tampered(fields["altcha"], derivedKey="00" * 32)
    with pytest.raises(Refused, match="wrong"):
        vote(ballot, f.voter(), a, fields=fields)


def test_a_challenge_for_a_code_is_accepted_once_by_every_process(setup):
    """The spent challenge is kept in the shared counters, not in one process's memory."""
    from sayembara.voting.services import pow

    fields = f.solved("code")
    pow.check_solution(payload=fields["altcha"], purpose="code")
    with pytest.raises(Refused, match="already used") as refused:
        pow.check_solution(payload=fields["altcha"], purpose="code")
    assert refused.value.status == 409
    with pytest.raises(Refused, match="another form"):
        pow.check_solution(payload=f.solved("code")["altcha"], purpose="vote")
    with pytest.raises(Refused, match="not valid"):
        pow.check_solution(payload="bukan-base64!", purpose="vote")


def test_ballot_rules_freeze_when_voting_opens(setup):
    edition, ballot, _entries = setup
    with pytest.raises(Refused, match="frozen"):
        update_ballot(ballot=ballot, actor=None, scope="overall")
    later = f.public_edition(year=2026)
    upcoming = f.open_ballot(later, opens_in=dt.timedelta(days=1),
                             closes_in=dt.timedelta(days=2))
    changed = update_ballot(ballot=upcoming, actor=None, scope="overall", reason="Satu suara.")
    assert changed.scope == "overall"
    assert AuditEvent.objects.filter(action="ballot.changed").count() == 1


def test_first_vote_freezes_the_edition_rules(setup):
    edition, ballot, (a, _b, _c) = setup
    assert edition.rules_frozen_at is None
    vote(ballot, f.voter(), a)
    edition.refresh_from_db()
    assert edition.rules_frozen_at is not None


def test_live_counts_come_from_a_short_cache_not_a_counter_row(setup):
    _edition, ballot, (a, _b, _c) = setup
    vote(ballot, f.voter(), a)
    first = live_counts(ballot)
    assert first.counts[a.pk] == 1
    vote(ballot, f.voter(), a)
    # Served from the cache, with the moment it was counted (shown beside the counts).
    assert live_counts(ballot) == first
    cache.delete(f"ballot-counts:{ballot.pk}")
    again = live_counts(ballot)
    assert again.counts[a.pk] == 2 and again.counted_at >= first.counted_at


def test_record_tally_logs_counts_with_a_digest_of_the_votes(setup):
    _edition, ballot, (a, b, c) = setup
    for _ in range(3):
        vote(ballot, f.voter(), a)
    vote(ballot, f.voter(), c)
    assert record_tally(ballot=ballot, actor=None) == {a.pk: 3, b.pk: 0, c.pk: 1}
    event = AuditEvent.objects.get(action="ballot.tallied")
    assert event.after["digest"] == votes_digest(ballot)
    Vote.objects.filter(entry=c).update(entry=a)  # tampering after the tally
    assert votes_digest(ballot) != event.after["digest"]


def test_void_votes_from_a_network_needs_a_reason(setup):
    _edition, ballot, (a, _b, c) = setup
    for n in range(3):
        vote(ballot, f.voter(), a, ip=f"203.0.113.{n}")
    vote(ballot, f.voter(), c, ip="198.51.100.7")
    with pytest.raises(Refused, match="Say why"):
        void_votes(ballot=ballot, actor=None, network="203.0.113.0/24", reason=" ")
    assert void_votes(ballot=ballot, actor=None, network="203.0.113.0/24",
                      reason="Satu warnet.") == 3
    assert vote_counts(ballot)[a.pk] == 0
    assert vote_counts(ballot)[c.pk] == 1


def test_vote_endpoint_answers_json_with_statuses(client, setup):
    edition, ballot, (a, b, _c) = setup
    citizen = f.voter()
    url = reverse("public:vote", kwargs={"slug": edition.slug})
    anonymous = client.post(url, {"entry": a.pk, **f.solved()})
    assert (anonymous.status_code, anonymous.json()["ok"]) == (403, False)
    client.cookies["sayembara_voter"] = voter_token(citizen)
    accepted = client.post(url, {"entry": a.pk, **f.solved()})
    assert accepted.status_code == 201
    assert accepted.json()["ok"] is True
    again = client.post(url, {"entry": b.pk, **f.solved()})
    assert again.status_code == 409
    assert "already voted in this category" in again.json()["message"]


def test_vote_endpoint_burst_gets_429_not_errors(client, setup):
    edition, ballot, (a, _b, _c) = setup
    url = reverse("public:vote", kwargs={"slug": edition.slug})
    statuses = []
    for _ in range(40):
        client.cookies["sayembara_voter"] = voter_token(f.voter())
        response = client.post(url, {"entry": a.pk, **f.solved()})
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert int(response["Retry-After"]) > 0
    assert statuses.count(201) == ballot.votes_per_ip_per_hour
    assert statuses.count(429) == 40 - ballot.votes_per_ip_per_hour


def test_seed_votes_writes_the_requested_counts_for_a_demo(setup):
    from django.core.management import call_command

    from sayembara.voting.services.seeding import DEMO_DOMAIN, seed_votes

    _edition, ballot, (a, b, c) = setup
    now = timezone.now()
    written = seed_votes(ballot=ballot, counts={a.pk: 30, b.pk: 12, c.pk: 20}, actor=None,
                         start=now - dt.timedelta(days=2), end=now)
    assert written == 62
    assert vote_counts(ballot) == {a.pk: 30, b.pk: 12, c.pk: 20}
    assert set(Vote.objects.values_list("voter__domain", flat=True)) == {DEMO_DOMAIN}
    call_command("tally_votes")
    assert AuditEvent.objects.filter(action="ballot.tallied").count() == 1
