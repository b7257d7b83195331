"""Issue 12 class 2: the paper a person signs says what the ledger records.

A header edited after unprotecting the sheet (姓名, 工号, 部门, the month), a computed cell
typed over with a number or text, or its formula replaced (`=1/0`), or a saved value changed
behind a right formula: the form is refused, naming file › sheet!cell and both values; the
good forms beside it are recorded. Forms as Excel, WPS and LibreOffice save them still pass.
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from kpi_xl.calendar import Month
from kpi_xl.collect.collector import collect
from kpi_xl.forms import FINAL, GRADE, Context, form_for, total_key
from kpi_xl.policy import DEFAULT_POLICY
from kpi_xl.reading.formulas import formulas, same_formula, shifted
from kpi_xl.roster import Roster, demo_roster
from tests.helpers import convert, edit_meta, fill, soffice_or_skip, write_filled
from tests.hostile import mutate

MONTH = Month.parse("2026-12")
CTX = Context(MONTH)
ROSTER = demo_roster()
HER = ROSTER["E0011"]  # 苏永红, 办公室
SPEC = form_for(3, HER.id, ROSTER, CTX)
SCORES = {"item1.item": "整理档案", "item1.weight": 100, "item1.dept": 80,
          **{f"conduct{n}.dept": 80 for n in range(1, 7)}}  # fmt: skip  (final 80: grade B)


def her_form(folder, key, spec=SPEC):
    return write_filled(folder / "苏永红.xlsx", spec, SCORES, key)


def good_form(folder, key):
    return write_filled(folder / "孙志强.xlsx", form_for(3, "E0007", ROSTER, CTX), SCORES, key)


def run(folder, ledger, key, roster=ROSTER):
    return collect([folder], MONTH, roster, DEFAULT_POLICY, ledger, key=key, workers=1)


def typed(path, changes):
    """Unprotect, type into cells by 0-based place, save: as a person in Excel would."""
    book = openpyxl.load_workbook(path)
    sheet = book[SPEC.sheet]
    for (row, col), value in changes.items():
        sheet.cell(row + 1, col + 1).value = value
    book.save(path)
    return path


def header(shows, spec=SPEC):
    return next(c for c in spec.header if c.shows == shows)


def where(row, col):
    return f"苏永红.xlsx › {SPEC.sheet}!{openpyxl.utils.get_column_letter(col + 1)}{row + 1}"


def only_her_refused(report, ledger):
    assert report.problems and {p.where.split(" › ")[0] for p in report.problems} == {"苏永红.xlsx"}, report.problems
    assert ledger.submitted(str(MONTH)) == {(3, "E0007")}  # the good form beside it is recorded
    return [str(p) for p in report.problems]


# -- the header --------------------------------------------------------------------------------


@pytest.mark.parametrize(("shows", "forged"), [("name", "孙志强"), ("id", "E0007"), ("department", "销售部")])
def test_a_header_cell_edited_is_refused_quoting_both(tmp_path, key, ledger, shows, forged):
    folder = tmp_path / "in"
    cell = header(shows)
    typed(her_form(folder, key), {(cell.row, cell.col): forged})
    good_form(folder, key)
    [problem] = only_her_refused(run(folder, ledger, key), ledger)
    assert problem == (f"{where(cell.row, cell.col)}: shows {forged!r}, but this form is for {cell.text!r}: its header "
                       "was changed after it was made; hand in the form generated for you, with its header unchanged")


def test_the_month_in_the_subtitle_edited_is_refused(tmp_path, key, ledger):
    folder = tmp_path / "in"
    cell = header("month")
    assert "December 2026" in cell.text or "2026年12月" in cell.text
    typed(her_form(folder, key), {(cell.row, cell.col): cell.text.replace("12", "11")})
    good_form(folder, key)
    [problem] = only_her_refused(run(folder, ledger, key), ledger)
    assert problem.startswith(where(cell.row, cell.col)) and "but this form is for" in problem


def test_a_header_and_meta_changed_together_are_refused_by_the_signature_first(tmp_path, key, ledger):
    folder = tmp_path / "in"
    cell = header("name")
    path = typed(her_form(folder, key), {(cell.row, cell.col): "孙志强"})
    edit_meta(path, {"subject_name": "孙志强"})
    [problem] = run(folder, ledger, key).problems
    assert problem.where == "苏永红.xlsx" and "does not match its signature" in problem.message


def test_a_roster_changed_since_the_form_was_made_is_named_as_such(tmp_path, key, ledger):
    folder = tmp_path / "in"
    her_form(folder, key)
    renamed = Roster(tuple(p.__class__(**{**p.__dict__, "name": "苏永宏"}) if p.id == HER.id else p for p in ROSTER.people), "t")
    [problem] = run(folder, ledger, key, renamed).problems
    cell = header("name")
    assert str(problem) == (f"{where(cell.row, cell.col)}: shows '苏永红' as the form was made, but the roster now says "
                            "'苏永宏'; correct the roster, or generate the form again and have it filled in again")


def test_every_form_kind_has_its_header_checked(tmp_path, key, ledger):
    """附件1–6: 工号/姓名/部门 (or 部门/部门负责人, 评价部门/评价人) and the month are declared as header."""
    subjects = {1: HER.id, 2: "办公室", 3: HER.id, 4: ROSTER.head_of("办公室").id, 5: "办公室", 6: "E0002"}
    for form, subject in subjects.items():
        spec = form_for(form, subject, ROSTER, CTX)
        kinds = {c.shows for c in spec.header}
        assert "month" in kinds and ({"id", "name", "department"} <= kinds or {"department", "head"} <= kinds
                                     or {"department", "name"} <= kinds), (form, kinds)  # fmt: skip


# -- the computed cells --------------------------------------------------------------------------


def test_a_total_typed_over_with_a_number_is_refused(tmp_path, key, ledger):
    folder = tmp_path / "in"
    row, col = SPEC.position(FINAL)
    typed(her_form(folder, key), {(row, col): 99})
    good_form(folder, key)
    [problem] = only_her_refused(run(folder, ledger, key), ledger)
    assert problem.startswith(f"{where(row, col)}: shows 99 typed over its formula; kpi-xl computes 80 there (={SPEC.formulas[FINAL]})")


def test_a_grade_overwritten_with_text_is_refused(tmp_path, key, ledger):
    folder = tmp_path / "in"
    row, col = SPEC.position(GRADE)
    typed(her_form(folder, key), {(row, col): "A"})
    [problem] = [str(p) for p in run(folder, ledger, key).problems]
    assert problem.startswith(f"{where(row, col)}: shows 'A' typed over its formula; kpi-xl computes 'B' there")


@pytest.mark.parametrize("formula", ["=1/0", "=99", f"={SPEC.formulas[total_key('dept')]}+20"])
def test_a_computed_cell_with_another_formula_is_refused(tmp_path, key, ledger, formula):
    folder = tmp_path / "in"
    row, col = SPEC.position(total_key("dept"))
    typed(her_form(folder, key), {(row, col): formula})
    good_form(folder, key)
    [problem] = only_her_refused(run(folder, ledger, key), ledger)
    assert problem.startswith(f"{where(row, col)}: holds the formula {formula}, not kpi-xl's ={SPEC.formulas[total_key('dept')]} "
                              "(which gives 80)")  # fmt: skip


def test_a_division_by_zero_saved_with_its_error_is_refused(tmp_path, key, ledger):
    """=1/0 as a spreadsheet saves it: the formula and the #DIV/0! it shows."""
    folder = tmp_path / "in"
    row, col = SPEC.position(FINAL)
    ref = f"{openpyxl.utils.get_column_letter(col + 1)}{row + 1}".encode()

    def divide(xml):
        return re.sub(rb'(<c r="' + ref + rb'"[^>]*?)(?: t="\w+")?>.*?</c>', rb'\1 t="e"><f>1/0</f><v>#DIV/0!</v></c>', xml, count=1)

    mutate.rewrite(her_form(folder, key), mutate.FORM_SHEET, divide)
    [problem] = [str(p) for p in run(folder, ledger, key).problems]
    assert problem.startswith(f"{where(row, col)}: holds the formula =1/0, not kpi-xl's")


def test_a_saved_value_changed_behind_the_right_formula_is_refused(tmp_path, key, ledger):
    """Excel shows the saved value until it recalculates: the paper would say 95."""
    folder = tmp_path / "in"
    row, col = SPEC.position(FINAL)
    ref = f"{openpyxl.utils.get_column_letter(col + 1)}{row + 1}".encode()
    path = her_form(folder, key)
    mutate.rewrite(path, mutate.FORM_SHEET, lambda xml: re.sub(rb'(<c r="' + ref + rb'"[^>]*>.*?<v>)[^<]*(</v>)', rb"\g<1>95\2", xml, count=1))
    [problem] = [str(p) for p in run(folder, ledger, key).problems]
    assert problem.startswith(f"{where(row, col)}: shows 95, but its formula gives 80 for what is typed")


def test_several_cells_typed_over_are_all_named(tmp_path, key, ledger, chinese):
    folder = tmp_path / "in"
    spec = form_for(3, HER.id, ROSTER, Context(MONTH, "zh"))
    places = [spec.position(FINAL), spec.position(GRADE), spec.position(total_key("dept"))]
    typed(her_form(folder, key, spec), {place: 100 for place in places})
    problems = run(folder, ledger, key).problems
    assert [p.where for p in problems] == [where(*place) for place in sorted(places, key=lambda p: [c.key for c in spec.computed].index(
        next(c.key for c in spec.computed if (c.row, c.col) == p)))]  # fmt: skip
    assert "覆盖了公式" in problems[0].message


def test_forms_filled_as_spreadsheets_save_them_pass(tmp_path, key, ledger):
    """openpyxl keeps formulas and drops saved values (computed on opening): accepted; the
    renderer's own filled copies carry the values the rules compute: accepted."""
    folder = tmp_path / "in"
    fill(her_form(folder, key), SPEC, {"item1.dept": 90})
    good_form(folder, key)
    report = run(folder, ledger, key)
    assert report.problems == [] and report.recorded["new"] == 2


# -- reading formulas ---------------------------------------------------------------------------


def test_formulas_are_read_alike_directly_and_streamed(tmp_path, key):
    from kpi_xl.reading import formulas as module
    from kpi_xl.reading.xlsx_parts import XlsxParts

    parts = XlsxParts(her_form(tmp_path, key))
    data = parts.inflate(mutate.FORM_SHEET)
    wanted = {(c.row, c.col) for c in SPEC.computed} | {(f.row, f.col) for f in SPEC.fields[:5]}
    direct = module._direct(data, wanted)
    streamed = module._streamed(data, wanted, "sheet")
    assert direct == streamed and len(direct) == len(SPEC.computed)
    assert all(direct[(c.row, c.col)] == SPEC.formulas[c.key] for c in SPEC.computed)
    # attributes in another order: the same; a comment, a formula cell written twice, a shared formula: streamed
    assert module._direct(re.sub(rb'<c r="(\w+)" s="(\d+)"', rb'<c s="\2" r="\1"', data), wanted) == direct
    assert module._direct(data.replace(b"<sheetData>", b"<sheetData><!-- x -->"), wanted) is None
    final = f'<c r="{openpyxl.utils.get_column_letter(SPEC.position(FINAL)[1] + 1)}{SPEC.position(FINAL)[0] + 1}"'.encode()
    twice = re.sub(rb"(" + final + rb".*?</c>)", rb"\1\1", data, count=1)
    assert module._direct(twice, wanted) is None and module._streamed(twice, wanted, "x") == direct
    assert module._direct(data.replace(b"<f>", b'<f t="shared" si="0" ref="A1:A2">', 1), wanted) is None
    assert formulas(data.replace(b"<sheetData>", b"<sheetData><!-- <c r=\"A1\"><f>1/0</f></c> -->"), wanted, "x") == direct
    parts.close()


def test_shared_formulas_are_translated_from_their_first_cell():
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="2"><c r="F2"><f t="shared" ref="F2:F4" si="0">IF(D2="","",$B$1*D2+E2)</f><v>1</v></c></row>'
           b'<row r="3"><c r="F3"><f t="shared" si="0"/><v>2</v></c></row>'
           b'<row r="4"><c r="F4"><f t="shared" si="0"/><v>3</v></c></row></sheetData></worksheet>')  # fmt: skip
    assert formulas(xml, {(2, 5), (3, 5)}, "x") == {(2, 5): 'IF(D3="","",$B$1*D3+E3)', (3, 5): 'IF(D4="","",$B$1*D4+E4)'}
    assert shifted('SUM(A1:B2)&"A1"&LOG10(C3)', 1, 1) == 'SUM(B2:C3)&"A1"&LOG10(D4)'


@pytest.mark.parametrize(("got", "same"), [
    ("IF(ABS(D16-100)<0.000000001,1,0)", True),  # LibreOffice's spelling of 1E-9
    ("if( abs(D16 - 100) < 1e-9 , 1 , 0 )", True),
    ("_xlfn.IF(ABS(D16-100)<1E-9,1,0)", True),
    ("IF(ABS(D16-100)<1E-8,1,0)", False),
    ("IF(ABS(D17-100)<1E-9,1,0)", False),
    ('IF(ABS(D16-100)<1E-9,"1",0)', False),
])  # fmt: skip
def test_formulas_compare_as_spreadsheets_rewrite_them(got, same):
    assert same_formula(got, "IF(ABS(D16-100)<1E-9,1,0)") is same


@pytest.mark.libreoffice
def test_forms_saved_by_libreoffice_pass(tmp_path, key, ledger):
    soffice_or_skip()
    blank = tmp_path / "blank.xlsx"
    from kpi_xl.render.xlsx import render

    blank.write_bytes(render(SPEC, key=key))
    filled = fill(blank, SPEC, SCORES, out=tmp_path / "filled.xlsx")
    (saved,) = convert([filled], tmp_path / "in")  # opened, recalculated and saved by LibreOffice
    report = run(tmp_path / "in", ledger, key)
    assert report.problems == [] and report.recorded["new"] == 1
    typed(saved, {SPEC.position(FINAL): 99})
    assert run(tmp_path / "in", ledger, key).problems
