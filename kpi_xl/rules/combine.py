"""Rules that combine several scores into one: weights, raters, rankings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._util.i18n import N_, _
from ..policy import DEFAULT_POLICY, Policy
from ._call import Call
from .formula import Operand, blank_guard, literal, operand

# -- KPI_WEIGHTED -----------------------------------------------------------------------------


def kpi_weighted(scores: Any, weights: Any, *, keepdims: bool = False) -> Any:
    """Weighted average sum(score × weight) / sum(weight); weights need not sum to 1.

    A row of weights scores each row of `scores`; a column of weights scores each column.
    A blank weight leaves its item out (an unused plan row); a blank score for an item that
    has a weight makes the result blank (not yet scored). KPI_WEIGHTED([80, 90], [70, 30]) = 83.
    """
    call = Call("KPI_WEIGHTED")
    s = call.number("scores", scores)
    w = call.number("weights", weights)
    if w.ndim == 2 and w.shape == s.shape and w.shape[0] > 1 and w.shape[1] > 1:
        return call.result(_row_weighted(call, s, w, keepdims))
    by_columns = w.ndim == 2 and w.shape[1] == 1 and w.shape[0] > 1
    axis = 0 if by_columns else -1
    w = w.ravel()
    if s.ndim == 0:
        s = s.reshape(1)
    if s.shape[axis] != w.size:
        call.fail(_("needs one weight per score ({weights} weights for {scores} scores)").format(weights=w.size, scores=s.shape[axis]))
    used = ~np.isnan(w)
    if (w[used] < 0).any():
        call.fail(_("weights must not be negative (got {weight})").format(weight=literal(float(w[used].min()))))
    total = w[used].sum()
    if used.any() and total == 0:
        call.fail(_("weights must not all be 0"))
    if not used.any():
        out = np.full(s.shape[: axis % s.ndim] + s.shape[axis % s.ndim + 1 :], np.nan)
    else:
        # NaN (a blank score) in a weighted item propagates: that result is blank
        out = np.moveaxis(s, axis, -1)[..., used] @ w[used] / total
    if keepdims:
        out = np.expand_dims(out, axis)
    call.reduce_marks(axis, keepdims)
    return call.result(out)


def _row_weighted(call: Call, s: np.ndarray, w: np.ndarray, keepdims: bool) -> np.ndarray:
    """Each row with its own weights (many forms of one layout at once)."""
    used = ~np.isnan(w)
    if (w[used] < 0).any():
        call.fail(_("weights must not be negative (got {weight})").format(weight=literal(float(w[used].min()))))
    total = np.where(used, w, 0.0).sum(axis=-1)
    if ((total == 0) & used.any(axis=-1)).any():
        call.fail(_("weights must not all be 0"))
    incomplete = (used & np.isnan(s)).any(axis=-1) | ~used.any(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        out = np.where(used, s * w, 0.0).sum(axis=-1) / total
    out = np.where(incomplete, np.nan, out)
    call.reduce_marks(-1, keepdims)
    return out[:, None] if keepdims else out


def kpi_weighted_formula(scores_range: str, weights_range: str) -> str:
    s, w = scores_range, weights_range
    incomplete = f'OR(COUNT({w})=0,SUMPRODUCT(({w}<>"")*({s}=""))>0)'
    return f'IF({incomplete},"",SUMPRODUCT({s},{w})/SUM({w}))'


# -- KPI_360 ----------------------------------------------------------------------------------


def kpi_360(
    self_score: Any,
    superior_score: Any,
    group_score: Any,
    weights: Any = None,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> Any:
    """Multi-rater score: (self × w1 + superior × w2 + group × w3) / (w1 + w2 + w3).

    Default weights from the policy: seed 004 自评 15%, 上级 60%, 小组 25%.
    """
    call = Call("KPI_360")
    raters = (("self_score", self_score), ("superior_score", superior_score), ("group_score", group_score))
    return call.result(rater_mean(call, raters, _rater_weights(call, weights, policy)))


def _rater_weights(call: Call, weights: Any, policy: Policy) -> tuple[float, ...]:
    if weights is None:
        return policy.rater_weights.as_tuple()
    w = call.numbers("weights", weights, minimum_count=3)
    if len(w) != 3:
        call.fail(_("weights needs 3 numbers: self, superior, group (got {count})").format(count=len(w)))
    if (w < 0).any():
        call.fail(_("weights must not be negative (got {weight})").format(weight=f"{float(w.min()):g}"))
    if not w.sum() > 0:
        call.fail(_("weights must not all be 0"))
    return tuple(float(x) for x in w)


def kpi_360_formula(
    self_score: Operand,
    superior_score: Operand,
    group_score: Operand,
    weights: Sequence[float] | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> str:
    w = tuple(weights) if weights is not None else policy.rater_weights.as_tuple()
    return rater_mean_formula((self_score, superior_score, group_score), w)


# -- the one weighted mean of raters (KPI_360, and the final score when final = "weighted") --


def rater_mean(call: Call, raters: Sequence[tuple[str, Any]], weights: Sequence[float]) -> Any:
    """Σ score × weight / Σ weight over (argument name, scores) pairs; blank until every
    rater with a weight is in, and a rater weighted 0 is not asked for (seed 004: 自评 15%,
    上级 60%, 小组 25%). The weights are checked by the caller: none negative, not all 0."""
    total: Any = 0.0
    for (name, value), weight in zip(raters, weights, strict=True):
        if weight:
            total = total + call.number(name, value) * weight
    return total / sum(weights)


def rater_mean_formula(raters: Sequence[Operand], weights: Sequence[float]) -> str:
    """`rater_mean` as a native formula."""
    used = [(rater, weight) for rater, weight in zip(raters, weights, strict=True) if weight]
    terms = "+".join(f"{operand(rater)}*{literal(weight)}" for rater, weight in used)
    return blank_guard(f"({terms})/{literal(sum(weights))}", *(rater for rater, _ in used))


# -- KPI_RANK_POINTS --------------------------------------------------------------------------


def kpi_rank_points(scores: Any, rank_points: Any, min_score: Any = None, below: Any = 0) -> Any:
    """Points by rank among `scores` (1 = highest; equal scores share a rank, as RANK does)
    for scores of at least `min_score`; everyone else gets `below` (a number, or a range).

    seed 002 12580 值班长: team average ≥ 85 and rank 1 → 70, 2 → 65, 3 → 60, 4 → 55,
    5 → 50; 75–85 → 40; below 75 → 0:
      KPI_RANK_POINTS(avgs, [70, 65, 60, 55, 50], 85, KPI_BAND(avgs, [75], [40]))
    """
    call = Call("KPI_RANK_POINTS")
    s = call.number("scores", scores)
    ranked = np.sort(s[~np.isnan(s)], axis=None)
    # rank = 1 + how many scores are strictly higher
    rank = (1 + ranked.size - np.searchsorted(ranked, s, side="right")).astype(float)
    return call.result(_points_for_rank(call, s, rank, rank_points, min_score, below))


def rank_points_given(score: Any, rank: Any, rank_points: Any, min_score: Any = None, below: Any = 0) -> Any:
    """KPI_RANK_POINTS where the rank is already known (the office ranks the teams; a form
    holds one team's average and its rank)."""
    call = Call("RANK_POINTS")
    s = call.number("score", score)
    r = call.number("rank", rank)
    call.check((r < 1) | (r != np.floor(r)), N_("rank must be a whole number from 1 (got {rank})"), rank=r)
    return call.result(_points_for_rank(call, s, r, rank_points, min_score, below))


def _points_for_rank(call: Call, s: np.ndarray, rank: np.ndarray, rank_points: Any, min_score: Any, below: Any) -> np.ndarray:
    table = call.numbers("rank_points", rank_points)
    floor = call.number("min_score", -np.inf if min_score is None else min_score)
    other = call.number("below", below)
    if floor.size != 1:
        call.fail(_("min_score must be one number (got {count})").format(count=floor.size))
    floor = floor.reshape(())
    with np.errstate(invalid="ignore"):
        earns = (s >= floor) & (rank <= table.size)
        index = np.clip(np.nan_to_num(rank) - 1, 0, table.size - 1).astype(int)
    out = np.where(earns, table[index], other)
    blank = np.isnan(s) | np.isnan(rank) | (~earns & np.isnan(other))
    return np.where(blank, np.nan, out)


def kpi_rank_points_formula(
    score: Operand,
    scores_range: str,
    rank_points: Sequence[float] | str,
    min_score: Operand | None = None,
    below: Operand = 0,
) -> str:
    """For one team's cell; `rank_points` as numbers or a range (INDEX is used then)."""
    return rank_points_given_formula(score, f"RANK({operand(score)},{scores_range})", rank_points, min_score, below)


def rank_points_given_formula(
    score: Operand,
    rank: Operand,
    rank_points: Sequence[float] | str,
    min_score: Operand | None = None,
    below: Operand = 0,
) -> str:
    s, r = operand(score), operand(rank)
    if isinstance(rank_points, str):
        count, points = f"COUNT({rank_points})", f"INDEX({rank_points},{r})"
    else:
        count = literal(len(rank_points))
        points = f"CHOOSE({r},{','.join(operand(p) for p in rank_points)})"
    earns = f"{r}<={count}" if min_score is None else f"AND({s}>={operand(min_score)},{r}<={count})"
    refs = [score] + ([rank] if isinstance(rank, str) and not rank.startswith("RANK(") else [])
    return blank_guard(f"IF({earns},{points},{operand(below)})", *refs)
