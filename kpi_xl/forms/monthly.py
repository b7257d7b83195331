"""附件7 员工月度考核汇总表: blank (a template) or filled from the month's results.

The office's summary (seed 000 §五(三)2): every employee's scores, the grade after the A
quota, the pay base, ratio, performance pay and bonus. Grades before the quota, pay,
counts, shares and quota checks are native formulas from the rules; the grade after the
quota is written as a value (it needs the tie decisions) in an unlocked cell, so that a
leaders' decision typed over it carries through to the pay.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .. import rules
from .common import (
    ITEM_TEXT,
    Context,
    frame_rows,
    grade_lines,
    meta_for,
    new_spec,
    score_check,
    signature_block,
    text_check,
    title_block,
)
from .spec import Calc, Chart, Check, Ext, FormSpec, Key, Layout, Span, T, column_letter

GRADE_LIST = Check("list", choices=("A", "B", "C", "D"), hint=T("A、B、C或D", "A, B, C or D"))
MONEY = Check("decimal", 0, 1_000_000, hint=T("金额（元）", "Amount in yuan"))
TEMPLATE_ROWS = 20
OFFICE_SIGNERS = [T("制表人（办公室）", "Prepared by (office)"), T("审核人", "Checked by"), T("批准人（公司领导）", "Approved by")]

COLUMNS = [
    ("department", T("部门", "Department"), 12), ("employee", T("工号", "ID"), 9), ("name", T("姓名", "Name"), 9),
    ("position", T("岗位", "Position"), 11), ("assessor", T("考核人", "Assessor"), 9),
    ("self", T("自评", "Self"), 7), ("dept", T("部门考核", "Dept."), 7),
    ("leader", T("分管领导评定", "Leader"), 8), ("final", T("最终得分", "Final score"), 8),
    ("grade_before", T("等级（初评）", "Grade (before quota)"), 10), ("grade", T("等级（核定）", "Grade (after quota)"), 10),
    ("base", T("考核工资标准", "Pay base"), 10), ("ratio", T("发放比例", "Pay ratio"), 8),
    ("pay", T("绩效工资", "Performance pay"), 10), ("bonus", T("奖励工资", "Bonus pay"), 9),
    ("remark", T("备注", "Remarks"), 30),
]  # fmt: skip
TEXT_COLUMNS = ("department", "employee", "name", "position", "assessor")
SCORE_COLUMNS = ("self", "dept", "leader", "final")
COL = {key: i for i, (key, _, _) in enumerate(COLUMNS, start=1)}
FIRST_ROW = 4  # title, month, hand-in date, header: data from the 5th row


def _value(frame_value: Any) -> Any:
    if frame_value is None or (isinstance(frame_value, float) and math.isnan(frame_value)):
        return None
    return frame_value


def monthly_summary_sheet(ctx: Context, staff: Any | None = None) -> FormSpec:
    """The main sheet; `staff` is the engine's table (None: a blank template)."""
    layout = Layout([5] + [w for _, _, w in COLUMNS])
    title_block(layout, ctx, 7)
    header_row = layout.row
    layout.text(0, ctx.t("序号", "No."), "header")
    for col, (_, label, _) in enumerate(COLUMNS, start=1):
        layout.text(col, label(ctx.lang), "header")
    layout.next(34)
    if layout.row != FIRST_ROW:
        raise RuntimeError("the summary sheets refer to the data rows by position: the layout moved them")
    options = (("policy", ctx.policy),)
    records = frame_rows(staff) if staff is not None else [None] * TEMPLATE_ROWS
    first_row, block = layout.row, (layout.row, 1)  # where the current department starts, its first n
    for n, record in enumerate(records, start=1):
        layout.text(0, str(n), "number")
        for key in TEXT_COLUMNS:
            label = COLUMNS[COL[key] - 1][1]
            if record is None:
                layout.field(f"r{n}.{key}", COL[key], text_check(label), f"{n} {label(ctx.lang)}", style="input_text")
            else:
                layout.text(COL[key], str(record[key]), "value_text")
        for key in SCORE_COLUMNS:
            label = COLUMNS[COL[key] - 1][1]
            if record is None:
                layout.field(f"r{n}.{key}", COL[key], score_check(200), f"{n} {label(ctx.lang)}", style="input_number")
            else:
                layout.fixed(f"r{n}.{key}", COL[key], _value(record[key]), "value_score")
        layout.calc(f"r{n}.grade_before", COL["grade_before"],
                    Calc(rules.kpi_grade, rules.kpi_grade_formula, (Key(f"r{n}.final"),), options), "computed_text")  # fmt: skip
        grade = _value(record["grade"]) if record else None
        layout.field(f"r{n}.grade", COL["grade"], GRADE_LIST, f"{n} {ctx.t('等级（核定）', 'grade')}",
                     value=grade or None, style="input_number")  # fmt: skip
        if record is None:
            layout.field(f"r{n}.base", COL["base"], MONEY, f"{n} {ctx.t('考核工资标准', 'pay base')}", style="input_number")
        else:
            layout.fixed(f"r{n}.base", COL["base"], _value(record["base"]), "money")
        for key, calc, style in pay_calcs(ctx, f"r{n}.final", f"r{n}.grade", f"r{n}.base"):
            layout.calc(f"r{n}.{key}", COL[key], calc, style)
        layout.field(f"r{n}.remark", COL["remark"], text_check(T("备注", "Remarks"), ITEM_TEXT if record is None else 0), f"{n} {ctx.t('备注', 'remarks')}",
                     value=(record["remark"] or None) if record else None, style="input_text")  # fmt: skip
        layout.next(20)
        ending = record is not None and (n == len(records) or records[n]["department"] != record["department"])
        if ending:  # the department's block is complete: its subtotal line
            _total_line(layout, ctx, f"{record['department']} {ctx.t('小计', 'subtotal')}", f"d{n}", block[0], records[block[1] - 1 : n])
            block = (layout.row, n + 1)
    _total_line(layout, ctx, ctx.t("合计", "Total"), "total", first_row, [r for r in records if r is not None] if staff is not None else None)
    signature_block(layout, ctx, OFFICE_SIGNERS)
    meta = meta_for(ctx, 7, "company", "", "", "")
    instructions = [
        ctx.t("办公室根据分管领导评定结果填写本表，于次月10日前报公司领导审批，审批后反馈各部门并函告财务部。",
              "The office fills this in from the leaders' ratings and submits it by the 10th; after approval "
              "it goes to the departments and to finance."),
        ctx.t("“等级（核定）”为执行A等名额后的等级；公司领导对并列等情况作出决定后可直接修改，绩效工资和奖励工资随之自动计算。",
              "'Grade (after quota)' applies the A quota; where the leaders decide a tie, type the grade over it "
              "and the pay follows."),
        *grade_lines(ctx),
    ]  # fmt: skip
    return new_spec(layout, ctx, 7, (0, header_row), (header_row + 1, 4), meta, instructions, landscape=True)


TOTALLED = ("base", "pay", "bonus")


def _total_line(layout: Layout, ctx: Context, label: str, key: str, first: int, records: list[Any] | None) -> None:
    """A 小计 or 合计 line under rows `first`…the row above (seed 000 §五(三)2: the summary goes to
    the leaders and to finance): headcount and the sums of 考核工资标准, 绩效工资, 奖励工资.
    SUBTOTAL leaves the department subtotals out of the overall total, so each line is one pass
    over its own rows. `records`: the engine's rows, for the cached values (None: a template)."""
    last = layout.row - 1
    layout.text(COL["department"], label, "total_label", COL["employee"])

    def column(name: str, values: list[Any] | None, cells: str) -> Ext | Span:
        letter = column_letter(COL[name])
        if values is None:  # a template: the typed cells themselves
            return Span(tuple(f"r{n}.{cells}" for n in range(1, TEMPLATE_ROWS + 1)))
        return Ext(f"{letter}{first + 1}:{letter}{last + 1}", values)

    ids = column("employee", [r["employee"] for r in records] if records is not None else None, "employee")
    layout.calc(f"{key}.people", COL["name"], Calc(rules.headcount, rules.headcount_formula, (ids,)), "computed_people")
    for name in TOTALLED:
        values = column(name, [_value(r[name]) for r in records] if records is not None else None, name)
        layout.calc(f"{key}.{name}", COL[name], Calc(rules.subtotal_sum, rules.subtotal_sum_formula, (values,)), "computed_money")
    layout.next(22)


def pay_calcs(ctx: Context, final: str, grade: str, base: str) -> list[tuple[str, Calc, str]]:
    """发放比例, 绩效工资 and 奖励工资 as formulas: by the grade (seed 000) or by the score
    (seed 003: 750 × 分数%), as the policy says."""
    options = (("policy", ctx.policy),)
    ratio = Calc(rules.performance_pay, rules.performance_pay_formula, (Key(grade), Key(final)), options)
    pay = Calc(rules.performance_pay, rules.performance_pay_formula, (Key(grade), Key(final), Key(base)), options)
    bonus = Calc(rules.grade_pay, rules.grade_pay_formula, (Key(grade), Key(base)), (("part", "bonus"), *options))
    return [("ratio", ratio, "computed_pct"), ("pay", pay, "computed_money"), ("bonus", bonus, "computed_money")]


def monthly_summary_template(ctx: Context) -> FormSpec:
    return monthly_summary_sheet(ctx, None)


# -- the extra sheets of a filled summary -------------------------------------------------------


def _column(main: FormSpec, key: str, rows: int) -> str:
    """An absolute range of one column of the main sheet's data rows (the department
    subtotal lines among them hold no grade, score or department name of their own)."""
    letter = column_letter(COL[key])
    last = main.position(f"r{rows}.grade")[0]
    return f"'{main.sheet}'!${letter}${FIRST_ROW + 1}:${letter}${last + 1}"


def _blocks(staff: Any) -> dict[str, tuple[int, int] | None]:
    """Each department's rows (first and last n, from 1) when they are one run, as the
    engine lists them; None for a department whose rows are scattered."""
    blocks: dict[str, tuple[int, int] | None] = {}
    previous = None
    for n, department in enumerate(staff["department"], start=1):
        if department != previous:
            blocks[department] = None if department in blocks else (n, n)
        elif blocks[department] is not None:
            blocks[department] = (blocks[department][0], n)  # type: ignore[index]
        previous = department
    return blocks


class _Department:
    """Where each department's rows are: a check or count over them reads its own rows
    only, so the sheet's work grows with the staff, not with departments × staff."""

    def __init__(self, main: FormSpec, staff: Any, whole: dict[str, Ext]):
        self.main, self.staff, self.whole = main, staff, whole
        self.blocks = _blocks(staff)

    def count(self, department: str, column: str, letter: str) -> Calc:
        block = self.blocks.get(department)
        if block is None:  # scattered rows: the whole column, by name
            return Calc(rules.grade_count_where, rules.grade_count_where_formula,
                        (self.whole[column], letter, self.whole["department"], department))  # fmt: skip
        return Calc(rules.grade_count, rules.grade_count_formula, (self._range(column, block), letter))

    def average(self, department: str) -> Calc:
        block = self.blocks.get(department)
        if block is None:
            return Calc(rules.average_where, rules.average_where_formula, (self.whole["final"], self.whole["department"], department))
        return Calc(rules.average, rules.average_formula, (self._range("final", block),))

    def _range(self, column: str, block: tuple[int, int]) -> Ext:
        first, last = block
        letter = column_letter(COL[column])
        top, bottom = self.main.position(f"r{first}.grade")[0] + 1, self.main.position(f"r{last}.grade")[0] + 1
        return Ext(f"'{self.main.sheet}'!${letter}${top}:${letter}${bottom}", list(self.staff[column].iloc[first - 1 : last]))


def monthly_summary_book(ctx: Context, result: Any) -> list[FormSpec]:
    """附件7 with its distribution (and chart), calibration, departments, executives, appeals."""
    staff = result.staff
    main = monthly_summary_sheet(ctx, staff)
    n = len(staff)
    whole = {key: Ext(_column(main, key, n), list(staff[key])) for key in ("grade", "department", "final")}
    departments = _Department(main, staff, whole)
    return [
        main,
        _distribution(ctx, whole["grade"], departments, staff, result),
        _calibration(ctx, departments, staff),
        _departments_sheet(ctx, result.departments),
        _executives_sheet(ctx, result.executives),
        _appeals_sheet(ctx, result.appeals),
    ]


def _sheet(ctx: Context, name: T, widths: list[float], title: str) -> Layout:
    layout = Layout(widths)
    layout.text(0, title, "title", len(widths) - 1)
    layout.next(30)
    return layout


def _extra(ctx: Context, layout: Layout, name: T, charts: list[Chart] | None = None) -> FormSpec:
    spec = FormSpec(form=7, version=1, lang=ctx.lang, title=name(ctx.lang), sheet=name(ctx.lang), widths=layout.widths,
                    cells=layout.cells, print_rows=(0, 0), freeze=(1, 0), landscape=False, heights=layout.heights,
                    charts=charts or [])  # fmt: skip
    return spec


def _headers(layout: Layout, ctx: Context, labels: list[T]) -> None:
    for col, label in enumerate(labels):
        layout.text(col, label(ctx.lang), "header")
    layout.next(28)


def _distribution(ctx: Context, grades: Ext, departments: _Department, staff: Any, result: Any) -> FormSpec:
    name = T("等级分布", "Grades")
    layout = _sheet(ctx, name, [16, 12, 12, 14], ctx.t(f"{result.month} 等级分布与A等名额检查", f"{result.month} grades and the A quota"))
    _headers(layout, ctx, [T("等级", "Grade"), T("人数", "People"), T("占比", "Share")])
    first = layout.row
    layout.text(0, ctx.t("员工总数", "Staff"), "label")
    layout.fixed("staff", 1, len(staff), "value")
    layout.next(20)
    for letter in "ABCD":
        layout.text(0, letter, "label_center")
        layout.calc(f"count.{letter}", 1, Calc(rules.grade_count, rules.grade_count_formula, (grades, letter)), "computed_int")
        layout.calc(f"share.{letter}", 2, Calc(rules.kpi_ratio, rules.kpi_ratio_formula, (Key(f"count.{letter}"), Key("staff"))),
                    "computed_pct")  # fmt: skip
        layout.next(20)
    chart = Chart("column", ctx.t("等级分布（核定后）", "Grades after the quota"),
                  (first + 1, 0, first + 4, 0), ((ctx.t("人数", "People"), (first + 1, 1, first + 4, 1)),), (first, 5))  # fmt: skip
    layout.next(10)
    layout.text(0, ctx.t("A等名额检查", "A quota check"), "section", 3)
    layout.next(22)
    _headers(layout, ctx, [T("范围", "Scope"), T("A等人数", "A's"), T("上限", "Limit"), T("检查", "Check")])
    layout.text(0, ctx.t("全公司", "Company"), "label")
    layout.calc("company.count", 1, Calc(rules.grade_count, rules.grade_count_formula, (grades, "A")), "computed_int")
    layout.calc("company.cap", 2, Calc(rules.a_quota_cap, rules.a_quota_cap_formula, (Key("staff"),), (("policy", ctx.policy),)),
                "computed_int")  # fmt: skip
    layout.calc("company.check", 3, _within("company.count", "company.cap", ctx), "computed_text")
    layout.next(20)
    for i, department in enumerate(dict.fromkeys(staff["department"])):
        layout.text(0, department, "label")
        layout.calc(f"dept{i}.count", 1, departments.count(department, "grade", "A"), "computed_int")
        layout.fixed(f"dept{i}.cap", 2, ctx.policy.quota.a_per_department, "value")
        layout.calc(f"dept{i}.check", 3, _within(f"dept{i}.count", f"dept{i}.cap", ctx), "computed_text")
        layout.next(20)
    _escalations(layout, ctx, staff)
    return _extra(ctx, layout, name, [chart])


def _escalations(layout: Layout, ctx: Context, staff: Any) -> None:
    """seed 000 line 26 (考核过程中): what this month's D (or the year's third C) brings, in
    the month it falls — 留任原职查看, then 转为试用员工, then 解聘或辞退."""
    layout.next(10)
    layout.text(0, ctx.t("D等及累计处理（当月执行）", "D grades and what they bring (this month)"), "section", 3)
    layout.next(22)
    _headers(layout, ctx, [T("姓名（工号）", "Name (ID)"), T("部门", "Department"), T("等级（核定）", "Grade"), T("处理", "Action")])
    due = [r for r in frame_rows(staff) if r.get("escalation")]
    for record in due:
        layout.text(0, f"{record['name']}（{record['employee']}）", "label")
        layout.text(1, record["department"], "label")
        layout.text(2, record["grade"] or "", "label_center")
        layout.text(3, record["escalation"], "value_text")
        layout.next(30)
    if not due:
        layout.text(0, ctx.t("本月无D等处理。", "No D grades to act on this month."), "note", 3)
        layout.next(20)


def _within(count: str, cap: str, ctx: Context) -> Calc:
    ok, over = ctx.t("符合", "within"), ctx.t("超出", "over")
    return Calc(rules.within_limit, rules.within_limit_formula, (Key(count), Key(cap), ok, over))


def _calibration(ctx: Context, departments: _Department, staff: Any) -> FormSpec:
    name = T("校准", "Calibration")
    layout = _sheet(ctx, name, [16, 8, 7, 7, 7, 7, 10, 12], ctx.t("等级分布校准：按部门（核定后）与按考核人（初评）",
                                                                   "Calibration: by department (after quota) and by assessor (before)"))  # fmt: skip
    # by department, after the quota (a grade the leaders type over counts), against the limit
    _headers(layout, ctx, _group_headers(T("部门", "Department"), T("A等名额", "A limit")))
    people = Counter(staff["department"])
    for i, department in enumerate(departments.blocks):
        layout.text(0, department, "label")
        layout.fixed(f"d{i}.people", 1, people[department], "value")
        for j, letter in enumerate("ABCD", start=2):
            layout.calc(f"d{i}.{letter}", j, departments.count(department, "grade", letter), "computed_int")
        layout.calc(f"d{i}.avg", 6, departments.average(department))
        layout.fixed(f"d{i}.limit", 7, ctx.policy.quota.a_per_department, "value")
        layout.next(20)
    layout.next(10)
    # by assessor (工号: two heads of one name stay apart), before the quota: who grades
    # generously. The grades before the quota follow from the locked final scores, so these
    # counts are values, as summarised.
    _headers(layout, ctx, _group_headers(T("考核人", "Assessor"), T("初评A占比", "A share before")))
    assessed = staff[staff["assessor_id"] != ""]
    before, finals = assessed["grade_before"].to_numpy(), assessed["final"].to_numpy()
    for i, (assessor, rows) in enumerate(assessed.groupby("assessor_id", sort=False).indices.items()):
        layout.text(0, f"{assessed['assessor'].iloc[rows[0]]}（{assessor}）", "label")
        layout.fixed(f"a{i}.people", 1, len(rows), "value")
        for j, letter in enumerate("ABCD", start=2):
            layout.fixed(f"a{i}.{letter}", j, int(rules.grade_count(list(before[rows]), letter)), "value")
        layout.fixed(f"a{i}.avg", 6, _value(rules.average(finals[rows])), "value_score")
        layout.calc(f"a{i}.share", 7, Calc(rules.kpi_ratio, rules.kpi_ratio_formula, (Key(f"a{i}.A"), Key(f"a{i}.people"))),
                    "computed_pct")  # fmt: skip
        layout.next(20)
    return _extra(ctx, layout, name)


def _group_headers(title: T, last: T) -> list[T]:
    return [title, T("人数", "People"), T("A", "A"), T("B", "B"), T("C", "C"), T("D", "D"), T("平均分", "Average"), last]


def _departments_sheet(ctx: Context, frame: Any) -> FormSpec:
    name = T("部门考核", "Departments")
    layout = _sheet(ctx, name, [16, 12, 8, 12, 14, 30], ctx.t("部门月度考核（以分管领导评定为准，互评为参考）",
                                                             "Department scores (the leader's rating is final; peer review for reference)"))  # fmt: skip
    _headers(layout, ctx, [T("部门", "Department"), T("互评平均", "Peer average"), T("互评份数", "Reviews"),
                           T("部门自评", "Self"), T("分管领导评定", "Leader (final)"), T("备注", "Remarks")])  # fmt: skip
    for record in frame_rows(frame):
        layout.text(0, record["department"], "label")
        layout.fixed(f"{record['department']}.peer", 1, _value(record["peer"]), "value_score")
        layout.fixed(f"{record['department']}.reviews", 2, record["peer_count"], "value")
        layout.fixed(f"{record['department']}.self", 3, _value(record["self"]), "value_score")
        layout.fixed(f"{record['department']}.final", 4, _value(record["final"]), "value_score")
        layout.text(5, record["remark"], "value_text")
        layout.next(20)
    return _extra(ctx, layout, name)


def _executives_sheet(ctx: Context, frame: Any) -> FormSpec:
    name = T("高管", "Executives")
    layout = _sheet(ctx, name, [10, 10, 12, 8, 10, 8, 10, 8, 10, 10, 24], ctx.t("高管月度考核（以总经理评定为准）",
                                                                               "Executives (the general manager's rating is final)"))  # fmt: skip
    _headers(layout, ctx, [T("工号", "ID"), T("姓名", "Name"), T("职务", "Position"), T("自评", "Self"),
                           T("总经理评定", "GM"), T("等级", "Grade"), T("考核工资标准", "Pay base"),
                           T("发放比例", "Ratio"), T("绩效工资", "Pay"), T("奖励工资", "Bonus"), T("备注", "Remarks")])  # fmt: skip
    options = (("policy", ctx.policy),)
    for i, record in enumerate(frame_rows(frame)):
        layout.text(0, record["employee"], "value_text")
        layout.text(1, record["name"], "value_text")
        layout.text(2, record["position"], "value_text")
        layout.fixed(f"e{i}.self", 3, _value(record["self"]), "value_score")
        layout.fixed(f"e{i}.gm", 4, _value(record["gm"]), "value_score")
        layout.calc(f"e{i}.grade", 5, Calc(rules.kpi_grade, rules.kpi_grade_formula, (Key(f"e{i}.gm"),), options), "computed_text")
        layout.fixed(f"e{i}.base", 6, _value(record["base"]), "money")
        for col, (key, calc, style) in enumerate(pay_calcs(ctx, f"e{i}.gm", f"e{i}.grade", f"e{i}.base"), start=7):
            layout.calc(f"e{i}.{key}", col, calc, style)
        layout.text(10, record["remark"], "value_text")
        layout.next(20)
    return _extra(ctx, layout, name)


def _appeals_sheet(ctx: Context, appeals: list[Any]) -> FormSpec:
    name = T("申诉更正", "Appeals")
    layout = _sheet(ctx, name, [10, 10, 10, 12, 12, 18, 44], ctx.t("申诉更正记录（原值保留）", "Corrections on appeal (old values kept)"))
    _headers(layout, ctx, [T("工号", "ID"), T("原得分", "Old score"), T("更正为", "New score"), T("更正人", "By"),
                           T("申诉日期", "Appealed on"), T("登记时间", "Recorded"), T("理由", "Reason")])  # fmt: skip
    for i, appeal in enumerate(appeals):
        layout.text(0, appeal.employee, "value_text")
        layout.fixed(f"p{i}.old", 1, appeal.old_score, "value_score")
        layout.fixed(f"p{i}.new", 2, appeal.new_score, "value_score")
        layout.text(3, appeal.by, "value_text")
        layout.text(4, appeal.day, "value_text")
        layout.text(5, appeal.at.replace("T", " "), "value_text")
        layout.text(6, appeal.reason, "value_text")
        layout.next(20)
    if not appeals:
        layout.text(0, ctx.t("本月无申诉更正。", "No corrections this month."), "note", 6)
    return _extra(ctx, layout, name)
