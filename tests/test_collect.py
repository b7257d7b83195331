"""`kpi-xl collect`: what is recorded, what is refused and why, and that reruns change nothing."""

from __future__ import annotations

import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_xl.calendar import Month
from kpi_xl.cli import main
from kpi_xl.collect.collector import collect
from kpi_xl.forms import Context, form_for
from kpi_xl.ledger import Ledger
from kpi_xl.policy import DEFAULT_POLICY
from kpi_xl.render.xlsx import render
from tests.helpers import MONTH, ROSTER, edit_meta, fill, office_key, valid_values, write_filled

CTX = Context(MONTH)
PERSON = ROSTER["E0011"]  # 苏永红, 办公室


def appraisal_values(**extra):
    values = {"item1.item": "整理档案", "item1.weight": 60, "item2.item": "客户回访", "item2.weight": 40,
              "item1.dept": 80, "item2.dept": 90, **{f"conduct{n}.dept": 85 for n in range(1, 7)}}  # fmt: skip
    return values | extra


def run_collect(folder, ledger):
    return collect([folder], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=office_key(ledger.path))


def test_a_good_form_is_recorded_with_its_totals_and_rerunning_changes_nothing(tmp_path, key, ledger):
    spec = form_for(3, PERSON.id, ROSTER, CTX)
    write_filled(tmp_path / "in" / "a.xlsx", spec, appraisal_values(), key)
    first = run_collect(tmp_path / "in", ledger)
    assert (first.recorded, first.problems) == ({"new": 1, "updated": 0, "unchanged": 0}, [])
    values = ledger.values("2026-12", 3)[PERSON.id]
    # work (80×60 + 90×40)/100 = 84; 84×0.7 + 85×0.3 = 84.3; the leader has not rated: the department's stands
    assert values["total.dept"] == pytest.approx(84.3) and values["final"] == pytest.approx(84.3)
    assert values["grade"] == "B" and values["item1.item"] == "整理档案"
    again = run_collect(tmp_path / "in", ledger)
    assert again.recorded == {"new": 0, "updated": 0, "unchanged": 1}
    write_filled(tmp_path / "in" / "a.xlsx", spec, appraisal_values(**{"item1.dept": 100}), key)
    assert run_collect(tmp_path / "in", ledger).recorded == {"new": 0, "updated": 1, "unchanged": 0}


def test_the_file_is_never_modified(tmp_path, key, ledger):
    path = write_filled(tmp_path / "in" / "a.xlsx", form_for(3, PERSON.id, ROSTER, CTX), appraisal_values(), key)
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    run_collect(tmp_path / "in", ledger)
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime


def test_blank_forms_are_not_handed_in_yet(tmp_path, key, ledger):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "blank.xlsx").write_bytes(render(form_for(3, PERSON.id, ROSTER, CTX), key=key))
    report = run_collect(folder, ledger)
    assert (report.blank, report.problems, ledger.submitted("2026-12")) == (1, [], set())


def test_every_bad_file_is_reported_exactly_and_the_rest_recorded(tmp_path, key, ledger):
    folder = tmp_path / "in"
    spec = form_for(3, PERSON.id, ROSTER, CTX)
    write_filled(folder / "good.xlsx", spec, appraisal_values(), key)
    other = ROSTER["E0007"]
    write_filled(folder / "mistyped.xlsx", form_for(3, other.id, ROSTER, CTX),
                 appraisal_values(**{"item1.dept": 120, "item2.self": "九十"}), key)  # fmt: skip
    # renamed, and it is found by content all the same
    write_filled(folder / "张三的表格 (最终版).xlsx", form_for(1, "E0008", ROSTER, CTX),
                 {"item1.item": "x", "item1.weight": 70, "item2.item": "y", "item2.weight": 20}, key)  # fmt: skip
    (folder / "corrupt.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4")
    (folder / "~$good.xlsx").write_bytes(b"lock")  # Excel's lock file: passed over
    with zipfile.ZipFile(folder / "other.xlsx", "w") as z:  # a workbook, but not one of ours
        z.writestr("[Content_Types].xml", "<Types/>")
    write_filled(folder / "november.xlsx", form_for(3, "E0009", ROSTER, Context(Month.parse("2026-11"))), appraisal_values(), key)
    no_leader = appraisal_values(**{"item1.leader": 90})  # the leader scored one row of two
    write_filled(folder / "partial.xlsx", form_for(3, "E0010", ROSTER, CTX), no_leader, key)

    report = run_collect(folder, ledger)
    assert [str(p) for p in report.problems] == [
        "corrupt.xlsx: cannot be opened as a workbook: it is damaged or not really an .xlsx; "
        "re-save it as .xlsx or ask for the file again",
        "mistyped.xlsx › 考核表!G8: 第1项 部门考核 120 is outside 0–100; enter a number from 0 to 100",
        "mistyped.xlsx › 考核表!F9: 第2项 自评 must be a number (got '九十'); type a number from 0 to 100",
        "november.xlsx: is the form for 2026-11, not 2026-12; collect it with the forms of 2026-11",
        "old.xls: was saved as .xls (Excel 97–2003); open it and save it as Excel Workbook (.xlsx); skipped",
        "other.xlsx: cannot be opened as a workbook: it is damaged or not really an .xlsx; "
        "re-save it as .xlsx or ask for the file again",
        "partial.xlsx › 考核表!H9: 分管领导评定 is incomplete: fill every row or none (blank: H9, H20, H21, H22, H23, H24, H25)",
        "scan.pdf: is not an .xlsx workbook (.pdf); hand in the form as the .xlsx file; skipped",
        "张三的表格 (最终版).xlsx › 考核表!E15: 计划权重 total 90, not 100; correct the weights",
    ]
    assert report.recorded["new"] == 1 and ledger.submitted("2026-12") == {(3, PERSON.id)}


def test_a_second_different_copy_is_reported_and_neither_recorded(tmp_path, key, ledger):
    spec = form_for(3, PERSON.id, ROSTER, CTX)
    write_filled(tmp_path / "in" / "a.xlsx", spec, appraisal_values(), key)
    write_filled(tmp_path / "in" / "b.xlsx", spec, appraisal_values(**{"item1.dept": 70}), key)
    write_filled(tmp_path / "in" / "c.xlsx", form_for(3, "E0007", ROSTER, CTX), appraisal_values(), key)
    write_filled(tmp_path / "in" / "d.xlsx", form_for(3, "E0007", ROSTER, CTX), appraisal_values(), key)  # identical copy
    report = run_collect(tmp_path / "in", ledger)
    message = ("附件3 of 苏永红 (E0011) is handed in 2 times with different entries (a.xlsx, b.xlsx); "
               "none was recorded: keep one and collect again")  # fmt: skip
    assert [str(p) for p in report.problems] == [f"a.xlsx: {message}", f"b.xlsx: {message}"]
    assert ledger.submitted("2026-12") == {(3, "E0007")}


def test_a_person_not_on_the_roster_and_an_old_version(tmp_path, key, ledger):
    folder = tmp_path / "in"
    spec = form_for(3, PERSON.id, ROSTER, CTX)
    path = write_filled(folder / "a.xlsx", spec, appraisal_values(), key)
    from kpi_xl.roster import Roster

    without = Roster(tuple(p for p in ROSTER.people if p.id != PERSON.id), "test")
    report = collect([folder], MONTH, without, DEFAULT_POLICY, ledger, key=office_key(ledger.path))
    assert [str(p) for p in report.problems] == [
        "a.xlsx: is for 'E0011', who is not on the roster; check the roster or the file"
    ]
    edit_meta(path, {"version": "0"}, key)  # a form of an earlier version, as kpi-xl signed it
    assert [str(p) for p in run_collect(folder, ledger).problems] == [
        "a.xlsx: is version '0' of 附件3, but the current one is 2; fill in a newly generated form"
    ]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(0, 10_000), st.sampled_from([1, 2, 3, 4, 5, 6]))
def test_round_trip_render_fill_collect_gives_back_what_was_typed(tmp_path_factory, seed, form):
    rng = random.Random(seed)
    subject = {1: "E0007", 2: "销售部", 3: "E0007", 4: ROSTER.head_of("销售部").id, 5: "销售部",
               6: "E0002"}[form]  # fmt: skip
    spec = form_for(form, subject, ROSTER, CTX)
    values = valid_values(spec, rng)
    folder = tmp_path_factory.mktemp("rt")
    blank = folder / "blank.xlsx"
    blank.write_bytes(render(spec, key=office_key(folder / "l.sqlite3")))
    (folder / "in").mkdir()
    fill(blank, spec, values, out=folder / "in" / "filled.xlsx")
    with Ledger(folder / "l.sqlite3") as ledger:
        report = collect([folder / "in"], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=office_key(ledger.path))
        assert report.problems == [] and report.recorded["new"] == 1
        stored = ledger.values("2026-12", form)[subject]
    for key, typed in values.items():
        expected = typed.strftime("%Y-%m-%d") if hasattr(typed, "strftime") else typed
        assert stored.get(key) == (pytest.approx(expected) if isinstance(expected, float) else expected), key
    expected_computed = spec.evaluate(values)
    for cell in spec.computed:
        want = expected_computed[cell.key]
        if want not in (None, ""):
            assert stored[cell.key] == (pytest.approx(want) if isinstance(want, float) else want), cell.key


def test_cli_exit_status_and_summary_line(tmp_path, key, capsys):
    spec = form_for(3, PERSON.id, ROSTER, CTX)
    write_filled(tmp_path / "in" / "a.xlsx", spec, appraisal_values(), key)
    (tmp_path / "in" / "b.pdf").write_bytes(b"%PDF")
    ledger = str(tmp_path / "ledger.sqlite3")  # the key fixture's, beside it
    code = main(["collect", "--month", "2026-12", str(tmp_path / "in"), "--ledger", ledger])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == (f"2026-12: read 1 workbook(s) from {tmp_path / 'in'}; recorded 1 form(s) in {ledger} "
                   "(new 1, updated 0, unchanged 0); still blank 0; skipped 1\n")  # fmt: skip
    assert err == "Problem: b.pdf: is not an .xlsx workbook (.pdf); hand in the form as the .xlsx file; skipped\n"


def test_a_workbook_read_is_closed_whatever_happens(tmp_path, key):
    from kpi_xl.collect.reader import UnreadableWorkbook, WorkbookValues

    path = write_filled(tmp_path / "a.xlsx", form_for(3, PERSON.id, ROSTER, CTX), appraisal_values(), key)
    with pytest.raises(RuntimeError), WorkbookValues(path) as book:
        assert book.meta()["subject_id"] == PERSON.id
        raise RuntimeError("reading went wrong")
    with pytest.raises(UnreadableWorkbook, match="already closed"):  # nothing more can be read from it
        book.sheet(book.sheet_names[0], [(0, 0)])
