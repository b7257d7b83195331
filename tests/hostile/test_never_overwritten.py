"""Class 3: people's work is never overwritten. A workbook kpi-xl generated that shows
anything else than it did — a sheet added, renamed or removed, a note in a spare cell of any
sheet, a comment, an image, a chart, a changed header, a formula typed over — is kept,
reported, and the new one is written beside it (…（新）.xlsx); an untouched one is replaced
in place. Reruns leave one beside-file, not a pile."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment

from kpi_xl.cli import main
from kpi_xl.collect.untouched import why_keep
from kpi_xl.ledger import Ledger
from kpi_xl.render.content import content_record
from kpi_xl.render.xlsx import render
from kpi_xl.scorecards.library import load_scorecards
from tests.helpers import STAFF, all_specs, collected, demo_specs, hand_in, small_roster_file
from tests.hostile.mutate import FORM_SHEET, append_row, rewrite

INSTRUCTIONS_SHEET = "xl/worksheets/sheet2.xml"  # XlsxWriter writes the form, then 说明, then meta


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- the check itself, on every kind of form ---------------------------------------------------

SPECS = all_specs()  # 附件1–6 of a person (zh and en, 附件3 with a plan) and every blank form 1–9


@pytest.mark.parametrize("name", sorted(SPECS))
def test_an_untouched_generated_form_may_be_replaced(tmp_path, name):
    path = tmp_path / "form.xlsx"
    path.write_bytes(render(SPECS[name]))
    assert why_keep(path, SPECS[name]) == ""


@pytest.fixture
def form(tmp_path):
    spec = demo_specs()["附件3"]
    path = tmp_path / "form.xlsx"
    path.write_bytes(render(spec))
    return spec, path


def _note(xml: bytes) -> bytes:
    return append_row(xml, '<row r="200"><c r="T200" t="inlineStr"><is><t>王主任：下月再议</t></is></c></row>')


def test_a_note_in_a_spare_cell_of_the_form_sheet(form):
    spec, path = form
    rewrite(path, FORM_SHEET, _note)
    assert why_keep(path, spec) == f"cells changed or added on '{spec.sheet}'"


def test_a_note_in_a_spare_cell_of_the_instructions_sheet(form):
    spec, path = form
    rewrite(path, INSTRUCTIONS_SHEET, _note)
    assert why_keep(path, spec) == "cells changed or added on '说明'"


def test_a_formula_typed_over_with_its_own_value(form):
    """Values alike, but the cell no longer computes: that is a change too."""
    spec, path = form
    rewrite(path, FORM_SHEET, lambda xml: re.sub(rb"<f>.*?</f>", b"", xml, count=1))
    assert why_keep(path, spec) == f"cells changed or added on '{spec.sheet}'"


def test_a_changed_header_text(form):
    spec, path = form
    title = spec.cells[0].text.encode()
    with zipfile.ZipFile(path) as z:
        assert title in z.read("xl/sharedStrings.xml")
    rewrite(path, "xl/sharedStrings.xml", lambda xml: xml.replace(title, "员工月度考核表（修订）".encode(), 1))
    assert "cells changed or added on" in why_keep(path, spec)


def _edited(path: Path, change) -> Path:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path


def test_an_added_sheet(form):
    spec, path = form
    _edited(path, lambda book: book.create_sheet("审批"))
    assert "sheet '审批' added" in why_keep(path, spec)


def test_a_renamed_and_a_removed_sheet(form):
    spec, path = form

    def change(book):
        book["说明"].title = "Notes"

    _edited(path, change)
    assert "sheet '说明' renamed 'Notes'" in why_keep(path, spec)
    _edited(path, lambda book: book.remove(book["Notes"]))
    assert "sheet '说明' removed or renamed" in why_keep(path, spec)


def test_a_comment(form):
    spec, path = form

    def change(book):
        book[spec.sheet]["A1"].comment = Comment("请核对工号", "王主任")

    _edited(path, change)
    assert "comments or notes" in why_keep(path, spec)


def test_a_chart(form):
    spec, path = form

    def change(book):
        chart = BarChart()
        chart.add_data(Reference(book[spec.sheet], min_col=1, min_row=1, max_row=3))
        book[spec.sheet].add_chart(chart, "T2")

    _edited(path, change)
    assert "charts, drawings or shapes added or removed" in why_keep(path, spec)


def test_an_image(form):
    """An image is a part of its own (xl/media) whoever inserted it."""
    spec, path = form
    with zipfile.ZipFile(path) as z:
        items = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in items:
            if name == "[Content_Types].xml":
                data = data.replace(b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1)
            z.writestr(name, data)
        z.writestr("xl/media/image1.png", b"\x89PNG\r\n\x1a\n")
    assert why_keep(path, spec) == "images added or removed"


def test_a_filled_form_says_so(form):
    spec, path = form
    _edited(path, lambda book: book[spec.sheet].cell(*(n + 1 for n in spec.position(spec.fields[-1].key)), 90))
    assert why_keep(path, spec) == "filled in since it was generated"


def test_an_older_form_without_the_record(form):
    """Written before kpi-xl recorded its content: replaced only when it shows exactly what
    would be written now (nothing to lose), otherwise kept."""
    spec, path = form
    rewrite(path, "xl/sharedStrings.xml", lambda xml: xml.replace(b">generated_content<", b">something_else<"))
    assert why_keep(path, spec, writing=lambda: content_record(spec)) == ""
    rewrite(path, FORM_SHEET, _note)
    assert why_keep(path, spec, writing=lambda: content_record(spec)).startswith("written by an older kpi-xl")


def test_a_workbook_that_is_not_ours(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "自己做的表"
    book.save(path)
    assert why_keep(path, demo_specs()["附件1"]) == "not written by kpi-xl (it has no kpi-xl meta sheet)"


# -- forms --force ---------------------------------------------------------------------------


@pytest.fixture
def forms(tmp_path, key):
    out = tmp_path / "out"
    args = ("forms", "--month", "2026-12", "--out", out, "--workers", "1", "--ledger", tmp_path / "ledger.sqlite3",
            "--roster", small_roster_file(tmp_path))  # fmt: skip
    return args, out


def test_forms_force_keeps_a_form_with_a_note_and_writes_the_new_one_beside_it(forms, capsys):
    args, out = forms
    assert run(capsys, *args)[0] == 0
    path = next((out / "2026-12").rglob("form1_*.xlsx"))
    rewrite(path, FORM_SHEET, _note)
    noted = path.read_bytes()
    for _ in range(2):  # twice: one beside-file, not a pile
        code, output, _err = run(capsys, *args, "--force")
        assert code == 0 and f"kept (changed): {path}: cells changed or added on" in output
    beside = path.with_name(f"{path.stem} (new).xlsx")
    assert path.read_bytes() == noted and beside.exists()
    assert sorted(p.name for p in path.parent.glob(f"{path.stem}*")) == sorted([path.name, beside.name])
    assert why_keep(beside, None) == "", "the beside-file is an untouched generated form"


def test_forms_force_replaces_untouched_forms_in_place(forms, capsys):
    args, out = forms
    assert run(capsys, *args)[0] == 0
    before = sorted(p.name for p in (out / "2026-12").rglob("*.xlsx"))
    code, output, _err = run(capsys, *args, "--force")
    assert code == 0 and "kept 0" in output and f"replaced {len(before)}" in output
    assert sorted(p.name for p in (out / "2026-12").rglob("*.xlsx")) == before


# -- summary and annual --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office")
    ledger = folder / "ledger.sqlite3"
    from tests.helpers import office_key

    hand_in(folder, "2026-12", {p.id: 80.0 + i for i, p in enumerate(STAFF[:4])}, office_key(ledger), departments=False)
    with Ledger(ledger) as opened:
        collected(folder, opened, "2026-12")
    return ledger


def test_a_summary_with_an_approval_sheet_is_kept(office, tmp_path, capsys):
    summary = ("summary", "--month", "2026-12", "--out", tmp_path, "--ledger", office)
    assert run(capsys, *summary)[0] == 0
    path = next((tmp_path / "2026-12").glob("form7_*.xlsx"))
    _edited(path, lambda book: book.create_sheet("审批"))
    approved = path.read_bytes()
    for _ in range(2):
        code, out, err = run(capsys, *summary)
        assert code == 1, "the clerk must notice: the file at its usual name is not the new one"
        beside = path.with_name(f"{path.stem} (new).xlsx")
        assert f": {beside}" in out
        assert f"Kept: {path} was changed since kpi-xl wrote it (sheet '审批' added" in err
    assert path.read_bytes() == approved
    assert sorted(p.name for p in path.parent.glob("*.xlsx")) == sorted([path.name, beside.name])


def test_an_edited_beside_file_is_kept_too(office, tmp_path, capsys):
    summary = ("--lang", "zh", "summary", "--month", "2026-12", "--out", tmp_path, "--ledger", office)
    run(capsys, *summary)
    path = next((tmp_path / "2026-12").glob("附件7_*.xlsx"))
    rewrite(path, INSTRUCTIONS_SHEET, _note)
    assert run(capsys, *summary)[0] == 1
    beside = path.with_name(f"{path.stem}（新）.xlsx")
    rewrite(beside, INSTRUCTIONS_SHEET, _note)
    code, _out, err = run(capsys, *summary)
    assert code == 1 and f"新文件是 {path.with_name(f'{path.stem}（新2）.xlsx')}" in err


def test_an_untouched_summary_is_replaced_in_place(office, tmp_path, capsys):
    summary = ("summary", "--month", "2026-12", "--out", tmp_path, "--ledger", office)
    assert run(capsys, *summary)[0] == 0
    assert run(capsys, *summary)[0] == 0
    assert len(list((tmp_path / "2026-12").glob("*.xlsx"))) == 1


def test_an_edited_annual_summary_is_kept(office, tmp_path, capsys):
    run(capsys, "summary", "--month", "2026-12", "--out", tmp_path, "--ledger", office)
    annual = ("annual", "--year", "2026", "--out", tmp_path, "--ledger", office)
    assert run(capsys, *annual)[0] == 0
    assert run(capsys, *annual)[0] == 0, "untouched: replaced in place"
    form8 = next((tmp_path / "2026").glob("form8_*.xlsx"))
    form9 = next((tmp_path / "2026").glob("form9_*.xlsx"))

    def change(book):
        sheet = book.worksheets[0]
        sheet.cell(sheet.max_row + 2, 2, "经总经理办公会审定")

    _edited(form8, change)
    code, _out, err = run(capsys, *annual)
    assert code == 1 and f"Kept: {form8}" in err and str(form9) not in err
    assert len(list((tmp_path / "2026").glob("*.xlsx"))) == 3


# -- the 指标库 ----------------------------------------------------------------------------------


def test_an_edited_scorecard_library_is_kept(tmp_path, capsys):
    path = tmp_path / "指标库.xlsx"
    cards = ("scorecards", "--policy", "seed-003", "--out", path)
    assert run(capsys, *cards)[0] == 0
    assert run(capsys, *cards)[0] == 0 and len(list(tmp_path.iterdir())) == 1, "untouched: replaced in place"
    library = load_scorecards(path)  # its meta sheet is not taken for a scorecard

    def change(book):
        book.worksheets[0]["B4"] = "HR 自己改写的指标定义"

    _edited(path, change)
    edited = path.read_bytes()
    code, out, err = run(capsys, *cards)
    beside = tmp_path / "指标库 (new).xlsx"
    assert code == 1 and f"wrote {beside}" in out and f"Kept: {path}" in err
    assert path.read_bytes() == edited
    assert load_scorecards(beside).scorecards == library.scorecards


def test_a_scorecard_library_without_a_meta_sheet(tmp_path, capsys):
    """As an older kpi-xl wrote it: replaced only when it shows what would be written now."""
    path = tmp_path / "指标库.xlsx"
    cards = ("scorecards", "--out", path)
    assert run(capsys, *cards)[0] == 0
    _edited(path, lambda book: book.remove(book["meta"]))
    assert run(capsys, *cards)[0] == 0 and len(list(tmp_path.iterdir())) == 1

    def change(book):
        book.remove(book["meta"])
        book.worksheets[0]["B4"] = "按季度考核"

    _edited(path, change)
    code, _out, err = run(capsys, *cards)
    assert code == 1 and "(not written by kpi-xl (it has no kpi-xl meta sheet))" in err


@pytest.mark.libreoffice
def test_a_blank_form_recalculated_and_saved_by_libreoffice_is_still_untouched(tmp_path):
    """Opened, recalculated and saved without a change: the same values to 12 digits and
    no part a person adds, so it may be replaced; a note typed in it is still noticed."""
    from tests.helpers import convert

    specs = {name: spec for name, spec in demo_specs().items() if name in ("附件1", "附件3", "附件5")}
    (tmp_path / "in").mkdir()
    for name, spec in specs.items():
        (tmp_path / "in" / f"{name}.xlsx").write_bytes(render(spec))
    saved = convert(sorted((tmp_path / "in").glob("*.xlsx")), tmp_path / "out")
    assert {path.stem: why_keep(path, specs[path.stem]) for path in saved} == dict.fromkeys(specs, "")
    rewrite(saved[0], INSTRUCTIONS_SHEET, _note)
    assert why_keep(saved[0], specs[saved[0].stem]) == "cells changed or added on '说明'"
