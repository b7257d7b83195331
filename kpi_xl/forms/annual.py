"""附件8 员工年度考核汇总表 and 附件9 部门年度考核汇总表: blank, or filled from the ledger.

Counts of A/B/C/D, annual averages and department ranks are native formulas from the
rules; the consequences (seed 000 §四: D's and C's) and the picks are written as text in
unlocked cells, for the leaders to confirm or amend.
"""

from __future__ import annotations

import math
from typing import Any

from .. import rules
from .common import (
    ITEM_TEXT,
    Context,
    frame_rows,
    meta_for,
    new_spec,
    score_check,
    signature_block,
    text_check,
    title_block,
)
from .monthly import GRADE_LIST, OFFICE_SIGNERS, TEMPLATE_ROWS
from .spec import Calc, Chart, Computed, Ext, FormSpec, Key, Layout, Span, T, column_letter

MONTHS = [T(f"{m}月", f"M{m}") for m in range(1, 13)]
ACTION = T("处理意见", "Action")
VERDICT = T("评定", "Verdict")


def _header(layout: Layout, ctx: Context, columns: list[tuple[str, T, float]]) -> int:
    row = layout.row
    layout.text(0, ctx.t("序号", "No."), "header")
    for col, (_, label, _) in enumerate(columns, start=1):
        layout.text(col, label(ctx.lang), "header")
    layout.next(34)
    return row


def _value(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return None
    return value


EMPLOYEE_COLUMNS = [("department", T("部门", "Department"), 11), ("employee", T("工号", "ID"), 8),
                    ("name", T("姓名", "Name"), 8), ("kind", T("项目", "Row"), 6)]  # fmt: skip
EMPLOYEE_COLUMNS += [(f"m{m}", label, 6.5) for m, label in enumerate(MONTHS, start=1)]  # 104.50 fits
EMPLOYEE_COLUMNS += [(g, T(f"{g}次数", f"# {g}"), 5.5) for g in "ABCD"]
EMPLOYEE_COLUMNS += [("average", T("年均分", "Average"), 7), ("action", ACTION, 30)]
EMPLOYEE_COL = {key: i for i, (key, _, _) in enumerate(EMPLOYEE_COLUMNS, start=1)}


def annual_employee_sheet(ctx: Context, year: int | None = None, frame: Any | None = None) -> FormSpec:
    """附件8: a grade row and a score row per employee (`frame` None: a blank template)."""
    col = EMPLOYEE_COL
    layout = Layout([5] + [w for _, _, w in EMPLOYEE_COLUMNS])
    title_block(layout, ctx, 8, year)
    header_row = _header(layout, ctx, EMPLOYEE_COLUMNS)
    records = frame_rows(frame) if frame is not None else [None] * (TEMPLATE_ROWS // 2)
    # the same for every employee, worked out once (附件8 of 100,000 staff has 3.6 million cells)
    grade_label, score_label = ctx.t("等级", "Grade"), ctx.t("得分", "Score")
    action_check = text_check(ACTION, ITEM_TEXT if frame is None else 0)
    month_cols = [(m, f"g{m}", f"s{m}", col[f"m{m}"]) for m in range(1, 13)]
    for n, record in enumerate(records, start=1):
        pair = layout.row  # an employee's grade and score rows print on one page
        layout.text(0, str(n), "number")
        for key in ("department", "employee", "name"):
            label = EMPLOYEE_COLUMNS[col[key] - 1][1]
            if record is None:
                layout.field(f"p{n}.{key}", col[key], text_check(label), f"{n} {label(ctx.lang)}", style="input_text")
            else:
                layout.text(col[key], str(record[key]), "value_text")
        layout.text(col["kind"], grade_label, "label_center")
        prefix = f"p{n}."
        grades = Span(tuple(prefix + g for _, g, _, _ in month_cols))
        for (m, g, _, c), name in zip(month_cols, grades.names):
            if record is None:
                layout.field(name, c, GRADE_LIST, f"{n} {MONTHS[m - 1](ctx.lang)}", style="input_number")
            else:
                layout.fixed(name, c, _value(record[g]), "value")
        for letter in "ABCD":
            layout.calc(prefix + letter, col[letter], Calc(rules.grade_count, rules.grade_count_formula, (grades, letter)),
                        "computed_int")  # fmt: skip
        action = _value(record["action"]) if record else None
        layout.field(prefix + "action", col["action"], action_check, f"{n} {ACTION(ctx.lang)}", value=action,
                     style="input_text")  # fmt: skip
        layout.next(20)
        layout.text(col["kind"], score_label, "label_center")
        scores = Span(tuple(prefix + s for _, _, s, _ in month_cols))
        for (m, _, s, c), name in zip(month_cols, scores.names):
            if record is None:
                layout.field(name, c, score_check(200), f"{n} {MONTHS[m - 1](ctx.lang)}", style="input_number")
            else:
                layout.fixed(name, c, _value(record[s]), "value_score")
        layout.calc(f"p{n}.average", col["average"], Calc(rules.average, rules.average_formula, (scores,)))
        layout.next(20)
        layout.keep_together(pair)
    signature_block(layout, ctx, OFFICE_SIGNERS)
    meta = meta_for(ctx, 8, "company", str(year or ""), "", "")
    instructions = [
        ctx.t("年终由办公室填报，经公司领导审批后反馈各部门。", "Filled by the office at year end, approved by the leaders."),
        ctx.t("处理规定（公司办法第四条）：当月D级留任原职查看；累计两次D转为试用员工；累计三次D解聘或辞退；"
              "年度C级累计三次及以上给予适当惩处。月度考核结果作为年度优秀员工评选的重要参考。",
              "Consequences (procedure §4): a D → kept under review; two D's in total → probation; three → dismissal; "
              "three or more C's in a year → penalty. Monthly results inform the excellent-employee selection."),
    ]  # fmt: skip
    return new_spec(layout, ctx, 8, (0, header_row), (header_row + 1, 5), meta, instructions, landscape=True)


def annual_employee_template(ctx: Context) -> FormSpec:
    return annual_employee_sheet(ctx)


def annual_employee_book(ctx: Context, year: int, frame: Any) -> list[FormSpec]:
    """附件8 and a sheet counting the grades of each month, with a stacked chart."""
    main = annual_employee_sheet(ctx, year, frame)
    first = main.print_rows[1] + 1
    last = first + 2 * len(frame) - 1
    name = T("月度等级分布", "Grades by month")
    layout = Layout([10, 8, 8, 8, 8])
    layout.text(0, ctx.t(f"{year}年各月等级分布", f"Grades by month, {year}"), "title", 4)
    layout.next(30)
    for i, label in enumerate([T("月份", "Month"), T("A", "A"), T("B", "B"), T("C", "C"), T("D", "D")]):
        layout.text(i, label(ctx.lang), "header")
    layout.next(22)
    top = layout.row
    for m in range(1, 13):
        letter = column_letter(EMPLOYEE_COL[f"m{m}"])
        # blanks as "": a column of single letters is counted without a look at each one
        cells = Ext(f"'{main.sheet}'!${letter}${first + 1}:${letter}${last + 1}",
                    [g if isinstance(g, str) else "" for g in frame[f"g{m}"]] + [""] * len(frame))  # fmt: skip
        layout.text(0, MONTHS[m - 1](ctx.lang), "label_center")
        for j, grade in enumerate("ABCD", start=1):
            layout.calc(f"m{m}.{grade}", j, Calc(rules.grade_count, rules.grade_count_formula, (cells, grade)), "computed_int")
        layout.next(20)
    chart = Chart("column", name(ctx.lang), (top, 0, top + 11, 0),
                  tuple((g, (top, j, top + 11, j)) for j, g in enumerate("ABCD", start=1)), (1, 6), stacked=True)  # fmt: skip
    extra = FormSpec(form=8, version=1, lang=ctx.lang, title=name(ctx.lang), sheet=name(ctx.lang), widths=layout.widths,
                     cells=layout.cells, print_rows=(0, 0), freeze=(2, 0), heights=layout.heights, charts=[chart])  # fmt: skip
    return [main, extra]


DEPARTMENT_COLUMNS = [("department", T("部门", "Department"), 14)]
DEPARTMENT_COLUMNS += [(f"m{m}", label, 6) for m, label in enumerate(MONTHS, start=1)]
DEPARTMENT_COLUMNS += [("average", T("年度得分", "Annual score"), 8), ("rank", T("排名", "Rank"), 6), ("verdict", VERDICT, 14)]
DEPARTMENT_COL = {key: i for i, (key, _, _) in enumerate(DEPARTMENT_COLUMNS, start=1)}


def annual_department_sheet(ctx: Context, year: int | None = None, frame: Any | None = None) -> FormSpec:
    """附件9: each department's monthly scores, annual score, rank and verdict."""
    col = DEPARTMENT_COL
    layout = Layout([5] + [w for _, _, w in DEPARTMENT_COLUMNS])
    title_block(layout, ctx, 9, year)
    header_row = _header(layout, ctx, DEPARTMENT_COLUMNS)
    records = frame_rows(frame) if frame is not None else [None] * (TEMPLATE_ROWS // 2)
    for n, record in enumerate(records, start=1):
        layout.text(0, str(n), "number")
        if record is None:
            layout.field(f"d{n}.department", col["department"], text_check(T("部门", "Department")),
                         f"{n} {ctx.t('部门', 'department')}", style="input_text")  # fmt: skip
        else:
            layout.text(col["department"], record["department"], "value_text")
        for m in range(1, 13):
            if record is None:
                layout.field(f"d{n}.m{m}", col[f"m{m}"], score_check(), f"{n} {MONTHS[m - 1](ctx.lang)}", style="input_number")
            else:
                layout.fixed(f"d{n}.m{m}", col[f"m{m}"], _value(record[f"m{m}"]), "value_score")
        months = Span(tuple(f"d{n}.m{m}" for m in range(1, 13)))
        layout.calc(f"d{n}.average", col["average"], Calc(rules.average, rules.average_formula, (months,)))
        verdict = _value(record["verdict"]) if record else None
        layout.field(f"d{n}.verdict", col["verdict"], text_check(VERDICT), f"{n} {VERDICT(ctx.lang)}", value=verdict,
                     style="input_text")  # fmt: skip
        layout.next(20)
    averages = Span(tuple(f"d{n}.average" for n in range(1, len(records) + 1)))
    for n in range(1, len(records) + 1):
        # placed after every average exists: a rank compares them all
        calc = Calc(rules.rank_of, rules.rank_of_formula, (Key(f"d{n}.average"), averages))
        layout.cells.append(Computed(f"d{n}.rank", header_row + n, col["rank"], calc, "computed_int"))
    signature_block(layout, ctx, OFFICE_SIGNERS)
    charts = []
    if frame is not None and len(records):
        first, last = header_row + 1, header_row + len(records)
        charts.append(Chart("bar", ctx.t(f"{year}年部门年度得分", f"Department scores {year}"),
                            (first, col["department"], last, col["department"]),
                            ((ctx.t("年度得分", "Annual score"), (first, col["average"], last, col["average"])),),
                            (layout.row + 1, 1)))  # fmt: skip
    meta = meta_for(ctx, 9, "company", str(year or ""), "", "")
    instructions = [
        ctx.t("年终由办公室填报各部门每月得分（以分管领导评定为准），经公司领导审批后反馈各部门。",
              "Filled by the office at year end with each month's department score (the leader's rating)."),
        ctx.t("年度得分为各月得分的平均值，排名按年度得分自动计算。",
              "The annual score is the average of the months; the rank follows from it."),
        ctx.t("年终根据各部门全年总体表现评选优秀部门；年终考评较差的部门，对部门负责人降职、降薪或解聘处理。",
              "At year end the best departments are named excellent; for poor ones the head may be demoted, "
              "have pay cut or be dismissed."),
    ]  # fmt: skip
    spec = new_spec(layout, ctx, 9, (0, header_row), (header_row + 1, 2), meta, instructions, landscape=True)
    spec.charts.extend(charts)
    return spec


def annual_department_template(ctx: Context) -> FormSpec:
    return annual_department_sheet(ctx)
