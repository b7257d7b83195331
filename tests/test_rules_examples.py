"""SPEC §4's examples, one row each, through the Python rule and through the Excel UDF."""

import pytest

import kpi_udfs
from kpi_xl import rules

# (Excel name, arguments as typed in Excel, expected) — SPEC §4 and the seeds it cites.
EXAMPLES = [
    ("KPI_LINEAR", (80, 70, 90, 5), 2.5),  # seed 002 季考: 90 满分, 70 以下 0, 5%
    ("KPI_LINEAR", (0.03, 0.05, 0.02, 30), 20.0),  # 差错率 <2% 满分, >5% 0 分
    ("KPI_LINEAR", (95, 70, 90, 5), 5.0),
    ("KPI_LINEAR", (60, 70, 90, 5), 0.0),
    ("KPI_BAND", (0.70, [0.75, 0.65, 0.5], [100, 80, 60]), 80.0),  # seed 003 询单转化率
    ("KPI_BAND", (40, [30, 45, 55], [100, 80, 60]), 80.0),  # seed 003 响应时间
    ("KPI_BAND", (0.40, [0.75, 0.65, 0.5], [100, 80, 60]), 0.0),
    ("KPI_DEDUCT", (3, 2, 30), 24.0),
    ("KPI_DEDUCT", (20, 2, 30), 0.0),  # 扣完为止
    ("KPI_BONUS", (3, 1, 5), 3.0),
    ("KPI_BONUS", (9, 1, 5), 5.0),
    ("KPI_RATIO", (180, 200), 0.9),
    ("KPI_RELATIVE", (550, 500, 0.7, 1.1, 40), 40.0),
    ("KPI_RELATIVE", (450, 500, 0.7, 1.1, 40), 20.0),
    ("KPI_WEIGHTED", ([80, 90], [70, 30]), 83.0),
    ("KPI_GRADE", (85,), "B"),
    ("KPI_GRADE", (90,), "A"),
    ("KPI_GRADE", (59.9,), "D"),
    ("GRADE_PAY", ("A",), 1.1),
    ("GRADE_PAY", ("C", 800), 560.0),
    ("GRADE_PAY", ("D", 800), 0.0),
    ("KPI_360", (80, 90, 70), 83.5),
    ("KPI_360", (80, 90, 70, [1, 1, 1]), 80.0),
    ("KPI_QC_FACTOR", (0.75,), 1.0),
    ("KPI_QC_FACTOR", (0.85,), 1.25),
    ("KPI_QC_FACTOR", (0.60,), 0.5),
    ("KPI_RANK_POINTS", ([86, 90, 80], [70, 65, 60], 85), [65.0, 70.0, 0.0]),
]

PYTHON = {name: rule for name, rule in rules.RULES.items()}


def _same(got, expected):
    if isinstance(expected, str):
        return got == expected
    if isinstance(expected, list):
        return len(got) == len(expected) and all(_same(g, e) for g, e in zip(got, expected))
    return got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def _as_cells(arg):
    """What xlwings hands a UDF for an argument read with ndim=2."""
    if isinstance(arg, list):
        return [arg]
    return [[arg]]


@pytest.mark.parametrize(("name", "args", "expected"), EXAMPLES, ids=lambda x: str(x))
def test_python_rule(name, args, expected):
    got = PYTHON[name](*args)
    if isinstance(expected, list):
        got = list(got)
    assert _same(got, expected), f"{name}{args} = {got!r}, expected {expected!r}"


@pytest.mark.parametrize(("name", "args", "expected"), EXAMPLES, ids=lambda x: str(x))
def test_udf(name, args, expected):
    udf = getattr(kpi_udfs, name)
    got = udf(*[_as_cells(a) for a in args])
    if isinstance(expected, list):
        got = got[0]  # a row of scores in, a row out
    elif isinstance(got, list):
        assert len(got) == 1 and len(got[0]) == 1, got
        got = got[0][0]
    assert _same(got, expected), f"={name}{args} shows {got!r}, expected {expected!r}"


def test_every_rule_has_an_example_and_a_udf():
    assert {name for name, *_ in EXAMPLES} | {"KPI_QUOTA"} == set(rules.RULES)
    assert all(callable(getattr(kpi_udfs, name, None)) for name in rules.RULES)


def test_quota_example():
    # 20 staff → at most 2 A; 1 per department. 销售部 has two A's: the lower (91) becomes B.
    grades = ["A", "A", "A", "A", "B"] + ["B"] * 15
    scores = [95, 91, 93, 92, 85] + [80] * 15
    depts = ["销售部", "销售部", "财务部", "行政部", "行政部"] + ["生产部"] * 15
    got = rules.kpi_quota(grades, scores, depts)
    # 95 and 93 keep A; 92 (行政部) is third company-wide: B; 91 lost the department place
    assert list(got[:5]) == ["A", "B", "A", "B", "B"]
    udf = kpi_udfs.KPI_QUOTA([[g] for g in grades], [[s] for s in scores], [[d] for d in depts])
    assert [row[0] for row in udf[:5]] == ["A", "B", "A", "B", "B"]


# -- money to the fen (issue 11: no 489.99999999999994 in a pay cell) ---------------------------


@pytest.mark.parametrize(("amount", "fen"), [
    (489.99999999999994, 490.0),  # 700 × 0.7 in binary
    (2.675, 2.68),  # a half, though 2.675 is 2.67499999… in binary: Excel's ROUND gives 2.68
    (0.125, 0.13), (-0.125, -0.13),  # halves away from zero, as ROUND
    (333.3349, 333.33),
])  # fmt: skip
def test_money_rounds_like_excel_round(amount, fen):
    assert rules.money(amount) == fen
    assert rules.money_formula("A1") == 'IF(A1="","",ROUND(A1,2))'


def test_pay_is_to_the_fen_in_python_and_in_the_formula():
    # seed 000: C is paid 70% of the base: 700.7 × 0.7 = 490.48999… → 490.49
    assert rules.grade_pay("C", 700.7) == 490.49
    assert rules.grade_pay_formula("A1", "B1").startswith('IF(OR(A1="",B1=""),"",ROUND(B1*')
    # seed 003: 750 × 分数%: 83.33 → 624.975 → 624.98 (half a fen up, as ROUND)
    assert rules.score_pay(83.33, 750) == 624.98
    assert rules.score_pay(83.33) == pytest.approx(0.8333)  # the ratio is not rounded
