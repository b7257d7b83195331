"""What a run of grades brings (seed 000 §四(一)2), from an employee's whole history.

当月考核等级为D的,留任原职查看;累计达到两次的,转为试用员工;累计达到三次的,给予解聘或
辞退。年度C级考核结果累计达到或超过三次的,根据其实际工作情况,给予适当惩处。
"""

from __future__ import annotations

from collections.abc import Iterable

from ..policy import DEFAULT_POLICY, Policy


def escalations(history: Iterable[tuple[str, str]], year: int, *, policy: Policy = DEFAULT_POLICY,
                lang: str = "zh") -> list[str]:  # fmt: skip
    """The actions due in `year`: one per D of that year, by how many D's the employee has
    had in all (the count runs across years), and the C penalty when the year has enough C's.

    `history` is (month "YYYY-MM", grade) for every recorded month, in any order.
    """
    rules = policy.escalation
    prefix = f"{year:04d}-"
    actions = [text for month, text in _d_steps(history, f"{year:04d}-12", policy, lang) if month.startswith(prefix)]
    c_count = sum(1 for month, grade in history if grade == "C" and month.startswith(prefix))
    if c_count >= rules.c_count:
        action = rules.c_action if lang == "zh" else rules.c_action_en
        actions.append(f"年度C级{c_count}次：{action}" if lang == "zh" else f"{c_count} C's in the year: {action}")
    return actions


def due_this_month(grade: str, d_before: int, c_before_in_year: int, *, policy: Policy = DEFAULT_POLICY,
                   lang: str = "zh") -> list[str]:  # fmt: skip
    """What the month's grade brings at once (考核过程中, seed 000 line 26), given the D's the
    employee had before (in all) and the C's before in this year: a D's step (the second D:
    转为试用员工, the third: 解聘或辞退), and the C penalty in the month the year's C's reach
    the count. Shown in that month's 附件7."""
    rules = policy.escalation
    if grade == "D":
        steps = rules.d_actions if lang == "zh" else rules.d_actions_en
        n = d_before + 1
        step = steps[min(n, len(steps)) - 1]
        return [f"D（累计{n}次）：{step}" if lang == "zh" else f"D (#{n} in all): {step}"]
    if grade == "C" and c_before_in_year + 1 >= rules.c_count:
        n = c_before_in_year + 1
        action = rules.c_action if lang == "zh" else rules.c_action_en
        return [f"年度C级累计{n}次：{action}" if lang == "zh" else f"C #{n} in the year: {action}"]
    return []


def _d_steps(history: Iterable[tuple[str, str]], until: str, policy: Policy, lang: str) -> list[tuple[str, str]]:
    """(month, "month D（累计n次）：step") for every D up to `until`, counted across years."""
    steps = policy.escalation.d_actions if lang == "zh" else policy.escalation.d_actions_en
    found, d_count = [], 0
    for month, grade in sorted(history):
        if month > until:
            break
        if grade == "D":
            d_count += 1
            step = steps[min(d_count, len(steps)) - 1]
            found.append((month, f"{month} D（累计{d_count}次）：{step}" if lang == "zh" else f"{month} D (#{d_count} in all): {step}"))
    return found
