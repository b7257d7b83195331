"""kpi-xl's Excel functions: one xlwings UDF per rule in kpi_xl.rules.

Each function takes single cells or whole ranges (pass the whole column: one call scores it
all and the result spills) and returns one value or an array. A problem shows in the cell
as a short message starting with the function name; where a range was passed, only the bad
positions carry it. Blank in, blank out.

The docstrings are the help text of Excel's Function Wizard, and each argument's help comes
from the `_kpi_function` decorator below. Grade cut-offs, pay ratios and other defaults come
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
    """Points rising linearly from 0 at zero_at to points at full_at, clamped. =KPI_LINEAR(80,70,90,5) gives 2.5; =KPI_LINEAR(0.03,0.05,0.02,30) gives 20 (lower is better)."""
    return for_cells(rules.kpi_linear, value, zero_at, full_at, points)


@_kpi_function(
    value="The measured value: a cell or a whole column.",
    reference="The average or base the value is compared with (500, or AVERAGE(B2:B40)).",
    zero_at="Share of the reference that scores 0 (0.7 for 70%).",
    full_at="Share of the reference that scores full points (1.1 for 110%).",
    points="Full points (40).",
)
def KPI_RELATIVE(value, reference, zero_at, full_at, points):
    """KPI_LINEAR on value/reference. Work orders vs the average, 110% full 40, below 70% zero: =KPI_RELATIVE(B2,AVERAGE(B$2:B$40),0.7,1.1,40)."""
    return for_cells(rules.kpi_relative, value, reference, zero_at, full_at, points)


@_kpi_function(
    value="The measured value: a cell or a whole column.",
    thresholds="Band limits from best to worst: falling means value >= limit, rising means value <= limit.",
    points="Points for each band, in the same order ({100,80,60}).",
    otherwise="Points when no band is met (0 if left out).",
)
def KPI_BAND(value, thresholds, points, otherwise=0):
    """Tiered points: the first threshold met gives its points. =KPI_BAND(0.70,{0.75,0.65,0.5},{100,80,60}) gives 80; =KPI_BAND(40,{30,45,55},{100,80,60}) gives 80."""
    return for_cells(rules.kpi_band, value, thresholds, points, 0 if otherwise is None else otherwise)


@_kpi_function(
    count="How many times it happened.",
    per_item="Points deducted each time (2).",
    max_points="The item's full points; never goes below 0 (30).",
)
def KPI_DEDUCT(count, per_item, max_points):
    """max_points less per_item for each occurrence, floored at 0 (扣完为止). =KPI_DEDUCT(3,2,30) gives 24."""
    return for_cells(rules.kpi_deduct, count, per_item, max_points)


@_kpi_function(
    count="How many times it happened.",
    per_item="Points added each time (1).",
    max_points="The most this bonus can add (5).",
)
def KPI_BONUS(count, per_item, max_points):
    """per_item for each occurrence, capped at max_points. =KPI_BONUS(3,1,5) gives 3."""
    return for_cells(rules.kpi_bonus, count, per_item, max_points)


@_kpi_function(
    actual="What was done (180 customers visited).",
    planned="What was planned (200); must be more than 0.",
)
def KPI_RATIO(actual, planned):
    """Completion rate actual/planned. =KPI_RATIO(180,200) gives 0.9."""
    return for_cells(rules.kpi_ratio, actual, planned)


@_kpi_function(
    scores="Scores: one row per person (or a single row).",
    weights="One weight per score column, as a row (a column of weights scores each column).",
)
def KPI_WEIGHTED(scores, weights):
    """Weighted average sum(score*weight)/sum(weight); weights need not sum to 1. A blank weight leaves its item out. =KPI_WEIGHTED({80,90},{70,30}) gives 83."""
    return for_cells(rules.kpi_weighted, scores, weights, keepdims=True)


@_kpi_function(score="Final score: a cell or a whole column.")
def KPI_GRADE(score):
    """Grade letter A, B, C or D by the policy's cut-offs (default A>=90, B>=80, C>=60). =KPI_GRADE(85) gives "B"."""
    return for_cells(rules.kpi_grade, score, policy=POLICY)


@_kpi_function(
    grade="Grade letter A, B, C or D: a cell or a whole column.",
    pay_base="Optional: the performance pay base (考核工资标准); without it the ratio is returned.",
)
def GRADE_PAY(grade, pay_base=None):
    """Pay ratio for a grade, bonus included (A 1.1, B 1, C 0.7, D 0), or that share of pay_base. =GRADE_PAY("A") gives 1.1; =GRADE_PAY("C",800) gives 560."""
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
    """Multi-rater score (self*w1 + superior*w2 + group*w3)/(w1+w2+w3), default weights 15/60/25. =KPI_360(80,90,70) gives 83.5."""
    return for_cells(rules.kpi_360, self_score, superior_score, group_score, weights, policy=POLICY)


@_kpi_function(
    qc="QC rate as a share (0.85 for 85%).",
    floor_at="Optional: below this the factor falls (default 0.70).",
    target="Optional: above this the factor rises (default 0.80).",
    k="Optional: how fast it falls or rises per unit of qc (default 5).",
)
def KPI_QC_FACTOR(qc, floor_at=None, target=None, k=None):
    """Quality factor: 1-(floor_at-qc)*k below floor_at, 1+(qc-target)*k above target, else 1; never below 0. =KPI_QC_FACTOR(0.85) gives 1.25."""
    return for_cells(rules.kpi_qc_factor, qc, floor_at, target, k, policy=POLICY)


@_kpi_function(
    scores="The scores to rank (a team average per row).",
    rank_points="Points for rank 1, 2, 3, ... ({70,65,60,55,50}).",
    min_score="Optional: the lowest score that can earn rank points (85).",
    below="Optional: points for everyone else: a number or a range (0 if left out).",
)
def KPI_RANK_POINTS(scores, rank_points, min_score=None, below=0):
    """Points by rank (equal scores share a rank) for scores of at least min_score; others get below. =KPI_RANK_POINTS(B2:B6,{70,65,60,55,50},85,KPI_BAND(B2:B6,{75},{40}))."""
    return for_cells(rules.kpi_rank_points, scores, rank_points, min_score,
                     0 if below is None else below)  # fmt: skip


@_kpi_function(
    grades="Grades before the quota (a column).",
    scores="Final scores, same rows.",
    departments="Departments, same rows.",
)
def KPI_QUOTA(grades, scores, departments):
    """Grades after the A quota: at most 10% of staff and 1 per department keep A; the lowest-scoring extra A's become B, and equal scores at the limit all become B for a person to decide."""
    return for_cells(rules.kpi_quota, grades, scores, departments, policy=POLICY)
