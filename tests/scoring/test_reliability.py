"""Reliability figures checked against independent implementations (pingouin, krippendorff)."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest

from sayembara.scoring.reliability import krippendorff_interval, reliability


def _fixed_panel(seed: int, entries: int = 25, judges: int = 5):
    rng = np.random.default_rng(seed)
    quality = rng.normal(70, 8, entries)
    offset = rng.normal(0, 4, judges)
    e = np.repeat(np.arange(entries), judges)
    j = np.tile(np.arange(judges), entries)
    x = quality[e] + offset[j] + rng.normal(0, 5, e.size)
    return e.astype(np.int64), j.astype(np.int64), x


def _pingouin(e, j, x) -> dict[str, float]:
    frame = pd.DataFrame({"entry": e, "judge": j, "score": x})
    table = pingouin.intraclass_corr(data=frame, targets="entry", raters="judge",
                                     ratings="score")
    # pingouin names the two-way absolute-agreement forms ICC(A,1) and ICC(A,k)
    return dict(zip(table["Type"], table["ICC"], strict=True))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_icc_of_a_fixed_panel_matches_pingouin(seed):
    e, j, x = _fixed_panel(seed)
    ours = reliability(e, j, x)
    ref = _pingouin(e, j, x)
    assert ours.design == "fixed"
    assert (ours.icc_single_form, ours.icc_average_form) == ("ICC(2,1)", "ICC(2,k)")
    assert ours.icc_single == pytest.approx(ref["ICC(A,1)"], abs=1e-10)
    assert ours.icc_average == pytest.approx(ref["ICC(A,k)"], abs=1e-10)


def test_icc_of_varying_panels_matches_pingouin_one_way():
    rng = np.random.default_rng(7)
    entries, per_entry, pool = 30, 3, 9
    quality = rng.normal(70, 8, entries)
    rows = []
    for entry in range(entries):
        for slot, judge in enumerate(rng.choice(pool, per_entry, replace=False)):
            rows.append((entry, int(judge), slot, quality[entry] + rng.normal(0, 5)))
    e = np.array([r[0] for r in rows], dtype=np.int64)
    j = np.array([r[1] for r in rows], dtype=np.int64)
    slot = np.array([r[2] for r in rows], dtype=np.int64)
    x = np.array([r[3] for r in rows])
    ours = reliability(e, j, x)
    ref = _pingouin(e, slot, x)  # one-way ICC does not depend on which judge is which
    assert ours.design == "varying"
    assert (ours.icc_single_form, ours.icc_average_form) == ("ICC(1,1)", "ICC(1,k)")
    assert ours.icc_single == pytest.approx(ref["ICC(1,1)"], abs=1e-10)
    assert ours.icc_average == pytest.approx(ref["ICC(1,k)"], abs=1e-10)
    assert ours.k == pytest.approx(3.0)


@pytest.mark.parametrize("seed", [11, 12])
def test_krippendorff_alpha_on_an_incomplete_design_matches_the_reference(seed):
    rng = np.random.default_rng(seed)
    entries, judges = 40, 8
    quality = rng.normal(70, 10, entries)
    matrix = np.full((judges, entries), np.nan)
    for entry in range(entries):
        k = int(rng.integers(2, 5))
        for judge in rng.choice(judges, k, replace=False):
            matrix[judge, entry] = quality[entry] + rng.normal(0, 6)
    matrix[0, 0] = np.nan  # leave one entry with a single value: not pairable
    matrix[:, 0] = np.nan
    matrix[3, 0] = 70.0
    jj, ee = np.nonzero(~np.isnan(matrix))
    ours = krippendorff_interval(ee.astype(np.int64), matrix[jj, ee])
    ref = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert ours == pytest.approx(ref, abs=1e-10)


def test_lenient_judge_has_positive_severity_and_high_agreement():
    e, j, x = _fixed_panel(5, entries=30, judges=4)
    x = x + np.where(j == 2, 10.0, 0.0)
    stats = {s.judge: s for s in reliability(e, j, x).per_judge}
    assert stats[2].severity is not None and stats[2].severity > 8
    assert all(stats[k].severity < 0 for k in (0, 1, 3) if stats[k].severity is not None)
    assert stats[2].agreement is not None and stats[2].agreement > 0.5


def test_figures_are_none_when_they_cannot_be_computed():
    e = np.array([0, 1], dtype=np.int64)
    j = np.array([0, 0], dtype=np.int64)
    figures = reliability(e, j, np.array([70.0, 80.0]))
    assert (figures.icc_single, figures.icc_average, figures.alpha) == (None, None, None)
