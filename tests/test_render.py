"""The renderer's shortcuts for big sheets write the same workbook as the general path; the
cycle collector paused while a big summary is built."""

from __future__ import annotations

import gc
import io
import re
import zipfile
from dataclasses import replace
from datetime import date, datetime

import pytest
from xlsxwriter.worksheet import Worksheet

from kpi_xl import rules
from kpi_xl._util.heap import collector_paused
from kpi_xl.forms import Context, blank_form
from kpi_xl.forms.spec import Calc, Computed, FormSpec, Key, Layout, Text
from kpi_xl.render import xlsx
from kpi_xl.render.content import cached, written_text
from kpi_xl.render.xlsx import render_book

CREATED = datetime(2026, 1, 1)


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _awkward() -> FormSpec:
    """Cells of every kind the fast writer takes, with text that XML must escape."""
    layout = Layout([12] * 10)
    layout.text(0, "A & B <c>", "title", 5)
    layout.next(30)
    layout.text(0, "=1+1", "label")  # typed text that looks like a formula stays text
    layout.text(1, "7", "number")
    layout.fixed("n", 2, 3, "value")
    layout.fixed("cap", 3, 2.5, "value")
    layout.fixed("tiny", 4, 1e-7, "value_score")
    layout.fixed("blank", 5, None, "value")
    layout.fixed("empty", 6, "", "value")
    layout.fixed("day", 7, date(2026, 5, 1), "input_date")
    layout.fixed("long", 9, "长" * 20000, "value_text")
    layout.next(20)
    layout.fixed("flag", 0, True, "value")
    layout.fixed("big", 1, 123456789.125, "money")
    layout.calc("check", 2, Calc(rules.within_limit, rules.within_limit_formula, (Key("n"), Key("cap"), "<符合&>", "超出 & over")),
                "computed_text")  # fmt: skip
    layout.calc("grade", 3, Calc(rules.kpi_grade, rules.kpi_grade_formula, (Key("blank"),)), "computed_text")
    layout.next(20)
    layout.next(40)  # a row with a height and no cells
    for n in range(40):  # spans are per 16 rows
        layout.fixed(f"row{n}", n % 7 + 2, float(n), "value")
        layout.next(20)
    return FormSpec(form=7, version=1, lang="zh", title="awkward", sheet="awkward", widths=layout.widths, cells=layout.cells,
                    print_rows=(0, 0), freeze=(1, 0), heights=layout.heights)  # fmt: skip


def _plain_cells(sheet, spec, formats) -> None:
    """Every cell through XlsxWriter's public write_* calls, one by one: the reference."""
    for cell in spec.cells:
        fmt = formats[cell.style]
        if cell.last_col is not None and cell.last_col > cell.col:
            sheet.merge_range(cell.row, cell.col, cell.row, cell.last_col, "", fmt)
        if isinstance(cell, Computed):
            sheet.write_formula(cell.row, cell.col, "=" + spec.formulas[cell.key], fmt, cached(spec.cached_values.get(cell.key)))
        else:
            xlsx._put(sheet, cell.row, cell.col, written_text(cell) if isinstance(cell, Text) else cell.value, fmt)


def test_fast_cell_writer_writes_what_xlsxwriter_writes(monkeypatch):
    specs = [_awkward()] + [replace(blank_form(form, Context(None)), sheet=f"form {form}") for form in (3, 7, 8)]
    fast = _parts(render_book(specs, CREATED))
    for method in ("_write_cell", "_write_rows", "_calculate_spans"):
        monkeypatch.setattr(xlsx._Sheet, method, getattr(Worksheet, method))
    monkeypatch.setattr(xlsx, "_write_cells", _plain_cells)
    general = _parts(render_book(specs, CREATED))
    assert fast.keys() == general.keys()
    for name in fast:
        assert fast[name] == general[name], name
    sheet = fast["xl/worksheets/sheet1.xml"].decode()
    assert 't="str"><f>IF(C2&lt;=D2,"&lt;符合&amp;&gt;","超出 &amp; over")</f><v>超出 &amp; over</v>' in sheet
    assert "<v>1E-07</v>" in sheet and "<v>123456789.125</v>" in sheet


def test_a_dynamic_array_formula_takes_xlsxwriters_own_path():
    """The fast writer skips XlsxWriter's formula handling unless the formula may hold a
    dynamic-array function: every name this XlsxWriter treats so must be caught (its private
    list moved in 3.3.4; the forms must be written whichever release is installed)."""
    from xlsxwriter import worksheet

    theirs = [name for name, kind in getattr(worksheet, "FUTURE_FUNCTIONS", {}).items() if kind]
    old = getattr(worksheet, "re_dynamic_function", None)
    if old is not None:
        theirs += re.findall(r"[A-Z][A-Z.]+", old.pattern)
    assert len(theirs) >= 20
    missed = [name for name in theirs if not xlsx._DYNAMIC.search(f"=1+{name}(A1:A3)")]
    assert missed == []
    sheet = xlsx._Sheet()
    assert "_xlfn._xlws.SORT(" in sheet._prepare_formula("=SORT(A1:A3)")
    assert sheet._prepare_formula("{=SUM(A1:A3)}") == "SUM(A1:A3)"


def test_the_cycle_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ZeroDivisionError), collector_paused():
        raise ZeroDivisionError
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # left as it was found
    finally:
        gc.enable()
