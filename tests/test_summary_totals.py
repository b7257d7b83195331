"""附件7 goes to the leaders and to finance: rows grouped by department in department order,
a 小计 per department and a 合计 (headcount, 考核工资标准, 绩效工资, 奖励工资)."""

from __future__ import annotations

import pytest

from kpi_xl.calendar import Month
from kpi_xl.engine.monthly import compute_month
from kpi_xl.forms import Context
from kpi_xl.forms.monthly import COL, monthly_summary_sheet, monthly_summary_template
from kpi_xl.forms.spec import Text
from kpi_xl.ledger import Ledger
from kpi_xl.roster import demo_roster
from tests.helpers import interleaved

MONTH = "2026-11"


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    roster = interleaved(demo_roster())
    order = [p.department for p in roster.with_category("员工", "部门负责人")]
    assert order != sorted(order, key=roster.departments.index), "the roster should mix the departments"
    with Ledger(tmp_path_factory.mktemp("totals") / "l.sqlite3") as ledger:
        for i, person in enumerate(roster.people):
            score = 70.0 + (i * 7) % 35
            ledger.record(MONTH, 3, person.id, person.name, person.department, "f.xlsx", str(i), {},
                          {"total.self": score, "total.dept": score, "total.leader": score, "final": score})  # fmt: skip
        return roster, compute_month(ledger, roster, Context(Month.parse(MONTH)))


def test_rows_are_grouped_in_department_order_whatever_the_roster_order(result):
    roster, month = result
    departments = list(month.staff["department"])
    assert departments == sorted(departments, key=roster.departments.index)
    within = [p.id for p in roster.with_category("员工", "部门负责人") if p.department == roster.departments[0]]
    assert list(month.staff["employee"][: len(within)]) == within  # roster order inside a department


def test_each_department_and_the_whole_company_are_totalled(result):
    roster, month = result
    spec = monthly_summary_sheet(Context(Month.parse(MONTH)), month.staff)
    values = spec.cached_values
    labels = {c.text: c.row for c in spec.cells if isinstance(c, Text) and c.col == COL["department"] and c.style == "total_label"}
    staff = month.staff
    for n, department in enumerate(staff["department"], start=1):
        if n < len(staff) and staff["department"][n] == department:
            continue
        group = staff[staff["department"] == department]
        assert f"{department} 小计" in labels
        assert values[f"d{n}.people"] == len(group)
        for key in ("base", "pay", "bonus"):
            assert values[f"d{n}.{key}"] == pytest.approx(group[key].sum())
    assert values["total.people"] == len(staff)
    for key in ("base", "pay", "bonus"):
        assert values[f"total.{key}"] == pytest.approx(staff[key].sum())
    total = next(c for c in spec.computed if c.key == "total.pay")
    first_data = spec.position("r1.pay")[0]
    assert spec.formula(total) == f"SUBTOTAL(9,O{first_data + 1}:O{spec.position(f'r{len(staff)}.pay')[0] + 2})"


def test_the_template_totals_what_is_typed():
    spec = monthly_summary_template(Context(None))
    typed = spec.filled({"r1.employee": "E1", "r2.employee": "E2", "r1.base": 1000.0, "r2.base": 500.5})
    values = typed.evaluate(typed.generated_inputs())
    assert values["total.people"] == 2
    assert values["total.base"] == pytest.approx(1500.5)
