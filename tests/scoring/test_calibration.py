"""Judge calibration: least-squares offsets checked against statsmodels, refusal of
disconnected designs, and a simulation with known true qualities."""

from __future__ import annotations

from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from scipy.stats import spearmanr

from sayembara.scoring import (
    Calibration,
    CalibrationModel,
    CalibrationRefused,
    Official,
    Options,
    compute,
)
from sayembara.scoring.calibration import fit

from .builders import competition, inputs, rubric, stage


def _design(seed: int, entries: int = 40, judges: int = 10, per_entry: int = 3,
            offset_sd: float = 6.0, noise_sd: float = 3.0):
    """Random overlapping panels: every entry gets ``per_entry`` of ``judges``."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(70, 8, entries)
    offset = rng.normal(0, offset_sd, judges)
    e, j = [], []
    for entry in range(entries):
        for judge in rng.choice(judges, per_entry, replace=False):
            e.append(entry)
            j.append(int(judge))
    ea, ja = np.array(e, dtype=np.int64), np.array(j, dtype=np.int64)
    x = quality[ea] + offset[ja] + rng.normal(0, noise_sd, ea.size)
    return ea, ja, x, quality, offset


def _keys(n: int) -> list[str]:
    return [f"j{i}" for i in range(n)]


def test_offsets_without_regularisation_match_ordinary_least_squares():
    e, j, x, _, _ = _design(3)
    ours = fit(e, j, x, model=CalibrationModel.OFFSET, regularisation=0.0, judge_keys=_keys(10))
    frame = pd.DataFrame({"x": x, "entry": e, "judge": j})
    ols = smf.ols("x ~ C(entry) + C(judge)", data=frame).fit()
    ref = np.array([0.0] + [ols.params[f"C(judge)[T.{k}]"] for k in range(1, 10)])
    # compare judge-to-judge differences (the level is a convention)
    assert np.allclose(ours.offset - ours.offset[0], ref - ref[0], atol=1e-8)
    # and the sheet-weighted mean offset is zero
    assert abs(float(np.dot(ours.offset, ours.sheets))) < 1e-8


def test_regularised_offsets_match_least_squares_with_pseudo_observations():
    e, j, x, _, _ = _design(4)
    lam = 2.0
    ours = fit(e, j, x, model=CalibrationModel.OFFSET, regularisation=lam, judge_keys=_keys(10))
    # ridge on the offsets only == OLS with sqrt(lam) x (judge dummy) pseudo-rows at 0
    rows = [{"x": xi, **{f"e{k}": float(ei == k) for k in range(40)},
             **{f"j{k}": float(ji == k) for k in range(10)}} for ei, ji, xi in zip(e, j, x,
                                                                              strict=True)]
    for k in range(10):
        rows.append({"x": 0.0, **{f"e{m}": 0.0 for m in range(40)},
                     **{f"j{m}": float(np.sqrt(lam)) * (m == k) for m in range(10)}})
    frame = pd.DataFrame(rows)
    formula = "x ~ 0 + " + " + ".join([f"e{k}" for k in range(40)] +
                                       [f"j{k}" for k in range(10)])
    ols = smf.ols(formula, data=frame).fit()
    ref = np.array([ols.params[f"j{k}"] for k in range(10)])
    ref = ref - float(np.dot(ref, ours.sheets) / ours.sheets.sum())
    assert np.allclose(ours.offset, ref, atol=1e-8)


def test_disconnected_panels_are_refused_with_the_groups_named():
    e = np.array([0, 0, 1, 1, 2, 2, 3, 3], dtype=np.int64)
    j = np.array([0, 1, 0, 1, 2, 3, 2, 3], dtype=np.int64)
    x = np.array([70, 72, 60, 61, 80, 85, 75, 79], dtype=float)
    with pytest.raises(CalibrationRefused) as info:
        fit(e, j, x, model=CalibrationModel.OFFSET, regularisation=1.0,
            judge_keys=["Ani", "Budi", "Citra", "Dewi"])
    assert info.value.code == "disconnected"
    assert info.value.params == {"groups": (("Ani", "Budi"), ("Citra", "Dewi"))}
    assert "{Ani, Budi}" in str(info.value) and "{Citra, Dewi}" in str(info.value)


def test_calibration_improves_rank_correlation_with_true_quality():
    gains = []
    for seed in range(20):
        e, j, x, quality, _ = _design(100 + seed, entries=60, judges=12)
        result = fit(e, j, x, model=CalibrationModel.OFFSET, regularisation=1.0,
                     judge_keys=_keys(12))
        raw = np.bincount(e, weights=x) / np.bincount(e)
        calibrated = np.bincount(e, weights=result.adjusted) / np.bincount(e)
        gains.append(spearmanr(calibrated, quality).statistic -
                     spearmanr(raw, quality).statistic)
    assert float(np.mean(gains)) > 0.05
    assert sum(g > 0 for g in gains) >= 18


def test_offset_scale_model_recovers_a_compressing_judge():
    rng = np.random.default_rng(9)
    entries, judges = 80, 6
    quality = rng.normal(70, 10, entries)
    scale = np.array([1.0, 1.0, 1.0, 1.0, 0.4, 1.0])
    e, j = [], []
    for entry in range(entries):
        for judge in rng.choice(judges, 3, replace=False):
            e.append(entry)
            j.append(int(judge))
    ea, ja = np.array(e, dtype=np.int64), np.array(j, dtype=np.int64)
    x = 70 + scale[ja] * (quality[ea] - 70) + rng.normal(0, 1.5, ea.size)
    result = fit(ea, ja, x, model=CalibrationModel.OFFSET_SCALE, regularisation=1.0,
                 judge_keys=_keys(judges))
    assert result.scale[4] == pytest.approx(0.4, abs=0.1)
    assert all(abs(result.scale[k] - 1.0) < 0.15 for k in (0, 1, 2, 3, 5))


def test_engine_reports_calibrated_beside_raw_and_uses_it_when_the_stage_says_so():
    one = rubric(weights=(100,))
    sheets = {}
    # judge h marks 20 points high; entries A and B are equally good, A drew judge h.
    for entry, judges in {"A": ("h", "m"), "B": ("m", "n"), "C": ("h", "n")}.items():
        for judge in judges:
            sheets[("s1", judge, entry)] = [70 + (20 if judge == "h" else 0)]
    raw_comp = competition([stage()], rubrics=[one],
                           calibration=Calibration(regularisation=D(0)))
    cal_comp = competition([stage(official=Official.CALIBRATED)], rubrics=[one],
                           calibration=Calibration(regularisation=D(0)))
    options = Options(bootstrap=0)
    raw = compute(raw_comp, inputs(raw_comp, entries={k: "x" for k in "ABC"}, sheets=sheets),
                  options)
    cal = compute(cal_comp, inputs(cal_comp, entries={k: "x" for k in "ABC"}, sheets=sheets),
                  options)
    by_raw = {e.entry: e for e in raw.stages[0].entries}
    by_cal = {e.entry: e for e in cal.stages[0].entries}
    assert by_raw["A"].score == 80 and by_raw["B"].score == 70
    assert by_raw["A"].calibrated == by_raw["B"].calibrated
    assert by_cal["A"].score == by_cal["B"].score == by_cal["C"].score
    assert cal.stages[0].calibration is not None
    assert cal.stages[0].calibration.official == "calibrated"


def test_refused_calibration_leaves_the_raw_score_official():
    one = rubric(weights=(100,))
    comp = competition([stage(official=Official.CALIBRATED)], rubrics=[one])
    sheets = {("s1", "j1", "A"): [80], ("s1", "j2", "A"): [70],
              ("s1", "j3", "B"): [60], ("s1", "j4", "B"): [65]}
    result = compute(comp, inputs(comp, entries={"A": "x", "B": "x"}, sheets=sheets),
                     Options(bootstrap=0))
    report = result.stages[0].calibration
    assert report is not None
    assert (report.requested, report.official) == ("calibrated", "raw")
    assert report.units[0].status == "refused"
    assert (report.units[0].code, report.units[0].groups) == (
        "disconnected", (("j1", "j2"), ("j3", "j4")))
    assert {e.entry: e.score for e in result.stages[0].entries} == {"A": 75, "B": D("62.5")}
