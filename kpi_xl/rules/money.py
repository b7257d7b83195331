"""Money to the fen (分): pay is an amount a payroll clerk copies, never 489.99999999999994.

Excel's ROUND(x, 2) rounds halves away from zero on the value as displayed to 15 digits;
the Python side snaps the binary noise first (2.675 is 2.67499999… in binary, and ROUND
gives 2.68), so that the forms, the UDFs and the summaries agree to the fen.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .formula import Operand, blank_guard, operand


def money(amount: Any) -> Any:
    """An amount rounded to the fen, halves away from zero; NaN (blank) stays blank."""
    a = np.asarray(amount, dtype=float)
    cents = np.round(np.abs(a) * 100, 6)  # the noise below a millionth of a fen is not a half
    rounded = np.sign(a) * np.floor(cents + 0.5) / 100
    return rounded + 0.0 if rounded.ndim else float(rounded) + 0.0  # -0.0 → 0.0


def money_formula(amount: Operand) -> str:
    return blank_guard(f"ROUND({operand(amount)},2)", amount)
