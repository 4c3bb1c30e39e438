import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from sayembara.voting.errors import Refused
from sayembara.voting.models import Voter, VoterCode
from sayembara.voting.services.voters import request_code, verify_code
from tests.factories_public import solved

pytestmark = pytest.mark.django_db


def send(address="Warga@Contoh.id", ip="10.1.2.3", fields=None):
    fields = fields or solved("code")
    return request_code(address=address, ip=ip, proof=fields["altcha"])


def code_in_mail(index=-1) -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[index].body).group(1)


def test_request_code_sends_six_digits_to_the_normalised_address(
        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = send()
    assert [m.to for m in mail.outbox] == [["warga@contoh.id"]]
    assert row.voter.address == "warga@contoh.id"
    assert row.voter.domain == "contoh.id"
    assert code_in_mail() not in row.code_hash


def test_verify_code_marks_the_voter_verified(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send()
    voter = verify_code(address="warga@contoh.id", code=code_in_mail())
    assert voter.verified_at is not None
    with pytest.raises(Refused, match="No code is waiting"):
        verify_code(address="warga@contoh.id", code=code_in_mail())


def test_verify_code_wrong_code_says_how_many_tries_are_left(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send()
    right = code_in_mail()
    wrong = "000000" if right != "000000" else "111111"
    with pytest.raises(Refused, match=r"not correct.*4 tries left"):
        verify_code(address="warga@contoh.id", code=wrong)
    for _ in range(4):
        with pytest.raises(Refused):
            verify_code(address="warga@contoh.id", code=wrong)
    with pytest.raises(Refused, match="Too many wrong codes") as refused:
        verify_code(address="warga@contoh.id", code=right)
    assert refused.value.status == 429
    assert Voter.objects.get().verified_at is None


def test_verify_code_expired_is_refused(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = send()
    VoterCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(Refused, match="expired"):
        verify_code(address="warga@contoh.id", code=code_in_mail())


@pytest.mark.parametrize("code", ["12345", "abcdef", ""])
def test_verify_code_malformed_explains_the_format(code):
    with pytest.raises(Refused, match="six digits"):
        verify_code(address="warga@contoh.id", code=code)


def test_request_code_refuses_a_non_address():
    with pytest.raises(Refused, match="is not an e-mail address"):
        send(address="warga-at-contoh")


def test_request_code_refuses_a_replayed_proof_of_work():
    fields = solved("code")
    send(fields=fields)
    with pytest.raises(Refused, match="already used") as refused:
        send(address="lain@contoh.id", fields=fields)
    assert refused.value.status == 409


def test_request_code_refuses_a_solution_made_for_votes():
    with pytest.raises(Refused, match="another form"):
        send(fields=solved("vote"))


def test_request_code_limits_codes_per_address():
    for _ in range(3):
        send()
    with pytest.raises(Refused, match="Wait") as refused:
        send()
    assert refused.value.status == 429


def test_request_code_uses_the_configured_sender(settings, django_capture_on_commit_callbacks):
    settings.VOTING_CODE_SENDERS = {"email": "tests.voting.senders.RecordingSender"}
    from tests.voting.senders import RecordingSender

    RecordingSender.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send()
    assert [(address, len(code)) for address, code in RecordingSender.sent] == [
        ("warga@contoh.id", 6)]
    assert mail.outbox == []


def test_voter_token_refuses_alteration_and_age():
    import time

    from sayembara.voting.services import tokens
    from sayembara.voting.services.voters import voter_id_from_token, voter_token

    citizen = Voter(pk=41)
    token = voter_token(citizen)
    assert voter_id_from_token(token) == 41
    assert voter_id_from_token(token.replace("41.", "42.", 1)) is None
    assert voter_id_from_token("41.0.AAAA") is None
    old = tokens.sign("41", salt="sayembara.voting.voter", now=time.time() - 31 * 86400)
    assert voter_id_from_token(old) is None
