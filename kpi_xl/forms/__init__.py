"""The nine forms of seed 000 (附件1–9), each declared once as a FormSpec."""

from ..roster import Roster
from .annual import annual_department_template, annual_employee_template
from .assessment import PlanItem, employee_assessment
from .common import (
    FINAL,
    FORM_NAMES,
    FORM_VERSIONS,
    GRADE,
    Context,
    attachment,
    department_pairs,
    person_pairs,
    rater_pairs,
    total_key,
)
from .departments import department_self, executive_review, peer_review
from .derive import MARKS, derived, hashable, person_values, stand_in
from .monthly import monthly_summary_template
from .plans import department_plan, employee_plan
from .spec import FormSpec


def form_for(form: int, subject: str, roster: Roster, ctx: Context, plan: list[PlanItem] | None = None) -> FormSpec:
    """The form `form` for `subject` (a 工号, or a department for 附件2 and 附件5).

    The generator and the collector both come here, so a form is read back by the very
    declaration it was written from. Each layout is declared once per process and a
    person's form derived from it (forms/derive.py): the same FormSpec as declaring it.
    """
    if form in (1, 3, 6):
        person = roster[subject]
        items = tuple(plan) if form == 3 and plan is not None else None
        if hashable(items):
            build = _PERSON_FORMS[form]
            more = (plan,) if form == 3 else ()
            return derived(ctx, (form, person.position, person.category, items), lambda: build(ctx, stand_in(person), *more),
                           person_values(person), lambda: build(ctx, person, *more))  # fmt: skip
    if form in (2, 5):
        build = _DEPARTMENT_FORMS[form]
        head = roster.head_of(subject)
        values = {"id": head.id, "name": head.name, "head_department": head.department, "department": subject}
        return derived(ctx, (form, head.position, head.category),
                       lambda: build(ctx, MARKS["department"], stand_in(head, MARKS["head_department"])), values,
                       lambda: build(ctx, subject, head))  # fmt: skip
    return declared(form, subject, roster, ctx, plan)


_PERSON_FORMS = {1: employee_plan, 3: employee_assessment, 6: executive_review}
_DEPARTMENT_FORMS = {2: department_plan, 5: department_self}


def declared(form: int, subject: str, roster: Roster, ctx: Context, plan: list[PlanItem] | None = None) -> FormSpec:
    """form_for's form declared for this subject alone (the reference for derived ones)."""
    if form == 1:
        return employee_plan(ctx, roster[subject])
    if form == 2:
        return department_plan(ctx, subject, roster.head_of(subject))
    if form == 3:
        return employee_assessment(ctx, roster[subject], plan)
    if form == 4:
        rater = roster[subject]
        return peer_review(ctx, rater, roster.peer_departments(rater.department, ctx.policy.department.peer_scope))
    if form == 5:
        return department_self(ctx, subject, roster.head_of(subject))
    if form == 6:
        return executive_review(ctx, roster[subject])
    raise ValueError(f"附件{form} is not filled in per person or department")


def header_facts(form: int, subject: str, roster: Roster) -> dict[str, str]:
    """What the header of form `form` for `subject` shows, by the `shows` key of its cells
    (工号, 姓名, 部门, 岗位, 部门负责人): the same pairs form_for writes, from the roster."""
    if form in (2, 5):
        try:
            head = roster.head_of(subject)
        except KeyError:  # a department without a head: no name in the header
            head = None
        pairs = department_pairs(subject, head)
    elif form == 4:
        pairs = rater_pairs(roster[subject])
    else:
        pairs = person_pairs(roster[subject])
    return {key: value for _label, value, key in pairs if value is not None}


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
    "FINAL",
    "GRADE",
    "total_key",
    "FORM_NAMES",
    "FORM_VERSIONS",
    "Context",
    "FormSpec",
    "PlanItem",
    "attachment",
    "blank_form",
    "form_for",
    "header_facts",
    "department_plan",
    "department_self",
    "employee_assessment",
    "employee_plan",
    "executive_review",
    "peer_review",
]
