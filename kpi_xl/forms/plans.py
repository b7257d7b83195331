"""附件1 员工月度工作计划表 and 附件2 部门月度工作计划表 (seed 000 §五(一))."""

from __future__ import annotations

from .. import rules
from ..roster import Person
from .common import (
    FREE_TEXT,
    ITEM_TEXT,
    TARGET_TEXT,
    WEIGHT_CHECK,
    Context,
    date_check,
    deadline_lines,
    department_pairs,
    info_line,
    meta_for,
    new_spec,
    person_pairs,
    signature_block,
    text_check,
    title_block,
)
from .spec import Calc, FormSpec, Key, Layout, Requirement, Span, T

ITEM = T("工作事项", "Work item")
TARGET = T("工作目标/完成标准", "Target / standard of completion")
DEADLINE = T("完成时限", "Deadline")
WEIGHT = T("权重(%)", "Weight (%)")
PARTNER = T("配合人", "Works with")
OWNER = T("责任人", "Owner")
REMARK = T("备注", "Remarks")
WEIGHT_OK = T("✓ 合计100%", "✓ totals 100%")
WEIGHT_WRONG = T("权重合计应为100%", "Weights must total 100%")


def weight_total_cells(layout: Layout, ctx: Context, weight_keys: list[str], weight_col: int) -> None:
    """权重合计 and its check, under the weight column."""
    last = len(layout.widths) - 1
    layout.text(0, ctx.t("权重合计", "Total weight"), "total_label", weight_col - 1)
    total = Calc(rules.filled_sum, rules.filled_sum_formula, (Span(tuple(weight_keys)),))
    layout.calc("weight_total", weight_col, total, "computed_int")
    check = Calc(rules.weight_check, rules.weight_check_formula,
                 (Key("weight_total"), WEIGHT_OK(ctx.lang), WEIGHT_WRONG(ctx.lang)))  # fmt: skip
    layout.calc("weight_check", weight_col + 1, check, "computed_text", last if last > weight_col + 1 else None)
    layout.next(24)


def _plan(ctx: Context, form: int, columns: list[tuple[str, T, float]], meta: dict[str, str],
          pairs, signers: list[T], review: T, who_fills: str) -> FormSpec:  # fmt: skip
    layout = Layout([6] + [w for _, _, w in columns])
    title_block(layout, ctx, form)
    info_line(layout, ctx, pairs)
    header_row = layout.row
    layout.text(0, ctx.t("序号", "No."), "header")
    for col, (_, label, _) in enumerate(columns, start=1):
        layout.text(col, label(ctx.lang), "header")
    layout.next(22)
    rows = ctx.policy.forms.plan_rows
    weight_col = next(i for i, (kind, _, _) in enumerate(columns, start=1) if kind == "weight")
    for n in range(1, rows + 1):
        layout.text(0, str(n), "number")
        for col, (kind, label, _) in enumerate(columns, start=1):
            key, name = f"item{n}.{kind}", f"{ctx.t(f'第{n}项', f'item {n}')} {label(ctx.lang)}"
            planned = {"item": ITEM_TEXT, "target": TARGET_TEXT, "remark": ITEM_TEXT}.get(kind, 0)
            check = WEIGHT_CHECK if kind == "weight" else date_check(ctx) if kind == "deadline" else text_check(label, planned)
            style = {"weight": "input_number", "deadline": "input_date"}.get(kind, "input_text")
            layout.field(key, col, check, name, style=style)
        layout.next(30)
    weights = tuple(f"item{n}.weight" for n in range(1, rows + 1))
    weight_total_cells(layout, ctx, list(weights), weight_col)
    layout.require(Requirement("total", weights, T("计划权重", "plan weights")))
    layout.require(Requirement("column", tuple(f"item{n}.item" for n in range(1, rows + 1)), ITEM,
                               when=weights, optional=False))  # fmt: skip
    last = len(layout.widths) - 1
    layout.text(0, review(ctx.lang), "info_label", 1)
    layout.field("review", 2, text_check(review, FREE_TEXT), review(ctx.lang), style="input_text", last_col=last)
    layout.next(48)
    signature_block(layout, ctx, signers)
    instructions = [
        ctx.t(f"本表由{who_fills}填写：每行一项工作，写明目标/完成标准、完成时限和权重，权重合计应为100%。",
              f"Filled by the {who_fills}: one work item per line with its target, deadline and weight; weights total 100%."),
        ctx.t("只有白色的格子可以填写；灰色格子由公式计算或为固定内容。",
              "Only the white cells can be filled in; grey cells are formulas or fixed text."),
        *deadline_lines(ctx),
    ]  # fmt: skip
    return new_spec(layout, ctx, form, (0, header_row), (header_row + 1, 0), meta, instructions, landscape=True)


def employee_plan(ctx: Context, person: Person | None) -> FormSpec:
    """附件1, one per employee; the department head checks it (审核)."""
    columns = [("item", ITEM, 30), ("target", TARGET, 44), ("deadline", DEADLINE, 12),
               ("weight", WEIGHT, 9), ("partner", PARTNER, 12), ("remark", REMARK, 30)]  # fmt: skip
    meta = meta_for(ctx, 1, "employee", person.id if person else "", person.name if person else "",
                    person.department if person else "")  # fmt: skip
    signers = [T("员工", "Employee"), T("部门负责人", "Department head")]
    return _plan(ctx, 1, columns, meta, person_pairs(person), signers,
                 T("部门负责人审核意见", "Department head's review"), ctx.t("员工", "employee"))  # fmt: skip


def department_plan(ctx: Context, department: str | None, head: Person | None) -> FormSpec:
    """附件2, one per department, by the head on the 28th; the supervising leader approves."""
    columns = [("item", ITEM, 30), ("target", TARGET, 44), ("deadline", DEADLINE, 12),
               ("owner", OWNER, 12), ("weight", WEIGHT, 9), ("remark", REMARK, 30)]  # fmt: skip
    meta = meta_for(ctx, 2, "department", department or "", head.name if head else "", department or "")
    pairs = department_pairs(department, head)
    signers = [T("部门负责人", "Department head"), T("分管领导", "Supervising leader")]
    return _plan(ctx, 2, columns, meta, pairs, signers,
                 T("分管领导审定意见", "Supervising leader's approval"), ctx.t("部门负责人", "department head"))  # fmt: skip
