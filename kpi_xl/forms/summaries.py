"""附件7–9 as blank templates: the office's monthly and annual summaries.

Filled by hand from a template, or by `kpi-xl summary` / `kpi-xl annual` from the ledger.
Grades, pay, counts, averages and ranks are native formulas from the rules.
"""

from __future__ import annotations

from .. import rules
from .common import (
    Context,
    grade_lines,
    meta_for,
    new_spec,
    score_check,
    signature_block,
    text_check,
    title_block,
)
from .spec import Calc, Check, Computed, FormSpec, Key, Layout, Span, T

GRADE_LIST = Check("list", choices=("A", "B", "C", "D"), hint=T("A、B、C或D", "A, B, C or D"))
MONEY = Check("decimal", 0, 1_000_000, hint=T("金额（元）", "Amount in yuan"))
TEMPLATE_ROWS = 20
OFFICE_SIGNERS = [T("制表人（办公室）", "Prepared by (office)"), T("审核人", "Checked by"), T("批准人（公司领导）", "Approved by")]

MONTHLY_COLUMNS = [
    ("dept", T("部门", "Department"), 12), ("id", T("工号", "ID"), 9), ("name", T("姓名", "Name"), 9),
    ("position", T("岗位", "Position"), 11), ("self", T("自评", "Self"), 7), ("dept_score", T("部门考核", "Dept."), 7),
    ("leader", T("分管领导评定", "Leader"), 8), ("final", T("最终得分", "Final score"), 8),
    ("grade0", T("等级（初评）", "Grade (before quota)"), 10), ("grade", T("等级（核定）", "Grade (after quota)"), 10),
    ("base", T("考核工资标准", "Pay base"), 10), ("ratio", T("发放比例", "Pay ratio"), 8),
    ("pay", T("绩效工资", "Performance pay"), 10), ("bonus", T("奖励工资", "Bonus pay"), 9),
    ("remark", T("备注", "Remarks"), 22),
]  # fmt: skip


def _header(layout: Layout, ctx: Context, columns: list[tuple[str, T, float]]) -> int:
    row = layout.row
    layout.text(0, ctx.t("序号", "No."), "header")
    for col, (_, label, _) in enumerate(columns, start=1):
        layout.text(col, label(ctx.lang), "header")
    layout.next(34)
    return row


def monthly_summary_template(ctx: Context) -> FormSpec:
    """附件7 员工月度考核汇总表, blank."""
    layout = Layout([5] + [w for _, _, w in MONTHLY_COLUMNS])
    col = {key: i for i, (key, _, _) in enumerate(MONTHLY_COLUMNS, start=1)}
    title_block(layout, ctx, 7)
    header_row = _header(layout, ctx, MONTHLY_COLUMNS)
    options = (("policy", ctx.policy),)
    for n in range(1, TEMPLATE_ROWS + 1):
        layout.text(0, str(n), "number")
        for key in ("dept", "id", "name", "position", "remark"):
            label = MONTHLY_COLUMNS[col[key] - 1][1]
            layout.field(f"r{n}.{key}", col[key], text_check(label), f"{n} {label(ctx.lang)}", style="input_text")
        for key in ("self", "dept_score", "leader", "final"):
            label = MONTHLY_COLUMNS[col[key] - 1][1]
            layout.field(f"r{n}.{key}", col[key], score_check(), f"{n} {label(ctx.lang)}", style="input_number")
        layout.calc(f"r{n}.grade0", col["grade0"],
                    Calc(rules.kpi_grade, rules.kpi_grade_formula, (Key(f"r{n}.final"),), options), "computed_text")  # fmt: skip
        layout.field(f"r{n}.grade", col["grade"], GRADE_LIST, f"{n} {ctx.t('等级', 'grade')}", style="input_number")
        layout.field(f"r{n}.base", col["base"], MONEY, f"{n} {ctx.t('考核工资标准', 'pay base')}", style="input_number")
        for key, part, style in (("ratio", "ratio", "computed_pct"), ("pay", "ratio", "computed_money"),
                                 ("bonus", "bonus", "computed_money")):  # fmt: skip
            base = () if key == "ratio" else (Key(f"r{n}.base"),)
            calc = Calc(rules.grade_pay, rules.grade_pay_formula, (Key(f"r{n}.grade"), *base),
                        (("part", part), ("policy", ctx.policy)))  # fmt: skip
            layout.calc(f"r{n}.{key}", col[key], calc, style)
        layout.next(20)
    signature_block(layout, ctx, OFFICE_SIGNERS)
    meta = meta_for(ctx, 7, "company", "", "", "")
    instructions = [
        ctx.t("办公室根据分管领导评定结果填写本表，于次月10日前报公司领导审批，审批后反馈各部门并函告财务部。",
              "The office fills this in from the leaders' ratings and submits it by the 10th; after approval "
              "it goes to the departments and to finance."),
        ctx.t("“等级（核定）”为执行A等名额后的等级；绩效工资和奖励工资按核定等级自动计算。",
              "'Grade (after quota)' applies the A quota; pay follows it automatically."),
        *grade_lines(ctx),
    ]  # fmt: skip
    return new_spec(layout, ctx, 7, (0, header_row), (header_row + 1, 4), meta, instructions, landscape=True)


MONTHS = [T(f"{m}月", f"M{m}") for m in range(1, 13)]


def annual_employee_template(ctx: Context) -> FormSpec:
    """附件8 员工年度考核汇总表, blank: a grade row and a score row per employee."""
    columns = [("dept", T("部门", "Department"), 11), ("id", T("工号", "ID"), 8), ("name", T("姓名", "Name"), 8),
               ("kind", T("项目", "Row"), 6)]  # fmt: skip
    columns += [(f"m{m}", label, 5.5) for m, label in enumerate(MONTHS, start=1)]
    columns += [(g, T(f"{g}次数", f"# {g}"), 5.5) for g in "ABCD"]
    columns += [("average", T("年均分", "Average"), 7), ("action", T("处理意见", "Action"), 18)]
    layout = Layout([5] + [w for _, _, w in columns])
    col = {key: i for i, (key, _, _) in enumerate(columns, start=1)}
    title_block(layout, ctx, 8)
    header_row = _header(layout, ctx, columns)
    for n in range(1, TEMPLATE_ROWS // 2 + 1):
        layout.text(0, str(n), "number")
        for key in ("dept", "id", "name"):
            label = columns[col[key] - 1][1]
            layout.field(f"p{n}.{key}", col[key], text_check(label), f"{n} {label(ctx.lang)}", style="input_text")
        layout.text(col["kind"], ctx.t("等级", "Grade"), "label_center")
        grades = []
        for m in range(1, 13):
            layout.field(f"p{n}.g{m}", col[f"m{m}"], GRADE_LIST, f"{n} {MONTHS[m - 1](ctx.lang)}", style="input_number")
            grades.append(f"p{n}.g{m}")
        for letter in "ABCD":
            calc = Calc(rules.grade_count, rules.grade_count_formula, (Span(tuple(grades)), letter))
            layout.calc(f"p{n}.{letter}", col[letter], calc, "computed_int")
        layout.field(f"p{n}.action", col["action"], text_check(T("处理意见", "Action")), f"{n} {ctx.t('处理意见', 'action')}",
                     style="input_text")  # fmt: skip
        layout.next(20)
        layout.text(col["kind"], ctx.t("得分", "Score"), "label_center")
        scores = []
        for m in range(1, 13):
            layout.field(f"p{n}.s{m}", col[f"m{m}"], score_check(), f"{n} {MONTHS[m - 1](ctx.lang)}", style="input_number")
            scores.append(f"p{n}.s{m}")
        layout.calc(f"p{n}.average", col["average"], Calc(rules.average, rules.average_formula, (Span(tuple(scores)),)))
        layout.next(20)
    signature_block(layout, ctx, OFFICE_SIGNERS)
    meta = meta_for(ctx, 8, "company", "", "", "")
    instructions = [
        ctx.t("年终由办公室填报，经公司领导审批后反馈各部门。", "Filled by the office at year end, approved by the leaders."),
        ctx.t("处理规定（公司办法第四条）：当月D级留任原职查看；累计两次D转为试用员工；累计三次D解聘或辞退；"
              "年度C级累计三次及以上给予适当惩处。",
              "Consequences (procedure §4): a D → kept under review; two D's in total → probation; three → dismissal; "
              "three or more C's in a year → penalty."),
    ]  # fmt: skip
    return new_spec(layout, ctx, 8, (0, header_row), (header_row + 1, 5), meta, instructions, landscape=True)


def annual_department_template(ctx: Context) -> FormSpec:
    """附件9 部门年度考核汇总表, blank."""
    columns = [("dept", T("部门", "Department"), 14)]
    columns += [(f"m{m}", label, 6) for m, label in enumerate(MONTHS, start=1)]
    columns += [("average", T("年度得分", "Annual score"), 8), ("rank", T("排名", "Rank"), 6),
                ("verdict", T("评定", "Verdict"), 12)]  # fmt: skip
    layout = Layout([5] + [w for _, _, w in columns])
    col = {key: i for i, (key, _, _) in enumerate(columns, start=1)}
    title_block(layout, ctx, 9)
    header_row = _header(layout, ctx, columns)
    rows = TEMPLATE_ROWS // 2
    for n in range(1, rows + 1):
        layout.text(0, str(n), "number")
        layout.field(f"d{n}.dept", col["dept"], text_check(T("部门", "Department")), f"{n} {ctx.t('部门', 'department')}",
                     style="input_text")  # fmt: skip
        for m in range(1, 13):
            layout.field(f"d{n}.m{m}", col[f"m{m}"], score_check(), f"{n} {MONTHS[m - 1](ctx.lang)}", style="input_number")
        months = Span(tuple(f"d{n}.m{m}" for m in range(1, 13)))
        layout.calc(f"d{n}.average", col["average"], Calc(rules.average, rules.average_formula, (months,)))
        layout.field(f"d{n}.verdict", col["verdict"], text_check(T("评定", "Verdict")), f"{n} {ctx.t('评定', 'verdict')}",
                     style="input_text")  # fmt: skip
        layout.next(20)
    averages = Span(tuple(f"d{n}.average" for n in range(1, rows + 1)))
    for n in range(1, rows + 1):
        # placed after every average exists: a rank compares them all
        layout.cells.append(_rank_cell(n, header_row + n, col["rank"], averages))
    signature_block(layout, ctx, OFFICE_SIGNERS)
    meta = meta_for(ctx, 9, "company", "", "", "")
    instructions = [
        ctx.t("年终由办公室填报各部门每月得分（以分管领导评定为准），经公司领导审批后反馈各部门。",
              "Filled by the office at year end with each month's department score (the leader's rating)."),
        ctx.t("年度得分为各月得分的平均值，排名按年度得分自动计算。",
              "The annual score is the average of the months; the rank follows from it."),
        ctx.t("年终根据各部门全年总体表现评选优秀部门；年终考评较差的部门，对部门负责人降职、降薪或解聘处理。",
              "At year end the best departments are named excellent; for poor ones the head may be demoted, "
              "have pay cut or be dismissed."),
    ]  # fmt: skip
    return new_spec(layout, ctx, 9, (0, header_row), (header_row + 1, 2), meta, instructions, landscape=True)


def _rank_cell(n: int, row: int, col: int, averages: Span) -> Computed:
    calc = Calc(rules.rank_of, rules.rank_of_formula, (Key(f"d{n}.average"), averages))
    return Computed(f"d{n}.rank", row, col, calc, "computed_int")
