"""A short tour of the rules on built-in sample data: `kpi-xl rules-tour`.

Ten customer-service agents (seed 003's KPI table) are scored with the same functions the
Excel add-in exposes, graded, put through the A quota and paid; each step prints the
Excel formula a form would hold for the first agent.
"""

from __future__ import annotations

import numpy as np

from .. import rules
from .._util.i18n import _
from ..policy import Policy

# seed 003 客服指标绩效考核表: indicator, thresholds (best → worst), band points, weight
SEED_003_BANDS = [
    ("询单转化率", [0.75, 0.65, 0.50], [100, 80, 60], 35),
    ("支付率", [0.92, 0.85, 0.72], [100, 80, 60], 20),
    ("落实客单价", [1.12, 1.08, 1.06], [100, 80, 60], 10),
    ("旺旺回复率", [0.99, 0.97, 0.95], [100, 80, 60], 5),
    ("旺旺响应时间(秒)", [30, 45, 55], [100, 80, 60], 5),
]

AGENTS = [
    # name, department, measured values in the order above, attitude/task score (25 points)
    ("林晓燕", "售前组", [0.78, 0.93, 1.13, 0.995, 28], 24),
    ("陈志强", "售前组", [0.76, 0.95, 1.12, 0.99, 25], 25),
    ("王丽娟", "售前组", [0.70, 0.90, 1.09, 0.98, 33], 22),
    ("赵俊杰", "售后组", [0.66, 0.86, 1.07, 0.96, 41], 20),
    ("刘佳怡", "售后组", [0.77, 0.92, 1.12, 0.99, 29], 25),
    ("孙浩然", "售后组", [0.52, 0.73, 1.06, 0.95, 54], 15),
    ("周雨桐", "质检组", [0.68, 0.88, 1.10, 0.97, 38], 21),
    ("吴建国", "质检组", [0.45, 0.70, 1.02, 0.93, 60], 12),
    ("郑欣怡", "质检组", [0.75, 0.92, 1.12, 0.99, 30], 23),
    ("黄子轩", "质检组", [0.60, 0.80, 1.07, 0.96, 47], 18),
]

PAY_BASE = 750  # seed 003: 绩效工资 总值750


def run(policy: Policy | None = None) -> str:
    policy = policy or Policy()
    names = [a[0] for a in AGENTS]
    departments = [a[1] for a in AGENTS]
    measured = np.array([a[2] for a in AGENTS], dtype=float)
    band_points = np.column_stack(
        [rules.kpi_band(measured[:, i], t, p) for i, (_, t, p, _) in enumerate(SEED_003_BANDS)]
    )
    weights = [w for *_, w in SEED_003_BANDS]
    # the banded KPIs carry 75 of the 100 points; attitude and tasks the other 25
    kpi_part = rules.kpi_weighted(band_points, weights) * 0.75
    scores = kpi_part + np.array([a[3] for a in AGENTS], dtype=float)
    grades = rules.kpi_grade(scores, policy=policy)
    outcome = rules.apply_a_quota(grades, scores, departments, policy=policy)
    pay = rules.grade_pay(outcome.grades, PAY_BASE, policy=policy)

    lines = [_("kpi-xl rules tour: seed 003 customer-service KPIs for {n} agents").format(n=len(AGENTS)), ""]
    header = f"{_('name'):<6} {_('dept'):<5} " + " ".join(f"{i[0][:4]:>6}" for i in SEED_003_BANDS)
    lines.append(header + f" {_('score'):>6} {_('grade'):>5} {_('quota'):>5} {_('pay'):>7}")
    for row, name in enumerate(names):
        cells = " ".join(f"{p:>6.0f}" for p in band_points[row])
        lines.append(
            f"{name:<6} {departments[row]:<5} {cells} {scores[row]:>6.1f} "
            f"{grades[row]:>5} {outcome.grades[row]:>5} {pay[row]:>7.1f}"
        )
    lines.append("")
    lines.append(_("A quota: {staff} staff → at most {cap} A company-wide, {per_department} per department").format(
        staff=outcome.staff, cap=outcome.cap, per_department=policy.quota.a_per_department))
    for change in outcome.changes:
        if change.rule == "department":
            moved = _("{name}: A → B by the department limit").format(name=names[change.position])
        else:
            moved = _("{name}: A → B by the company limit").format(name=names[change.position])
        tie = _(" (equal scores at the limit: a person decides)") if change.tie else ""
        lines.append(f"  {moved}{tie}")
    first = SEED_003_BANDS[0]
    lines += [
        "",
        _("The same rules as native formulas in a form (first agent, first KPI in B2):"),
        "  =" + rules.kpi_band_formula("B2", first[1], first[2]),
        "  =" + rules.kpi_grade_formula("H2", policy=policy),
        "  =" + rules.grade_pay_formula("I2", PAY_BASE, policy=policy),
        _("and as Excel functions with the add-in: {formula}").format(formula="=KPI_BAND(B2:B11,{0.75,0.65,0.5},{100,80,60})"),
    ]
    return "\n".join(lines) + "\n"
