import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import scopes_of
from sayembara.entries.models import Institution, Invitation
from sayembara.entries.services.accounts import (
    AccountError,
    accept_invitation,
    create_unit,
    invitation_from_token,
    invitation_token,
    invite_member,
    remove_member,
    revoke_invitation,
)
from tests.factories import InstitutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _token_from_mail():
    return re.search(r"/peserta/undangan/([^/]+)/", mail.outbox[-1].body).group(1)


def test_invite_member_sends_one_time_link_after_commit(django_capture_on_commit_callbacks,
                                                        settings):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.example.go.id"
    institution = InstitutionFactory(name="Dinas Kesehatan")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_member(institution=institution, email="Operator@Dinkes.go.id",
                                   role="operator", full_name="Sari", actor="test")
    assert invitation.email == "operator@dinkes.go.id"
    assert mail.outbox[-1].to == ["operator@dinkes.go.id"]
    assert "https://sayembara.example.go.id/peserta/undangan/" in mail.outbox[-1].body
    assert invitation_from_token(_token_from_mail()) == invitation
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_accept_invitation_creates_account_with_role_and_works_once():
    institution = InstitutionFactory()
    invitation = invite_member(institution=institution, email="op@desa.id", role="operator",
                               actor="test")
    token = invitation_token(invitation)
    user = accept_invitation(invitation=invitation_from_token(token),
                             password="Inovasi-Desa-2026", full_name="Made Sari")
    assert user.check_password("Inovasi-Desa-2026")
    assert (user.email, user.full_name) == ("op@desa.id", "Made Sari")
    assert scopes_of(user).operator_institution_ids == {institution.pk}
    with pytest.raises(AccountError) as error:
        invitation_from_token(token)
    assert "already used" in str(error.value)


def test_accept_invitation_refuses_weak_password_and_creates_nothing():
    invitation = invite_member(institution=InstitutionFactory(), email="op@desa.id",
                               role="operator", actor="test")
    with pytest.raises(ValidationError):
        accept_invitation(invitation=invitation, password="12345678")
    assert get_user_model().objects.filter(email="op@desa.id").count() == 0


def test_resending_invitation_invalidates_the_old_link():
    institution = InstitutionFactory()
    first = invite_member(institution=institution, email="op@desa.id", role="operator",
                          actor="test")
    old_token = invitation_token(first)
    again = invite_member(institution=institution, email="op@desa.id", role="operator",
                          actor="test")
    assert again.pk == first.pk
    with pytest.raises(AccountError) as error:
        invitation_from_token(old_token)
    assert "replaced by a newer one" in str(error.value)
    assert invitation_from_token(invitation_token(again)) == again


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("tampered", "not valid"),
        ("expired", "expired on"),
        ("revoked", "withdrawn or replaced"),
    ],
)
def test_invitation_link_refused_with_reason(change, words):
    invitation = invite_member(institution=InstitutionFactory(), email="op@desa.id",
                               role="operator", actor="test")
    token = invitation_token(invitation)
    if change == "tampered":
        token = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    elif change == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1))
    else:
        revoke_invitation(invitation=invitation, actor="test")
    with pytest.raises(AccountError) as error:
        invitation_from_token(token)
    assert words in str(error.value)


def test_existing_account_must_sign_in_to_accept():
    UserFactory(email="op@desa.id")
    invitation = invite_member(institution=InstitutionFactory(), email="op@desa.id",
                               role="operator", actor="test")
    with pytest.raises(AccountError) as error:
        accept_invitation(invitation=invitation, password="Inovasi-Desa-2026")
    assert "already exists. Sign in with it" in str(error.value)


def test_signed_in_account_accepts_second_role():
    user = UserFactory(email="op@desa.id")
    region = InstitutionFactory(kind="kabupaten")
    invitation = invite_member(institution=region, email="op@desa.id", role="admin_lokal",
                               actor="test")
    accept_invitation(invitation=invitation, user=user)
    assert scopes_of(user).admin_lokal_institution_ids == {region.pk}


def test_invite_refuses_someone_who_already_has_the_role():
    institution = InstitutionFactory()
    user = UserFactory(email="op@desa.id")
    Membership.objects.create(user=user, role=Role.OPERATOR, institution=institution)
    with pytest.raises(AccountError):
        invite_member(institution=institution, email="op@desa.id", role="operator",
                      actor="test")


def test_create_unit_below_parent_and_refuse_duplicate_name():
    region = InstitutionFactory(kind="kabupaten", region_code="51.03")
    unit = create_unit(parent=region, name="UPT Puskesmas Kuta", kind="unit_pelayanan",
                       actor="test")
    assert (unit.parent, unit.organiser, unit.region_code) == (region, region.organiser,
                                                               "51.03")
    with pytest.raises(AccountError):
        create_unit(parent=region, name="upt puskesmas kuta", kind="unit_pelayanan",
                    actor="test")
    with pytest.raises(AccountError):
        create_unit(parent=region, name="UPT Baru", kind="Unit Pelayanan!", actor="test")
    assert Institution.objects.filter(parent=region).count() == 1


def test_remove_member_takes_the_role_away():
    institution = InstitutionFactory()
    user = UserFactory()
    membership = Membership.objects.create(user=user, role=Role.OPERATOR,
                                           institution=institution)
    remove_member(membership=membership, actor="test")
    assert scopes_of(user).operator_institution_ids == set()
