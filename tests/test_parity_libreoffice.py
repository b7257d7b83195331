"""Each rule's native formula, recalculated by LibreOffice, equals the Python rule.

One workbook, one sheet per case: input cells on the left (a blank input is an empty
cell), the builder's formula in the last column. Python computes the expected column from
the same inputs with the vectorised rule. Every recalculated value must equal Python's
within 1e-9, blank must be blank, and text where a number belongs must be an error.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from kpi_xl import rules
from kpi_xl.policy import Policy, policy_from_dict
from tests.helpers import convert

CUSTOM = policy_from_dict(
    {
        "grades": {"A": 85, "B": 75, "C": 55},
        "pay": {"ratio": {"C": 0.6}, "bonus": {"A": 0.2, "B": 0.05}},
        "quota": {"a_share": 0.2, "a_per_department": 2},
        "rater_weights": {"self_rating": 1, "superior": 2, "group": 1},
        "qc_factor": {"floor_at": 0.6, "target": 0.9, "k": 3},
    }
)
ERROR = "error"  # expected: the formula gives an error value, as Python raises


@dataclass
class Case:
    name: str
    rows: list[tuple]  # input cells per row; None = empty cell
    formula: callable  # (row number, input cell refs) -> formula
    expected: list = field(default_factory=list)


def refs(row: int, width: int) -> list[str]:
    return [f"{get_column_letter(c + 1)}{row}" for c in range(width)]


def columns(rows: list[tuple]) -> list[list]:
    return [list(col) for col in zip(*rows)]


# -- the grid of inputs -------------------------------------------------------------------------

VALUES = [None, -5, 0, 0.01, 0.02, 0.03, 0.05, 0.06, 60, 69.99, 70, 75, 80, 89.999, 90, 95, 200]
LINEAR_PARAMS = [(70, 90, 5), (0.05, 0.02, 30), (90, 70, 10), (0, 1, 1), (None, 90, 5), (70, 90, None)]


def linear_cases() -> list[Case]:
    rows = [(v, *p) for p, v in itertools.product(LINEAR_PARAMS, VALUES)]
    by_ref = Case("linear", rows, lambda r, c: rules.kpi_linear_formula(*c))
    by_ref.expected = list(rules.kpi_linear(*columns(rows)))
    const_rows = [(v,) for v in VALUES]
    by_const = Case("linear_const", const_rows, lambda r, c: rules.kpi_linear_formula(c[0], 0.05, 0.02, 30))
    by_const.expected = list(rules.kpi_linear(VALUES, 0.05, 0.02, 30))
    text = Case("linear_text", [("abc", 70, 90, 5)], lambda r, c: rules.kpi_linear_formula(*c), [ERROR])
    return [by_ref, by_const, text]


def relative_cases() -> list[Case]:
    values = [None, 0, 300, 349.99, 350, 400, 500, 549.99, 550, 750, 1000]
    rows = [(v, ref, 0.7, 1.1, 40) for ref in (500, 250, None) for v in values]
    rows += [(v, 500, 0.7, 1.5, 15) for v in values]  # seed 002 稽核量 vs base 500
    case = Case("relative", rows, lambda r, c: rules.kpi_relative_formula(*c))
    case.expected = list(rules.kpi_relative(*columns(rows)))
    return [case]


BANDS = [
    ([0.75, 0.65, 0.5], [100, 80, 60], [None, 0.75, 0.7499999, 0.65, 0.6, 0.5, 0.49, 1, 0]),
    ([30, 45, 55], [100, 80, 60], [None, 0, 30, 30.0001, 45, 50, 55, 55.01, 120]),
    ([75], [40], [None, 74.99, 75, 85]),
    ([1.12, 1.08, 1.06], [100, 80, 60], [1.13, 1.12, 1.1, 1.08, 1.07, 1.06, 1.05]),
]


def band_cases() -> list[Case]:
    cases = []
    for i, (thresholds, points, values) in enumerate(BANDS):
        for otherwise in (0, 10, None):
            rows = [(v, otherwise) for v in values]
            case = Case(
                f"band{i}_{otherwise}",
                rows,
                lambda r, c, t=thresholds, p=points: rules.kpi_band_formula(c[0], t, p, c[1]),
            )
            case.expected = list(rules.kpi_band(values, thresholds, points, [o for _, o in rows]))
            cases.append(case)
    return cases


def count_cases() -> list[Case]:
    rows = [
        (n, each, most)
        for n in (None, 0, 1, 2.5, 3, 15, 16, 40)
        for each, most in ((2, 30), (1, 5), (0, 10), (None, 10))
    ]
    deduct = Case("deduct", rows, lambda r, c: rules.kpi_deduct_formula(*c))
    deduct.expected = list(rules.kpi_deduct(*columns(rows)))
    bonus = Case("bonus", rows, lambda r, c: rules.kpi_bonus_formula(*c))
    bonus.expected = list(rules.kpi_bonus(*columns(rows)))
    ratio_rows = [(180, 200), (0, 5), (7, 3), (None, 5), (5, None), (1, 3)]
    ratio = Case("ratio", ratio_rows, lambda r, c: rules.kpi_ratio_formula(*c))
    ratio.expected = list(rules.kpi_ratio(*columns(ratio_rows)))
    return [deduct, bonus, ratio]


def weighted_cases() -> list[Case]:
    rows = [
        (80, 90, 70, 60, 35, 20, 10, 35),
        (80, 90, None, None, 70, 30, None, None),  # unused rows: no weight, no score
        (80, None, 70, 60, 35, 20, 10, 35),  # a weighted item not yet scored → blank
        (None, None, None, None, None, None, None, None),
        (100, 0, 50, 25, 1, 1, 1, 1),
        (95.5, 88.25, 79, 61, 0.4, 0.3, 0.2, 0.1),
        (80, 90, 70, 60, 0, 0, 5, 0),
    ]

    def formula(r, c):
        return rules.kpi_weighted_formula(f"A{r}:D{r}", f"E{r}:H{r}")

    case = Case("weighted", rows, formula)
    case.expected = [rules.kpi_weighted(list(row[:4]), list(row[4:])) for row in rows]
    return [case]


def grade_pay_cases() -> list[Case]:
    scores = [None, -5, 0, 54.99, 55, 59.999, 60, 74.99, 75, 79.99, 80, 84.99, 85, 89.999, 90, 100, 130]
    cases = []
    for tag, policy in (("default", Policy()), ("custom", CUSTOM)):
        grade = Case(
            f"grade_{tag}",
            [(s,) for s in scores],
            lambda r, c, p=policy: rules.kpi_grade_formula(c[0], policy=p),
        )
        grade.expected = list(rules.kpi_grade(scores, policy=policy))
        pay_rows = [(g, b) for g in ("A", "B", "C", "D", None, "a") for b in (800, 0, 1234.56, None)]
        with_base = Case(
            f"pay_{tag}", pay_rows, lambda r, c, p=policy: rules.grade_pay_formula(*c, policy=p)
        )
        with_base.expected = list(rules.grade_pay(*columns(pay_rows), policy=policy))
        ratio = Case(
            f"ratio_{tag}",
            [(g,) for g in ("A", "B", "C", "D", None)],
            lambda r, c, p=policy: rules.grade_pay_formula(c[0], policy=p),
        )
        ratio.expected = list(rules.grade_pay(["A", "B", "C", "D", None], policy=policy))
        cases += [grade, with_base, ratio]
    text = Case("grade_text", [("abc",)], lambda r, c: rules.kpi_grade_formula(c[0]), [ERROR])
    return cases + [text]


def money_cases() -> list[Case]:
    """Pay to the fen the same in both (issue 11): halves, binary noise, score pay."""
    bases = (700, 700.7, 1234.56, 750, 333.33, 0.125 / 0.7, None)
    grade_rows = [(g, b) for g in ("A", "C") for b in bases]
    by_grade = Case("money_grade", grade_rows, lambda r, c: rules.grade_pay_formula(c[0], c[1], part="ratio"))
    by_grade.expected = list(rules.grade_pay(*columns(grade_rows), part="ratio"))
    score_rows = [(s, b) for s in (82, 83.33, 66.667, 50.5, -3, None) for b in (750, 333.33, 1000.01, None)]
    by_score = Case("money_score", score_rows, lambda r, c: rules.score_pay_formula(*c))
    by_score.expected = list(rules.score_pay(*columns(score_rows)))
    plain_rows = [(a,) for a in (489.99999999999994, 2.675, 0.125, -0.125, 1.005, 333.3349, 1e6 / 3, None)]
    plain = Case("money", plain_rows, lambda r, c: rules.money_formula(c[0]))
    plain.expected = list(rules.money([np.nan if a is None else a for (a,) in plain_rows]))
    return [by_grade, by_score, plain]


def rater_cases() -> list[Case]:
    rows = [(80, 90, 70), (100, 0, 50), (None, 90, 70), (61.5, 77.25, 93.125), (0, 0, 0)]
    cases = []
    for tag, policy in (("default", Policy()), ("custom", CUSTOM)):
        case = Case(f"r360_{tag}", rows, lambda r, c, p=policy: rules.kpi_360_formula(*c, policy=p))
        case.expected = list(rules.kpi_360(*columns(rows), policy=policy))
        cases.append(case)
    qc = [None, 0, 0.3, 0.5, 0.6, 0.69, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1]
    for tag, policy in (("default", Policy()), ("custom", CUSTOM)):
        case = Case(f"qc_{tag}", [(q,) for q in qc],
                    lambda r, c, p=policy: rules.kpi_qc_factor_formula(c[0], policy=p))  # fmt: skip
        case.expected = list(rules.kpi_qc_factor(qc, policy=policy))
        cases.append(case)
    explicit_rows = [(q, 0.65, 0.85, 2) for q in qc]
    explicit = Case("qc_args", explicit_rows, lambda r, c: rules.kpi_qc_factor_formula(*c))
    explicit.expected = list(rules.kpi_qc_factor(*columns(explicit_rows)))
    return cases + [explicit]


def rank_cases() -> list[Case]:
    averages = [91, 88.5, 91, 86, 85, 84.99, 75, 74.99, None, 87, 92.25, 60]
    n = len(averages)
    scores_range = f"$A$2:$A${n + 1}"
    table = [70, 65, 60, 55, 50]

    def formula(r, c):
        below = rules.kpi_band_formula(c[0], [75], [40])
        return rules.kpi_rank_points_formula(c[0], scores_range, table, 85, below)

    case = Case("rank_points", [(a,) for a in averages], formula)
    case.expected = list(rules.kpi_rank_points(averages, table, 85, rules.kpi_band(averages, [75], [40])))
    plain = Case(
        "rank_plain",
        [(a,) for a in averages],
        lambda r, c: rules.kpi_rank_points_formula(c[0], scores_range, [3, 2, 1]),
    )
    plain.expected = list(rules.kpi_rank_points(averages, [3, 2, 1]))
    return [case, plain]


def quota_cases() -> list[Case]:
    depts = ["销售部", "财务部", "行政部", "生产部", "技术部", "质检部"]
    ladder = [95, 93, 92.5, 91, 90.5, 90, 88, 85, 72, 55, 91.25]
    rows = []
    for i in range(41):
        score = float(ladder[i % len(ladder)])
        rows.append((rules.kpi_grade(score), score, depts[i % len(depts)]))
    rows[5] = (None, None, "质检部")  # not graded this month
    # two equal top scores in 财务部: neither may be picked silently
    rows[1] = rows[7] = ("A", 96.0, "财务部")
    cases = []
    for tag, policy in (("default", Policy()), ("custom", CUSTOM)):
        n = len(rows)
        g, s, d, k = (f"${col}$2:${col}${n + 1}" for col in "ABCD")

        def keep(r, c, p=policy, g=g, s=s, d=d):
            return rules.quota_department_keep_formula(c[0], c[1], c[2], g, s, d, policy=p)

        def final(r, c, p=policy, g=g, s=s, k=k):
            return rules.quota_grade_formula(c[0], c[1], f"D{r}", g, s, k, policy=p)

        case = Case(f"quota_{tag}", rows, final)
        case.helper = keep  # written in column D, before the final grade in column E
        case.expected = list(rules.kpi_quota(*columns(rows), policy=policy))
        outcome = rules.apply_a_quota(*columns(rows), policy=policy)
        # the grid must exercise both limits and a tie, or it proves little
        assert {c.rule for c in outcome.changes} == {"department", "company"}, outcome.changes
        assert outcome.ties, outcome.changes
        cases.append(case)
    return cases


ALL_CASES = (
    linear_cases()
    + relative_cases()
    + band_cases()
    + count_cases()
    + weighted_cases()
    + grade_pay_cases()
    + money_cases()
    + rater_cases()
    + rank_cases()
    + quota_cases()
)


def _write(workbook_path) -> dict[str, tuple[int, list]]:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    where = {}
    for case in ALL_CASES:
        ws = wb.create_sheet(case.name[:31])
        width = len(case.rows[0])
        helper = getattr(case, "helper", None)
        out_col = width + 1 + (1 if helper else 0)
        for i, row in enumerate(case.rows):
            r = i + 2
            for j, value in enumerate(row):
                if value is not None:
                    ws.cell(r, j + 1, value)
            cells = refs(r, width)
            if helper:
                ws.cell(r, width + 1, "=" + helper(r, cells))
            ws.cell(r, out_col, "=" + case.formula(r, cells))
        where[ws.title] = (out_col, case)
    wb.save(workbook_path)
    return where


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


@pytest.mark.libreoffice
def test_native_formulas_equal_python(tmp_path):
    source = tmp_path / "parity.xlsx"
    where = _write(source)
    (recalculated,) = convert([source], tmp_path / "out")
    wb = openpyxl.load_workbook(recalculated, data_only=True)
    mismatches, checked = [], 0
    for title, (out_col, case) in where.items():
        ws = wb[title]
        for i, expected in enumerate(case.expected):
            got = ws.cell(i + 2, out_col).value
            inputs = case.rows[i]
            checked += 1
            if expected == ERROR:
                ok = isinstance(got, str) and got.startswith("#")
            elif _blank(expected):
                ok = _blank(got)
            elif isinstance(expected, str):
                ok = got == expected
            else:
                ok = isinstance(got, int | float) and abs(got - float(expected)) <= 1e-9
            if not ok:
                mismatches.append(f"{title} row {i + 2} {inputs}: LibreOffice {got!r}, Python {expected!r}")
    assert not mismatches, f"{len(mismatches)} of {checked} differ:\n" + "\n".join(mismatches[:40])
    assert checked > 500


def test_text_inputs_raise_in_python():
    with pytest.raises(ValueError):
        rules.kpi_linear("abc", 70, 90, 5)
    with pytest.raises(ValueError):
        rules.kpi_grade("abc")
