"""附件7–9 as written by the cycle: every formula, recalculated by LibreOffice, equals the
value the engine computed (and wrote as the cached value)."""

from __future__ import annotations

import openpyxl
import pytest

from kpi_xl.calendar import Month
from kpi_xl.engine.annual import compute_year
from kpi_xl.forms import Context
from kpi_xl.forms.annual import annual_department_sheet, annual_employee_book
from kpi_xl.forms.monthly import monthly_summary_book
from kpi_xl.ledger import Ledger
from kpi_xl.office.summary import run_summary
from tests.helpers import ROSTER, STAFF, collected, hand_in, recalculation_mismatches

pytestmark = pytest.mark.libreoffice


def test_summaries_recalculate_to_the_engine_values(tmp_path, key):
    scores = {p.id: 80.0 + (i * 7) % 20 for i, p in enumerate(STAFF)}  # A's, B's, C's, ties
    hand_in(tmp_path / "in", "2026-10", scores, key=key)
    hand_in(tmp_path / "in", "2026-11", {k: v - 25 for k, v in scores.items()}, departments=True, key=key)
    books, results = {}, {}
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:  # the key fixture's, beside it
        for month in ("2026-10", "2026-11"):
            collected(tmp_path / "in", ledger, month)
            results[month], _ = run_summary(ledger, ROSTER, Context(Month.parse(month)), tmp_path / "out", what_if=False)
        result = results["2026-10"]
        books["7"] = monthly_summary_book(Context(Month.parse("2026-10")), result)
        year = compute_year(ledger, ROSTER, Context(None), 2026)
    books["8"] = annual_employee_book(Context(None), 2026, year.employees)
    books["9"] = [annual_department_sheet(Context(None), 2026, year.departments)]
    assert result.quota.changes, "the month should exercise the quota"
    assert year.employees["actions"].map(bool).any(), "the year should exercise escalations"

    mismatches, checked, paths = recalculation_mismatches(books, tmp_path)
    assert not mismatches, f"{len(mismatches)} of {checked}:\n" + "\n".join(mismatches[:30])
    assert checked > 800

    # every input keeps its validation through LibreOffice, one rule per check listing its
    # cells (附件8's 处理意见 of every other row: one rule, not one per employee)
    for (name, specs), saved in zip(books.items(), paths):
        lo = tmp_path / "recalculated" / saved.name
        for path in (saved, lo):
            sheet = openpyxl.load_workbook(path)[specs[0].sheet]
            rules = sheet.data_validations.dataValidation
            for f in specs[0].fields:
                coordinate = sheet.cell(f.row + 1, f.col + 1).coordinate
                covering = [dv for dv in rules if coordinate in dv.sqref]
                assert len(covering) == 1, f"附件{name} {path.parent.name} {f.key} at {coordinate}: {len(covering)} validations"
        if name == "8":
            actions = [f for f in specs[0].fields if f.key.endswith(".action")]
            assert len(actions) == len(year.employees) > 2
            rules = openpyxl.load_workbook(saved)[specs[0].sheet].data_validations.dataValidation
            places = {sheet.cell(f.row + 1, f.col + 1).coordinate for f in actions}
            assert [len(dv.sqref.ranges) for dv in rules if places & {str(r) for r in dv.sqref.ranges}] == [len(actions)]

    # and the engine's own table agrees with the sheet's pay formulas
    main = books["7"][0]
    for n, row in enumerate(result.staff.to_dict("records"), start=1):
        assert main.cached_values[f"r{n}.pay"] == pytest.approx(row["pay"])
        assert main.cached_values[f"r{n}.grade_before"] == (row["grade_before"] or None)
