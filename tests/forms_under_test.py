"""The forms the tests look at: one of each per-person form for the demo company, and the
blank templates in both languages."""

from __future__ import annotations

from kpi_xl.calendar import Month
from kpi_xl.forms import (
    Context,
    PlanItem,
    blank_form,
    department_plan,
    department_self,
    employee_assessment,
    employee_plan,
    executive_review,
    peer_review,
)
from kpi_xl.roster import EXECUTIVE, demo_roster

MONTH = Month.parse("2026-12")


def demo_specs(lang: str = "zh"):
    roster = demo_roster()
    ctx = Context(MONTH, lang)
    employee = next(p for p in roster.people if p.category == "员工")
    department = roster.departments[3]
    head = roster.head_of(department)
    executive = roster.with_category(EXECUTIVE)[0]
    plan = [PlanItem("客户回访", "回访率≥90%", 40), PlanItem("=HYPERLINK(\"x\")", "+1", 35), PlanItem("月报", "", 25)]
    return {
        "附件1": employee_plan(ctx, employee),
        "附件2": department_plan(ctx, department, head),
        "附件3": employee_assessment(ctx, employee, plan),
        "附件4": peer_review(ctx, head, roster.departments),
        "附件5": department_self(ctx, department, head),
        "附件6": executive_review(ctx, executive),
    }


def template_specs():
    return {f"template{form}_{lang}": blank_form(form, Context(None, lang)) for lang in ("zh", "en") for form in range(1, 10)}


def all_specs():
    return {**demo_specs(), **{f"{k}_en": v for k, v in demo_specs("en").items()}, **template_specs()}
