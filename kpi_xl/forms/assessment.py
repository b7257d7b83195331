"""附件3 员工月度工作考核表: self-assessment, the head's score, the leader's final rating.

seed 000 §五(二)1: the employee fills it, the department head scores it, the supervising
leader rates it; §二(三): scored on the month's work and 综合表现. The plan's items come
pre-filled from the employee's filled 附件1 when there is one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .. import rules
from ..roster import Person
from ..scorecards.library import Indicator, Scorecard, scorecard_for
from .common import (
    FINAL,
    FREE_TEXT,
    GRADE,
    ITEM_TEXT,
    TARGET_TEXT,
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
    total_key,
)
from .kpi_rows import indicator_calc
from .plans import ITEM, TARGET, WEIGHT, weight_total_cells
from .spec import Calc, Check, FormSpec, Key, Layout, Requirement, Span, T

RATER_KEYS = ("self", "dept", "leader")
RATER_COLS = (5, 6, 7)  # F, G, H


def raters(ctx: Context) -> list[tuple[str, T]]:
    """The three score columns, named by the policy (seed 004: 自评, 上级, 小组)."""
    s = ctx.policy.employee_score
    return [(key, T(zh, en)) for key, zh, en in zip(RATER_KEYS, s.raters, s.raters_en)]


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
    for (_, label), col in zip(raters(ctx), RATER_COLS):
        layout.text(col, label(ctx.lang), "header")
    layout.next(22)


SECTION_NUMBERS = {"zh": "一二三四五六", "en": "123456"}


def employee_assessment(ctx: Context, person: Person | None, plan: list[PlanItem] | None = None) -> FormSpec:
    """附件3 for one employee (or a blank template): the parts the policy gives a share —
    the plan's work, 综合表现, the position's KPI scorecard — then bonuses, deductions and
    the result."""
    policy = ctx.policy
    score = policy.employee_score
    # A4 portrait at ~90 %: the plan's work and 综合表现 on the first page, the rest with the
    # result and the signatures on the second; item rows grow with what is typed (render)
    layout = Layout([6, 18, 22, 7, 30, 9, 9, 9])
    title_block(layout, ctx, 3)
    info_line(layout, ctx, person_pairs(person))
    info_end = layout.row
    sections = iter(SECTION_NUMBERS["en" if ctx.lang == "en" else "zh"])
    parts: dict[str, bool] = {}
    column_keys: dict[str, list[str]] = {rater: [] for rater in RATER_KEYS}
    column_when: list[str] = []
    # each section prints on one page where it fits: pages break between sections
    start = layout.row
    if score.work_share:
        rows, weights = _work_section(layout, ctx, next(sections), plan, column_keys)
        column_when += list(weights)
        parts["work"] = True
        layout.keep_together(start)
    start = layout.row
    if score.conduct_share:
        conduct_weights = _conduct_section(layout, ctx, next(sections), column_keys)
        column_when += list(conduct_weights)
        parts["conduct"] = True
        layout.keep_together(start)
    card = scorecard_for(policy, person.position) if person is not None and score.kpi_share else None
    start = layout.row
    if card is not None:
        manual_when = _kpi_section(layout, ctx, next(sections), card, column_keys)
        column_when += manual_when
        parts["kpi"] = True
        layout.keep_together(start)
    for rater, label in raters(ctx):
        keys = column_keys[rater]
        if keys:
            # the department's scores are needed; self and leader: every row or none yet
            layout.require(Requirement("column", tuple(keys), label, when=tuple(column_when), optional=rater != "dept"))
    start = layout.row
    _adjustments(layout, ctx, next(sections))
    layout.keep_together(start)
    start = layout.row  # the signatures print on the page with the final score and grade
    _result(layout, ctx, next(sections), parts)
    signature_block(layout, ctx, [T("被考核人", "Appraisee"), T("考核人（部门负责人）", "Appraiser (head)"),
                                  T("复核人（分管领导）", "Reviewer (leader)")])  # fmt: skip
    layout.keep_together(start)
    meta = meta_for(ctx, 3, "employee", person.id if person else "", person.name if person else "",
                    person.department if person else "")  # fmt: skip
    if card is not None:
        meta["scorecard"] = card.name
    labels = "、".join(f"“{label(ctx.lang)}”" for _, label in raters(ctx))
    instructions = [
        ctx.t(f"填写顺序：员工填写完成情况和第一列分数；部门负责人填写第二列及加分、扣分；分管领导填写第三列（{labels}）。",
              "Order: the employee fills in results and the first score column; the head fills the second and any "
              "bonus or deduction; the supervising leader fills the third."),
        ctx.t("工作事项、目标和权重来自本人的月度工作计划表（附件1），如有变动可修改；权重合计应为100%。",
              "Items, targets and weights come from the employee's monthly plan (form 1) and may be corrected; "
              "weights total 100%."),
        ctx.t("岗位KPI指标：填写实际值（及计划值/参照值），得分按指标库的计分规则自动计算；扣分、加分项未发生可不填。",
              "Position KPIs: enter the measured values; the scores follow the scorecard's rules; counts left blank mean none."),
        ctx.t("灰色格子为公式，自动计算，不能修改。", "Grey cells are formulas and cannot be edited."),
        *grade_lines(ctx),
    ]  # fmt: skip
    return new_spec(layout, ctx, 3, (0, info_end - 1), (info_end, 0), meta, instructions)


def _section(layout: Layout, text: str) -> None:
    layout.text(0, text, "section", len(layout.widths) - 1)
    layout.next(22)


def _work_section(layout: Layout, ctx: Context, number: str, plan: list[PlanItem] | None,
                  column_keys: dict[str, list[str]]) -> tuple[int, tuple[str, ...]]:  # fmt: skip
    policy = ctx.policy
    share = policy.employee_score.work_share
    _section(layout, ctx.t(f"{number}、当月工作完成情况（占{share:.0%}）", f"{number}. Work of the month ({share:.0%})"))
    _rater_header(layout, ctx, [(0, T("序号", "No."), None), (1, ITEM, None), (2, TARGET, None),
                                (3, WEIGHT, None), (4, T("完成情况", "What was achieved"), None)])  # fmt: skip
    rows = policy.forms.plan_rows
    given = list(plan or [])[:rows]
    for n in range(1, rows + 1):
        item = given[n - 1] if n <= len(given) else None
        name = ctx.t(f"第{n}项", f"item {n}")
        layout.text(0, str(n), "number")
        layout.field(f"item{n}.item", 1, text_check(ITEM, ITEM_TEXT), f"{name} {ITEM(ctx.lang)}",
                     value=item.item if item else None, style="input_text")  # fmt: skip
        layout.field(f"item{n}.target", 2, text_check(TARGET, TARGET_TEXT), f"{name} {TARGET(ctx.lang)}",
                     value=item.target if item else None, style="input_text")  # fmt: skip
        layout.field(f"item{n}.weight", 3, WEIGHT_CHECK, f"{name} {WEIGHT(ctx.lang)}",
                     value=item.weight if item else None, style="input_number")  # fmt: skip
        layout.field(f"item{n}.result", 4, text_check(T("完成情况", "Result"), FREE_TEXT),
                     f"{name} {ctx.t('完成情况', 'result')}", style="input_text")  # fmt: skip
        for (rater, label), col in zip(raters(ctx), RATER_COLS):
            layout.field(f"item{n}.{rater}", col, score_check(), f"{name} {label(ctx.lang)}", style="input_number")
            column_keys[rater].append(f"item{n}.{rater}")
        layout.next(30)
    weights = Span(tuple(f"item{n}.weight" for n in range(1, rows + 1)))
    weight_total_cells(layout, ctx, list(weights.names), 3)
    layout.require(Requirement("total", weights.names, T("计划权重", "plan weights")))
    layout.require(Requirement("column", tuple(f"item{n}.item" for n in range(1, rows + 1)), ITEM,
                               when=weights.names, optional=False))  # fmt: skip
    layout.text(0, ctx.t("工作完成情况得分（按权重加权）", "Work score (weighted by the plan weights)"), "total_label", 4)
    for rater, col in zip(RATER_KEYS, RATER_COLS):
        scores = Span(tuple(f"item{n}.{rater}" for n in range(1, rows + 1)))
        layout.calc(f"work.{rater}", col, Calc(rules.kpi_weighted, rules.kpi_weighted_formula, (scores, weights)))
    layout.next(24)
    return rows, weights.names


def _conduct_section(layout: Layout, ctx: Context, number: str, column_keys: dict[str, list[str]]) -> tuple[str, ...]:
    score = ctx.policy.employee_score
    _section(layout, ctx.t(f"{number}、综合表现（占{score.conduct_share:.0%}）", f"{number}. Conduct ({score.conduct_share:.0%})"))
    _rater_header(layout, ctx, [(0, T("序号", "No."), None), (1, T("考核项目", "Competency"), 2),
                                (3, T("权重", "Weight"), None), (4, T("评分", "Scoring"), None)])  # fmt: skip
    competencies = score.competencies
    for n, criterion in enumerate(competencies, start=1):
        name = criterion.name_en if ctx.lang == "en" and criterion.name_en else criterion.name
        layout.text(0, str(n), "number")
        layout.text(1, name, "label", 2)
        layout.fixed(f"conduct{n}.weight", 3, criterion.points)
        layout.text(4, ctx.t("0–100分", "0–100"), "label_center")
        for (rater, label), col in zip(raters(ctx), RATER_COLS):
            layout.field(f"conduct{n}.{rater}", col, score_check(), f"{name} {label(ctx.lang)}", style="input_number")
            column_keys[rater].append(f"conduct{n}.{rater}")
        layout.next(22)
    weights = Span(tuple(f"conduct{n}.weight" for n in range(1, len(competencies) + 1)))
    layout.text(0, ctx.t("综合表现得分", "Conduct score"), "total_label", 4)
    for rater, col in zip(RATER_KEYS, RATER_COLS):
        scores = Span(tuple(f"conduct{n}.{rater}" for n in range(1, len(competencies) + 1)))
        layout.calc(f"conduct.{rater}", col, Calc(rules.kpi_weighted, rules.kpi_weighted_formula, (scores, weights)))
    layout.next(24)
    return weights.names


def _kpi_section(layout: Layout, ctx: Context, number: str, card: Scorecard, column_keys: dict[str, list[str]]) -> list[str]:
    """The position's scorecard: measured rows score themselves (the same in every rater's
    column); 手工 rows are scored by each rater. Returns the keys that mark rows in use."""
    share = ctx.policy.employee_score.kpi_share
    _section(layout, ctx.t(f"{number}、岗位KPI指标：{card.name}（占{share:.0%}）", f"{number}. Position KPIs: {card.name} ({share:.0%})"))
    _rater_header(layout, ctx, [(0, T("序号", "No."), None), (1, T("指标（分值）", "Indicator (points)"), None),
                                (2, T("定义 / 计分规则", "Definition / rule"), None), (3, T("实际值", "Measured"), None),
                                (4, T("计划值 / 参照值", "Plan / reference"), None)])  # fmt: skip
    when = []
    keys_by_rater: dict[str, list[str]] = {rater: [] for rater in RATER_KEYS}
    for shown, (n, item) in enumerate(_rows_in_order(card), start=1):
        layout.text(0, str(shown), "number")
        sign = "+" if item.rule == "bonus" else "−" if item.rule == "penalty" else ""
        layout.text(1, f"{item.name}（{sign}{item.points:g}）" if item.points else item.name, "label")
        layout.text(2, item.definition or item.describe(), "value_text")
        first, second = f"kpi{n}.value", f"kpi{n}.second"
        # the rule, spelt out, is the note shown when the cell is selected
        rule = item.describe()[-250:]
        measured = Check("decimal", 0, 10_000_000, hint=T(f"比率写小数（95%写0.95）。{rule}", rule))
        for i, label in enumerate(item.inputs):
            layout.field(first if i == 0 else second, 3 + i, measured, f"{item.name} {label}", style="input_number")
        if len(item.inputs) < 2 and not item.manual:
            layout.text(4, "—", "label_center")
        if not item.counts and item.inputs:  # measured values must be given; counts may be left blank
            layout.require(Requirement("all", tuple([first, second][: len(item.inputs)]), T(item.name, item.name)))
        counted = [] if item.group else keys_by_rater  # a group's rows count through the group
        if item.rule == "group":
            layout.text(3, "—", "label_center")
            members = card.members(item)
            options = (("kinds", tuple("forfeit" if m.rule == "forfeit" else "add" for _, m in members)),
                       ("points", tuple(m.points for _, m in members)), ("total", item.points), ("gate", item.numbers))  # fmt: skip
            for rater, col in zip(RATER_KEYS, RATER_COLS):
                layout.calc(f"kpi{n}.{rater}", col, Calc(rules.group_score, rules.group_score_formula,
                                                         tuple(Key(f"kpi{m}.{rater}") for m, _ in members), options))  # fmt: skip
                keys_by_rater[rater].append(f"kpi{n}.{rater}")
        elif item.manual:
            for (rater, label), col in zip(raters(ctx), RATER_COLS):
                layout.field(f"kpi{n}.{rater}", col, score_check(item.points), f"{item.name} {label(ctx.lang)}",
                             style="input_number")  # fmt: skip
                column_keys[rater].append(f"kpi{n}.{rater}")
                if counted:
                    keys_by_rater[rater].append(f"kpi{n}.{rater}")
            # nothing is measured here; the fixed cell marks the row as in use for the raters' checks
            layout.fixed(f"kpi{n}.used", 3, "—", "label_center")
            layout.text(4, "—", "label_center")
            when.append(f"kpi{n}.used")
        else:
            calc = indicator_calc(item, first, second)
            for rater, col in zip(RATER_KEYS, RATER_COLS):
                layout.calc(f"kpi{n}.{rater}", col, calc)
                if counted:
                    keys_by_rater[rater].append(f"kpi{n}.{rater}")
        layout.next(34)
    layout.text(0, ctx.t("岗位KPI得分", "KPI score"), "total_label", 4)
    for rater, col in zip(RATER_KEYS, RATER_COLS):
        if any(item.group for item in card.indicators):  # the rows left are not one range
            total = Calc(rules.complete_total, rules.complete_total_formula, tuple(Key(k) for k in keys_by_rater[rater]))
        else:
            total = Calc(rules.complete_sum, rules.complete_sum_formula, (Span(tuple(keys_by_rater[rater])),))
        layout.calc(f"kpi.{rater}", col, total)
    layout.next(24)
    return when


def _rows_in_order(card: Scorecard) -> list[tuple[int, Indicator]]:
    """The scorecard's rows as the form shows them: a 项目 row after its own rows, as their
    subtotal (its formula reads theirs)."""
    rows, held = [], {}
    for n, item in enumerate(card.indicators, start=1):
        if item.rule == "group":
            held[item.name] = (n, item)
            continue
        rows.append((n, item))
        if item.group and item.group in held and card.members(held[item.group][1])[-1][0] == n:
            rows.append(held.pop(item.group))
    return rows + list(held.values())


def _adjustments(layout: Layout, ctx: Context, number: str) -> None:
    policy = ctx.policy
    score = policy.employee_score
    capped = not math.isinf(score.bonus_cap)  # seed 004: 基础分加减奖励分和扣发分为总分 — no cap
    cap_zh, cap_en = (f"加分合计最多{score.bonus_cap:g}分", f"bonus at most {score.bonus_cap:g} points") if capped else ("加分不封顶", "bonus not capped")
    _section(layout, ctx.t(f"{number}、加分与扣分（{cap_zh}）", f"{number}. Bonus and deductions ({cap_en})"))
    for kind, count, label, check in (
        ("bonus", policy.forms.bonus_rows, T("加分事由", "Bonus for"), bonus_check(score.bonus_cap if capped else 100)),
        ("deduction", policy.forms.deduction_rows, T("扣分事由", "Deduction for"), bonus_check(100)),
    ):
        layout.text(0, ctx.t("序号", "No."), "header")
        layout.text(1, label(ctx.lang), "header", 6)
        layout.text(7, ctx.t("分值", "Points"), "header")
        layout.next(22)
        for n in range(1, count + 1):
            layout.text(0, str(n), "number")
            layout.field(f"{kind}{n}.reason", 1, text_check(label, ITEM_TEXT), f"{label(ctx.lang)} {n}", style="input_text",
                         last_col=6)  # fmt: skip
            layout.field(f"{kind}{n}.points", 7, check, f"{label(ctx.lang)} {n} {ctx.t('分值', 'points')}", style="input_number")
            layout.next(22)
        points = Span(tuple(f"{kind}{n}.points" for n in range(1, count + 1)))
        total = Calc(rules.plain_sum, rules.plain_sum_formula, (points,))
        if kind == "bonus":
            label_zh, label_en = (f"加分合计（最多{score.bonus_cap:g}分）", f"Bonus (at most {score.bonus_cap:g})") if capped else \
                ("加分合计（不封顶）", "Bonus (not capped)")
            layout.text(0, ctx.t(label_zh, label_en), "total_label", 6)
            if capped:
                total = Calc(rules.kpi_bonus, rules.kpi_bonus_formula, (total, 1, score.bonus_cap))
        else:
            layout.text(0, ctx.t("扣分合计", "Deductions"), "total_label", 6)
        layout.calc(f"{kind}.total", 7, total)
        layout.next(24)


def _result(layout: Layout, ctx: Context, number: str, parts: dict[str, bool]) -> None:
    policy = ctx.policy
    score = policy.employee_score
    last = len(layout.widths) - 1
    _section(layout, ctx.t(f"{number}、考核结果", f"{number}. Result"))
    _rater_header(layout, ctx, [(0, T("项目", "Item"), 4)])
    shares = [(ctx.t("工作", "work"), score.work_share), (ctx.t("综合表现", "conduct"), score.conduct_share),
              (ctx.t("岗位KPI", "KPI"), score.kpi_share)]  # fmt: skip
    formula_text = " + ".join(f"{name}×{share:.0%}" for name, share in shares if share)
    layout.text(0, ctx.t(f"考核得分 = {formula_text} + 加分 − 扣分", f"Score = {formula_text} + bonus − deductions"),
                "total_label", 4)  # fmt: skip
    options = (("policy", policy),)
    for rater, col in zip(RATER_KEYS, RATER_COLS):
        args = tuple(Key(f"{part}.{rater}") if parts.get(part) else None for part in ("work", "conduct"))
        kpi = Key(f"kpi.{rater}") if parts.get("kpi") else None
        calc = Calc(rules.employee_total, rules.employee_total_formula,
                    (*args, Key("bonus.total"), Key("deduction.total"), kpi), options)  # fmt: skip
        layout.calc(total_key(rater), col, calc)
    layout.next(24)
    final_label = (ctx.t("最终得分（以分管领导评定为准）", "Final score (the leader's rating is final)")
                   if score.final == "leader" else ctx.t("最终得分（按权重综合）", "Final score (weighted)"))  # fmt: skip
    layout.text(0, final_label, "total_label", 4)
    final = Calc(rules.final_score, rules.final_score_formula,
                 tuple(Key(total_key(r)) for r in RATER_KEYS), options)  # fmt: skip
    layout.calc(FINAL, 5, final, last_col=last)
    layout.next(26)
    layout.text(0, ctx.t("考核等级（A等名额以月度汇总表核定为准）", "Grade (the A quota is applied in the monthly summary)"), "total_label", 4)
    layout.calc(GRADE, 5, Calc(rules.kpi_grade, rules.kpi_grade_formula, (Key(FINAL),), options), "grade", last)
    layout.next(26)
    for key, label in (("comment.dept", T("部门负责人意见", "Department head's comments")),
                       ("comment.leader", T("分管领导意见", "Supervising leader's comments"))):  # fmt: skip
        layout.text(0, label(ctx.lang), "total_label", 1)
        layout.field(key, 2, text_check(label, FREE_TEXT), label(ctx.lang), style="input_text", last_col=last)
        layout.next(40)
