"""Exact messages for bad input, from Python and as shown in a cell."""

import pytest

from kpi_xl import rules
from kpi_xl.errors import KpiError, KpiInputError

RAISED = [
    (lambda: rules.kpi_linear(80, 70, 70, 5), "KPI_LINEAR: zero_at and full_at must differ (both 70)"),
    (lambda: rules.kpi_linear("abc", 70, 90, 5), "KPI_LINEAR: value must be a number (got 'abc')"),
    (lambda: rules.kpi_linear([1, "x"], 70, 90, 5), "KPI_LINEAR: value must be a number (got 'x') at [1]"),
    (lambda: rules.kpi_linear(True, 70, 90, 5), "KPI_LINEAR: value must be a number (got TRUE)"),
    (lambda: rules.kpi_linear("#DIV/0!", 70, 90, 5),
     "KPI_LINEAR: value is the error #DIV/0!; fix the cell it refers to"),
    (lambda: rules.kpi_linear(80, 70, 90, -5), "KPI_LINEAR: points must not be negative (got -5)"),
    (lambda: rules.kpi_band(1, [0.5, 0.75, 0.65], [100, 80, 60]),
     "KPI_BAND: thresholds must all fall or all rise, best first (got 0.5, 0.75, 0.65)"),
    (lambda: rules.kpi_band(1, [0.75, 0.65], [100, 80, 60]),
     "KPI_BAND: points needs one number per threshold (got 2 thresholds, 3 points)"),
    (lambda: rules.kpi_band(1, [], []), "KPI_BAND: thresholds needs at least 1 number (got 0)"),
    (lambda: rules.kpi_deduct(-1, 2, 30), "KPI_DEDUCT: count must not be negative (got -1)"),
    (lambda: rules.kpi_bonus(1, 2, -3), "KPI_BONUS: max_points must not be negative (got -3)"),
    (lambda: rules.kpi_ratio(5, 0), "KPI_RATIO: planned must be greater than 0 (got 0)"),
    (lambda: rules.kpi_relative(5, 0, 0.7, 1.1, 40), "KPI_RELATIVE: reference must be greater than 0 (got 0)"),
    (lambda: rules.kpi_weighted([80, 90], [1, 2, 3]),
     "KPI_WEIGHTED: needs one weight per score (3 weights for 2 scores)"),
    (lambda: rules.kpi_weighted([80, 90], [0, 0]), "KPI_WEIGHTED: weights must not all be 0"),
    (lambda: rules.kpi_grade("B"), "KPI_GRADE: score must be a number (got 'B')"),
    (lambda: rules.grade_pay("E"), "GRADE_PAY: grade must be one of A, B, C, D (got 'E')"),
    (lambda: rules.grade_pay("A", -1), "GRADE_PAY: base must not be negative (got -1)"),
    (lambda: rules.kpi_360(80, 90, 70, [1, -1, 1]), "KPI_360: weights must not be negative (got -1)"),
    (lambda: rules.kpi_360(80, 90, 70, [0, 0, 0]), "KPI_360: weights must not all be 0"),
    (lambda: rules.kpi_360(80, 90, 70, [1, 1]), "KPI_360: weights needs at least 3 numbers (got 2)"),
    (lambda: rules.kpi_qc_factor(75), "KPI_QC_FACTOR: qc must be a share from 0 to 1 (got 75); write 75% as 0.75"),
    (lambda: rules.kpi_qc_factor(0.8, 0.9, 0.7),
     "KPI_QC_FACTOR: floor_at must not exceed target (got 0.9 > 0.7)"),
    (lambda: rules.kpi_quota(["A", "B"], [90, 80], ["x"]),
     "KPI_QUOTA: grades, scores and departments must be the same size (got 2, 2, 1)"),
    (lambda: rules.kpi_quota(["A"], [None], ["x"]),
     "KPI_QUOTA: an A needs its score (blank at this position) at [0]"),
]


@pytest.mark.parametrize(("call", "message"), RAISED, ids=[m for _, m in RAISED])
def test_message(call, message):
    with pytest.raises(KpiInputError) as caught:
        call()
    assert str(caught.value) == message
    # callers can catch it as ours or as the built-in it resembles
    assert isinstance(caught.value, KpiError) and isinstance(caught.value, ValueError)


def test_cells_show_short_messages_and_score_the_rest():
    shown = rules.for_cells(rules.kpi_linear, [[80], ["abc"], [None], ["#N/A"]], 70, 90, 5)
    assert shown == [
        [2.5],
        ["KPI_LINEAR: value must be a number (got 'abc')"],
        [""],
        ["KPI_LINEAR: value is the error #N/A; fix the cell it refers to"],
    ]


def test_cells_mark_per_position_parameter_problems():
    # a range of zero_at values: only the row where zero_at equals full_at is wrong
    shown = rules.for_cells(rules.kpi_linear, [[80], [80]], [[70], [90]], [[90]], [[5]])
    assert shown == [[2.5], ["KPI_LINEAR: zero_at and full_at must differ (both 90)"]]


def test_a_bad_list_argument_spoils_the_whole_call():
    shown = rules.for_cells(rules.kpi_band, [[0.7], [0.8]], [[0.75, "x", 0.5]], [[100, 80, 60]])
    assert shown == "KPI_BAND: thresholds must be a number (got 'x')"


def test_weighted_cells_mark_the_row_with_a_bad_score():
    shown = rules.for_cells(
        rules.kpi_weighted, [[80, 90], [70, "x"], [60, 70]], [[50, 50]], keepdims=True
    )
    assert shown == [[85.0], ["KPI_WEIGHTED: scores must be a number (got 'x')"], [65.0]]


def test_weighted_column_of_weights_scores_each_column():
    shown = rules.for_cells(rules.kpi_weighted, [[80, 60], [90, 100]], [[3], [1]], keepdims=True)
    assert shown == [[82.5, 70.0]]


def test_every_cell_message_is_short():
    for _, message in RAISED:
        assert len(message) <= 90, message
