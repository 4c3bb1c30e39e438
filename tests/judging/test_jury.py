import pytest

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import scopes_of
from sayembara.common.models import AuditEvent
from sayembara.judging.enums import ConflictKind
from sayembara.judging.models import Assignment, Conflict
from sayembara.judging.services.assignments import assign
from sayembara.judging.services.conflicts import (
    conflict_of,
    declare_conflict,
    record_automatic_conflicts,
)
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.judges import add_judge
from tests.factories import UserFactory
from tests.factories_judging import (
    make_edition,
    make_entry,
    make_institution,
    make_judge,
    open_stage,
)

pytestmark = pytest.mark.django_db


def test_add_judge_grants_the_judge_membership_of_the_edition():
    edition = make_edition()
    user = UserFactory()
    judge = add_judge(edition=edition, name="Prof. Made", unsur="akademisi", role="ketua",
                      affiliation="Universitas Udayana", user=user, actor="sekretariat")
    assert Membership.objects.filter(user=user, role=Role.JUDGE, edition=edition).count() == 1
    assert scopes_of(user).judge_edition_ids == {edition.pk}
    assert judge.role == "ketua"
    assert AuditEvent.objects.filter(action="judge.added", object_id=str(judge.pk)).exists()


def test_add_judge_refuses_an_unknown_unsur_and_a_second_seat():
    edition = make_edition()
    user = UserFactory()
    with pytest.raises(JudgingError, match="“astrologi” is not a known unsur"):
        add_judge(edition=edition, name="X", unsur="astrologi", role="anggota", user=user,
                  actor="s")
    add_judge(edition=edition, name="X", unsur="media", role="anggota", user=user, actor="s")
    with pytest.raises(JudgingError, match="already has a seat"):
        add_judge(edition=edition, name="X", unsur="media", role="anggota", user=user, actor="s")


@pytest.mark.parametrize("relation", ["own", "parent", "child"])
def test_assign_refuses_the_judges_own_parent_and_child_institution(relation):
    edition = make_edition()
    stage = open_stage(edition.stages.first())
    parent = make_institution(edition, name="Pemerintah Kabupaten")
    home = make_institution(edition, name="Dinas Kesehatan", parent=parent)
    child = make_institution(edition, name="Puskesmas Kuta", parent=home)
    entry_institution = {"own": home, "parent": parent, "child": child}[relation]
    entry = make_entry(edition, institution=entry_institution)
    judge = make_judge(edition, institution=home)
    assert conflict_of(judge=judge, entry=entry) == ConflictKind.AUTOMATIC
    with pytest.raises(JudgingError, match="conflict of interest with entry"):
        assign(stage=stage, judge=judge, entry=entry, actor="s")
    assert not Assignment.objects.exists()


def test_assign_allows_a_sibling_institution():
    edition = make_edition()
    stage = open_stage(edition.stages.first())
    parent = make_institution(edition, name="Pemerintah Kabupaten")
    home = make_institution(edition, name="Dinas Kesehatan", parent=parent)
    sibling = make_institution(edition, name="Dinas Pendidikan", parent=parent)
    judge = make_judge(edition, institution=home)
    entry = make_entry(edition, institution=sibling)
    assert assign(stage=stage, judge=judge, entry=entry, actor="s").pk


def test_declare_conflict_withdraws_assignments_and_blocks_new_ones():
    edition = make_edition()
    stage = open_stage(edition.stages.first())
    judge = make_judge(edition)
    entry = make_entry(edition)
    assign(stage=stage, judge=judge, entry=entry, actor="s")
    with pytest.raises(JudgingError, match="Say briefly why"):
        declare_conflict(judge=judge, entry=entry, reason="", actor=judge.user)
    declare_conflict(judge=judge, entry=entry, reason="Mantan pembimbing", actor=judge.user)
    assert not Assignment.objects.exists()
    with pytest.raises(JudgingError, match="declared conflict"):
        assign(stage=stage, judge=judge, entry=entry, actor="s")


def test_record_automatic_conflicts_stores_each_pair_once():
    edition = make_edition()
    home = make_institution(edition)
    judge = make_judge(edition, institution=home)
    entry = make_entry(edition, institution=home)
    make_entry(edition)
    assert record_automatic_conflicts(edition=edition, actor="s") == 1
    assert record_automatic_conflicts(edition=edition, actor="s") == 0
    assert list(Conflict.objects.values_list("judge_id", "entry_id", "kind")) == [
        (judge.pk, entry.pk, ConflictKind.AUTOMATIC)
    ]
