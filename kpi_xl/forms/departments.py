"""附件4 部门月度互评表, 附件5 部门月度自评表 and 附件6 高管月度考核表.

seed 000 §五(二)2: each department head rates the OTHER departments (a reference for the
leaders), and self-rates the department against the six criteria 70/10/5/5/5/5, which the
supervising leader then rates (final). §五(二)3: executives self-rate, the GM rates.
"""

from __future__ import annotations

from .. import rules
from ..policy import Criterion
from ..roster import Person
from .common import (
    FREE_TEXT,
    GRADE,
    TARGET_TEXT,
    Context,
    department_pairs,
    grade_lines,
    info_line,
    meta_for,
    new_spec,
    person_pairs,
    rater_pairs,
    score_check,
    signature_block,
    text_check,
    title_block,
    total_key,
)
from .spec import Calc, Check, FormSpec, Key, Layout, Requirement, Span, T

TEMPLATE_DEPARTMENT_ROWS = 10


def _name(criterion: Criterion, lang: str) -> str:
    return criterion.name_en if lang == "en" and criterion.name_en else criterion.name


def peer_review(ctx: Context, rater: Person | None, departments: list[str]) -> FormSpec:
    """附件4 for one department head: every department but their own, one row each."""
    criteria = ctx.policy.department.peer_criteria
    widths = [6, 18] + [11] * len(criteria) + [10, 40]
    layout = Layout(widths)
    last = len(widths) - 1
    total_col = 2 + len(criteria)
    title_block(layout, ctx, 4)
    info_line(layout, ctx, rater_pairs(rater))
    header_row = layout.row
    layout.text(0, ctx.t("序号", "No."), "header")
    layout.text(1, ctx.t("被评部门", "Department rated"), "header")
    for i, criterion in enumerate(criteria):
        layout.text(2 + i, f"{_name(criterion, ctx.lang)}\n({criterion.points:g})", "header")
    layout.text(total_col, ctx.t("合计", "Total"), "header")
    layout.text(last, ctx.t("意见建议", "Comments"), "header")
    layout.next(34)
    # the rater's own department is not offered (seed 000: 对其他部门 ... 进行评议)
    rated = [d for d in departments if rater is None or d != rater.department]
    count = len(rated) if rater is not None else TEMPLATE_DEPARTMENT_ROWS
    for n in range(1, count + 1):
        layout.text(0, str(n), "number")
        if rater is not None:
            layout.fixed(f"row{n}.department", 1, rated[n - 1], "value_text")
            who = rated[n - 1]
        else:
            layout.field(f"row{n}.department", 1, text_check(T("被评部门", "Department")),
                         ctx.t(f"第{n}行 被评部门", f"row {n} department"), style="input_text")  # fmt: skip
            who = ctx.t(f"第{n}行", f"row {n}")
        for i, criterion in enumerate(criteria):
            layout.field(f"row{n}.c{i + 1}", 2 + i, score_check(criterion.points),
                         f"{who} {_name(criterion, ctx.lang)}", style="input_number")  # fmt: skip
        scores = Span(tuple(f"row{n}.c{i + 1}" for i in range(len(criteria))))
        if rater is not None:  # every other department must be rated
            layout.require(Requirement("all", scores.names, T(who, who)))
        layout.calc(f"row{n}.total", total_col, Calc(rules.complete_sum, rules.complete_sum_formula, (scores,)))
        layout.field(f"row{n}.comment", last, text_check(T("意见建议", "Comments"), TARGET_TEXT), f"{who} {ctx.t('意见', 'comments')}",
                     style="input_text")  # fmt: skip
        layout.next(26)
    signature_block(layout, ctx, [T("评价人", "Rated by")])
    meta = meta_for(ctx, 4, "head", rater.id if rater else "", rater.name if rater else "",
                    rater.department if rater else "")  # fmt: skip
    meta["rated"] = "|".join(rated) if rater is not None else ""
    total = sum(c.points for c in criteria)
    instructions = [
        ctx.t(f"本表由部门负责人填写，对其他各部门本月表现逐项打分，合计满分{total:g}分；本部门不参与自评。",
              f"Filled by the department head: score every other department on each criterion ({total:g} in all); "
              "your own department is not listed."),
        ctx.t("互评结果作为公司领导对部门考评的参考依据，于次月5日前交公司领导。",
              "Peer reviews are a reference for the leaders; hand in by the 5th of next month."),
    ]  # fmt: skip
    return new_spec(layout, ctx, 4, (0, header_row), (header_row + 1, 2), meta, instructions, landscape=True)


def _criteria_form(ctx: Context, form: int, criteria: tuple[Criterion, ...], raters: tuple[T, T],
                   pairs, meta: dict[str, str], signers: list[T], with_grade: bool,
                   instructions: list[str], factor: bool = False, percent: bool = False) -> FormSpec:  # fmt: skip
    layout = Layout([6, 30, 9, 12, 14, 30])
    points_label = T("权重%", "Weight %") if percent else T("满分", "Points")
    last = 5
    title_block(layout, ctx, form)
    info_line(layout, ctx, pairs)
    header_row = layout.row
    for col, label in enumerate([T("序号", "No."), T("考核项目", "Criterion"), points_label,
                                 raters[0], raters[1], T("说明", "Notes")]):  # fmt: skip
        layout.text(col, label(ctx.lang), "header")
    layout.next(26)
    for n, criterion in enumerate(criteria, start=1):
        name = _name(criterion, ctx.lang)
        layout.text(0, str(n), "number")
        layout.text(1, name, "label")
        layout.fixed(f"c{n}.points", 2, criterion.points)
        # seed 003 line 96: 所有评分都以百分制 — every criterion rated 0–100, then weighted
        most = 100 if percent else criterion.points
        layout.field(f"c{n}.self", 3, score_check(most), f"{name} {raters[0](ctx.lang)}", style="input_number")
        layout.field(f"c{n}.leader", 4, score_check(most), f"{name} {raters[1](ctx.lang)}", style="input_number")
        layout.field(f"c{n}.note", 5, text_check(T("说明", "Notes"), TARGET_TEXT), f"{name} {ctx.t('说明', 'notes')}", style="input_text")
        layout.next(26)
    keys = {r: tuple(f"c{n}.{r}" for n in range(1, len(criteria) + 1)) for r in ("self", "leader")}
    layout.require(Requirement("all", keys["self"], raters[0]))
    layout.require(Requirement("column", keys["leader"], raters[1]))  # not rated yet, or all rated
    layout.text(0, ctx.t("合计", "Total"), "total_label", 1)
    layout.calc("points.total", 2, Calc(rules.plain_sum, rules.plain_sum_formula,
                                        (Span(tuple(f"c{n}.points" for n in range(1, len(criteria) + 1))),)), "computed_int")  # fmt: skip
    total = "sum" if factor else "total"
    points = Span(tuple(f"c{n}.points" for n in range(1, len(criteria) + 1)))
    for rater, col in (("self", 3), ("leader", 4)):
        scores = Span(tuple(f"c{n}.{rater}" for n in range(1, len(criteria) + 1)))
        if percent:
            layout.calc(f"{total}.{rater}", col, Calc(rules.weighted_percent_sum, rules.weighted_percent_sum_formula, (scores, points)))
        else:
            layout.calc(f"{total}.{rater}", col, Calc(rules.complete_sum, rules.complete_sum_formula, (scores,)))
    layout.text(5, ctx.t(f"以{raters[1](ctx.lang)}为准", f"{raters[1](ctx.lang)} is final"), "label_center")
    layout.next(26)
    if factor:
        # seed 003 部门绩效考核表: 总分 = (部门职责30% + 部门计划30% + 客户评价20%) × 重关指标值
        # line 98: 重关指标值 = 重关指标得分/100 — on the 100-point scale the score is typed
        label = T("重关指标得分（百分制）", "Key-indicator score (0–100)") if percent else T("重关指标值（系数）", "Key-indicator factor")
        layout.text(0, label(ctx.lang), "total_label", 2)
        factor_check = score_check(100) if percent else \
            Check("decimal", 0, 3, hint=T("重关指标考核系数，如1.0", "The key-indicator factor, e.g. 1.0"))  # fmt: skip
        layout.field("factor", 3, factor_check, label(ctx.lang), style="input_number")
        layout.require(Requirement("all", ("factor",), label))
        layout.next(26)
        layout.text(0, ctx.t("总分 = 合计 × 重关指标得分/100", "Total = sum × score/100") if percent
                    else ctx.t("总分 = 合计 × 重关指标值", "Total = sum × factor"), "total_label", 2)  # fmt: skip
        per = (("per", 100.0),) if percent else ()
        for rater, col in (("self", 3), ("leader", 4)):
            layout.calc(total_key(rater), col, Calc(rules.scaled, rules.scaled_formula, (Key(f"sum.{rater}"), Key("factor")), per))
        layout.next(26)
    if with_grade:
        layout.text(0, ctx.t("考核等级", "Grade"), "total_label", 3)
        layout.calc(GRADE, 4, Calc(rules.kpi_grade, rules.kpi_grade_formula, (Key(total_key("leader")),),
                                     (("policy", ctx.policy),)), "grade")  # fmt: skip
        layout.next(26)
    layout.text(0, ctx.t(f"{raters[1](ctx.lang)}意见", f"{raters[1](ctx.lang)}: comments"), "total_label", 1)
    layout.field("comment", 2, text_check(T("意见", "Comments"), FREE_TEXT), ctx.t("意见", "comments"), style="input_text", last_col=last)
    layout.next(40)
    signature_block(layout, ctx, signers)
    return new_spec(layout, ctx, form, (0, header_row), (header_row + 1, 0), meta, instructions)


def department_self(ctx: Context, department: str | None, head: Person | None) -> FormSpec:
    """附件5 for one department: self-rated by its head, rated by the supervising leader."""
    pairs = department_pairs(department, head)
    meta = meta_for(ctx, 5, "department", department or "", head.name if head else "", department or "")
    scheme = ctx.policy.department
    instructions = [
        ctx.t("部门负责人填写“自评”列，交分管领导填写“分管领导评定”列；部门月度得分以分管领导评定为准。",
              "The head fills the Self column; the supervising leader fills the Leader column, which is final."),
        ctx.t(f"考核标准：{'、'.join(f'{c.name}（{c.points:g}）' for c in scheme.criteria)}。",
              f"Criteria: {', '.join(f'{_name(c, ctx.lang)} ({c.points:g})' for c in scheme.criteria)}."),
    ]  # fmt: skip
    if scheme.percent_scale:  # seed 003 line 96
        instructions.append(ctx.t("所有评分都以百分制为计算单位：各项按 0–100 分评分，合计 = Σ 评分 × 权重%；"
                                  "总分 = 合计 × 重关指标得分/100。",
                                  "Every part is rated 0–100: sum = Σ rating × weight %; total = sum × key-indicator score / 100."))
    return _criteria_form(ctx, 5, ctx.policy.department.criteria,
                          (T("部门自评", "Self"), T("分管领导评定", "Leader (final)")), pairs, meta,
                          [T("部门负责人", "Department head"), T("分管领导", "Supervising leader")], False,
                          instructions, factor=ctx.policy.department.key_factor,
                          percent=ctx.policy.department.percent_scale)  # fmt: skip


def executive_review(ctx: Context, person: Person | None) -> FormSpec:
    """附件6 for one executive: self-rated, rated by the general manager (final)."""
    meta = meta_for(ctx, 6, "executive", person.id if person else "", person.name if person else "",
                    person.department if person else "")  # fmt: skip
    instructions = [
        ctx.t("高管人员填写“自评”列，交公司总经理评定（以总经理评定为准）。",
              "The executive fills the Self column; the general manager's rating is final."),
        *grade_lines(ctx)[:1],
    ]  # fmt: skip
    return _criteria_form(ctx, 6, ctx.policy.executive.criteria,
                          (T("自评", "Self"), T("总经理评定", "General manager (final)")), person_pairs(person), meta,
                          [T("被考核人", "Appraisee"), T("总经理", "General manager")], True, instructions)  # fmt: skip
