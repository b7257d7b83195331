"""The office's monthly and annual steps: summary, appeal, status (and annual, see annual.py).

Each step reads the ledger and the roster, computes with the engine, and writes its
workbook atomically, never over a copy that someone has edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from .._util.paths import write_atomic
from ..collect.reader import UnreadableWorkbook, WorkbookValues
from ..engine.annual import AnnualResult, compute_year
from ..engine.monthly import MonthlyResult, compute_month
from ..errors import KpiError, quote
from ..forms import FORM_NAMES, Context, FormSpec, attachment
from ..forms.annual import annual_department_sheet, annual_employee_book
from ..forms.monthly import monthly_summary_book
from ..forms.spec import inputs_digest
from ..ledger import Ledger
from ..render.xlsx import render_book
from ..roster import Roster
from .forms import form_jobs


@dataclass
class Written:
    path: Path
    kept: Path | None = None  # an edited copy left in place


def write_report(path: Path, specs: list[FormSpec]) -> Written:
    """Write a summary workbook; if the existing one was edited since we wrote it, keep it
    and write beside it."""
    data = render_book(specs)
    if path.exists() and _edited(path, specs[0]):
        stamp = date.today().strftime("%Y%m%d")
        other = path.with_name(f"{path.stem}_重新生成_{stamp}{path.suffix}")
        n = 2
        while other.exists():
            other = path.with_name(f"{path.stem}_重新生成_{stamp}_{n}{path.suffix}")
            n += 1
        write_atomic(other, data)
        return Written(other, kept=path)
    write_atomic(path, data)
    return Written(path)


def _edited(path: Path, spec: FormSpec) -> bool:
    try:
        book = WorkbookValues(path)
        meta = book.meta()
        if meta is None or meta.get("fingerprint") != spec.fingerprint() or spec.sheet not in book.sheet_names:
            return True
        sheet = book.sheet(spec.sheet)
        current = [(f.key, sheet.value(f.row, f.col)) for f in spec.fields]
        book.close()
    except UnreadableWorkbook:
        return True
    return inputs_digest(current) != meta.get("generated_inputs")


# -- summary ----------------------------------------------------------------------------------


def summary_path(out: Path, ctx: Context) -> Path:
    name = f"{attachment(7, ctx.lang)}_{FORM_NAMES[7](ctx.lang)}_{ctx.month}.xlsx"
    return out / str(ctx.month) / name


def run_summary(ledger: Ledger, roster: Roster, ctx: Context, out: Path, what_if: bool) -> tuple[MonthlyResult, Written | None]:
    result = compute_month(ledger, roster, ctx)
    if what_if:
        return result, None
    written = write_report(summary_path(out, ctx), monthly_summary_book(ctx, result))
    ledger.record_monthly(str(ctx.month), _monthly_rows(result))
    ledger.record_departments(str(ctx.month), result.departments.to_dict("records"))
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
        f"{result.month}: {graded} of {len(staff)} staff graded — "
        + ", ".join(f"{g} {n}" for g, n in counts.items())
        + f"; A quota: at most {result.quota.cap} company-wide ({ctx.policy.quota.a_share:.0%} of {result.quota.staff}), "
        f"{ctx.policy.quota.a_per_department} per department",
        f"  performance pay {staff['pay'].sum():,.2f} + bonus {staff['bonus'].sum():,.2f}",
    ]
    for change in result.quota.changes:
        row = staff.iloc[change.position]
        lines.append(f"  {row['name']} ({row['employee']}, {row['department']}, {row['final']:g}): {row['remark']}")
    missing = staff[staff["grade"] == ""]
    if len(missing):
        lines.append(f"  not graded (no appraisal form): {len(missing)}: " + ", ".join(missing["name"].head(10)) + ("…" if len(missing) > 10 else ""))
    for appeal in result.appeals:
        lines.append(f"  appeal: {appeal.employee} {appeal.old_score} → {appeal.new_score} by {appeal.by}: {appeal.reason}")
    return lines


# -- annual -----------------------------------------------------------------------------------


def run_annual(ledger: Ledger, roster: Roster, ctx: Context, year: int, out: Path) -> tuple[AnnualResult, list[Written]]:
    result = compute_year(ledger, roster, ctx, year)
    if not result.months:
        raise KpiError(f"no month of {year} has a recorded summary in {ledger.path}; run `kpi-xl summary` first")
    folder = out / str(year)
    written = [
        write_report(folder / f"{attachment(8, ctx.lang)}_{FORM_NAMES[8](ctx.lang)}_{year}.xlsx",
                     annual_employee_book(ctx, year, result.employees)),
        write_report(folder / f"{attachment(9, ctx.lang)}_{FORM_NAMES[9](ctx.lang)}_{year}.xlsx",
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


# -- appeal -----------------------------------------------------------------------------------


def run_appeal(ledger: Ledger, roster: Roster, month: str, employee: str, score: float, reason: str, by: str):
    if employee not in roster:
        raise KpiError(f"--employee: {quote(employee)} is not a 工号 on the roster; check the 工号")
    if not reason.strip() or not by.strip():
        raise KpiError("--reason and --by must say why and who: an appeal without them is not recorded")
    if not 0 <= score <= 1000:
        raise KpiError(f"--score: {score:g} is not a possible final score; give a number from 0 up")
    values = ledger.values(month, 3).get(employee)
    if values is None:
        raise KpiError(f"no 附件3 of {roster[employee].name} ({employee}) for {month} in the ledger; collect it first")
    earlier = ledger.appeals(month, employee)
    old = earlier[-1].new_score if earlier else values.get("final")
    return ledger.add_appeal(month, employee, old if isinstance(old, int | float) else None, score, reason.strip(), by.strip())


# -- status -----------------------------------------------------------------------------------


STAGES_OF_3 = (("self", "self_assessment"), ("dept", "department_assessment"), ("leader", "leader_rating"))
DUE = {1: "employee_plan", 2: "department_plan", 4: "department_assessment", 5: "department_assessment",
       6: "leader_rating"}  # fmt: skip


def run_status(ledger: Ledger, roster: Roster, ctx: Context, today: date) -> list[str]:
    """Who has not handed in what, against seed 000's deadlines."""
    month = str(ctx.month)
    deadlines = ctx.month.deadlines()
    submitted = ledger.submitted(month)
    forms3 = ledger.values(month, 3)
    lines = []
    missing_by_form: dict[str, list[str]] = {}
    for job in form_jobs(roster, ctx.lang):
        who = job.name if job.form in (2, 5) else f"{job.name} ({job.subject}, {job.department})"
        if job.form == 3:
            values = forms3.get(job.subject, {})
            for stage, due in STAGES_OF_3:
                if not any(k.endswith(f".{stage}") for k in values if k.startswith("item")):
                    missing_by_form.setdefault(f"附件3 {stage}|{due}", []).append(who)
            continue
        if (job.form, job.subject) not in submitted:
            missing_by_form.setdefault(f"附件{job.form}|{DUE[job.form]}", []).append(who)
    labels = {"self": ctx.t("自评", "self-assessment"), "dept": ctx.t("部门考核", "department score"),
              "leader": ctx.t("分管领导评定", "leader's rating")}  # fmt: skip
    for key in sorted(missing_by_form, key=lambda k: deadlines[k.split("|")[1]]):
        what, due_key = key.split("|")
        due = deadlines[due_key]
        people = missing_by_form[key]
        form, _, stage = what.partition(" ")
        name = FORM_NAMES[int(form[2:])](ctx.lang) + (f" — {labels[stage]}" if stage else "")
        state = "OVERDUE since" if today > due else "due"
        lines.append(f"{form} {name}: {len(people)} missing, {state} {due:%Y-%m-%d}")
        lines.extend(f"    {p}" for p in people)
    summary_due = deadlines["summary"]
    recorded = month in ledger.recorded_months()
    lines.append(f"附件7 {FORM_NAMES[7](ctx.lang)}: " + ("recorded" if recorded else
                 f"not recorded yet, {'OVERDUE' if today > summary_due else 'due'} {summary_due:%Y-%m-%d}"))  # fmt: skip
    return lines
