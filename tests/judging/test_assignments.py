import pytest

from sayembara.judging.models import Assignment
from sayembara.judging.services.assignments import (
    add_extra_reviewer,
    assign,
    assign_balanced,
    assign_everyone,
    count_components,
    unassign,
)
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import (
    make_edition,
    make_entry,
    make_institution,
    make_judge,
    open_stage,
)

pytestmark = pytest.mark.django_db


def _edition_with(entries: int, judges: int, *, conflicted_with_first: int = 0):
    edition = make_edition()
    stage = open_stage(edition.stages.get(key="proposal"))
    home = make_institution(edition)
    panel = [make_judge(edition, institution=home if i < conflicted_with_first else None)
             for i in range(judges)]
    rows = [make_entry(edition, institution=home if i == 0 else None) for i in range(entries)]
    return edition, stage, panel, rows


def _pairs(stage):
    return list(Assignment.objects.filter(stage=stage).values_list("judge_id", "entry_id"))


def test_assign_everyone_skips_only_conflicted_pairs():
    _edition, stage, panel, entries = _edition_with(4, 3, conflicted_with_first=1)
    report = assign_everyone(stage=stage, actor="s")
    assert report.created == 4 * 3 - 1
    assert report.skipped_conflicts == 1
    assert (panel[0].pk, entries[0].pk) not in _pairs(stage)


def test_assign_balanced_gives_k_judges_each_with_even_loads_and_a_connected_graph():
    _edition, stage, panel, entries = _edition_with(24, 8)
    report = assign_balanced(stage=stage, per_entry=3, actor="s", seed=7)
    pairs = _pairs(stage)
    per_entry = {e.pk: sum(1 for _j, x in pairs if x == e.pk) for e in entries}
    assert set(per_entry.values()) == {3}
    assert sorted(report.loads.values()) == [9] * 8  # 24 x 3 / 8
    assert report.components == 1
    assert count_components(pairs, [e.pk for e in entries]) == 1
    assert report.short_entries == []


def test_assign_balanced_never_gives_a_conflicted_entry_and_stays_connected():
    _edition, stage, panel, entries = _edition_with(10, 4, conflicted_with_first=2)
    report = assign_balanced(stage=stage, per_entry=2, actor="s")
    pairs = _pairs(stage)
    assert (panel[0].pk, entries[0].pk) not in pairs
    assert (panel[1].pk, entries[0].pk) not in pairs
    assert sum(1 for _j, e in pairs if e == entries[0].pk) == 2
    assert report.connected


def test_assign_balanced_keeps_existing_assignments_and_refuses_too_many_judges():
    _edition, stage, panel, entries = _edition_with(3, 2)
    assign(stage=stage, judge=panel[0], entry=entries[0], actor="s")
    with pytest.raises(JudgingError, match="has 2 judges, so no entry can get 3"):
        assign_balanced(stage=stage, per_entry=3, actor="s")
    assign_balanced(stage=stage, per_entry=1, actor="s")
    pairs = _pairs(stage)
    assert (panel[0].pk, entries[0].pk) in pairs
    assert len(pairs) == 3


def test_one_judge_per_entry_is_reported_as_not_connected():
    _edition, stage, _panel, _entries = _edition_with(6, 3)
    report = assign_balanced(stage=stage, per_entry=1, actor="s")
    assert report.components == 3
    assert not report.connected


def test_unassign_is_refused_once_the_sheet_is_submitted():
    _edition, stage, panel, entries = _edition_with(1, 1)
    assign(stage=stage, judge=panel[0], entry=entries[0], actor="s")
    save_sheet(stage=stage, judge=panel[0], entry=entries[0],
               values={"kebaruan": "5", "bukti": "40"}, actor="s")
    submit_sheet(stage=stage, judge=panel[0], entry=entries[0], actor="s")
    with pytest.raises(JudgingError, match="already submitted scores"):
        unassign(stage=stage, judge=panel[0], entry=entries[0], actor="s")


def test_add_extra_reviewer_picks_the_least_loaded_free_judge():
    _edition, stage, panel, entries = _edition_with(3, 4)
    for judge in panel[:2]:
        assign(stage=stage, judge=judge, entry=entries[0], actor="s")
    assign(stage=stage, judge=panel[2], entry=entries[1], actor="s")
    extra = add_extra_reviewer(stage=stage, entry=entries[0], actor="s")
    assert extra.judge == panel[3] and extra.is_extra_reviewer
    assert add_extra_reviewer(stage=stage, entry=entries[0], actor="s") is None
