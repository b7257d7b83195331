"""The no-Python LAMBDA workbook, evaluated by the `formulas` engine (LibreOffice 7.4 cannot
evaluate named LAMBDAs): every example equals the Python rule."""

from __future__ import annotations

import math

import openpyxl
import pytest

from kpi_xl.excel.lambdas import definition, lambdas, write_lambda_workbook

formulas = pytest.importorskip("formulas", reason="pip install formulas (part of the test extra)")


def test_every_example_equals_the_python_rule(tmp_path):
    path = write_lambda_workbook(tmp_path / "lambdas.xlsx")
    solution = formulas.ExcelModel().loads(str(path)).finish().calculate()
    sheet = openpyxl.load_workbook(path)["Examples"]
    checked = 0
    for row in range(2, sheet.max_row + 1):
        key = f"'[lambdas.xlsx]EXAMPLES'!C{row}"
        got = solution[key].value[0][0]
        expected = sheet.cell(row, 4).value
        formula = sheet.cell(row, 2).value
        if expected is None:
            assert got in ("", None), formula
        elif isinstance(expected, str):
            assert got == expected, formula
        else:
            assert math.isclose(float(got), expected, rel_tol=1e-12, abs_tol=1e-12), (formula, got, expected)
        checked += 1
    assert checked == sum(len(item.examples) for item in lambdas())


def test_names_are_excel_365_lambdas():
    for item in lambdas():
        text = definition(item)
        assert text.startswith("=_xlfn.LAMBDA(" + ",".join(f"_xlpm.{p}" for p in item.params) + ",")
        assert "[" not in text  # no optional parameters: the formulas engine cannot read them
