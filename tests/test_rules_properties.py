"""Properties every rule keeps, over generated inputs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from kpi_xl import rules

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
points = st.floats(min_value=0, max_value=1000, allow_nan=False)
blank = st.sampled_from([None, float("nan"), "", "   "])
text = st.text(min_size=1).filter(lambda s: s.strip() and not _is_number_text(s))


def _is_number_text(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def _within(result, low, high, tol=1e-9):
    return low - tol <= result <= high + tol


# -- KPI_LINEAR and KPI_RELATIVE ----------------------------------------------------------------


@given(finite, finite, finite, points)
def test_linear_stays_within_zero_and_points(value, zero_at, full_at, pts):
    assume(zero_at != full_at)
    assert _within(rules.kpi_linear(value, zero_at, full_at, pts), 0, pts)


@given(st.lists(finite, min_size=2, max_size=30), finite, finite, points)
def test_linear_is_monotone_in_the_right_direction(values, zero_at, full_at, pts):
    assume(abs(zero_at - full_at) > 1e-6)
    ordered = np.sort(np.array(values))
    scores = rules.kpi_linear(ordered, zero_at, full_at, pts)
    steps = np.diff(scores)
    if zero_at < full_at:  # higher is better
        assert (steps >= -1e-9).all()
    else:  # reversed thresholds: lower is better
        assert (steps <= 1e-9).all()


@given(blank, finite, finite, points)
def test_linear_blank_gives_blank(empty, zero_at, full_at, pts):
    assume(zero_at != full_at)
    assert rules.kpi_linear(empty, zero_at, full_at, pts) is None
    out = rules.kpi_linear([empty, zero_at], zero_at, full_at, pts)
    assert math.isnan(out[0]) and out[1] == 0


@given(text, finite, finite, points)
def test_linear_text_is_an_error_naming_the_function_and_argument(word, zero_at, full_at, pts):
    assume(zero_at != full_at)
    with pytest.raises(ValueError, match=r"^KPI_LINEAR: value must be a number \(got "):
        rules.kpi_linear(word, zero_at, full_at, pts)


@given(st.floats(0, 1e5), st.floats(1, 1e5), st.floats(0, 3), st.floats(0, 3), points)
def test_relative_stays_within_zero_and_points(value, reference, zero_at, full_at, pts):
    assume(abs(zero_at - full_at) > 1e-9)
    assert _within(rules.kpi_relative(value, reference, zero_at, full_at, pts), 0, pts)


@given(st.lists(st.floats(0, 1e5), min_size=2, max_size=20), st.floats(1, 1e5))
def test_relative_is_monotone_in_value(values, reference):
    scores = rules.kpi_relative(np.sort(values), reference, 0.7, 1.1, 40)
    assert (np.diff(scores) >= -1e-9).all()


# -- KPI_BAND ---------------------------------------------------------------------------------


@st.composite
def bands(draw):
    limits = draw(st.lists(st.floats(-1e4, 1e4), min_size=1, max_size=6, unique=True))
    descending = draw(st.booleans())
    limits = sorted(limits, reverse=descending)
    pts = sorted(draw(st.lists(points, min_size=len(limits), max_size=len(limits))), reverse=True)
    return limits, pts, descending or len(limits) == 1


@given(bands(), st.lists(finite, min_size=1, max_size=30), st.floats(0, 0))
def test_band_gives_one_of_its_points_and_is_monotone(band, values, otherwise):
    limits, pts, higher_is_better = band
    ordered = np.sort(values)
    got = rules.kpi_band(ordered, limits, pts, otherwise)
    assert set(np.asarray(got).tolist()) <= set(pts) | {otherwise}
    steps = np.diff(got)
    # points listed best first and falling: better values never score less
    if higher_is_better:
        assert (steps >= 0).all()
    else:
        assert (steps <= 0).all()


@given(bands())
def test_band_edges_belong_to_the_better_band(band):
    limits, pts, _ = band
    # a value exactly on a limit meets it (≥ or ≤, never strict)
    assert list(rules.kpi_band(limits, limits, pts)) == pts


# -- KPI_DEDUCT, KPI_BONUS, KPI_RATIO ----------------------------------------------------------


@given(st.floats(0, 1e4), st.floats(0, 100), points)
def test_deduct_and_bonus_stay_within_zero_and_max(count, each, most):
    assert _within(rules.kpi_deduct(count, each, most), 0, most)
    assert _within(rules.kpi_bonus(count, each, most), 0, most)


@given(st.lists(st.floats(0, 1e4), min_size=2, max_size=20), st.floats(0, 100), points)
def test_deduct_falls_and_bonus_rises_with_the_count(counts, each, most):
    ordered = np.sort(counts)
    assert (np.diff(rules.kpi_deduct(ordered, each, most)) <= 1e-9).all()
    assert (np.diff(rules.kpi_bonus(ordered, each, most)) >= -1e-9).all()


@given(st.floats(0, 1e6), st.floats(1e-3, 1e6))
def test_ratio_is_actual_over_planned(actual, planned):
    assert rules.kpi_ratio(actual, planned) == actual / planned


# -- KPI_QC_FACTOR, KPI_360, KPI_WEIGHTED -------------------------------------------------------


@given(st.lists(st.floats(0, 1), min_size=2, max_size=30))
def test_qc_factor_is_never_negative_and_rises_with_qc(qcs):
    got = rules.kpi_qc_factor(np.sort(qcs))
    assert (got >= 0).all()
    assert (np.diff(got) >= -1e-9).all()


@given(st.floats(0, 100), st.floats(0, 100), st.floats(0, 100))
def test_360_lies_between_the_lowest_and_highest_rating(a, b, c):
    assert _within(rules.kpi_360(a, b, c), min(a, b, c), max(a, b, c))


def test_a_rater_weighted_0_is_left_out_in_the_one_rater_mean():
    # the superior's blank does not blank the result when it carries no weight
    assert rules.kpi_360(80, None, 70, [1, 0, 1]) == 75
    assert rules.kpi_360_formula("A1", "B1", "C1", [1, 0, 1]) == 'IF(OR(A1="",C1=""),"",(A1*1+C1*1)/2)'
    assert rules.kpi_360(80, None, 70) is None  # blank: every weighted rater is needed


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0.01, 100)), min_size=1, max_size=12))
def test_weighted_lies_between_the_lowest_and_highest_score(pairs):
    scores, weights = zip(*pairs)
    assert _within(rules.kpi_weighted(list(scores), list(weights)), min(scores), max(scores))


# -- KPI_GRADE and GRADE_PAY --------------------------------------------------------------------


@given(st.lists(st.floats(-50, 150), min_size=2, max_size=30))
def test_grade_never_gets_worse_as_the_score_rises(scores):
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    got = [order[g] for g in rules.kpi_grade(np.sort(scores))]
    assert got == sorted(got, reverse=True)


@given(st.sampled_from("ABCDabcd"), st.floats(0, 1e5))
def test_pay_is_the_ratio_times_the_base_to_the_fen(grade, base):
    pay = rules.grade_pay(grade, base)
    assert abs(pay - rules.grade_pay(grade) * base) <= 0.005 + 1e-9
    assert round(pay * 100) == pytest.approx(pay * 100, abs=1e-6)  # whole fen


@given(st.floats(-1e7, 1e7))
def test_money_is_whole_fen_within_half_a_fen(amount):
    got = rules.money(amount)
    assert abs(got - amount) <= 0.005 + 1e-9 and got == rules.money(got)


# -- one call over an array equals a call per cell --------------------------------------------


cell = st.one_of(finite, st.none())


@given(st.lists(cell, min_size=1, max_size=40))
def test_array_call_equals_one_call_per_value(values):
    whole = rules.kpi_linear(values, 70, 90, 5)
    for value, got in zip(values, whole):
        single = rules.kpi_linear(value, 70, 90, 5)
        assert (single is None and math.isnan(got)) or single == got


@given(st.lists(finite, min_size=1, max_size=10), st.lists(finite, min_size=1, max_size=10))
def test_2d_broadcast_matches_the_outer_product(values, zero_ats):
    assume(100 not in zero_ats)
    grid = rules.kpi_linear(np.array(values)[:, None], np.array(zero_ats)[None, :], 100, 10)
    assert grid.shape == (len(values), len(zero_ats))
    for i, v in enumerate(values):
        for j, z in enumerate(zero_ats):
            assert grid[i, j] == rules.kpi_linear(v, z, 100, 10)


# -- from a spreadsheet, only the bad positions carry the message -------------------------------


@settings(max_examples=60)
@given(st.lists(finite, min_size=1, max_size=30), st.data())
def test_cells_mark_only_the_bad_positions(values, data):
    bad_at = data.draw(st.integers(0, len(values) - 1))
    bad = data.draw(st.sampled_from(["abc", "#DIV/0!", "#N/A", True]))
    cells = [[v] for v in values]
    cells[bad_at] = [bad]
    shown = rules.for_cells(rules.kpi_linear, cells, 70, 90, 5)
    for i, (row, value) in enumerate(zip(shown, values)):
        if i == bad_at:
            assert row[0].startswith("KPI_LINEAR: value ") and len(row[0]) < 80
        else:
            assert row[0] == rules.kpi_linear(value, 70, 90, 5)


@given(st.sampled_from("ABCD"), st.floats(-20, 150), st.floats(0, 10_000))
def test_one_pay_function_follows_the_pay_mode(grade, score, base):
    from kpi_xl.policy import policy_from_dict

    by_grade = policy_from_dict({})
    by_score = policy_from_dict({"pay": {"mode": "score", "fixed_base": 750}})
    # seed 000 §四(一)2: base × the grade's 发放比例; seed 003: base × 分数% (never below 0)
    assert rules.performance_pay(grade, score, base, policy=by_grade) == pytest.approx(base * by_grade.pay.ratio[grade], abs=0.0051)
    assert rules.performance_pay(grade, score, base, policy=by_score) == pytest.approx(base * max(score, 0) / 100, abs=0.0051)  # to the fen
    assert rules.performance_pay(grade, score, policy=by_score) == pytest.approx(max(score, 0) / 100)
    assert rules.performance_pay_formula("G2", "F2", "H2", policy=by_grade) == rules.grade_pay_formula(
        "G2", "H2", part="ratio", policy=by_grade)
    assert rules.performance_pay_formula("G2", "F2", "H2", policy=by_score) == 'IF(OR(F2="",H2=""),"",ROUND(H2*MAX(F2,0)/100,2))'

