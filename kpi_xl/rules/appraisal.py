"""How seed 000's forms add up: totals, an employee's score, the final rating.

These are rules like the others (a numpy function and its native formula), so the form,
the collector that re-checks a filled form, and the monthly summary compute the same.

The totals reduce over the last axis: a range of a form is one row of values, and many
forms of one layout (N rows) are totalled in one call.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._util.i18n import N_
from ..policy import DEFAULT_POLICY, Policy
from ._call import Call
from .combine import rater_mean, rater_mean_formula
from .formula import Operand, blank_guard, criterion_equals, literal, operand, text_literal
from .money import money


def _rows(v: np.ndarray) -> np.ndarray:
    return v.reshape(1) if v.ndim == 0 else v


def _sum(function: str, values: Any) -> Any:
    call = Call(function)
    v = _rows(call.number("values", values))
    return call.result(np.nansum(v, axis=-1))


def plain_sum(values: Any) -> Any:
    """SUM as Excel does it: blanks count as nothing, all blank gives 0."""
    return _sum("SUM", values)


def plain_sum_formula(cells: str) -> str:
    return f"SUM({cells})"


def subtotal_sum(values: Any) -> Any:
    """附件7's 合计 (for the leaders and finance): SUBTOTAL(9, …) adds like SUM but leaves out
    the department subtotals inside its range, so the overall total is one pass over the rows."""
    return _sum("SUBTOTAL", values)


def subtotal_sum_formula(cells: str) -> str:
    return f"SUBTOTAL(9,{cells})"


def headcount(values: Any) -> Any:
    """How many entries are filled in (工号s of a department block): SUBTOTAL(3, …), which
    like COUNTA counts text and numbers but leaves out nested subtotals."""
    call = Call("SUBTOTAL")
    v = _rows(call.label("values", values))
    return call.result(np.count_nonzero(v != "", axis=-1).astype(float))


def headcount_formula(cells: str) -> str:
    return f"SUBTOTAL(3,{cells})"


def filled_sum(values: Any) -> Any:
    """SUM that stays blank until something is entered (a weight total on a blank form)."""
    call = Call("SUM")
    v = _rows(call.number("values", values))
    return call.result(np.where(np.isnan(v).all(axis=-1), np.nan, np.nansum(v, axis=-1)))


def filled_sum_formula(cells: str) -> str:
    return f'IF(COUNT({cells})=0,"",SUM({cells}))'


def complete_sum(values: Any) -> Any:
    """The total of a column of scores, blank until every score is in."""
    call = Call("SUM")
    v = _rows(call.number("values", values))
    return call.result(v.sum(axis=-1))  # a blank (NaN) anywhere leaves the total blank


def complete_sum_formula(cells: str) -> str:
    # COUNT counts numbers only: a blank keeps the total blank, text makes it an error
    size = f"ROWS({cells})*COLUMNS({cells})"
    return f'IF(COUNTBLANK({cells})>0,"",IF(COUNT({cells})<{size},NA(),SUM({cells})))'


def weight_check(total: Any, ok: str, wrong: str, *, target: float = 100.0) -> Any:
    """`ok` when the plan weights total 100, else `wrong`; blank while there are none."""
    call = Call("WEIGHT_CHECK")
    t = call.number("total", total)
    out = np.where(np.abs(t - target) < 1e-9, ok, wrong).astype(object)
    out[np.isnan(t)] = ""
    return call.result(out.astype(str))


def weight_check_formula(total: Operand, ok: str, wrong: str, *, target: float = 100.0) -> str:
    t = operand(total)
    test = f"ABS({t}-{literal(target)})<1E-9"
    return blank_guard(f"IF({test},{text_literal(ok)},{text_literal(wrong)})", total)


def employee_total(
    work: Any, conduct: Any, bonus: Any, deduction: Any, kpi: Any = None, *, policy: Policy = DEFAULT_POLICY
) -> Any:
    """One rater's total on 附件3: work × 70% + 综合表现 × 30% (+ the position's KPI score ×
    its share) + bonus (capped) − deductions, floored at 0 and not capped (SPEC §3; shares
    and cap from the policy).

    Blank until every part with a share is in; a part with no share is not asked for.
    """
    call = Call("EMPLOYEE_TOTAL")
    s = policy.employee_score
    total: Any = 0.0
    for name, value, share in (("work", work, s.work_share), ("conduct", conduct, s.conduct_share),
                               ("kpi", kpi, s.kpi_share)):  # fmt: skip
        if share:
            total = total + call.number(name, value) * share
    b = np.nan_to_num(call.number("bonus", bonus))
    d = np.nan_to_num(call.number("deduction", deduction))
    call.check(b < 0, N_("bonus must not be negative (got {bonus})"), bonus=b)
    call.check(d < 0, N_("deduction must not be negative (got {deduction})"), deduction=d)
    total = total + np.minimum(b, s.bonus_cap) - d
    return call.result(np.maximum(0.0, total))


def employee_total_formula(
    work: Operand, conduct: Operand, bonus: Operand, deduction: Operand, kpi: Operand | None = None,
    *, policy: Policy = DEFAULT_POLICY,
) -> str:  # fmt: skip
    s = policy.employee_score
    parts = [(work, s.work_share), (conduct, s.conduct_share), (kpi, s.kpi_share)]
    used = [(value, share) for value, share in parts if share]
    terms = "+".join(f"{operand(value)}*{literal(share)}" for value, share in used)
    b, d = operand(bonus), operand(deduction)
    bonus = f"N({b})" if np.isinf(s.bonus_cap) else f"MIN(N({b}),{literal(s.bonus_cap)})"  # inf: no cap (seed 004)
    total = f"{terms}+{bonus}-N({d})"
    return blank_guard(f"MAX(0,{total})", *(value for value, _ in used))


def final_score(
    self_total: Any, department_total: Any, leader_total: Any, *, policy: Policy = DEFAULT_POLICY
) -> Any:
    """The score that is graded.

    final = "leader" (seed 000 §四(一)1, 以分管领导最终评定为准): the leader's total where
    given, the department's until then; the self-assessment alone is never final.
    final = "weighted": the three mixed by the policy's [rater_weights] (the one weighted
    mean of raters, as KPI_360), blank until every weighted one is in.
    """
    call = Call("FINAL_SCORE")
    own = call.number("self_total", self_total)
    dept = call.number("department_total", department_total)
    lead = call.number("leader_total", leader_total)
    if policy.employee_score.final == "leader":
        return call.result(np.where(np.isnan(lead), dept, lead))
    raters = (("self_total", own), ("department_total", dept), ("leader_total", lead))
    return call.result(rater_mean(call, raters, policy.rater_weights.as_tuple()))


def final_score_formula(
    self_total: Operand, department_total: Operand, leader_total: Operand,
    *, policy: Policy = DEFAULT_POLICY,
) -> str:  # fmt: skip
    if policy.employee_score.final == "leader":
        lead, dept = operand(leader_total), operand(department_total)
        # an empty cell referenced by IF would show 0: keep blank blank
        return f'IF({lead}<>"",{lead},IF({dept}<>"",{dept},""))'
    return rater_mean_formula((self_total, department_total, leader_total), policy.rater_weights.as_tuple())


def average(values: Any) -> Any:
    """AVERAGE of what is there; blank when nothing is (an annual average of filled months)."""
    call = Call("AVERAGE")
    v = _rows(call.number("values", values))
    count = (~np.isnan(v)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        return call.result(np.where(count > 0, np.nansum(v, axis=-1) / count, np.nan))


def average_formula(cells: str) -> str:
    return f'IF(COUNT({cells})=0,"",AVERAGE({cells}))'


def grade_count(grades: Any, letter: str) -> Any:
    """How many of `grades` are `letter` (seed 000 §四: D twice, C three times in a year…)."""
    call = Call("GRADE_COUNT")
    g = _rows(call.label("grades", grades, allowed=("A", "B", "C", "D")))
    return call.result(np.count_nonzero(g == letter, axis=-1).astype(float))


def grade_count_formula(cells: str, letter: str) -> str:
    return f"COUNTIF({cells},{criterion_equals(letter)})"


def rank_of(score: Any, scores: Any) -> Any:
    """Rank of `score` among `scores`, 1 = highest, equal scores share a rank (RANK)."""
    call = Call("RANK")
    s = call.number("score", score)
    pool = call.number("scores", scores)
    ranked = np.sort(pool[~np.isnan(pool)], axis=None)
    rank = 1.0 + ranked.size - np.searchsorted(ranked, s, side="right")
    return call.result(np.where(np.isnan(s), np.nan, rank))


def rank_of_formula(score: Operand, cells: str) -> str:
    s = operand(score)
    return blank_guard(f"RANK({s},{cells})", score)


def grade_count_where(grades: Any, letter: str, groups: Any, group: str) -> Any:
    """How many of `grades` are `letter` where `groups` equals `group` (a department's A's)."""
    call = Call("GRADE_COUNT")
    g = call.label("grades", grades, allowed=("A", "B", "C", "D"))
    by = call.label("groups", groups)
    return call.result(float(np.count_nonzero((g == letter) & (by == str(group).strip()))))


def grade_count_where_formula(cells: str, letter: str, group_cells: str, group: str) -> str:
    return f"COUNTIFS({group_cells},{criterion_equals(group)},{cells},{criterion_equals(letter)})"


def average_where(values: Any, groups: Any, group: str) -> Any:
    """AVERAGE of `values` where `groups` equals `group`; blank when there are none."""
    call = Call("AVERAGE")
    v = call.number("values", values)
    by = call.label("groups", groups)
    chosen = v[(by == str(group).strip()) & ~np.isnan(v)]
    return call.result(chosen.mean() if chosen.size else np.nan)


def average_where_formula(cells: str, group_cells: str, group: str) -> str:
    g = criterion_equals(group)
    return f'IF(COUNTIFS({group_cells},{g},{cells},"<>")=0,"",AVERAGEIF({group_cells},{g},{cells}))'


def within_limit(count: Any, limit: Any, ok: str, over: str) -> Any:
    """`ok` when count ≤ limit, else `over` (the A quota checks of 附件7)."""
    call = Call("WITHIN_LIMIT")
    c = call.number("count", count)
    top = call.number("limit", limit)
    return call.result(np.where(c <= top, ok, over))


def within_limit_formula(count: Operand, limit: Operand, ok: str, over: str) -> str:
    return f"IF({operand(count)}<={operand(limit)},{text_literal(ok)},{text_literal(over)})"


def scaled(value: Any, factor: Any, *, per: float = 1.0) -> Any:
    """value × factor / per: seed 003's 部门总分 = (职责30% + 计划30% + 客户评价20%) × 重关指标值,
    where 重关指标值 = 重关指标得分/100 (line 98: per = 100 when the score is typed)."""
    call = Call("SCALED")
    v = call.number("value", value)
    f = call.number("factor", factor)
    call.check(f < 0, N_("factor must not be negative (got {factor})"), factor=f)
    return call.result(v * f / per)


def scaled_formula(value: Operand, factor: Operand, *, per: float = 1.0) -> str:
    by = "" if per == 1 else f"/{literal(per)}"
    return blank_guard(f"{operand(value)}*{operand(factor)}{by}", value, factor)


def weighted_percent_sum(scores: Any, weights: Any) -> Any:
    """Σ score × weight% — each part rated on the 100-point scale, then weighted. seed 003
    line 96: 所有评分都以百分制为计算单位; 总分 = (部门职责30% + 部门计划30% + 客户评价20%) × …:
    100, 96, 100 → 30 + 28.8 + 20 = 78.8. Blank until every score is in."""
    call = Call("WEIGHTED_PERCENT_SUM")
    v = _rows(call.number("scores", scores))
    w = _rows(call.number("weights", weights))
    return call.result((v * w).sum(axis=-1) / 100)


def weighted_percent_sum_formula(scores: str, weights: str) -> str:
    size = f"ROWS({scores})*COLUMNS({scores})"
    return f'IF(COUNTBLANK({scores})>0,"",IF(COUNT({scores})<{size},NA(),SUMPRODUCT({scores},{weights})/100))'


def score_pay(score: Any, base: Any = None) -> Any:
    """Pay in proportion to the score, to the fen: seed 003 绩效工资 = 750 × 分数%
    (50 分 → 375). Without a base, the ratio paid (分数%, not rounded)."""
    call = Call("SCORE_PAY")
    s = call.number("score", score)
    ratio = np.maximum(s, 0.0) / 100
    if base is None:
        return call.result(ratio)
    b = call.number("base", base)
    call.check(b < 0, N_("base must not be negative (got {base})"), base=b)
    return call.result(money(b * ratio))


def score_pay_formula(score: Operand, base: Operand | None = None) -> str:
    ratio = f"MAX({operand(score)},0)/100"
    if base is None:
        return blank_guard(ratio, score)
    return blank_guard(f"ROUND({operand(base)}*{ratio},2)", score, base)


def zero_if_blank(value: Any) -> Any:
    """A count left blank means none (a deduction line with nothing to deduct)."""
    call = Call("N")
    v = call.number("value", value)
    return call.result(np.nan_to_num(v, nan=0.0))


def zero_if_blank_formula(value: Operand) -> str:
    return f"N({operand(value)})"


def occurrence_points(count: Any, per_item: Any, count2: Any = 0, per_item2: Any = 0) -> Any:
    """count × per_item (+ count2 × per_item2): seed 003 考勤 — 迟到早退 2 分/次, 请假 1 分/天."""
    call = Call("OCCURRENCES")
    c, p = call.number("count", count), call.number("per_item", per_item)
    c2, p2 = call.number("count2", count2), call.number("per_item2", per_item2)
    call.check((c < 0) | (c2 < 0), N_("counts must not be negative (got {count})"), count=np.minimum(c, c2))
    return call.result(c * p + c2 * p2)


def occurrence_points_formula(count: Operand, per_item: Operand, count2: Operand = 0, per_item2: Operand = 0) -> str:
    expression = f"{operand(count)}*{operand(per_item)}"
    if not (isinstance(count2, int | float) and count2 == 0):
        expression += f"+{operand(count2)}*{operand(per_item2)}"
    return blank_guard(expression, count, per_item, count2, per_item2)
