"""kpi-xl's Excel functions: one xlwings UDF per rule in kpi_xl.rules.

Each function takes single cells or whole ranges (pass the whole column: one call scores it
all and the result spills) and returns one value or an array. A problem shows in the cell
as a short message starting with the function name; where a range was passed, only the bad
positions carry it. Blank in, blank out.

Each function's docstring, the help text of Excel's Function Wizard, is set from the rule
registry (kpi_xl.rules.RULES: help and worked examples); each argument's help comes from the
`_kpi_function` decorator below. Grade cut-offs, pay ratios and other defaults come
from the policy file named by the KPI_XL_POLICY environment variable (seed 000 defaults
without it).
"""

from __future__ import annotations

import xlwings as xw

from kpi_xl import rules
from kpi_xl.policy import policy_from_env
from kpi_xl.rules import for_cells

POLICY = policy_from_env()


def _kpi_function(**argument_help: str):
    """@xw.func in category KPI, every argument read as a 2-D range with error cells kept
    as text ("#DIV/0!") so that they are reported instead of read as blank."""

    def decorate(function):
        function.__doc__ = rules.RULES[function.__name__].udf_help  # before xlwings reads it
        for name, help_text in argument_help.items():
            function = xw.arg(name, ndim=2, err_to_str=True, doc=help_text)(function)
        function = xw.func(category="KPI")(function)
        function.__kpi_argument_help__ = dict(argument_help)
        return function

    return decorate


@_kpi_function(
    value="The measured value: a cell or a whole column.",
    zero_at="Value that scores 0 (70). Above full_at means lower is better.",
    full_at="Value that scores full points (90).",
    points="Full points (5).",
)
def KPI_LINEAR(value, zero_at, full_at, points):
    return for_cells(rules.kpi_linear, value, zero_at, full_at, points)


@_kpi_function(
    value="The measured value: a cell or a whole column.",
    reference="The average or base the value is compared with (500, or AVERAGE(B2:B40)).",
    zero_at="Share of the reference that scores 0 (0.7 for 70%).",
    full_at="Share of the reference that scores full points (1.1 for 110%).",
    points="Full points (40).",
)
def KPI_RELATIVE(value, reference, zero_at, full_at, points):
    return for_cells(rules.kpi_relative, value, reference, zero_at, full_at, points)


@_kpi_function(
    value="The measured value: a cell or a whole column.",
    thresholds="Band limits from best to worst: falling means value >= limit, rising means value <= limit.",
    points="Points for each band, in the same order ({100,80,60}).",
    otherwise="Points when no band is met (0 if left out).",
)
def KPI_BAND(value, thresholds, points, otherwise=0):
    return for_cells(rules.kpi_band, value, thresholds, points, 0 if otherwise is None else otherwise)


@_kpi_function(
    count="How many times it happened.",
    per_item="Points deducted each time (2).",
    max_points="The item's full points; never goes below 0 (30).",
)
def KPI_DEDUCT(count, per_item, max_points):
    return for_cells(rules.kpi_deduct, count, per_item, max_points)


@_kpi_function(
    count="How many times it happened.",
    per_item="Points added each time (1).",
    max_points="The most this bonus can add (5).",
)
def KPI_BONUS(count, per_item, max_points):
    return for_cells(rules.kpi_bonus, count, per_item, max_points)


@_kpi_function(
    actual="What was done (180 customers visited).",
    planned="What was planned (200); must be more than 0.",
)
def KPI_RATIO(actual, planned):
    return for_cells(rules.kpi_ratio, actual, planned)


@_kpi_function(
    scores="Scores: one row per person (or a single row).",
    weights="One weight per score column, as a row (a column of weights scores each column).",
)
def KPI_WEIGHTED(scores, weights):
    return for_cells(rules.kpi_weighted, scores, weights, keepdims=True)


@_kpi_function(score="Final score: a cell or a whole column.")
def KPI_GRADE(score):
    return for_cells(rules.kpi_grade, score, policy=POLICY)


@_kpi_function(
    grade="Grade letter A, B, C or D: a cell or a whole column.",
    pay_base="Optional: the performance pay base (考核工资标准); without it the ratio is returned.",
)
def GRADE_PAY(grade, pay_base=None):
    if pay_base is None:  # left out: the ratio
        return for_cells(rules.grade_pay, grade, policy=POLICY)
    return for_cells(rules.grade_pay, grade, pay_base, policy=POLICY)


@_kpi_function(
    self_score="The person's own score.",
    superior_score="The superior's score.",
    group_score="The group's (peers') score.",
    weights="Optional: three weights for self, superior, group (default 15/60/25).",
)
def KPI_360(self_score, superior_score, group_score, weights=None):
    return for_cells(rules.kpi_360, self_score, superior_score, group_score, weights, policy=POLICY)


@_kpi_function(
    qc="QC rate as a share (0.85 for 85%).",
    floor_at="Optional: below this the factor falls (default 0.70).",
    target="Optional: above this the factor rises (default 0.80).",
    k="Optional: how fast it falls or rises per unit of qc (default 5).",
)
def KPI_QC_FACTOR(qc, floor_at=None, target=None, k=None):
    return for_cells(rules.kpi_qc_factor, qc, floor_at, target, k, policy=POLICY)


@_kpi_function(
    scores="The scores to rank (a team average per row).",
    rank_points="Points for rank 1, 2, 3, ... ({70,65,60,55,50}).",
    min_score="Optional: the lowest score that can earn rank points (85).",
    below="Optional: points for everyone else: a number or a range (0 if left out).",
)
def KPI_RANK_POINTS(scores, rank_points, min_score=None, below=0):
    return for_cells(rules.kpi_rank_points, scores, rank_points, min_score,
                     0 if below is None else below)  # fmt: skip


@_kpi_function(
    grades="Grades before the quota (a column).",
    scores="Final scores, same rows.",
    departments="Departments, same rows.",
)
def KPI_QUOTA(grades, scores, departments):
    return for_cells(rules.kpi_quota, grades, scores, departments, policy=POLICY)
