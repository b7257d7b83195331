"""附件3 员工月度工作考核表: self-assessment, the head's score, the leader's final rating.

seed 000 §五(二)1: the employee fills it, the department head scores it, the supervising
leader rates it; §二(三): scored on the month's work and 综合表现. The plan's items come
pre-filled from the employee's filled 附件1 when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import rules
from ..roster import Person
from .common import (
    WEIGHT_CHECK,
    Context,
    bonus_check,
    grade_lines,
    info_line,
    meta_for,
    new_spec,
    person_pairs,
    score_check,
    signature_block,
    text_check,
    title_block,
)
from .plans import ITEM, TARGET, WEIGHT, weight_total_cells
from .spec import Calc, FormSpec, Key, Layout, Requirement, Span, T

RATERS = (
    ("self", T("自评", "Self")),
    ("dept", T("部门考核", "Department")),
    ("leader", T("分管领导评定", "Leader (final)")),
)
RATER_COLS = (5, 6, 7)  # F, G, H


@dataclass(frozen=True)
class PlanItem:
    """One line of a filled 附件1, carried into 附件3."""

    item: str
    target: str
    weight: float | None


def _section(layout: Layout, text: str) -> None:
    layout.text(0, text, "section", len(layout.widths) - 1)
    layout.next(22)


def _rater_header(layout: Layout, ctx: Context, labels: list[tuple[int, T, int | None]]) -> None:
    for col, label, last in labels:
        layout.text(col, label(ctx.lang), "header", last)
    for (_, label), col in zip(RATERS, RATER_COLS):
        layout.text(col, label(ctx.lang), "header")
    layout.next(22)


def employee_assessment(ctx: Context, person: Person | None, plan: list[PlanItem] | None = None) -> FormSpec:
    """附件3 for one employee (or a blank template)."""
    policy = ctx.policy
    score = policy.employee_score
    layout = Layout([6, 22, 26, 9, 26, 10, 10, 11])
    last = 7
    title_block(layout, ctx, 3)
    info_line(layout, ctx, person_pairs(person))
    info_end = layout.row - 1

    # 一、工作完成情况 -------------------------------------------------------------------------
    _section(layout, ctx.t(f"一、当月工作完成情况（占{score.work_share:.0%}）",
                           f"1. Work of the month ({score.work_share:.0%})"))  # fmt: skip
    _rater_header(layout, ctx, [(0, T("序号", "No."), None), (1, ITEM, None), (2, TARGET, None),
                                (3, WEIGHT, None), (4, T("完成情况", "What was achieved"), None)])  # fmt: skip
    rows = policy.forms.plan_rows
    plan = list(plan or [])[:rows]
    for n in range(1, rows + 1):
        given = plan[n - 1] if n <= len(plan) else None
        item = ctx.t(f"第{n}项", f"item {n}")
        layout.text(0, str(n), "number")
        layout.field(f"item{n}.item", 1, text_check(ITEM), f"{item} {ITEM(ctx.lang)}",
                     value=given.item if given else None, style="input_text")  # fmt: skip
        layout.field(f"item{n}.target", 2, text_check(TARGET), f"{item} {TARGET(ctx.lang)}",
                     value=given.target if given else None, style="input_text")  # fmt: skip
        layout.field(f"item{n}.weight", 3, WEIGHT_CHECK, f"{item} {WEIGHT(ctx.lang)}",
                     value=given.weight if given else None, style="input_number")  # fmt: skip
        layout.field(f"item{n}.result", 4, text_check(T("完成情况", "Result")),
                     f"{item} {ctx.t('完成情况', 'result')}", style="input_text")  # fmt: skip
        for (rater, label), col in zip(RATERS, RATER_COLS):
            layout.field(f"item{n}.{rater}", col, score_check(), f"{item} {label(ctx.lang)}", style="input_number")
        layout.next(30)
    weights = Span(tuple(f"item{n}.weight" for n in range(1, rows + 1)))
    weight_total_cells(layout, ctx, list(weights.names), 3)
    layout.text(0, ctx.t("工作完成情况得分（按权重加权）", "Work score (weighted by the plan weights)"), "total_label", 4)
    for (rater, _), col in zip(RATERS, RATER_COLS):
        scores = Span(tuple(f"item{n}.{rater}" for n in range(1, rows + 1)))
        layout.calc(f"work.{rater}", col, Calc(rules.kpi_weighted, rules.kpi_weighted_formula, (scores, weights)))
    layout.next(24)

    # 二、综合表现 -------------------------------------------------------------------------------
    _section(layout, ctx.t(f"二、综合表现（占{score.conduct_share:.0%}）", f"2. Conduct ({score.conduct_share:.0%})"))
    _rater_header(layout, ctx, [(0, T("序号", "No."), None), (1, T("考核项目", "Competency"), 2),
                                (3, T("权重", "Weight"), None), (4, T("评分", "Scoring"), None)])  # fmt: skip
    competencies = score.competencies
    for n, criterion in enumerate(competencies, start=1):
        name = criterion.name_en if ctx.lang == "en" and criterion.name_en else criterion.name
        layout.text(0, str(n), "number")
        layout.text(1, name, "label", 2)
        layout.fixed(f"conduct{n}.weight", 3, criterion.points)
        layout.text(4, ctx.t("0–100分", "0–100"), "label_center")
        for (rater, label), col in zip(RATERS, RATER_COLS):
            layout.field(f"conduct{n}.{rater}", col, score_check(), f"{name} {label(ctx.lang)}", style="input_number")
        layout.next(22)
    conduct_weights = Span(tuple(f"conduct{n}.weight" for n in range(1, len(competencies) + 1)))
    layout.require(Requirement("total", weights.names, T("计划权重", "plan weights")))
    layout.require(Requirement("column", tuple(f"item{n}.item" for n in range(1, rows + 1)), ITEM,
                               when=weights.names, optional=False))  # fmt: skip
    for rater, label in RATERS:
        # the department's scores are needed; self and leader: every row or none yet
        scores = tuple(f"item{n}.{rater}" for n in range(1, rows + 1))
        scores += tuple(f"conduct{n}.{rater}" for n in range(1, len(competencies) + 1))
        layout.require(Requirement("column", scores, label, when=weights.names + conduct_weights.names,
                                   optional=rater != "dept"))  # fmt: skip
    layout.text(0, ctx.t("综合表现得分", "Conduct score"), "total_label", 4)
    for (rater, _), col in zip(RATERS, RATER_COLS):
        scores = Span(tuple(f"conduct{n}.{rater}" for n in range(1, len(competencies) + 1)))
        calc = Calc(rules.kpi_weighted, rules.kpi_weighted_formula, (scores, conduct_weights))
        layout.calc(f"conduct.{rater}", col, calc)
    layout.next(24)

    # 三、加分与扣分 ----------------------------------------------------------------------------
    _section(layout, ctx.t(f"三、加分与扣分（加分合计最多{score.bonus_cap:g}分）",
                           f"3. Bonus and deductions (bonus at most {score.bonus_cap:g} points)"))  # fmt: skip
    for kind, count, label, check in (
        ("bonus", policy.forms.bonus_rows, T("加分事由", "Bonus for"), bonus_check(score.bonus_cap)),
        ("deduction", policy.forms.deduction_rows, T("扣分事由", "Deduction for"), bonus_check(100)),
    ):
        layout.text(0, ctx.t("序号", "No."), "header")
        layout.text(1, label(ctx.lang), "header", 6)
        layout.text(7, ctx.t("分值", "Points"), "header")
        layout.next(22)
        for n in range(1, count + 1):
            layout.text(0, str(n), "number")
            layout.field(f"{kind}{n}.reason", 1, text_check(label), f"{label(ctx.lang)} {n}", style="input_text", last_col=6)
            layout.field(f"{kind}{n}.points", 7, check, f"{label(ctx.lang)} {n} {ctx.t('分值', 'points')}", style="input_number")
            layout.next(22)
        points = Span(tuple(f"{kind}{n}.points" for n in range(1, count + 1)))
        total = Calc(rules.plain_sum, rules.plain_sum_formula, (points,))
        if kind == "bonus":
            layout.text(0, ctx.t(f"加分合计（最多{score.bonus_cap:g}分）", f"Bonus (at most {score.bonus_cap:g})"), "total_label", 6)
            total = Calc(rules.kpi_bonus, rules.kpi_bonus_formula, (total, 1, score.bonus_cap))
        else:
            layout.text(0, ctx.t("扣分合计", "Deductions"), "total_label", 6)
        layout.calc(f"{kind}.total", 7, total)
        layout.next(24)

    # 四、考核结果 -------------------------------------------------------------------------------
    _section(layout, ctx.t("四、考核结果", "4. Result"))
    _rater_header(layout, ctx, [(0, T("项目", "Item"), 4)])
    layout.text(0, ctx.t(f"考核得分 = 工作×{score.work_share:.0%} + 综合表现×{score.conduct_share:.0%} + 加分 − 扣分",
                         f"Score = work × {score.work_share:.0%} + conduct × {score.conduct_share:.0%} + bonus − deductions"),
                "total_label", 4)  # fmt: skip
    options = (("policy", policy),)
    for (rater, _), col in zip(RATERS, RATER_COLS):
        calc = Calc(rules.employee_total, rules.employee_total_formula,
                    (Key(f"work.{rater}"), Key(f"conduct.{rater}"), Key("bonus.total"), Key("deduction.total")), options)  # fmt: skip
        layout.calc(f"total.{rater}", col, calc)
    layout.next(24)
    final_label = (ctx.t("最终得分（以分管领导评定为准）", "Final score (the leader's rating is final)")
                   if score.final == "leader" else ctx.t("最终得分（按权重综合）", "Final score (weighted)"))  # fmt: skip
    layout.text(0, final_label, "total_label", 4)
    final = Calc(rules.final_score, rules.final_score_formula,
                 (Key("total.self"), Key("total.dept"), Key("total.leader")), options)  # fmt: skip
    layout.calc("final", 5, final, last_col=last)
    layout.next(26)
    layout.text(0, ctx.t("考核等级（A等名额以月度汇总表核定为准）", "Grade (the A quota is applied in the monthly summary)"), "total_label", 4)
    layout.calc("grade", 5, Calc(rules.kpi_grade, rules.kpi_grade_formula, (Key("final"),), options), "grade", last)
    layout.next(26)
    for key, label in (("comment.dept", T("部门负责人意见", "Department head's comments")),
                       ("comment.leader", T("分管领导意见", "Supervising leader's comments"))):  # fmt: skip
        layout.text(0, label(ctx.lang), "total_label", 1)
        layout.field(key, 2, text_check(label), label(ctx.lang), style="input_text", last_col=last)
        layout.next(40)
    signature_block(layout, ctx, [T("被考核人", "Appraisee"), T("考核人（部门负责人）", "Appraiser (head)"),
                                  T("复核人（分管领导）", "Reviewer (leader)")])  # fmt: skip

    meta = meta_for(ctx, 3, "employee", person.id if person else "", person.name if person else "",
                    person.department if person else "")  # fmt: skip
    instructions = [
        ctx.t("填写顺序：员工填写完成情况和“自评”列；部门负责人填写“部门考核”列及加分、扣分；分管领导填写“分管领导评定”列。",
              "Order: the employee fills in results and the Self column; the head fills the Department column and any "
              "bonus or deduction; the supervising leader fills the Leader column."),
        ctx.t("工作事项、目标和权重来自本人的月度工作计划表（附件1），如有变动可修改；权重合计应为100%。",
              "Items, targets and weights come from the employee's monthly plan (form 1) and may be corrected; "
              "weights total 100%."),
        ctx.t("所有分数为0–100分。灰色格子为公式，自动计算，不能修改。",
              "All scores are 0–100. Grey cells are formulas and cannot be edited."),
        *grade_lines(ctx),
    ]  # fmt: skip
    return new_spec(layout, ctx, 3, (0, info_end), (info_end + 1, 0), meta, instructions, landscape=True)
