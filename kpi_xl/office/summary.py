"""`kpi-xl summary`: the monthly summary 附件7 from the ledger, recorded back into it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._util.heap import collector_paused
from .._util.i18n import _
from .._util.progress import Progress
from ..engine.monthly import MonthlyResult, compute_month
from ..errors import KpiError
from ..forms import Context
from ..forms.common import file_label
from ..forms.monthly import monthly_summary_book
from ..ledger import Ledger
from ..roster import Roster
from .report_file import Written, write_report

SHOWN_CHANGES = 20  # quota changes listed one by one; past that, counts


def summary_path(out: Path, ctx: Context) -> Path:
    name = f"{file_label(7, ctx.lang)}_{ctx.month}.xlsx"
    return out / str(ctx.month) / name


def run_summary(ledger: Ledger, roster: Roster, ctx: Context, out: Path, what_if: bool) -> tuple[MonthlyResult, Written | None]:
    if not ledger.submitted(str(ctx.month)):
        # an empty 附件7 would be recorded as the month's result and counted by `annual`
        raise KpiError(_("nothing is collected for {month} in {ledger}; run `kpi-xl collect --month {month}` "
                         "with the returned forms first (nothing was written or recorded)").format(month=ctx.month, ledger=ledger.path))  # fmt: skip
    # three long steps, each over every person: compute, write 附件7, record it in the ledger
    people = len(roster)
    progress = Progress(people * (1 if what_if else 3), _("summary {month}").format(month=ctx.month))
    with collector_paused():
        result = compute_month(ledger, roster, ctx)
        progress.advance(people)
        if what_if:
            progress.close()
            return result, None
        written = write_report(summary_path(out, ctx), monthly_summary_book(ctx, result))  # never over a changed one
        progress.advance(people)
        ledger.record_monthly(str(ctx.month), _monthly_rows(result))
        ledger.record_departments(str(ctx.month), result.departments.to_dict("records"))
        progress.advance(people)
    progress.close()
    return result, written


def _monthly_rows(result: MonthlyResult) -> list[dict]:
    columns = ["employee", "name", "department", "position", "self", "dept", "leader", "final",
               "grade_before", "grade", "base", "ratio", "pay", "bonus", "remark"]  # fmt: skip
    frame = result.staff[columns].replace({np.nan: None})
    return frame.to_dict("records")


def describe_summary(result: MonthlyResult, ctx: Context) -> list[str]:
    staff = result.staff
    counts = {g: int((staff["grade"] == g).sum()) for g in "ABCD"}
    graded = sum(counts.values())
    lines = [
        _("{month}: {graded} of {staff} staff graded — {counts}; A quota: at most {cap} company-wide "
          "({share} of {counted}), {per_department} per department").format(
            month=result.month, graded=graded, staff=len(staff), counts=", ".join(f"{g} {n}" for g, n in counts.items()),
            cap=result.quota.cap, share=f"{ctx.policy.quota.a_share:.0%}", counted=result.quota.staff,
            per_department=ctx.policy.quota.a_per_department),
        _("  performance pay {pay} + bonus {bonus}").format(pay=f"{staff['pay'].sum():,.2f}", bonus=f"{staff['bonus'].sum():,.2f}"),
    ]  # fmt: skip
    changes = result.quota.changes
    if changes:
        department = sum(1 for c in changes if c.rule == "department")
        ties = sum(1 for c in changes if c.tie)
        lines.append(_("  A→B under the quota: {n} ({department} by the department limit, {company} by the company limit; "
                       "{ties} tied: for the leaders to decide)").format(
            n=len(changes), department=department, company=len(changes) - department, ties=ties)
            + (_("; each one is in 备注 of 附件7") if len(changes) > SHOWN_CHANGES else ":"))  # fmt: skip
    if len(changes) <= SHOWN_CHANGES:  # a large company's thousands of lines are in the workbook
        for change in changes:
            row = staff.iloc[change.position]
            lines.append(f"  {row['name']} ({row['employee']}, {row['department']}, {row['final']:g}): {row['remark']}")
    missing = staff[staff["grade"] == ""]
    if len(missing):
        names = ", ".join(missing["name"].head(10)) + ("…" if len(missing) > 10 else "")
        lines.append(_("  not graded (no appraisal form): {n}: {names}").format(n=len(missing), names=names))
    for appeal in result.appeals:
        lines.append(_("  appeal: {employee} {old} → {new} by {by}: {reason}").format(
            employee=appeal.employee, old=appeal.old_score, new=appeal.new_score, by=appeal.by, reason=appeal.reason))
    return lines
