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


def lambdas(policy: Policy = DEFAULT_POLICY) -> list[Lambda]:
    p = policy
    return [
        Lambda("KPI_LINEAR", ("value", "zero_at", "full_at", "points"), rules.kpi_linear_formula,
               "Points rising linearly from 0 at zero_at to points at full_at, clamped.",
               (("80,70,90,5", lambda: rules.kpi_linear(80, 70, 90, 5)),
                ("Z1,70,90,5", lambda: rules.kpi_linear(None, 70, 90, 5)),  # Z1 is empty: blank in, blank out
                ("0.03,0.05,0.02,30", lambda: rules.kpi_linear(0.03, 0.05, 0.02, 30)),
                ("95,70,90,5", lambda: rules.kpi_linear(95, 70, 90, 5)))),
        Lambda("KPI_BAND", ("value", "thresholds", "points", "otherwise"), rules.kpi_band_array_formula,
               "Tiered points: thresholds from best to worst; otherwise when none is met (required here: 0).",
               (("0.7,{0.75,0.65,0.5},{100,80,60},0", lambda: rules.kpi_band(0.7, [0.75, 0.65, 0.5], [100, 80, 60])),
                ("40,{30,45,55},{100,80,60},0", lambda: rules.kpi_band(40, [30, 45, 55], [100, 80, 60])),
                ("0.4,{0.75,0.65,0.5},{100,80,60},10", lambda: rules.kpi_band(0.4, [0.75, 0.65, 0.5], [100, 80, 60], 10)))),
        Lambda("KPI_DEDUCT", ("count", "per_item", "max_points"), rules.kpi_deduct_formula,
               "max_points less per_item for each occurrence, floored at 0.",
               (("3,2,30", lambda: rules.kpi_deduct(3, 2, 30)), ("20,2,30", lambda: rules.kpi_deduct(20, 2, 30)))),
        Lambda("KPI_RATIO", ("actual", "planned"), rules.kpi_ratio_formula, "Completion rate actual/planned.",
               (("180,200", lambda: rules.kpi_ratio(180, 200)),)),
        Lambda("KPI_GRADE", ("score",), lambda s: rules.kpi_grade_formula(s, policy=p),
               f"Grade letter by the cut-offs A ≥ {p.grades.A:g}, B ≥ {p.grades.B:g}, C ≥ {p.grades.C:g}.",
               (("85", lambda: rules.kpi_grade(85, policy=p)), ("90", lambda: rules.kpi_grade(90, policy=p)),
                ("59.9", lambda: rules.kpi_grade(59.9, policy=p)))),
        Lambda("GRADE_PAY", ("grade", "base"), lambda g, b: rules.grade_pay_formula(g, b, policy=p),
               "Pay for a grade as a share of base, bonus included; base 1 gives the ratio (A 1.1).",
               (('"A",1', lambda: rules.grade_pay("A", policy=p)), ('"C",800', lambda: rules.grade_pay("C", 800, policy=p)),
                ('"D",800', lambda: rules.grade_pay("D", 800, policy=p)))),
        Lambda("KPI_360", ("self_score", "superior_score", "group_score"), lambda a, b, c: rules.kpi_360_formula(a, b, c, policy=p),
               "Multi-rater score with the policy's weights (self 15 / superior 60 / group 25).",
               (("80,90,70", lambda: rules.kpi_360(80, 90, 70, policy=p)),)),
        Lambda("KPI_QC_FACTOR", ("qc",), lambda q: rules.kpi_qc_factor_formula(q, policy=p),
               "QC factor with the policy's floor, target and multiplier (70%, 80%, 5).",
               (("0.75", lambda: rules.kpi_qc_factor(0.75, policy=p)), ("0.85", lambda: rules.kpi_qc_factor(0.85, policy=p)),
                ("0.6", lambda: rules.kpi_qc_factor(0.6, policy=p)))),
    ]  # fmt: skip


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
