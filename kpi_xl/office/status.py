"""`kpi-xl status`: who has not handed in which form, against the policy's deadlines (seed 000 §五)."""

from __future__ import annotations

from datetime import date

from .._util.i18n import _
from ..forms import FORM_NAMES, Context
from ..ledger import Ledger
from ..roster import Roster
from .forms import form_jobs

STAGES_OF_3 = (("self", "self_assessment"), ("dept", "department_assessment"), ("leader", "leader_rating"))
DUE = {1: "employee_plan", 2: "department_plan", 4: "department_assessment", 5: "department_assessment",
       6: "leader_rating"}  # fmt: skip


def run_status(ledger: Ledger, roster: Roster, ctx: Context, today: date) -> list[str]:
    """Who has not handed in what, against the policy's deadlines (seed 000 §五)."""
    month = str(ctx.month)
    deadlines = ctx.month.deadlines(ctx.policy.deadlines)
    submitted = ledger.submitted(month)
    forms3 = ledger.values(month, 3)
    lines = []
    missing_by_form: dict[str, list[str]] = {}
    for job in form_jobs(roster, ctx.lang, ctx.policy.department.peer_scope):
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
        form, _space, stage = what.partition(" ")
        name = FORM_NAMES[int(form[2:])](ctx.lang) + (f" — {labels[stage]}" if stage else "")
        state = _("{form} {name}: {n} missing, OVERDUE since {due}") if today > due else _("{form} {name}: {n} missing, due {due}")
        lines.append(state.format(form=form, name=name, n=len(people), due=f"{due:%Y-%m-%d}"))
        lines.extend(f"    {p}" for p in people)
    summary_due = deadlines["summary"]
    recorded = month in ledger.recorded_months()
    if recorded:
        state = _("recorded")
    elif today > summary_due:
        state = _("not recorded yet, OVERDUE {due}").format(due=f"{summary_due:%Y-%m-%d}")
    else:
        state = _("not recorded yet, due {due}").format(due=f"{summary_due:%Y-%m-%d}")
    lines.append(f"附件7 {FORM_NAMES[7](ctx.lang)}: {state}")
    return lines
