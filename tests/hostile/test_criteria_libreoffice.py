"""Class 5: department names that are criteria syntax (`~ * ?`, a leading `= < >`) count right
in 附件7–9 after LibreOffice recalculates them."""

from __future__ import annotations

import dataclasses

import openpyxl
import pytest

from kpi_xl.calendar import Month
from kpi_xl.engine.annual import compute_year
from kpi_xl.forms import Context
from kpi_xl.forms.annual import annual_department_sheet, annual_employee_book
from kpi_xl.forms.monthly import monthly_summary_book
from kpi_xl.ledger import Ledger
from kpi_xl.office.summary import run_summary
from kpi_xl.roster import EMPLOYEE, HEAD, Roster
from kpi_xl.rules.formula import criterion_equals
from tests.helpers import ROSTER, recalculation_mismatches

# `A*组` would also count `AB组`, `质检?` also `质检部`, `装配1~2线` nothing, `=ZQX6部` and `<销售>` nothing
HOSTILE = {"办公室": "装配1~2线", "财务审计部": "A*组", "市场营销部": "AB组", "销售部": "=ZQX6部",
           "生产部": "<销售>", "技术研发部": "质检?", "质量管理部": "质检部", "采购物流部": "*"}  # fmt: skip


def hostile_roster() -> Roster:
    people = tuple(dataclasses.replace(p, department=HOSTILE.get(p.department, p.department)) for p in ROSTER.people)
    return Roster(people, ROSTER.source)


@pytest.mark.parametrize(("text", "criterion"), [("装配1~2线", '"=装配1~~2线"'), ("A*组", '"=A~*组"'),
                                                 ("=ZQX6部", '"==ZQX6部"'), ("<销售>", '"=<销售>"'),
                                                 ('质检?"', '"=质检~?"""'), ("A", '"=A"')])  # fmt: skip
def test_a_criterion_matches_its_text_exactly(text, criterion):
    assert criterion_equals(text) == criterion


@pytest.mark.libreoffice
def test_departments_named_like_criteria_count_right_after_recalculation(tmp_path):
    roster = hostile_roster()
    staff = roster.with_category(EMPLOYEE, HEAD)
    months = ("2026-10", "2026-11")
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        with ledger.batch():
            for m, month in enumerate(months):
                for i, p in enumerate(staff):
                    final = [104.5, 96.0, 88.5, 79.0, 61.0][(i + m) % 5]
                    totals = {"total.self": final, "total.dept": final, "total.leader": final, "final": final}
                    ledger.record(month, 3, p.id, p.name, p.department, f"{p.id}.xlsx", month, {}, totals)
                for d, department in enumerate(roster.departments):
                    ledger.record(month, 5, department, department, department, "d.xlsx", month, {},
                                  {"total.self": 90.0 - d, "total.leader": 85.0 + d})  # fmt: skip
        for month in months:
            result, _ = run_summary(ledger, roster, Context(Month.parse(month)), tmp_path / "out", what_if=False)
        year = compute_year(ledger, roster, Context(None), 2026)
    # a department's rows scattered (a clerk sorted the sheet by 工号): 附件7 then counts and
    # averages each department by its name, through COUNTIFS/AVERAGEIF criteria
    scattered = dataclasses.replace(result, staff=result.staff.sample(frac=1, random_state=7).reset_index(drop=True))
    books = {"7": monthly_summary_book(Context(Month.parse(months[-1])), scattered),
             "8": annual_employee_book(Context(None), 2026, year.employees),
             "9": [annual_department_sheet(Context(None), 2026, year.departments)]}  # fmt: skip
    mismatches, checked, paths = recalculation_mismatches(books, tmp_path)
    assert not mismatches, f"{len(mismatches)} of {checked}:\n" + "\n".join(mismatches[:30])
    assert checked > 500
    written = openpyxl.load_workbook(paths[0])  # the counts by name were really exercised
    formulas = [str(c.value) for ws in written for row in ws.iter_rows() for c in row if str(c.value).startswith("=")]
    assert any('"=A~*组"' in f and "COUNTIFS" in f for f in formulas), [f for f in formulas if "COUNTIF" in f][:3]
    assert any('"==ZQX6部"' in f and "AVERAGEIF" in f for f in formulas)
