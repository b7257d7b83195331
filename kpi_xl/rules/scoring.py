"""Rules that turn one measured value into points.

Each rule is a vectorised function (scalars, lists and arrays broadcast together) and, next
to it, the builder of the native Excel formula that computes the same value. The Python and
the formula perform the same arithmetic in the same order, so they agree to the last digit
or two, and the parity test holds them to 1e-9.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .._util.i18n import N_, _
from ..policy import DEFAULT_POLICY, Policy
from ._call import Call
from .formula import Operand, blank_guard, literal, nested_if, operand


def _blank_where_any(result: np.ndarray, *inputs: np.ndarray) -> np.ndarray:
    """NaN wherever any input is blank (for results that comparisons, not arithmetic, made)."""
    for array in inputs:
        blank = np.isnan(array)
        if blank.any():
            result = np.array(result, dtype=float)
            np.copyto(result, np.nan, where=np.broadcast_to(blank, result.shape))
    return result


# -- KPI_LINEAR -------------------------------------------------------------------------------


def kpi_linear(value: Any, zero_at: Any, full_at: Any, points: Any) -> Any:
    """Points rising linearly from 0 at `zero_at` to `points` at `full_at`, clamped.

    `zero_at > full_at` means lower is better (an error rate).
    seed 002: 季考 90 分以上满分, 70 分以下不得分 → KPI_LINEAR(80, 70, 90, 5) = 2.5.
    """
    call = Call("KPI_LINEAR")
    v = call.number("value", value)
    z = call.number("zero_at", zero_at)
    f = call.number("full_at", full_at)
    p = call.number("points", points)
    call.check(z == f, N_("zero_at and full_at must differ (both {zero_at})"), zero_at=z)
    call.check(p < 0, N_("points must not be negative (got {points})"), points=p)
    return call.result(_linear(v, z, f, p))


def _linear(v: np.ndarray, z: np.ndarray, f: np.ndarray, p: np.ndarray) -> np.ndarray:
    # (v - z) / (f - z) clamped to [0, 1], times p: four passes over the data. Dividing
    # (not multiplying by p / (f - z)) keeps zero_at itself at 0 points even when the
    # thresholds are so close that p / (f - z) overflows (0 × inf would be blank).
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.asarray(np.subtract(v, z), dtype=float)
        shape = np.broadcast_shapes(out.shape, np.shape(f), np.shape(p))
        if out.shape != shape:
            out = np.array(np.broadcast_to(out, shape))
        out /= f - z
        np.clip(out, 0, 1, out=out)
        out *= p
    return out


def _linear_expression(v: str, zero_at: Operand, full_at: Operand, points: Operand) -> str:
    z, f, p = operand(zero_at), operand(full_at), operand(points)
    return f"MAX(0,MIN({p},({v}-{z})*({p}/({f}-{z}))))"


def kpi_linear_formula(value: Operand, zero_at: Operand, full_at: Operand, points: Operand) -> str:
    expression = _linear_expression(operand(value), zero_at, full_at, points)
    return blank_guard(expression, value, zero_at, full_at, points)


# -- KPI_RELATIVE -----------------------------------------------------------------------------


def kpi_relative(value: Any, reference: Any, zero_at: Any, full_at: Any, points: Any) -> Any:
    """KPI_LINEAR on value / reference: thresholds are shares of an average or a base.

    seed 002 工单量: above 110% of the average full 40, below 70% zero
      → KPI_RELATIVE(v, average, 0.7, 1.1, 40);
    稽核量 against a base of 500: KPI_RELATIVE(v, 500, 0.7, 1.5, 15).
    """
    call = Call("KPI_RELATIVE")
    v = call.number("value", value)
    r = call.number("reference", reference)
    z = call.number("zero_at", zero_at)
    f = call.number("full_at", full_at)
    p = call.number("points", points)
    call.check(r <= 0, N_("reference must be greater than 0 (got {reference})"), reference=r)
    call.check(z == f, N_("zero_at and full_at must differ (both {zero_at})"), zero_at=z)
    call.check(p < 0, N_("points must not be negative (got {points})"), points=p)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # thresholds 1e-308 apart: inf, clipped
        ratio = v / r
    return call.result(_linear(ratio, z, f, p))


def kpi_relative_formula(
    value: Operand, reference: Operand, zero_at: Operand, full_at: Operand, points: Operand
) -> str:
    ratio = f"({operand(value)}/{operand(reference)})"
    expression = _linear_expression(ratio, zero_at, full_at, points)
    return blank_guard(expression, value, reference, zero_at, full_at, points)


# -- KPI_BAND ---------------------------------------------------------------------------------


def kpi_band(value: Any, thresholds: Any, points: Any, otherwise: Any = 0) -> Any:
    """Tiered points. Thresholds are listed from best to worst: descending means value ≥ t,
    ascending means value ≤ t (a time); the first threshold met gives its points.

    seed 003 询单转化率: KPI_BAND(0.70, [0.75, 0.65, 0.5], [100, 80, 60]) = 80;
    响应时间: KPI_BAND(40, [30, 45, 55], [100, 80, 60]) = 80. One threshold means value ≥ t.
    """
    call = Call("KPI_BAND")
    v = call.number("value", value)
    t = call.numbers("thresholds", thresholds)
    pts = call.numbers("points", points)
    other = call.number("otherwise", otherwise)
    _check_bands(call, t, pts)
    descending = len(t) == 1 or t[1] < t[0]
    out = np.array(np.broadcast_to(other, np.broadcast_shapes(v.shape, other.shape)))
    for limit, band_points in reversed(list(zip(t, pts))):  # worst first: the best met wins
        np.copyto(out, band_points, where=(v >= limit) if descending else (v <= limit))
    return call.result(_blank_where_any(out, v, other))


def _check_bands(call: Call, thresholds: np.ndarray, points: np.ndarray) -> None:
    if len(points) != len(thresholds):
        call.fail(_("points needs one number per threshold (got {thresholds} thresholds, {points} points)").format(
            thresholds=len(thresholds), points=len(points)))
    steps = np.diff(thresholds)
    if len(steps) and not (np.all(steps < 0) or np.all(steps > 0)):
        listed = ", ".join(literal(x).strip("()") for x in thresholds)
        call.fail(_("thresholds must all fall or all rise, best first (got {listed})").format(listed=listed))


def kpi_band_formula(
    value: Operand,
    thresholds: Sequence[Operand],
    points: Sequence[Operand],
    otherwise: Operand = 0,
    *,
    descending: bool | None = None,
) -> str:
    """Nested IFs; with thresholds given as references, say which way they run."""
    if descending is None:
        if not all(isinstance(t, int | float) for t in thresholds):
            raise TypeError("kpi_band_formula: give descending= when thresholds are references")
        descending = len(thresholds) == 1 or thresholds[1] < thresholds[0]
    if len(points) != len(thresholds) or not thresholds:
        raise ValueError("kpi_band_formula: one point value per threshold")
    v = operand(value)
    compare = ">=" if descending else "<="
    branches = [(f"{v}{compare}{operand(t)}", operand(p)) for t, p in zip(thresholds, points)]
    return blank_guard(nested_if(branches, operand(otherwise)), value, otherwise)


def kpi_band_array_formula(value: Operand, thresholds: str, points: str, otherwise: Operand = 0) -> str:
    """KPI_BAND with the thresholds and points as arrays or ranges of any length (Excel 365's
    array evaluation, for the LAMBDA library): the first threshold met, falling or rising."""
    v, t, p, o = operand(value), operand(thresholds), operand(points), operand(otherwise)
    falling = f"INDEX({t},1)>=INDEX({t},COUNT({t}))"  # one threshold: value ≥ it
    met = f"IF({falling},{v}>={t},{v}<={t})"
    return blank_guard(f"IFERROR(INDEX({p},MATCH(TRUE,{met},0)),{o})", value, otherwise)


# -- KPI_DEDUCT and KPI_BONUS -----------------------------------------------------------------


def _count_rule(function: str, count: Any, per_item: Any, max_points: Any):
    call = Call(function)
    n = call.number("count", count)
    each = call.number("per_item", per_item)
    most = call.number("max_points", max_points)
    call.check(n < 0, N_("count must not be negative (got {count})"), count=n)
    call.check(each < 0, N_("per_item must not be negative (got {per_item})"), per_item=each)
    call.check(most < 0, N_("max_points must not be negative (got {max_points})"), max_points=most)
    return call, n, each, most


def kpi_deduct(count: Any, per_item: Any, max_points: Any) -> Any:
    """max_points less per_item for each occurrence, floored at 0 (扣完为止).

    KPI_DEDUCT(3, 2, 30) = 24.
    """
    call, n, each, most = _count_rule("KPI_DEDUCT", count, per_item, max_points)
    return call.result(np.maximum(0.0, most - n * each))


def kpi_deduct_formula(count: Operand, per_item: Operand, max_points: Operand) -> str:
    n, each, most = operand(count), operand(per_item), operand(max_points)
    return blank_guard(f"MAX(0,{most}-{n}*{each})", count, per_item, max_points)


def kpi_bonus(count: Any, per_item: Any, max_points: Any) -> Any:
    """per_item for each occurrence, capped at max_points.

    seed 004 加分: 收到顾客表扬信一次,加1分 → KPI_BONUS(3, 1, 5) = 3.
    """
    call, n, each, most = _count_rule("KPI_BONUS", count, per_item, max_points)
    return call.result(np.minimum(most, n * each))


def kpi_bonus_formula(count: Operand, per_item: Operand, max_points: Operand) -> str:
    n, each, most = operand(count), operand(per_item), operand(max_points)
    return blank_guard(f"MIN({most},{n}*{each})", count, per_item, max_points)


# -- KPI_RATIO --------------------------------------------------------------------------------


def kpi_ratio(actual: Any, planned: Any) -> Any:
    """Completion rate actual / planned (客户回访率 = 实际回访 / 计划回访).

    KPI_RATIO(180, 200) = 0.9.
    """
    call = Call("KPI_RATIO")
    a = call.number("actual", actual)
    p = call.number("planned", planned)
    call.check(p <= 0, N_("planned must be greater than 0 (got {planned})"), planned=p)
    call.check(a < 0, N_("actual must not be negative (got {actual})"), actual=a)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # thresholds 1e-308 apart: inf, clipped
        return call.result(a / p)


def kpi_ratio_formula(actual: Operand, planned: Operand) -> str:
    return blank_guard(f"{operand(actual)}/{operand(planned)}", actual, planned)


# -- KPI_QC_FACTOR ----------------------------------------------------------------------------


def kpi_qc_factor(
    qc: Any,
    floor_at: Any = None,
    target: Any = None,
    k: Any = None,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> Any:
    """seed 003 §1.2 QC质量加/减成比例: 1 - (floor_at - qc) * k below floor_at,
    1 + (qc - target) * k above target, 1 between; never below 0.

    Defaults from the policy (seed 003: 70%, 80%, 5). KPI_QC_FACTOR(0.85) = 1.25.
    """
    call = Call("KPI_QC_FACTOR")
    defaults = policy.qc_factor
    q = call.number("qc", qc)
    low = call.number("floor_at", defaults.floor_at if floor_at is None else floor_at)
    high = call.number("target", defaults.target if target is None else target)
    times = call.number("k", defaults.k if k is None else k)
    call.check((q < 0) | (q > 1), N_("qc must be a share from 0 to 1 (got {qc}); write 75% as 0.75"), qc=q)
    call.check(low > high, N_("floor_at must not exceed target (got {floor_at} > {target})"),
               floor_at=low, target=high)  # fmt: skip
    call.check(times < 0, N_("k must not be negative (got {k})"), k=times)
    # below floor_at only the first term is non-zero, above target only the second
    factor = 1 + times * (np.minimum(q - low, 0.0) + np.maximum(q - high, 0.0))
    return call.result(np.maximum(0.0, factor))


def kpi_qc_factor_formula(
    qc: Operand,
    floor_at: Operand | None = None,
    target: Operand | None = None,
    k: Operand | None = None,
    *,
    policy: Policy = DEFAULT_POLICY,
) -> str:
    defaults = policy.qc_factor
    low = defaults.floor_at if floor_at is None else floor_at
    high = defaults.target if target is None else target
    times = defaults.k if k is None else k
    q, lo, hi, t = operand(qc), operand(low), operand(high), operand(times)
    expression = f"MAX(0,1+{t}*(MIN({q}-{lo},0)+MAX({q}-{hi},0)))"
    return blank_guard(expression, qc, low, high, times)
