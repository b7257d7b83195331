"""`kpi-xl lambdas`: the scalar rules as Excel 365 named LAMBDA functions, no Python needed.

Each name's body is the rule's own native formula (the builders in kpi_xl.rules) over the
LAMBDA's parameters, so it computes what the forms and the add-in compute. Works in Excel
365 and Excel for the web; not in Excel 2019 or older, WPS or LibreOffice. Optional
arguments are not available in this form (the `formulas` engine that checks the library
cannot read them), so they are fixed from the policy or required; see `LAMBDAS`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import xlsxwriter

from .. import rules
from .._util.paths import write_atomic
from ..policy import DEFAULT_POLICY, Policy


@dataclass(frozen=True)
class Lambda:
    name: str
    params: tuple[str, ...]
    body: Callable[..., str]  # the rule's formula builder over the parameters
    help: str
    examples: tuple[tuple[str, Callable[[], Any]], ...]  # (arguments as typed in Excel, Python value)


# The scalar rules as LAMBDAs: (Excel name, parameters, values for parameters a LAMBDA cannot
# leave out, what differs from the add-in). Help, formula and examples come from rules.RULES.
SCALAR = (
    ("KPI_LINEAR", ("value", "zero_at", "full_at", "points"), (), ""),
    ("KPI_BAND", ("value", "thresholds", "points", "otherwise"), (0,), "otherwise is required here (0)."),
    ("KPI_DEDUCT", ("count", "per_item", "max_points"), (), ""),
    ("KPI_RATIO", ("actual", "planned"), (), ""),
    ("KPI_GRADE", ("score",), (), "Cut-offs here: A ≥ {p.grades.A:g}, B ≥ {p.grades.B:g}, C ≥ {p.grades.C:g}."),
    ("GRADE_PAY", ("grade", "base"), (1,), "base is required here; 1 gives the ratio."),
    ("KPI_360", ("self_score", "superior_score", "group_score"), (), "Always the policy's weights here."),
    ("KPI_QC_FACTOR", ("qc",), (), "Always the policy's floor, target and multiplier here."),
)  # fmt: skip


def lambdas(policy: Policy = DEFAULT_POLICY) -> list[Lambda]:
    found = []
    for name, params, required, note in SCALAR:
        rule = rules.RULES[name]
        extra = {"policy": policy} if rule.takes_policy else {}
        examples = []
        for example in rule.examples:
            missing = len(params) - len(example.args)
            args = example.args + (required[-missing:] if missing > 0 else ())
            if len(args) != len(params):
                continue  # an optional argument the LAMBDA does not take (KPI_360's weights)
            typed = rules.Example(args, None).typed()
            examples.append((typed, partial(rule.function, *args, **extra)))
        found.append(Lambda(name, params, partial(rule.formula, **extra), f"{rule.help} {note.format(p=policy)}".strip(),
                            tuple(examples)))  # fmt: skip
    return found


def definition(item: Lambda) -> str:
    """The defined name's formula as stored in the file: _xlfn.LAMBDA with _xlpm. parameters."""
    params = [f"_xlpm.{name}" for name in item.params]
    return f"=_xlfn.LAMBDA({','.join(params)},{item.body(*params)})"


INSTRUCTIONS = [
    "kpi-xl LAMBDA functions — no Python, no add-in. 无需Python和加载项的KPI函数。",
    "Works in Excel for Microsoft 365 and Excel for the web. Does NOT work in Excel 2019 or older, WPS or LibreOffice "
    "(they have no LAMBDA). 仅适用于Microsoft 365版Excel及网页版Excel。",
    "To use the functions in your own workbook: right-click the Examples tab › Move or Copy… › choose your workbook, tick "
    "'Create a copy'. The defined names come along; delete the copied sheet if you like. (Or: Formulas › Name Manager "
    "shows each definition to copy by hand.)",
    "Do not put these names into a workbook that also uses the xlwings Lite functions of the same names: one would hide "
    "the other.",
    "Differences from the add-in: each call takes single values (or arrays, in Excel 365's way); KPI_BAND needs its "
    "'otherwise' argument (use 0); GRADE_PAY needs a base (1 gives the ratio); KPI_GRADE, KPI_360 and KPI_QC_FACTOR "
    "use the policy's cut-offs, weights and factors, fixed when this workbook was made.",
    "Blank in, blank out; text where a number belongs gives an error value.",
]


def lambda_workbook(policy: Policy = DEFAULT_POLICY) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    examples = book.add_worksheet("Examples")
    examples.set_column(0, 0, 16)
    examples.set_column(1, 1, 44)
    examples.set_column(2, 3, 12)
    examples.set_column(4, 4, 70)
    for col, title in enumerate(["function", "formula", "result", "expected", "what it does"]):
        examples.write_string(0, col, title, bold)
    row = 1
    for item in lambdas(policy):
        book.define_name(item.name, definition(item))
        for arguments, expected in item.examples:
            formula = f"={item.name}({arguments})"
            value = expected()
            examples.write_string(row, 0, item.name)
            examples.write_string(row, 1, formula)
            examples.write_formula(row, 2, formula, None, "" if value is None else value)
            if value is None:
                examples.write_blank(row, 3, None)
            elif isinstance(value, str):
                examples.write_string(row, 3, value)
            else:
                examples.write_number(row, 3, value)
            examples.write_string(row, 4, item.help, wrap)
            row += 1
    notes = book.add_worksheet("Instructions")
    notes.set_column(0, 0, 120)
    for i, line in enumerate(INSTRUCTIONS):
        notes.write_string(i, 0, line, wrap)
    book.close()
    return buffer.getvalue()


def write_lambda_workbook(path: Path, policy: Policy = DEFAULT_POLICY) -> Path:
    write_atomic(path, lambda_workbook(policy))
    return path
