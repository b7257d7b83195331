"""What every form shares: who it is for, the month, title, info line, signature block."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from ..calendar import Month
from ..policy import DEFAULT_POLICY, Policy
from ..roster import Person
from .spec import Check, FormSpec, Layout, T

FORM_NAMES = {
    1: T("员工月度工作计划表", "Employee monthly work plan"),
    2: T("部门月度工作计划表", "Department monthly work plan"),
    3: T("员工月度工作考核表", "Employee monthly appraisal"),
    4: T("部门月度互评表", "Department peer review"),
    5: T("部门月度自评表", "Department self-assessment"),
    6: T("高管月度考核表", "Executive monthly appraisal"),
    7: T("员工月度考核汇总表", "Monthly appraisal summary"),
    8: T("员工年度考核汇总表", "Annual employee summary"),
    9: T("部门年度考核汇总表", "Annual department summary"),
}
SHEET = T("考核表", "Form")

# The keys of the cells the engine, the office and the demo read from a filled form: they use
# these names, and a test holds that every key they read is declared by some form.
FINAL = "final"  # 附件3's final score (seed 000: the raters' weighted mean)
GRADE = "grade"


def frame_rows(frame: Any) -> list[dict[str, Any]]:
    """A frame's rows as dicts of plain Python values: DataFrame.to_dict("records") from its
    columns' lists, several times faster for a summary's 100,000 rows."""
    columns = list(frame.columns)
    return [dict(zip(columns, row)) for row in zip(*(frame[c].tolist() for c in columns))]


def total_key(rater: str) -> str:
    """A rater's total on 附件3/5–7: total.self, total.dept or total.leader."""
    return f"total.{rater}"


def attachment(form: int, lang: str) -> str:
    return f"附件{form}" if lang == "zh" else f"Form {form}"


def file_label(form: int, lang: str) -> str:
    """The start of a file name for form `form`: 附件7_员工月度考核汇总表, form7_monthly_appraisal_summary
    (no spaces: file names are typed, mailed and quoted in scripts)."""
    if lang == "zh":
        return f"{attachment(form, lang)}_{FORM_NAMES[form](lang)}"
    return f"form{form}_" + re.sub(r"[^a-z0-9]+", "_", FORM_NAMES[form](lang).lower()).strip("_")


# What a person is expected to type into a text cell, in Chinese characters: the row is made
# tall enough on screen and on paper (Excel never grows a row whose height is set).
FREE_TEXT = 120  # 完成情况, 意见, 说明, 事由, 备注: sentences
TARGET_TEXT = 50  # 工作目标/完成标准: a line or two
ITEM_TEXT = 30  # 工作事项, a plan's 备注: a short phrase (seed 000's plan: one line per item)


@dataclass(frozen=True)
class Context:
    """What a form is generated for, beyond the person: the month, language and policy.

    month None makes a blank template (workbook_templates/).
    """

    month: Month | None
    lang: str = "zh"
    policy: Policy = DEFAULT_POLICY

    def t(self, zh: str, en: str) -> str:
        return en if self.lang == "en" else zh


# -- input checks -----------------------------------------------------------------------------


@lru_cache(maxsize=256)
def text_check(lang_hint: T, planned: int = 0) -> Check:
    return Check("text", hint=lang_hint, planned=planned)


@lru_cache(maxsize=256)
def score_check(maximum: float = 100) -> Check:
    top = f"{maximum:g}"
    return Check("decimal", 0, maximum, hint=T(f"请填写0–{top}的分数", f"Enter a score from 0 to {top}"))


WEIGHT_CHECK = Check("decimal", 0, 100, hint=T("权重(%)，各项合计应为100", "Weight in %; the items must total 100"))


def bonus_check(maximum: float) -> Check:
    top = f"{maximum:g}"
    return Check("decimal", 0, maximum, hint=T(f"填写0–{top}的分值", f"Enter points from 0 to {top}"))


def date_check(ctx: Context) -> Check:
    return _date_check(ctx.month)


@lru_cache(maxsize=64)  # by month: hashing the whole Context (its policy) costs more than the check
def _date_check(month: Month | None) -> Check:
    if month is None:
        first, last = date(2000, 1, 1), date(2099, 12, 31)
    else:
        first, last = month.previous().first_day, month.next().last_day
    hint = T(f"日期，{first:%Y-%m-%d} 至 {last:%Y-%m-%d}", f"A date from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    return Check("date", first, last, hint=hint)


# -- shared blocks ----------------------------------------------------------------------------


def title_block(layout: Layout, ctx: Context, form: int, year: int | None = None) -> None:
    last = len(layout.widths) - 1
    layout.text(0, f"{attachment(form, ctx.lang)}  {FORM_NAMES[form](ctx.lang)}", "title", last)
    layout.next(34)
    if form in (8, 9):
        period = ctx.t("考核年度：", "Year: ") + (str(year) if year else ctx.t("      年", "____"))
    else:
        period = ctx.t("考核月份：", "Month: ") + (ctx.month.label(ctx.lang) if ctx.month else ctx.t("    年    月", "________"))
    layout.text(0, period, "subtitle", last, shows="month" if ctx.month and form not in (8, 9) else "")
    layout.next(20)
    dates = hand_in_line(ctx, form)
    if dates:  # where the person filling the form sees them, not only on the 说明 sheet
        layout.text(0, dates, "subtitle", last)
        layout.next(20)


# seed 000 §五: who hands in what by when, for each form
HAND_IN = {
    1: (("employee_plan", T("员工制定、交部门负责人审核", "plan, to the head")),),
    2: (("department_plan", T("部门负责人制定、交分管领导审定", "plan, to the leader")),),
    3: (("self_assessment", T("员工自评", "self-assessment")), ("department_assessment", T("部门考核", "department's scores")),
        ("leader_rating", T("分管领导评定", "leader's rating"))),
    4: (("department_assessment", T("交公司领导", "to the leaders")),),
    5: (("department_assessment", T("部门自评", "self-assessment")), ("leader_rating", T("分管领导评定", "leader's rating"))),
    6: (("self_assessment", T("自评", "self-assessment")), ("leader_rating", T("总经理评定", "general manager's rating"))),
    7: (("summary", T("报公司领导审批", "to the leaders for approval")),),
}
# a template has no month: the policy's days (seed 000 §五), in the month before, of, or after
HAND_IN_MONTH = {"department_plan": T("上月", "of the month before"), "employee_plan": T("上月", "of the month before"),
                 "self_assessment": T("当月", "of the month"), "department_assessment": T("次月", "of the month after"),
                 "leader_rating": T("次月", "of the month after"), "summary": T("次月", "of the month after")}


def _day(ctx: Context, key: str) -> str:
    day, month = getattr(ctx.policy.deadlines, key), HAND_IN_MONTH[key]
    if day >= 31:
        return ctx.t(f"{month.zh}底", f"the end {month.en}")
    return ctx.t(f"{month.zh}{day}日", f"day {day} {month.en}")


def hand_in_line(ctx: Context, form: int) -> str:
    """交表时间：员工自评 2026-12-31 前；部门考核 2027-01-05 前 … (the real dates of the month)."""
    steps = HAND_IN.get(form)
    if not steps:
        return ""
    deadlines = ctx.month.deadlines(ctx.policy.deadlines) if ctx.month else None
    parts = []
    for key, what in steps:
        when = f"{deadlines[key]:%Y-%m-%d}" if deadlines else _day(ctx, key)
        parts.append(ctx.t(f"{what.zh} {when} 前", f"{what.en} by {when}"))
    return ctx.t("交表时间：", "Hand in: ") + ctx.t("；", "; ").join(parts)


def info_line(layout: Layout, ctx: Context, pairs: list[tuple[T, str | None, str]]) -> None:
    """Label / value pairs spread over the columns by width, two rows if they do not fit;
    a template (no values) gets input cells instead. Roster text is written as text."""
    widths = layout.widths
    per_row = max(1, min(len(pairs), (len(widths) - 1) // 2))
    for start in range(0, len(pairs), per_row):
        row_pairs = pairs[start : start + per_row]
        for (label, value, key), (first, last) in zip(row_pairs, _share_columns(widths, len(row_pairs))):
            # a narrow first column (序号) cannot hold a label: let the label take two
            label_end = first + 1 if widths[first] < 9 and last - first >= 2 else first
            layout.text(first, label(ctx.lang) + ("：" if ctx.lang == "zh" else ":"), "info_label",
                        label_end if label_end > first else None)  # fmt: skip
            value_col = label_end + 1
            merge = last if last > value_col else None
            if value is None:
                layout.field(f"info.{key}", value_col, text_check(label), label(ctx.lang), last_col=merge)
            else:
                layout.text(value_col, value, "info_value", merge, shows=key)
        layout.next(24)


def _share_columns(widths: tuple[float, ...], parts: int) -> list[tuple[int, int]]:
    """Split the columns into `parts` runs of similar width, each at least two columns."""
    total = sum(widths)
    runs, first, used = [], 0, 0.0
    for part in range(parts):
        remaining_parts = parts - part - 1
        last = first + (2 if widths[first] < 9 else 1)  # a narrow 序号 column needs a partner
        target = total * (part + 1) / parts
        while last + 1 < len(widths) - 2 * remaining_parts and used + sum(widths[first : last + 1]) < target:
            last += 1
        if remaining_parts == 0:
            last = len(widths) - 1
        runs.append((first, last))
        used += sum(widths[first : last + 1])
        first = last + 1
    return runs


def signature_block(layout: Layout, ctx: Context, signers: list[T]) -> None:
    """被考核人/考核人/复核人 签字、日期: one row per signer, name and date to fill in."""
    first = layout.row - 1  # the line above stays with the signatures
    layout.next(10)
    last = len(layout.widths) - 1
    date_col = max(3, last - 1)
    for i, signer in enumerate(signers):
        layout.text(0, signer(ctx.lang) + ctx.t("签字", " signature"), "info_label", 1 if date_col > 2 else None)
        layout.field(f"sign.{i}.name", 2, text_check(T("签字", "Signature")), signer(ctx.lang) + ctx.t("签字", " signature"),
                     style="input_sign", last_col=date_col - 1 if date_col - 1 > 2 else None)  # fmt: skip
        layout.text(date_col, ctx.t("日期", "Date"), "info_label")
        layout.field(f"sign.{i}.date", date_col + 1, date_check(ctx), signer(ctx.lang) + ctx.t("日期", " date"),
                     style="input_date", last_col=last if last > date_col + 1 else None)  # fmt: skip
        layout.next(26)
    layout.keep_together(first)


def person_pairs(person: Person | None) -> list[tuple[T, str | None, str]]:
    return [
        (T("部门", "Department"), person.department if person else None, "department"),
        (T("姓名", "Name"), person.name if person else None, "name"),
        (T("工号", "ID"), person.id if person else None, "id"),
        (T("岗位", "Position"), person.position if person else None, "position"),
    ]


def department_pairs(department: str | None, head: Person | None) -> list[tuple[T, str | None, str]]:
    """附件2 and 附件5: the department and its head."""
    return [(T("部门", "Department"), department, "department"),
            (T("部门负责人", "Department head"), head.name if head else None, "head")]  # fmt: skip


def rater_pairs(rater: Person | None) -> list[tuple[T, str | None, str]]:
    """附件4: the head who rates, and their department."""
    return [(T("评价部门", "Rating department"), rater.department if rater else None, "department"),
            (T("评价人", "Rated by"), rater.name if rater else None, "name")]  # fmt: skip


def meta_for(ctx: Context, form: int, subject_kind: str, subject_id: str, name: str, department: str) -> dict[str, str]:
    return {
        "form": str(form),
        "month": str(ctx.month) if ctx.month else "",
        "subject_kind": subject_kind,
        "subject_id": subject_id,
        "subject_name": name,
        "department": department,
        "lang": ctx.lang,
        "policy": ctx.policy.name,
    }


def _day_zh(day: int) -> str:
    return "月底" if day >= 31 else f"{day}日"


def _day_en(day: int, preposition: str = "") -> str:
    """'the 28th', or 'month end' for 31 (a day past a month's end is its last day)."""
    if day >= 31:
        return "at month end" if preposition else "month end"
    suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{preposition} the {day}{suffix}".lstrip()


def deadline_lines(ctx: Context) -> list[str]:
    if ctx.month is None:
        days = ctx.policy.deadlines
        zh, en = _day_zh, _day_en
        if days.employee_plan == days.self_assessment:
            employees = (f"{zh(days.employee_plan)}员工制定计划并自评",
                         f"employees plan and assess themselves {en(days.employee_plan, 'at')}")
        else:
            employees = (f"{zh(days.employee_plan)}员工制定计划；{zh(days.self_assessment)}员工自评",
                         f"employees plan {en(days.employee_plan, 'on')} and assess themselves "
                         f"{en(days.self_assessment, 'on')}")
        return [ctx.t(f"时间安排（公司办法第五条）：每月{zh(days.department_plan)}部门负责人制定下月部门计划；{employees[0]}；"
                      f"次月{zh(days.department_assessment)}前部门完成考核；{zh(days.leader_rating)}前分管领导评定；"
                      f"{zh(days.summary)}前办公室汇总上报。",
                      f"Timeline (procedure §5): department plans {_day_en(days.department_plan, 'on')}; {employees[1]}; "
                      f"departments assess by {en(days.department_assessment)}, leaders rate by {en(days.leader_rating)}, "
                      f"the office reports by {en(days.summary)}.")]  # fmt: skip
    d = ctx.month.deadlines(ctx.policy.deadlines)
    return [
        ctx.t(f"部门月度工作计划：{d['department_plan']:%Y-%m-%d} 前由部门负责人制定，交分管领导审定。",
              f"Department plan: by {d['department_plan']:%Y-%m-%d}, by the head, approved by the leader."),
        ctx.t(f"员工月度工作计划：{d['employee_plan']:%Y-%m-%d} 前由员工制定，交部门负责人审核。",
              f"Employee plan: by {d['employee_plan']:%Y-%m-%d}, by the employee, checked by the head."),
        ctx.t(f"员工自评：{d['self_assessment']:%Y-%m-%d} 前填写完成情况和自评分。",
              f"Self-assessment: by {d['self_assessment']:%Y-%m-%d}."),
        ctx.t(f"部门考核、部门互评与自评：{d['department_assessment']:%Y-%m-%d} 前交分管领导。",
              f"Department scores, peer and self reviews: by {d['department_assessment']:%Y-%m-%d}."),
        ctx.t(f"分管领导评定：{d['leader_rating']:%Y-%m-%d} 前交办公室（以分管领导最终评定为准）。",
              f"Leader's final rating: by {d['leader_rating']:%Y-%m-%d} to the office (the leader's rating is final)."),
        ctx.t(f"办公室汇总（附件7）：{d['summary']:%Y-%m-%d} 前报公司领导审批。",
              f"Office summary (form 7): by {d['summary']:%Y-%m-%d}."),
    ]  # fmt: skip


def grade_lines(ctx: Context) -> list[str]:
    """The scheme's criteria and pay, as the 说明 sheets state them: seed 000's grade table,
    or with pay by score (seed 003, 004) the pay rule and the scheme's history rules."""
    if ctx.policy.pay.mode == "score":
        return _score_pay_lines(ctx) + _history_lines(ctx)
    g, pay = ctx.policy.grades, ctx.policy.pay
    q = ctx.policy.quota
    return [
        ctx.t(f"等级：A ≥ {g.A:g} 分，B ≥ {g.B:g} 分，C ≥ {g.C:g} 分，其余为 D。",
              f"Grades: A ≥ {g.A:g}, B ≥ {g.B:g}, C ≥ {g.C:g}, otherwise D."),
        ctx.t(f"绩效工资：A {pay.ratio.A:.0%} 另奖 {pay.bonus.A:.0%}，B {pay.ratio.B:.0%}，C {pay.ratio.C:.0%}，D {pay.ratio.D:.0%}；"
              f"A 等不超过员工总数的 {q.a_share:.0%}，各部门原则上不超过 {q.a_per_department} 人（以汇总表为准）。",
              f"Pay: A {pay.ratio.A:.0%} plus {pay.bonus.A:.0%} bonus, B {pay.ratio.B:.0%}, C {pay.ratio.C:.0%}, D {pay.ratio.D:.0%}; "
              f"A for at most {q.a_share:.0%} of staff and {q.a_per_department} per department (see the summary)."),
    ]  # fmt: skip


def _score_pay_lines(ctx: Context) -> list[str]:
    pay = ctx.policy.pay
    share = ctx.t(f"月应发工资的 {pay.base_share:.0%}", f"{pay.base_share:.0%} of the monthly pay")
    if not pay.fixed_base:
        base = ctx.t(f"考核工资标准为{share}", f"the base is {share}")
    elif pay.fixed_base_scorecards:
        names = "、".join(pay.fixed_base_scorecards)
        base = ctx.t(f"考核工资标准：{names}岗位 {pay.fixed_base:g} 元，其他人员为{share}",
                     f"the base is {pay.fixed_base:g} yuan for the {names} scorecard, {share} for everyone else")
    else:
        base = ctx.t(f"考核工资标准 {pay.fixed_base:g} 元", f"the base is {pay.fixed_base:g} yuan")
    example = pay.fixed_base or 1000
    return [ctx.t(f"绩效工资 = 考核工资标准 × 得分%（如 {example:g}×50% = {example * 0.5:g} 元），按分数计发，不按等级；{base}。",
                  f"Performance pay = base × score% (e.g. {example:g} × 50% = {example * 0.5:g}), by the score, "
                  f"not the grade; {base}.")]  # fmt: skip


def _history_lines(ctx: Context) -> list[str]:
    h = ctx.policy.history
    who = "、".join(h.ranked_scorecards) if h.rank_within == "scorecard" and h.ranked_scorecards else ""
    pool = ctx.t(f"（{who}岗位一起排名）" if who else "", f" ({who} scorecard ranked together)" if who else "")
    lines = []
    if h.low_score and h.low_score_months:
        lines.append(ctx.t(f"连续{h.low_score_months}次分数低于{h.low_score:g}分，淘汰。",
                           f"{h.low_score_months} scores in a row below {h.low_score:g}: eliminated."))
    if h.last_place_months:
        lines.append(ctx.t(f"连续{h.last_place_months}次分数倒数第一，淘汰{pool}。",
                           f"Last place {h.last_place_months} times in a row: eliminated{pool}."))
    if h.first_place_months:
        lines.append(ctx.t(f"连续{h.first_place_months}次分数名列第一，额外奖金{pool}。",
                           f"First place {h.first_place_months} times in a row: extra bonus{pool}."))
    if h.quarter_rewards:
        amounts = "、".join(f"{a:g}元" for a in h.quarter_rewards)
        lines.append(ctx.t(f"每季度三个月综合排名前{len(h.quarter_rewards)}名分别奖励{amounts}，名次并列的同时奖励{pool}。",
                           f"Each quarter the best {len(h.quarter_rewards)} by the three months' average earn "
                           f"{', '.join(f'{a:g}' for a in h.quarter_rewards)} yuan, ties sharing{pool}."))
    return lines


def new_spec(layout: Layout, ctx: Context, form: int, print_rows: tuple[int, int], freeze: tuple[int, int],
             meta: dict[str, str], instructions: list[str], landscape: bool = False) -> FormSpec:  # fmt: skip
    return FormSpec(
        form=form,
        version=FORM_VERSIONS[form],
        lang=ctx.lang,
        title=FORM_NAMES[form](ctx.lang),
        sheet=SHEET(ctx.lang),
        widths=layout.widths,
        cells=layout.cells,
        print_rows=print_rows,
        freeze=freeze,
        landscape=landscape,
        heights=layout.heights,
        meta=meta,
        instructions=instructions,
        requirements=layout.requirements,
        keep=layout.keep,
    )


# Bump a form's version whenever its inputs move: the collector refuses other versions.
# 2: the hand-in dates under the title (issue 13) moved every input of 附件1–7 down a row.
FORM_VERSIONS = {1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 1, 9: 1}
