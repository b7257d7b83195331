"""A group of scorecard rows that scores as one item (指标库 `项目` rows, issue 11).

One definition for every way a group combines, declared in the 指标库, not coded per seed:
- members add up within the group's points: each member loses what it falls short of its
  own 分值 (a scored row its shortfall, a 扣分 line its deductions up to its own 分值 — a
  sub-cap, seed 002 line 228 "最多扣2分"), the group keeps its points less the losses,
  floored at 0 (seed 002 line 222: 0.5, 1 and 2 points in one item of 3);
- a 不得分 member forfeits the whole group when it happened (line 222 "隐瞒不报者不得分");
- a gate on the first member's score replaces the sum (line 231–232, 12580业务指导: average
  service quality ≥ 28 → the three-part sum; ≥ 26 → 40; below → 0).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._call import Call
from .formula import Operand, blank_guard, literal, operand

ADD, FORFEIT = "add", "forfeit"


def group_score(*scores: Any, kinds: tuple[str, ...], points: tuple[float, ...], total: float,
                gate: tuple[float, ...] = ()) -> Any:  # fmt: skip
    """The group's score from its members' scores (the cells of their rows).

    kinds: "add" per member that counts, "forfeit" per member whose count (> 0) zeroes the
    group; points: each member's 分值; total: the group's 分值; gate: (full_at, partial_at,
    partial_points) on the first member's score. Blank while any member is blank.
    """
    call = Call("GROUP_SCORE")
    values = [call.number(f"score{i + 1}", s) for i, s in enumerate(scores)]
    losses = sum((p - v for v, k, p in zip(values, kinds, points) if k == ADD), np.zeros_like(values[0]))
    result = np.clip(total - losses, 0.0, total)
    for v, k in zip(values, kinds):
        if k == FORFEIT:
            result = np.where(v > 0, 0.0, result)
    if gate:
        first = values[0]
        result = np.where(first >= gate[0], result, np.where(first >= gate[1], gate[2], 0.0))
    blank = np.any([np.isnan(v) for v in values], axis=0)
    return call.result(np.where(blank, np.nan, result))


def group_score_formula(*scores: Operand, kinds: tuple[str, ...], points: tuple[float, ...], total: float,
                        gate: tuple[float, ...] = ()) -> str:  # fmt: skip
    refs = [operand(s) for s in scores]
    losses = "+".join(f"({literal(p)}-{r})" for r, k, p in zip(refs, kinds, points) if k == ADD) or "0"
    t = literal(total)
    expression = f"MAX(0,MIN({t},{t}-({losses})))"
    forfeits = [r for r, k in zip(refs, kinds) if k == FORFEIT]
    if forfeits:
        expression = f"IF({'+'.join(forfeits)}>0,0,{expression})"
    if gate:
        first = refs[0]
        expression = (f"IF({first}>={literal(gate[0])},{expression},"
                      f"IF({first}>={literal(gate[1])},{literal(gate[2])},0))")  # fmt: skip
    return blank_guard(expression, *scores)


def complete_total(*scores: Any) -> Any:
    """The KPI total over rows that are not one contiguous range (a 项目's own rows count
    through the group, so they are left out): blank until every score is in."""
    call = Call("SUM")
    values = [call.number(f"score{i + 1}", s) for i, s in enumerate(scores)]
    return call.result(sum(values[1:], values[0]))


def complete_total_formula(*scores: Operand) -> str:
    return blank_guard("+".join(operand(s) for s in scores), *scores)
