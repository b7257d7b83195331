"""How a scorecard's measured row scores: a rule from kpi_xl.rules over the row's input cells."""

from __future__ import annotations

from typing import Any

from .. import rules
from ..scorecards.library import Indicator
from .spec import Calc, Key


def indicator_calc(item: Indicator, first: str, second: str) -> Calc:
    """The score of a measured row from its input cells `first` (and `second`)."""
    p, pts = item.numbers, item.points
    value = Key(first)
    counted = Calc(rules.zero_if_blank, rules.zero_if_blank_formula, (value,))
    if item.rule == "linear":
        return Calc(rules.kpi_linear, rules.kpi_linear_formula, (value, p[0], p[1], pts))
    if item.rule == "relative":
        reference = p[2] if len(p) == 3 else Key(second)
        return Calc(rules.kpi_relative, rules.kpi_relative_formula, (value, reference, p[0], p[1], pts))
    if item.rule == "band":
        scaled = [s * pts / 100 for s in p[1]]
        return Calc(_band, _band_formula, (value, p[0], scaled, p[2] * pts / 100))
    if item.rule == "ratio":
        ratio = Calc(rules.kpi_ratio, rules.kpi_ratio_formula, (value, Key(second)))
        return Calc(rules.kpi_linear, rules.kpi_linear_formula, (ratio, p[0], p[1], pts))
    if item.rule == "deduct" and item.from_total:
        # seed 004 审计: 从当月总分中扣处 — the row's 分值 less every deduction, below 0 if need be
        # (the total is floored at 0 by the employee's total: 当月分值扣完为止)
        return Calc(rules.occurrence_points, rules.occurrence_points_formula, (counted, -p[0], 1, pts))
    if item.rule == "deduct":
        if len(p) == 1:
            return Calc(rules.kpi_deduct, rules.kpi_deduct_formula, (counted, p[0], pts))
        both = Calc(rules.occurrence_points, rules.occurrence_points_formula,
                    (counted, p[0], Calc(rules.zero_if_blank, rules.zero_if_blank_formula, (Key(second),)), p[1]))  # fmt: skip
        return Calc(rules.kpi_deduct, rules.kpi_deduct_formula, (both, 1, pts))
    if item.rule == "bonus" and not pts:  # no cap (seed 004: 基础分加减奖励分和扣发分为总分)
        return Calc(rules.occurrence_points, rules.occurrence_points_formula, (counted, p[0]))
    if item.rule == "base":
        return Calc(rules.occurrence_points, rules.occurrence_points_formula, (1, pts))
    if item.rule == "cumulative":  # counted across months: the summary adds its points (ledger)
        return Calc(rules.occurrence_points, rules.occurrence_points_formula, (counted, 0))
    if item.rule == "forfeit":  # the count itself: its 项目 is forfeited when it is above 0
        return counted
    if item.rule == "bonus":
        return Calc(rules.kpi_bonus, rules.kpi_bonus_formula, (counted, p[0], pts))
    if item.rule == "penalty":
        return Calc(rules.occurrence_points, rules.occurrence_points_formula, (counted, -p[0]))
    if item.rule == "rank":
        below = Calc(_band, _band_formula, (value, (p[2],), (p[3],), 0))
        return Calc(_rank_points, rules.rank_points_given_formula, (value, Key(second), p[1], p[0], below))
    raise ValueError(f"{item.rule} rows are scored by hand")


def _band(value: Any, thresholds: tuple, points: list, otherwise: float) -> Any:
    return rules.kpi_band(value, list(thresholds), points, otherwise)


def _band_formula(value: str, thresholds: tuple, points: list, otherwise: float) -> str:
    return rules.kpi_band_formula(value, list(thresholds), points, otherwise)


def _rank_points(score: Any, rank: Any, table: tuple, floor: float, below: Any) -> Any:
    return rules.rank_points_given(score, rank, list(table), floor, below)
