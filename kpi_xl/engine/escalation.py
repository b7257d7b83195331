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
    steps = rules.d_actions if lang == "zh" else rules.d_actions_en
    actions, d_count, c_count = [], 0, 0
    prefix = f"{year:04d}-"
    for month, grade in sorted(history):
        if month > f"{year:04d}-12":
            break
        in_year = month.startswith(prefix)
        if grade == "D":
            d_count += 1
            if in_year:
                step = steps[min(d_count, len(steps)) - 1]
                actions.append(f"{month} D（累计{d_count}次）：{step}" if lang == "zh" else f"{month} D (#{d_count} in all): {step}")
        elif grade == "C" and in_year:
            c_count += 1
    if c_count >= rules.c_count:
        action = rules.c_action if lang == "zh" else rules.c_action_en
        actions.append(f"年度C级{c_count}次：{action}" if lang == "zh" else f"{c_count} C's in the year: {action}")
    return actions
