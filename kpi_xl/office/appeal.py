"""`kpi-xl appeal`: a corrected final score (申诉), recorded with who, when and why; the old value is kept."""

from __future__ import annotations

from datetime import date

from .._util.i18n import _
from ..calendar import Month
from ..errors import KpiArgumentError, KpiError, quote
from ..forms import FINAL
from ..ledger import Ledger
from ..roster import Roster


def run_appeal(ledger: Ledger, roster: Roster, month: str, employee: str, score: float, reason: str, by: str,
               made: date | None = None):  # fmt: skip
    """Record a corrected final score; `made` is the day the appeal was made (default today)."""
    if employee not in roster:
        raise KpiArgumentError("employee", _("{id} is not a 工号 on the roster; check the 工号").format(id=quote(employee)))
    if not reason.strip() or not by.strip():
        raise KpiArgumentError(("reason", "by"), _("must say why and who: an appeal without them is not recorded"))
    if not 0 <= score <= 1000:
        raise KpiArgumentError("score", _("{score} is not a possible final score; give a number from 0 up").format(
            score=f"{score:g}"))
    first_day = Month.parse(month).first_day
    if made is not None and made < first_day:
        raise KpiArgumentError("date", _("{day} is before {month} began: an appeal of its appraisal is made after; give the day it was made").format(
            day=made.isoformat(), month=month))  # fmt: skip
    values = ledger.values(month, 3).get(employee)
    if values is None:
        raise KpiError(_("no 附件3 of {name} ({id}) for {month} in the ledger; collect it first").format(
            name=roster[employee].name, id=employee, month=month))
    earlier = ledger.appeals(month, employee)
    old = earlier[-1].new_score if earlier else values.get(FINAL)
    return ledger.add_appeal(month, employee, old if isinstance(old, int | float) else None, score, reason.strip(), by.strip(), made)
