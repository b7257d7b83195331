"""`kpi-xl annual`: the annual summaries 附件8 (employees) and 附件9 (departments)."""

from __future__ import annotations

from pathlib import Path

from .._util.heap import collector_paused
from .._util.i18n import _
from .._util.progress import Progress
from ..engine.annual import AnnualResult, compute_year
from ..errors import KpiError
from ..forms import Context
from ..forms.annual import annual_department_sheet, annual_employee_book
from ..forms.common import file_label
from ..ledger import Ledger
from ..roster import Roster
from .report_file import Written, write_report


def run_annual(ledger: Ledger, roster: Roster, ctx: Context, year: int, out: Path) -> tuple[AnnualResult, list[Written]]:
    # three long steps, each over every person: compute the year, write 附件8, write 附件9
    people = len(roster)
    progress = Progress(people * 3, _("annual {year}").format(year=year))
    with collector_paused():
        result = compute_year(ledger, roster, ctx, year)
        progress.advance(people)
        if not result.months:
            progress.close()
            raise KpiError(_("no month of {year} has a recorded summary in {ledger}; run `kpi-xl summary` first").format(
                year=year, ledger=ledger.path))
        folder = out / str(year)
        written = [write_report(folder / f"{file_label(8, ctx.lang)}_{year}.xlsx",
                                annual_employee_book(ctx, year, result.employees))]  # fmt: skip
        progress.advance(people)
        written.append(write_report(folder / f"{file_label(9, ctx.lang)}_{year}.xlsx",
                                    [annual_department_sheet(ctx, year, result.departments)]))  # fmt: skip
        progress.advance(people)
    progress.close()
    return result, written


def describe_annual(result: AnnualResult, ctx: Context) -> list[str]:
    e, d = result.employees, result.departments
    lines = [_("{year}: {n} recorded month(s) ({months})").format(year=result.year, n=len(result.months),
                                                                  months=", ".join(result.months))]
    flagged = e[e["actions"].map(bool)]
    lines.append(_("  consequences for {n} employee(s):").format(n=len(flagged)))
    lines += [f"    {r['name']} ({r['employee']}, {r['department']}): {'; '.join(r['actions'])}" for r in flagged.to_dict("records")]
    best = e[e["excellent"]]
    names = ", ".join(f"{r['name']} {r['average']:.1f}" for r in best.to_dict("records"))
    lines.append(_("  excellent-employee candidates ({n}): {names}").format(n=len(best), names=names))
    for verdict in (ctx.t("优秀部门", "excellent"), ctx.t("较差部门", "poor")):
        chosen = d[d["verdict"] == verdict]
        lines.append(f"  {verdict}: " + ", ".join(f"{r['department']} {r['average']:.1f}" for r in chosen.to_dict("records")))
    return lines
