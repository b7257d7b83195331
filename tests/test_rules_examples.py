"""SPEC §4's examples (the rule registry's), one row each, through the Python rule and through the Excel UDF."""

import pytest

import kpi_udfs
from kpi_xl import rules
from tests.helpers import EXAMPLES, as_cells

PYTHON = {name: rule.function for name, rule in rules.RULES.items()}


def _same(got, expected):
    if expected is None:  # blank in, blank out: Python says None, a cell shows ""
        return got in (None, "")
    if isinstance(expected, str):
        return got == expected
    if isinstance(expected, list):
        return len(got) == len(expected) and all(_same(g, e) for g, e in zip(got, expected))
    return got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize(("name", "args", "expected"), EXAMPLES, ids=lambda x: str(x))
def test_python_rule(name, args, expected):
    got = PYTHON[name](*args)
    if isinstance(expected, list):
        got = list(got)
    assert _same(got, expected), f"{name}{args} = {got!r}, expected {expected!r}"


@pytest.mark.parametrize(("name", "args", "expected"), EXAMPLES, ids=lambda x: str(x))
def test_udf(name, args, expected):
    udf = getattr(kpi_udfs, name)
    got = udf(*[as_cells(a) for a in args])
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


def test_help_and_examples_come_from_the_registry():
    from kpi_xl.excel.lambdas import lambdas

    for name, rule in rules.RULES.items():
        assert getattr(kpi_udfs, name).__doc__ == rule.udf_help
        assert len(rule.udf_help) <= rules.registry.HELP_LIMIT, name
    for item in lambdas():  # every LAMBDA example is a registry example its parameters can take
        typed = {e.typed() for e in rules.RULES[item.name].examples}
        assert item.examples and all(a in typed or a.rsplit(",", 1)[0] in typed for a, _ in item.examples), item.name
