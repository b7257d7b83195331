"""Every form: opens, inputs unlocked and validated, everything else locked, print setup,
frozen panes, instructions, hidden meta, text kept as text."""

from __future__ import annotations

import openpyxl
import pytest

from kpi_xl.forms.spec import MARKER
from kpi_xl.render.xlsx import render
from tests.helpers import all_specs, demo_specs

SPECS = all_specs()


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("forms")
    opened = {}
    for name, spec in SPECS.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(render(spec))
        opened[name] = (spec, openpyxl.load_workbook(path))
    return opened


def input_cells(spec):
    cells = set()
    for f in spec.fields:
        for col in range(f.col, (f.last_col if f.last_col is not None else f.col) + 1):
            cells.add((f.row + 1, col + 1))
    return cells


@pytest.mark.parametrize("name", list(SPECS))
def test_inputs_unlocked_and_everything_else_locked(books, name):
    spec, book = books[name]
    sheet = book[spec.sheet]
    inputs = input_cells(spec)
    assert inputs, "a form with nothing to fill in"
    assert sheet.protection.sheet is True
    wrong = []
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=len(spec.widths)):
        for cell in row:
            should_lock = (cell.row, cell.column) not in inputs
            if cell.protection.locked != should_lock:
                wrong.append(f"{cell.coordinate} locked={cell.protection.locked}")
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("name", list(SPECS))
def test_every_input_has_validation_with_an_input_message(books, name):
    spec, book = books[name]
    sheet = book[spec.sheet]
    rules = sheet.data_validations.dataValidation
    for f in spec.fields:
        coordinate = sheet.cell(f.row + 1, f.col + 1).coordinate
        covering = [dv for dv in rules if coordinate in dv.sqref]
        assert len(covering) == 1, f"{name} {f.key} at {coordinate}: {len(covering)} validations"
        dv = covering[0]
        assert dv.showInputMessage and dv.prompt, f"{name} {f.key}: no input message"
        if f.check.kind == "decimal":
            assert dv.operator in (None, "between")  # "between" is the default in the file format
            assert (float(dv.formula1), float(dv.formula2)) == (f.check.minimum, f.check.maximum)
        assert dv.type == {"decimal": "decimal", "date": "date", "list": "list", "text": "textLength"}[f.check.kind]


@pytest.mark.parametrize("name", list(SPECS))
def test_print_setup_panes_instructions_and_meta(books, name):
    spec, book = books[name]
    sheet = book[spec.sheet]
    assert str(sheet.page_setup.paperSize) == "9"  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth in (None, 1)  # 1 is the default in the file format
    assert sheet.page_setup.fitToHeight == 0  # as many pages tall as needed
    first, last = spec.print_rows
    assert sheet.print_title_rows == f"${first + 1}:${last + 1}"
    assert sheet.freeze_panes is not None
    assert book.sheetnames == [spec.sheet, "说明" if spec.lang == "zh" else "Instructions", "meta"]
    instructions = [c.value for c in book.worksheets[1]["A"] if c.value]
    assert len(instructions) >= 3
    meta = book["meta"]
    assert meta.sheet_state == "hidden" and meta.protection.sheet
    values = {row[0].value: row[1].value for row in meta.iter_rows()}
    assert values["marker"] == MARKER and values["form"] == str(spec.form)
    assert values["fingerprint"] == spec.fingerprint()


@pytest.mark.parametrize("name", [n for n in SPECS if not n.startswith("template")])
def test_forms_for_people_have_a_signature_block_and_month(books, name):
    spec, book = books[name]
    keys = {f.key for f in spec.fields}
    assert {"sign.0.name", "sign.0.date"} <= keys
    assert spec.meta["month"] == "2026-12"
    assert spec.meta["subject_id"]


def test_person_text_is_written_as_text_never_as_a_formula(books):
    spec, book = books["附件3"]
    sheet = book[spec.sheet]
    row, col = spec.position("item2.item")
    cell = sheet.cell(row + 1, col + 1)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    target = sheet.cell(*(x + 1 for x in spec.position("item2.target")))
    assert target.value == "+1" and target.data_type == "s"


def test_peer_review_leaves_out_the_raters_own_department():
    spec = demo_specs()["附件4"]
    rated = [c.value for c in spec.fixed if c.key.endswith(".department")]
    assert spec.meta["department"] not in rated
    assert len(rated) == 7


def test_department_criteria_carry_seed_000_points():
    spec = demo_specs()["附件5"]
    assert [c.value for c in spec.fixed if c.key.endswith(".points")] == [70, 10, 5, 5, 5, 5]


def test_cached_values_are_blank_until_someone_types():
    spec = demo_specs()["附件3"]
    values = spec.cached_values
    # the plan's weights are pre-filled (40 + 35 + 25): their total and check show
    assert values["weight_total"] == 100 and values["weight_check"] == "✓ 合计100%"
    assert values["final"] is None and values["grade"] is None
