"""Writing native Excel formulas that compute what the Python rules compute.

A formula builder takes operands that are either cell references / expressions (`str`,
inserted as they are: "B2", "$C$5", "Sheet2!D7", "SUM(D5:D9)") or constants (numbers,
written as literals). It returns the formula without the leading "=", so that builders
nest; `cell_formula` adds it.

Only functions that Excel 2010, WPS and LibreOffice all know are used: IF, OR, AND, MAX,
MIN, SUM, SUMPRODUCT, COUNT, INDEX, CHOOSE, RANK, ISNUMBER, INT, ROUND, NA. No LAMBDA, no
dynamic arrays, no add-in.

Blank behaviour matches the Python rules: if any referenced input is blank (an empty cell,
or "" from another formula) the formula returns "".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Operand = str | int | float


def literal(number: float) -> str:
    """A number as an Excel literal: 70, 0.05, 1E-12, (-3)."""
    if isinstance(number, bool) or not isinstance(number, int | float):
        raise TypeError(f"not a number: {number!r}")
    value = float(number)
    if value.is_integer() and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = repr(value).upper().replace("E+", "E")
    return f"({text})" if value < 0 else text


def text_literal(text: str) -> str:
    """A text constant inside a formula: "A", with quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def criterion_equals(text: str) -> str:
    """The COUNTIF/COUNTIFS/AVERAGEIF criterion matching exactly `text`, whatever it holds.
    In a criterion `~ * ?` are wildcards and a leading `= < >` an operator: a department called
    `装配1~2线`, `A*组`, `=ZQX6部` or `<销售>` would count as 0 or as another one. So the text
    is escaped with `~` and always led by `=` (equal to): `"=装配1~~2线"`. Every criterion built
    from a name goes through here."""
    return text_literal("=" + re.sub(r"([~*?])", r"~\1", text))


_SIMPLE = re.compile(
    r"^(('[^']+'|[A-Za-z_][\w.]*)!)?\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?$"
    r"|^[A-Za-z_][\w.]*\([^()]*\)$"
)


def operand(value: Operand) -> str:
    """A constant as a literal; an expression in brackets unless it is a plain reference."""
    if not isinstance(value, str):
        return literal(value)
    if _SIMPLE.match(value):
        return value
    return f"({value})"


def blank_guard(expression: str, *operands: Operand) -> str:
    """`expression`, or "" where any referenced operand is blank.

    Constants cannot be blank, so only references are tested.
    """
    refs = [operand(op) for op in operands if isinstance(op, str)]
    if not refs:
        return expression
    tests = [f'{ref}=""' for ref in dict.fromkeys(refs)]
    test = tests[0] if len(tests) == 1 else "OR(" + ",".join(tests) + ")"
    return f'IF({test},"",{expression})'


def nested_if(branches: Sequence[tuple[str, str]], otherwise: str) -> str:
    """IF(c1,v1,IF(c2,v2,...,otherwise)): the first true condition wins."""
    formula = otherwise
    for condition, value in reversed(branches):
        formula = f"IF({condition},{value},{formula})"
    return formula


def cell_formula(expression: str) -> str:
    return "=" + expression
