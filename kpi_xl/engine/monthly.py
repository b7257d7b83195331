"""The monthly summary (附件7): final scores, grades, the A quota, pay, departments.

Everything comes from what the ledger holds for the month, through the rules: the totals
each form computed when it was collected, corrections from appeals, KPI_GRADE, the A quota
and GRADE_PAY. seed 000 §四(一) and §五(三).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import rules
from ..forms import FINAL, Context, total_key
from ..ledger import Appeal, Ledger
from ..policy import Policy
from ..roster import EMPLOYEE, EXECUTIVE, HEAD, Person, Roster
from ..rules import QuotaOutcome
from ..scorecards.library import library_for
from .escalation import due_this_month
from .history import history_notes, ranking_pools, window


@dataclass
class MonthlyResult:
    month: str
    staff: pd.DataFrame  # one row per employee and head, grouped by department (department order)
    quota: QuotaOutcome
    departments: pd.DataFrame
    executives: pd.DataFrame
    appeals: list[Appeal]


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else np.nan


def compute_month(ledger: Ledger, roster: Roster, ctx: Context) -> MonthlyResult:
    month, policy = str(ctx.month), ctx.policy
    forms3 = ledger.values(month, 3)
    appeals = ledger.appeals(month)
    latest = {a.employee: a for a in appeals}  # later corrections win

    # 附件7 goes to the leaders and finance by department: rows grouped in department order
    # (roster order within), whatever order the roster lists people in
    order = {department: i for i, department in enumerate(roster.departments)}
    people = sorted(roster.with_category(EMPLOYEE, HEAD), key=lambda p: order[p.department])
    rows, remarks = [], []
    carried = _carried_counts(ledger, people, forms3, ctx)
    for person in people:
        values = forms3.get(person.id, {})
        assessor, assessor_id = _assessor(person, roster, policy)
        leader = roster[person.supervisor] if person.supervisor in roster else None
        final = _number(values.get(FINAL))
        remark = []
        if person.id in carried and not np.isnan(final):
            points, note = carried[person.id]
            final += points
            remark.append(note)
        if not values:
            remark.append(ctx.t("未收到考核表（附件3）", "no appraisal form (form 3) received"))
        elif np.isnan(_number(values.get(total_key("leader")))):
            remark.append(ctx.t("分管领导未评定，暂以部门考核为准", "not yet rated by the leader: the department's score stands"))
        if person.id in latest:
            a = latest[person.id]
            remark.append(ctx.t(f"申诉更正：{_fmt(a.old_score)} → {_fmt(a.new_score)}（{a.by}，{a.day}：{a.reason}）",
                                f"appeal: {_fmt(a.old_score)} → {_fmt(a.new_score)} ({a.by}, {a.day}: {a.reason})"))  # fmt: skip
            final = a.new_score
        remarks.append(remark)
        rows.append({
            "employee": person.id, "name": person.name, "department": person.department,
            "position": person.position, "assessor": assessor,
            "assessor_id": assessor_id, "leader_name": leader.name if leader else "",
            "self": _number(values.get(total_key("self"))), "dept": _number(values.get(total_key("dept"))),
            "leader": _number(values.get(total_key("leader"))), "final": final,
            "base": pay_base(person, policy),
        })  # fmt: skip
    staff = pd.DataFrame(rows)
    staff["grade_before"] = rules.kpi_grade(staff["final"].to_numpy(), policy=policy)
    outcome = rules.apply_a_quota(staff["grade_before"].to_numpy(), staff["final"].to_numpy(),
                                  staff["department"].to_numpy(), staff=len(staff), policy=policy)  # fmt: skip
    staff["grade"] = outcome.grades
    for change in outcome.changes:
        remarks[change.position].append(_quota_remark(change, outcome, ctx))
    grades, base, final = staff["grade"].to_numpy(), staff["base"].to_numpy(), staff["final"].to_numpy()
    staff["ratio"] = rules.performance_pay(grades, final, policy=policy)
    staff["pay"] = rules.performance_pay(grades, final, base, policy=policy)
    staff["bonus"] = rules.grade_pay(grades, base, part="bonus", policy=policy)
    notes = history_notes(_history_records(ledger, month, staff, policy), month, policy, ctx.lang,
                          pools=ranking_pools(roster, policy))  # fmt: skip
    # seed 000 line 26: 考核过程中 — a second or third D is acted on in the month it falls
    d_before = ledger.grade_counts("D", before=month)
    c_before = ledger.grade_counts("C", before=month, since=f"{month[:4]}-01")
    staff["escalation"] = [
        ("；" if ctx.lang == "zh" else "; ").join(
            due_this_month(grade, d_before.get(e, 0), c_before.get(e, 0), policy=policy, lang=ctx.lang))
        for e, grade in zip(staff["employee"], staff["grade"])
    ]  # fmt: skip
    for remark, employee, due in zip(remarks, staff["employee"], staff["escalation"]):
        remark.extend([due] if due else [])
        remark.extend(notes.get(employee, ()))
    staff["remark"] = list(map("；".join if ctx.lang == "zh" else "; ".join, remarks))

    return MonthlyResult(month, staff, outcome, _departments(ledger, roster, ctx), _executives(ledger, roster, ctx), appeals)


def _history_records(ledger: Ledger, month: str, staff: pd.DataFrame, policy: Policy) -> list[dict]:
    """The recorded months the history rules look back on, and this one as being summarised."""
    months = window(month, policy)
    if not months:
        return []
    earlier = [r for r in ledger.monthly_rows(until_month=months[-1], since_month=months[0]) if r["month"] < month]
    current = [{"month": month, "employee": e, "department": d, "final": f}
               for e, d, f in zip(staff["employee"], staff["department"], staff["final"])]  # fmt: skip
    return earlier + current


def _assessor(person: Person, roster: Roster, policy: Policy) -> tuple[str, str]:
    """Who assesses (name, 工号): the department head for an employee, the supervisor for a
    head; the finance departments' people by the head of 财务审计部 (seed 000 line 22)."""
    rule = policy.assessors
    if person.department in rule.finance_departments:
        head = next((p for p in roster.members(rule.finance_by) if p.category == HEAD), None)
        if head is None:
            return rule.finance_by, ""
        if head.id != person.id:
            return head.name, head.id
    assessor = roster.head_of(person.department) if person.category == EMPLOYEE else None
    if assessor is None and person.supervisor in roster:
        assessor = roster[person.supervisor]
    return (assessor.name, assessor.id) if assessor else ("", "")


def _carried_counts(ledger: Ledger, people: list[Person], forms3: dict, ctx: Context) -> dict[str, tuple[float, str]]:
    """employee → (points, remark) for the scorecard rows counted across months (累计; seed 003
    line 64: 每累计提5条经验加一分): the running count before this month is in the ledger, the
    month's count in the form; the points are added to the month's final score here."""
    library = library_for(ctx.policy)
    if library is None:
        return {}
    rows: dict[str, tuple[str, Any]] = {}
    for person in people:
        card = library.for_position(person.position)
        for n, item in enumerate(card.indicators if card else (), start=1):
            if item.rule == "cumulative" and person.id in forms3:
                rows[person.id] = (f"kpi{n}.value", item)
    if not rows:
        return {}
    before = ledger.running_totals(3, {e: key for e, (key, _) in rows.items()}, str(ctx.month))
    out = {}
    for employee, (key, item) in rows.items():
        per, points, *least = item.numbers
        count = _number(forms3[employee].get(key))
        count = 0.0 if np.isnan(count) else count
        had = before.get(employee, 0.0)
        earned = float(rules.carried_points(had, count, per=per, points=points))
        left = float(rules.carried_over(had, count, per=per))
        brought = float(rules.carried_over(had, 0, per=per))
        note = ctx.t(f"{item.name}：本月{count:g}条，上月结余{brought:g}条，加{earned:g}分，结转{left:g}条",
                     f"{item.name}: {count:g} this month, {brought:g} carried in, +{earned:g}, {left:g} carried over")
        if least and count < least[0]:
            note += ctx.t(f"（少于每月{least[0]:g}条）", f" (fewer than {least[0]:g} a month)")
        out[employee] = (earned, note)
    return out


def pay_base(person: Person, policy: Policy) -> float:
    """考核工资标准: the policy's fixed base (seed 003: 750) for the holders of the scorecards it
    names (all when none are named), else the share of the person's own pay (seed 000 §二(二))."""
    pay = policy.pay
    if pay.fixed_base and pay.fixed_base_scorecards:
        library = library_for(policy)
        card = library.for_position(person.position) if library and person.category != EXECUTIVE else None
        if card is None or card.name not in pay.fixed_base_scorecards:
            return rules.money(person.pay_base(policy))
    return rules.money(pay.fixed_base or person.pay_base(policy))


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _quota_remark(change: rules.QuotaChange, outcome: QuotaOutcome, ctx: Context) -> str:
    if change.rule == "department":
        limit = ctx.t(f"部门A等名额（每部门{change.limit}人）", f"department A limit ({change.limit} per department)")
    else:
        limit = ctx.t(f"公司A等名额（{outcome.staff}人的{ctx.policy.quota.a_share:.0%}，共{outcome.cap}人）",
                      f"company A limit ({ctx.policy.quota.a_share:.0%} of {outcome.staff}: {outcome.cap})")  # fmt: skip
    if change.tie:
        return ctx.t(f"A→B：{limit}，与他人同分并列，请公司领导决定", f"A→B: {limit}, tied with another score: for the leaders to decide")
    return ctx.t(f"A→B：{limit}，按得分由低到高调整", f"A→B: {limit}, lowest scores first")


def _departments(ledger: Ledger, roster: Roster, ctx: Context) -> pd.DataFrame:
    """Department scores: peer review average (a reference), self score, leader's rating (final)."""
    month = str(ctx.month)
    peers: dict[str, list[float]] = {}
    scope = ctx.policy.department.peer_scope
    in_scope: dict[str, set[str]] = {}  # rater's department → the departments it may rate, built once
    for rater, values in ledger.values(month, 4).items():
        if rater not in roster:  # a head who left: nothing tells whom they were to rate
            continue
        department = roster[rater].department
        if department not in in_scope:
            in_scope[department] = set(roster.peer_departments(department, scope))
        n = 1
        while f"row{n}.department" in values:
            total = _number(values.get(f"row{n}.total"))
            # only ratings the policy's peer scope asks for count (seed 000 §五(二)2: other departments)
            if not np.isnan(total) and values[f"row{n}.department"] in in_scope[department]:
                peers.setdefault(values[f"row{n}.department"], []).append(total)
            n += 1
    forms5 = ledger.values(month, 5)
    rows = []
    for department in roster.departments:
        values = forms5.get(department, {})
        self_total, leader = _number(values.get(total_key("self"))), _number(values.get(total_key("leader")))
        ratings = peers.get(department, [])
        remark = "" if values else ctx.t("未收到部门自评表（附件5）", "no self-assessment (form 5) received")
        if values and np.isnan(leader):
            remark = ctx.t("分管领导未评定", "not yet rated by the leader")
        rows.append({"department": department,
                     "peer": float(np.mean(ratings)) if ratings else np.nan, "peer_count": len(ratings),
                     "self": self_total, "leader": leader, "final": leader, "remark": remark})  # fmt: skip
    return pd.DataFrame(rows)


def _executives(ledger: Ledger, roster: Roster, ctx: Context) -> pd.DataFrame:
    forms6 = ledger.values(str(ctx.month), 6)
    rows = []
    for person in roster.with_category(EXECUTIVE):
        values = forms6.get(person.id, {})
        gm = _number(values.get(total_key("leader")))
        rows.append({"employee": person.id, "name": person.name, "position": person.position,
                     "self": _number(values.get(total_key("self"))), "gm": gm,
                     "base": pay_base(person, ctx.policy),
                     "remark": "" if values else ctx.t("未收到高管考核表（附件6）", "no form 6 received")})  # fmt: skip
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["grade"] = rules.kpi_grade(frame["gm"].to_numpy(), policy=ctx.policy)
    return frame
