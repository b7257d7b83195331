"""The nine forms of seed 000 (附件1–9), each declared once as a FormSpec."""

from .assessment import PlanItem, employee_assessment
from .common import FORM_NAMES, FORM_VERSIONS, Context, Month, attachment
from .departments import department_self, executive_review, peer_review
from .plans import department_plan, employee_plan
from .spec import FormSpec
from .summaries import (
    annual_department_template,
    annual_employee_template,
    monthly_summary_template,
)


def blank_form(form: int, ctx: Context) -> FormSpec:
    """The blank template of any form (workbook_templates/)."""
    builders = {
        1: lambda: employee_plan(ctx, None),
        2: lambda: department_plan(ctx, None, None),
        3: lambda: employee_assessment(ctx, None),
        4: lambda: peer_review(ctx, None, []),
        5: lambda: department_self(ctx, None, None),
        6: lambda: executive_review(ctx, None),
        7: lambda: monthly_summary_template(ctx),
        8: lambda: annual_employee_template(ctx),
        9: lambda: annual_department_template(ctx),
    }
    return builders[form]()


__all__ = [
    "FORM_NAMES",
    "FORM_VERSIONS",
    "Context",
    "FormSpec",
    "Month",
    "PlanItem",
    "attachment",
    "blank_form",
    "department_plan",
    "department_self",
    "employee_assessment",
    "employee_plan",
    "executive_review",
    "peer_review",
]
