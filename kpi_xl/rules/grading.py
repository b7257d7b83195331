"""Grades, pay by grade and the A quota (seed 000 §四(一))."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from .._util.i18n import N_, _
from ..policy import DEFAULT_POLICY, GRADES, Policy
from ._call import Call
from .appraisal import score_pay, score_pay_formula
from .formula import Operand, blank_guard, literal, nested_if, operand, text_literal
from .money import money

# -- KPI_GRADE --------------------------------------------------------------------------------


def kpi_grade(score: Any, *, policy: Policy = DEFAULT_POLICY) -> Any:
    """Grade letter for a final score by the policy cut-offs (default A ≥ 90, B ≥ 80,
    C ≥ 60, else D). KPI_GRADE(85) = "B"."""
    call = Call("KPI_GRADE")
    s = call.number("score", score)
    # how many cut-offs the score reaches picks the letter: 0 → D … 3 → A
    reached = np.zeros(s.shape, dtype=np.int8)
    for _letter, cutoff in policy.cutoffs():
        reached += s >= cutoff
    letters = np.array(["D", "C", "B", "A", ""], dtype="U1")
    reached[np.isnan(s)] = 4
    return call.result(letters[reached])


def kpi_grade_formula(score: Operand, *, policy: Policy = DEFAULT_POLICY) -> str:
    s = operand(score)
    branches = [(f"{s}>={literal(cut)}", text_literal(g)) for g, cut in policy.cutoffs()]
    # text where a score belongs is an error, as in Python, not an A
    graded = f"IF(ISNUMBER({s}),{nested_if(branches, text_literal('D'))},NA())"
    return blank_guard(graded, score)


# -- GRADE_PAY --------------------------------------------------------------------------------


PAY_PARTS = ("total", "ratio", "bonus")


def _pay_share(policy: Policy, letter: str, part: str) -> float:
    if part == "ratio":
        return policy.pay.ratio[letter]  # 绩效工资 发放比例
    if part == "bonus":
        return policy.pay.bonus[letter]  # 奖励工资 (A: 10% of the base)
    return policy.pay.total_ratio(letter)


_NO_BASE = object()


def grade_pay(
    grade: Any, base: Any = _NO_BASE, *, part: str = "total", policy: Policy = DEFAULT_POLICY
) -> Any:
    """Pay ratio for a grade, bonus included (A 1.1, B 1, C 0.7, D 0), or that share of
    `base` (考核工资标准). GRADE_PAY("A") = 1.1; GRADE_PAY("C", 800) = 560.

    part="ratio" gives the 发放比例 without the bonus, part="bonus" the bonus alone.
    Without `base` the ratio comes back; a blank base (None) gives a blank amount.
    """
    call = Call("GRADE_PAY")
    if part not in PAY_PARTS:
        call.fail(_("part must be one of {allowed} (got {value})").format(allowed=", ".join(PAY_PARTS), value=repr(part)))
    g = call.label("grade", grade, allowed=GRADES)
    # a table indexed by the letter's code point; "" (code 0) is blank
    ratio_of = np.full(128, np.nan)
    for letter in GRADES:
        ratio_of[ord(letter)] = _pay_share(policy, letter, part)
    ratio = ratio_of[g.view(np.uint32)].reshape(g.shape)
    if base is _NO_BASE:
        return call.result(ratio)
    b = call.number("base", base)
    call.check(b < 0, N_("base must not be negative (got {base})"), base=b)
    return call.result(money(b * ratio))  # an amount: to the fen


def grade_pay_formula(
    grade: Operand, base: Operand | None = None, *, part: str = "total", policy: Policy = DEFAULT_POLICY
) -> str:
    g = operand(grade)
    branches = [(f"{g}={text_literal(x)}", literal(_pay_share(policy, x, part))) for x in GRADES]
    ratio = nested_if(branches, "NA()")
    if base is None:
        return blank_guard(ratio, grade)
    return blank_guard(f"ROUND({operand(base)}*{ratio},2)", grade, base)


def performance_pay(grade: Any, score: Any, base: Any = _NO_BASE, *, policy: Policy = DEFAULT_POLICY) -> Any:
    """绩效工资 as the policy's pay mode says: "grade" pays `base` × the grade's 发放比例
    (seed 000 §四(一)2: A and B 100%, C 70%, D nothing), "score" pays `base` × score%
    (seed 003: 750 × 分数%). Without `base`, the share itself (发放比例). The bonus for a
    grade (奖励工资) is apart: grade_pay(part="bonus")."""
    if policy.pay.mode == "score":
        return score_pay(score, None if base is _NO_BASE else base)
    return grade_pay(grade, base, part="ratio", policy=policy)


def performance_pay_formula(
    grade: Operand, score: Operand, base: Operand | None = None, *, policy: Policy = DEFAULT_POLICY
) -> str:
    """`performance_pay` as a native formula."""
    if policy.pay.mode == "score":
        return score_pay_formula(score, base)
    return grade_pay_formula(grade, base, part="ratio", policy=policy)


# -- KPI_QUOTA --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaChange:
    """One A turned into B by the quota."""

    position: int  # index into the flattened inputs
    rule: Literal["department", "company"]
    # True when the person would have kept the A but for an equal score at the boundary:
    # seed 000 gives no tie-break, so none is invented; a person decides.
    tie: bool
    limit: int


@dataclass(frozen=True)
class QuotaOutcome:
    grades: np.ndarray  # letters ("" for blank), same shape as the input grades
    changes: tuple[QuotaChange, ...]
    cap: int  # how many A's the whole company may have
    staff: int  # how many graded people the cap was counted from

    @property
    def ties(self) -> tuple[QuotaChange, ...]:
        return tuple(change for change in self.changes if change.tie)


def a_quota_cap(staff: int, policy: Policy = DEFAULT_POLICY) -> int:
    # seed 000 §四(一)2(1): A ≤ 10% of all staff, rounded down. Round first so that
    # 0.1 × 30 = 3.0000000000000004 does not become 3 by luck and 0.1 × 70 not 7.000…01.
    return math.floor(round(policy.quota.a_share * staff, 9))


def a_quota_cap_formula(staff: Operand, *, policy: Policy = DEFAULT_POLICY) -> str:
    return f"INT(ROUND({literal(policy.quota.a_share)}*{operand(staff)},9))"


def apply_a_quota(
    grades: Any, scores: Any, departments: Any, *, staff: int | None = None, policy: Policy = DEFAULT_POLICY
) -> QuotaOutcome:
    """Grades after the A quota, and what changed.

    seed 000 §四(一)2(1): A for at most 10% of all staff and, in principle, 1 per department.
    Per department first, then company-wide, an A keeps its grade when no more than the
    limit of A's score at least as high; the others become B, lowest scores first. Where
    equal scores straddle the limit, all of them become B and the change says `tie`.

    `staff` is the head count the 10% is taken of (公司员工总数); by default, everyone
    graded here.
    """
    return _quota(Call("KPI_QUOTA"), grades, scores, departments, policy, staff)


def _quota(call: Call, grades: Any, scores: Any, departments: Any, policy: Policy,
           staff: int | None = None) -> QuotaOutcome:  # fmt: skip
    g = call.label("grades", grades, allowed=GRADES)
    s = call.number("scores", scores)
    d = call.label("departments", departments)
    if not (g.shape == s.shape == d.shape):
        call.fail(_("grades, scores and departments must be the same size (got {grades}, {scores}, {departments})").format(
            grades=_size(g), scores=_size(s), departments=_size(d)))
    is_a = g == "A"
    call.check(is_a & np.isnan(s), N_("an A needs its score (blank at this position)"))
    call.check(is_a & (d == ""), N_("an A needs its department (blank at this position)"))
    flat_g, flat_s, flat_d = g.ravel(), s.ravel(), d.ravel()
    candidates = np.flatnonzero((flat_g == "A") & ~np.isnan(flat_s) & (flat_d != ""))
    if staff is None:
        staff = int(np.count_nonzero(flat_g != ""))
    cap = a_quota_cap(staff, policy)
    per_department = policy.quota.a_per_department

    changes: list[QuotaChange] = []
    survivors: list[int] = []
    for department in dict.fromkeys(flat_d[candidates]):
        members = candidates[flat_d[candidates] == department]
        kept, dropped = _within_limit(members, flat_s, per_department, "department")
        survivors.extend(kept)
        changes.extend(dropped)
    kept, dropped = _within_limit(np.array(survivors, dtype=int), flat_s, cap, "company")
    changes.extend(dropped)

    out = flat_g.copy()
    for change in changes:
        out[change.position] = "B"
    changes.sort(key=lambda c: (flat_s[c.position], c.position))
    return QuotaOutcome(out.reshape(g.shape), tuple(changes), cap, staff)


def _within_limit(
    members: np.ndarray, scores: np.ndarray, limit: int, rule: Literal["department", "company"]
) -> tuple[list[int], list[QuotaChange]]:
    """Keep a member when at most `limit` members score at least as high."""
    ranked = np.sort(scores[members])
    kept, dropped = [], []
    for position in members:
        score = scores[position]
        at_least = ranked.size - np.searchsorted(ranked, score, side="left")
        if at_least <= limit:
            kept.append(int(position))
        else:
            higher = ranked.size - np.searchsorted(ranked, score, side="right")
            dropped.append(QuotaChange(int(position), rule, tie=bool(higher < limit), limit=limit))
    return kept, dropped


def kpi_quota(grades: Any, scores: Any, departments: Any, *, policy: Policy = DEFAULT_POLICY) -> Any:
    """KPI_QUOTA: the grades after the A quota (see `apply_a_quota`)."""
    call = Call("KPI_QUOTA")
    return call.result(_quota(call, grades, scores, departments, policy).grades)


def _size(array: np.ndarray) -> str:
    return "×".join(str(n) for n in array.shape) or "1"


def quota_department_keep_formula(
    grade: Operand,
    score: Operand,
    department: Operand,
    grades_range: str,
    scores_range: str,
    departments_range: str,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> str:
    """1 when this A survives its department's limit, else 0 (a helper column)."""
    g, s, d = operand(grade), operand(score), operand(department)
    at_least = (
        f'SUMPRODUCT(({departments_range}={d})*({grades_range}="A")*({scores_range}>={s}))'
    )
    limit = literal(policy.quota.a_per_department)
    return f'IF({g}="A",IF({at_least}<={limit},1,0),0)'


def quota_grade_formula(
    grade: Operand,
    score: Operand,
    keep: Operand,
    grades_range: str,
    scores_range: str,
    keep_range: str,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> str:
    """The grade after the quota, from the department helper column."""
    g, s, k = operand(grade), operand(score), operand(keep)
    staff = f'SUMPRODUCT(({grades_range}<>"")*1)'
    cap = f"INT(ROUND({literal(policy.quota.a_share)}*{staff},9))"
    at_least = f"SUMPRODUCT(({keep_range}=1)*({scores_range}>={s}))"
    after = f'IF({k}=1,IF({at_least}<={cap},"A","B"),IF({g}="A","B",{g}))'
    return blank_guard(after, grade)
