"""Cached values and formulas made for many alike cells at once (a rule called once per
group, a formula pattern filled in per cell) are exactly what cell by cell gives."""

from __future__ import annotations

import math
import random

import pytest

from kpi_xl.calendar import Month
from kpi_xl.engine.annual import compute_year
from kpi_xl.forms import Context
from kpi_xl.forms.annual import annual_department_sheet, annual_employee_book
from kpi_xl.forms.monthly import monthly_summary_book
from kpi_xl.forms.spec import _batches
from kpi_xl.ledger import Ledger
from kpi_xl.office.summary import run_summary
from kpi_xl.roster import EMPLOYEE, HEAD, demo_roster
from tests.helpers import all_specs, random_values


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-12)
    return a == b and type(a) is type(b)


def _summaries(tmp_path) -> dict:
    roster = demo_roster()
    rng = random.Random(3)
    staff = roster.with_category(EMPLOYEE, HEAD)
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        for month in ("2026-01", "2026-02", "2026-03"):
            with ledger.batch():
                for i, p in enumerate(staff):
                    if i % 11 == 5:
                        continue  # no form: a blank row
                    s = float(rng.choice([95, 91, 91, 85, 72, 55, rng.uniform(50, 100)]))
                    leader = None if i % 13 == 4 else s  # not rated by the leader yet
                    ledger.record(month, 3, p.id, p.name, p.department, "f", f"{month}{s}", {},
                                  {"total.self": s, "total.dept": s, "total.leader": leader, "final": s})  # fmt: skip
            ctx = Context(Month.parse(month))
            result, _ = run_summary(ledger, roster, ctx, tmp_path / "out", what_if=False)
        year = compute_year(ledger, roster, Context(None), 2026)
    specs = {f"附件7 {s.sheet}": s for s in monthly_summary_book(ctx, result)}
    specs |= {f"附件8 {s.sheet}": s for s in annual_employee_book(Context(None), 2026, year.employees)}
    specs["附件9"] = annual_department_sheet(Context(None), 2026, year.departments)
    return specs


def _filled(specs: dict) -> dict:
    rng = random.Random(5)
    return {f"{k} filled": s.filled(random_values(s, rng, blank_share=0.3)) for k, s in specs.items() if s.fields}


def test_alike_cells_at_once_equal_cell_by_cell(tmp_path):
    specs = all_specs() | _summaries(tmp_path)
    specs |= _filled(specs)
    batched = 0
    for name, spec in specs.items():
        one_by_one = spec.evaluate(spec.generated_inputs(), lenient=True)
        for cell in spec.computed:
            got, want = spec.cached_values[cell.key], one_by_one[cell.key]
            assert _same(got, want), (name, cell.key, got, want)
            assert spec.formulas[cell.key] == spec.formula(cell), (name, cell.key)
        batched += len(spec.computed)
    assert batched > 2000  # the summaries' rows are among them
    main = specs["附件7 考核表"]
    groups = _batches(main.computed, {c.key: i for i, c in enumerate(main.computed)})
    rows = [g for g in groups if main.computed[g[0]].key.startswith("r")]
    assert sum(map(len, rows)) > 300 and len(rows) == 4, "each computed column of the summary is one batch"
