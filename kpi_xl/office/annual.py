"""`kpi-xl annual`: the annual summaries 附件8 (employees) and 附件9 (departments)."""

from __future__ import annotations

from pathlib import Path

from ..engine.annual import AnnualResult, compute_year
from ..errors import KpiError
from ..forms import Context
from ..forms.annual import annual_department_sheet, annual_employee_book
from ..forms.common import file_label
from ..ledger import Ledger
from ..roster import Roster
from .report_file import Written, write_report


def run_annual(ledger: Ledger, roster: Roster, ctx: Context, year: int, out: Path) -> tuple[AnnualResult, list[Written]]:
    result = compute_year(ledger, roster, ctx, year)
    if not result.months:
        raise KpiError(f"no month of {year} has a recorded summary in {ledger.path}; run `kpi-xl summary` first")
    folder = out / str(year)
    written = [
        write_report(folder / f"{file_label(8, ctx.lang)}_{year}.xlsx",
                     annual_employee_book(ctx, year, result.employees)),
        write_report(folder / f"{file_label(9, ctx.lang)}_{year}.xlsx",
                     [annual_department_sheet(ctx, year, result.departments)]),
    ]  # fmt: skip
    return result, written


def describe_annual(result: AnnualResult, ctx: Context) -> list[str]:
    e, d = result.employees, result.departments
    lines = [f"{result.year}: {len(result.months)} recorded month(s) ({', '.join(result.months)})"]
    flagged = e[e["actions"].map(bool)]
    lines.append(f"  consequences for {len(flagged)} employee(s):")
    lines += [f"    {r['name']} ({r['employee']}, {r['department']}): {'; '.join(r['actions'])}" for r in flagged.to_dict("records")]
    best = e[e["excellent"]]
    lines.append(f"  excellent-employee candidates ({len(best)}): " + ", ".join(f"{r['name']} {r['average']:.1f}" for r in best.to_dict("records")))
    for verdict in (ctx.t("优秀部门", "excellent"), ctx.t("较差部门", "poor")):
        chosen = d[d["verdict"] == verdict]
        lines.append(f"  {verdict}: " + ", ".join(f"{r['department']} {r['average']:.1f}" for r in chosen.to_dict("records")))
    return lines
