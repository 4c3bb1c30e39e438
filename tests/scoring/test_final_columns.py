"""The final records built column by column are the records built one entry at a time, on
random competitions with award tiers, grade and predicate bands, a favourite prize, special
awards, disqualifications and entries still awaiting scores (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayembara.scoring import (
    Action,
    Advancement,
    AwardTier,
    Band,
    Decision,
    Entry,
    Favourite,
    Options,
    Scope,
    SpecialAward,
    TieBreak,
    evaluate,
)
from sayembara.scoring.records import final_entries

from .builders import competition, inputs, rubric, stage
from .reference_final import final_entries_one_by_one

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
PRIZES = st.sampled_from([D(0), D("0.00"), D(1500000), D("250000.50")])


@st.composite
def evaluations(draw: st.DrawFn):  # noqa: ANN201
    cats = ("x", "y")[: draw(st.integers(1, 2))]
    n_stages = draw(st.integers(1, 2))
    cut = Advancement(top_n=draw(st.integers(1, 3)))
    kinds = ["weighted"] * n_stages
    if n_stages > 1:
        kinds[0] = draw(st.sampled_from(["weighted", "filter"]))
    weighted = kinds.count("weighted")
    specs = [stage(f"s{k + 1}", kind=kinds[k], weight=100 // weighted, categories=cats,
                   advancement=cut if k < n_stages - 1 or draw(st.booleans()) else None)
             for k in range(n_stages)]
    tiers = (
        AwardTier("juara", "Juara", 1, 2, trophy=draw(st.booleans()),
                  certificate=draw(st.booleans()), prize=draw(PRIZES),
                  rank_name=draw(st.sampled_from(["", "Juara {rank}"]))),
        AwardTier("harapan", "Harapan", 3, 4, prize=draw(PRIZES),
                  categories=draw(st.sampled_from([(), ("x",)])),
                  rank_name="Harapan {place}"),
    )[: draw(st.integers(0, 2))]
    grades = (Band("A", minimum=D(60), prize=draw(PRIZES), certificate=draw(st.booleans())),
              Band("B", maximum=D(60), maximum_exclusive=True))[: draw(st.integers(0, 2))]
    predicates = (Band("Sangat baik", minimum=D(50)),)[: draw(st.integers(0, 1))]
    favourite = (Favourite("Favorit", winners=draw(st.integers(1, 2)), prize=draw(PRIZES),
                           exclude_jury_winners=draw(st.booleans()),
                           scope=draw(st.sampled_from([Scope.OVERALL, Scope.CATEGORY])),
                           certificate=draw(st.booleans()))
                 if draw(st.booleans()) else None)
    special = (
        SpecialAward("k1", "Terbaik c1", "s1", "c1", winners=1, prize=draw(PRIZES),
                     trophy=draw(st.booleans())),
        SpecialAward("k2", "Terbaik c2", "s1", "c2", winners=2, exclude=("k1",),
                     certificate=draw(st.booleans())),
    )[: draw(st.integers(0, 2))]
    comp = competition(specs, rubrics=[rubric(weights=(40, 60))], categories=cats,
                       tie_breaks=(TieBreak.HEAVIEST_STAGE, TieBreak.LOT), tiers=tiers,
                       grades=grades, predicates=predicates, favourite=favourite,
                       special_awards=special,
                       award_scope=draw(st.sampled_from([Scope.CATEGORY, Scope.OVERALL])))
    n_entries = draw(st.integers(1, 8))
    entries = [Entry(f"e{i}", draw(st.sampled_from(cats))) for i in range(n_entries)]
    decisions = []
    if draw(st.booleans()):
        decisions.append(Decision("s1", draw(st.sampled_from(entries)).key, Action.DISQUALIFY,
                                  "plagiat"))
    votes = ({e.key: draw(st.integers(0, 5)) for e in entries}
             if draw(st.booleans()) else {})
    sheets: dict[tuple[str, str, str], list[int]] = {}
    for k in range(n_stages):
        if k > 0:  # later stages score some of the entries that went on
            before = evaluate(comp, inputs(comp, entries=entries, sheets=sheets, votes=votes,
                                           decisions=decisions), FAST)
            went_on = before.stages[k - 1].advanced
            assert went_on is not None
            scored = [e for i, e in enumerate(entries) if went_on[i] and draw(st.booleans())]
        else:
            scored = entries
        for i, e in enumerate(scored):  # the first stage may leave entries unscored
            for j in range(draw(st.integers(1 if k or not i else 0, 3))):
                sheets[(f"s{k + 1}", f"j{j}", e.key)] = [
                    draw(st.integers(0, 20)) * 5, draw(st.integers(0, 20)) * 5]
    data = inputs(comp, entries=entries, sheets=sheets, votes=votes, decisions=decisions)
    return evaluate(comp, data, FAST)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ev=evaluations())
def test_final_records_from_columns_are_the_records_built_one_by_one(ev):
    columns = final_entries(ev)
    reference = tuple(final_entries_one_by_one(ev))
    assert columns == reference
    # equal Decimals can still be written differently ("0" and "0.00")
    assert [str(f.prize) for f in columns] == [str(f.prize) for f in reference]
    assert ev.results().final == reference


def test_the_property_meets_awards_of_every_kind():
    """The random competitions above do give tiers, bands, favourites and special awards."""
    seen = {"tier": False, "grade": False, "predicate": False, "favourite": False,
            "special": False, "disqualified": False, "awaiting": False}

    @settings(max_examples=300, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(ev=evaluations())
    def look(ev):
        for f in final_entries(ev):
            seen["tier"] |= f.tier is not None
            seen["grade"] |= f.grade is not None
            seen["predicate"] |= f.predicate is not None
            seen["favourite"] |= f.favourite
            seen["special"] |= bool(f.special_awards)
            seen["disqualified"] |= f.status == "disqualified"
            seen["awaiting"] |= f.status == "awaiting"

    look()
    assert all(seen.values()), seen
