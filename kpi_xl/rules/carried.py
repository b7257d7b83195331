"""Points for a running count carried across months (issue 11, 指标库 rule 累计).

seed 003 line 64: 每累计提5条经验加一分 — one point for every five, counted cumulatively across
months: what is left over carries to the next month. 3 this month after 4 before: 7 in all,
one five completed this month → 1 point, 2 carried.

A summary rule, not a form formula: the months before are in the ledger, not in the form.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._util.i18n import N_
from ._call import Call


def carried_points(before: Any, count: Any, *, per: float, points: float) -> Any:
    """Points earned this month: every `per` counted, across months, earns `points`.

    `before`: the running count of the months before; `count`: this month's (blank = 0).
    """
    call = Call("CARRIED_POINTS")
    b = np.nan_to_num(call.number("before", before))
    c = np.nan_to_num(call.number("count", count))
    call.check((b < 0) | (c < 0), N_("counts must not be negative (got {count})"), count=c)
    return call.result((np.floor((b + c) / per + 1e-9) - np.floor(b / per + 1e-9)) * points)


def carried_over(before: Any, count: Any, *, per: float) -> Any:
    """What is left over to carry into next month (the running count modulo `per`)."""
    call = Call("CARRIED_OVER")
    total = np.nan_to_num(call.number("before", before)) + np.nan_to_num(call.number("count", count))
    return call.result(np.round(total - np.floor(total / per + 1e-9) * per, 9))
