"""Class 1: one bad workbook must not stop the batch — collect, forms --plans, forms --force."""

from __future__ import annotations

import os

import pytest

from kpi_xl._util.pool import map_isolated
from kpi_xl.calendar import Month
from kpi_xl.collect.collector import collect
from kpi_xl.collect.plans import read_plans
from kpi_xl.collect.reader import WorkbookValues
from kpi_xl.forms import Context, form_for
from kpi_xl.ledger import Ledger
from kpi_xl.office.forms import FAILED, KEPT_FILLED, WRITTEN, generate_forms
from kpi_xl.policy import DEFAULT_POLICY
from kpi_xl.reading import xlsx_parts
from kpi_xl.roster import demo_roster
from tests.helpers import office_key, write_filled
from tests.hostile import mutate

MONTH = Month.parse("2026-12")
ROSTER = demo_roster()
CTX = Context(MONTH)
PEOPLE = ["E0011", "E0007", "E0008", "E0009", "E0010", "E0012"]


def appraisal(score: float = 80) -> dict:
    return {"item1.item": "整理档案", "item1.weight": 60, "item2.item": "客户回访", "item2.weight": 40,
            "item1.dept": score, "item2.dept": 90, **{f"conduct{n}.dept": 85 for n in range(1, 7)}}  # fmt: skip


def filled(folder, person_id, score=80.0):
    """A filled 附件3 in folder, signed with the key of the ledger beside it (the `ledger` fixture's)."""
    spec = form_for(3, person_id, ROSTER, CTX)
    return write_filled(folder / f"{person_id}.xlsx", spec, appraisal(score), office_key(folder.parent / "ledger.sqlite3"))


@pytest.fixture
def ledger(tmp_path):
    with Ledger(tmp_path / "ledger.sqlite3") as opened:
        yield opened


def run(folder, ledger, workers=1):
    return collect([folder], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=office_key(ledger.path), workers=workers)


@pytest.mark.parametrize("part", [mutate.FORM_SHEET, mutate.META_PART])
def test_a_cell_at_the_far_corner_is_ignored_and_the_form_still_read(tmp_path, ledger, part):
    folder = tmp_path / "in"
    filled(folder, "E0011")
    mutate.rewrite(filled(folder, "E0007", score=70), part, mutate.far_corner)
    report = run(folder, ledger)
    assert report.problems == [] and report.recorded["new"] == 2
    # (70×60 + 90×40)/100 = 78; 78×0.7 + 85×0.3 = 80.1: the value the form shows, read all the same
    assert ledger.values("2026-12", 3)["E0007"]["total.dept"] == pytest.approx(80.1)


def test_a_whole_sheet_dimension_costs_nothing(tmp_path, ledger):
    path = mutate.rewrite(filled(tmp_path / "in", "E0011"), mutate.FORM_SHEET, mutate.whole_sheet_dimension)
    with WorkbookValues(path) as book:
        sheet = book.sheet("考核表", [(7, 6)])  # item1.dept (附件3 v2: the hand-in dates take row 3)
    assert sheet.value(7, 6) == 80


def test_a_sheet_that_inflates_past_the_cap_is_named_and_the_rest_recorded(tmp_path, ledger, monkeypatch):
    monkeypatch.setattr(xlsx_parts, "MAX_PART_BYTES", 1_000_000)  # the real cap is 64 MB
    folder = tmp_path / "in"
    filled(folder, "E0011")
    mutate.rewrite(filled(folder, "E0007"), mutate.FORM_SHEET, mutate.padded(2_000_000))
    report = run(folder, ledger)
    assert [p.where for p in report.problems] == ["E0007.xlsx"]
    assert "would inflate to 1 MB; far more than this file should hold" in report.problems[0].message
    assert ledger.submitted("2026-12") == {(3, "E0011")}


@pytest.mark.parametrize("doctype", [mutate.BILLION_LAUGHS, mutate.EXTERNAL_ENTITY])
@pytest.mark.parametrize("part", [mutate.FORM_SHEET, "xl/sharedStrings.xml", "xl/workbook.xml"])
def test_xml_bombs_and_external_entities_are_refused_by_name(tmp_path, ledger, doctype, part):
    folder = tmp_path / "in"
    filled(folder, "E0011")
    mutate.rewrite(filled(folder, "E0007"), part, lambda xml: mutate.with_doctype(xml, doctype))
    report = run(folder, ledger)
    assert [p.where for p in report.problems] == ["E0007.xlsx"]
    assert "declares a DOCTYPE or entities" in report.problems[0].message
    assert ledger.submitted("2026-12") == {(3, "E0011")}


def test_on_the_parallel_path_a_bad_workbook_loses_no_good_form(tmp_path, ledger):
    folder = tmp_path / "in"
    for n, person_id in enumerate(PEOPLE):
        filled(folder, person_id, score=70 + n)
    mutate.rewrite(folder / "E0008.xlsx", mutate.FORM_SHEET, mutate.far_corner)
    mutate.rewrite(folder / "E0009.xlsx", mutate.FORM_SHEET, lambda x: mutate.with_doctype(x, mutate.BILLION_LAUGHS))
    (folder / "E0010.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    report = run(folder, ledger, workers=2)
    assert [p.where for p in report.problems] == ["E0009.xlsx", "E0010.xlsx"]
    assert {pid for _, pid in ledger.submitted("2026-12")} == {"E0011", "E0007", "E0008", "E0012"}


# -- a worker that dies ---------------------------------------------------------------------


def die_on_bad(items: list[str]) -> list[str]:
    """A worker that ends its process abruptly on 'bad', as a crash in a library would."""
    if "bad" in items:
        os._exit(3)
    return [item.upper() for item in items]


def test_a_dying_worker_loses_only_its_own_item():
    chunks = [["a", "b"], ["c", "bad", "d"], ["e"]]
    done = map_isolated(die_on_bad, chunks, 2, crashed=lambda item, reason: f"lost {item}")
    assert done == [["A", "B"], ["C", "lost bad", "D"], ["E"]]


# -- forms --plans and forms --force ---------------------------------------------------------


def test_forms_plans_skip_a_bad_plan_and_use_the_others(tmp_path, key):
    folder = tmp_path / "plans"
    good = form_for(1, "E0011", ROSTER, CTX)
    write_filled(folder / "good.xlsx", good, {"item1.item": "整理档案", "item1.weight": 100}, key)
    bomb = form_for(1, "E0007", ROSTER, CTX)
    path = write_filled(folder / "bomb.xlsx", bomb, {"item1.item": "x", "item1.weight": 100}, key)
    mutate.rewrite(path, mutate.META_PART, lambda x: mutate.with_doctype(x, mutate.BILLION_LAUGHS))
    far = write_filled(folder / "far.xlsx", form_for(1, "E0008", ROSTER, CTX), {"item1.item": "远", "item1.weight": 100}, key)
    mutate.rewrite(far, mutate.FORM_SHEET, mutate.far_corner)
    plans, problems = read_plans([folder], ROSTER, CTX, key)
    assert sorted(plans) == ["E0008", "E0011"] and plans["E0008"][0].item == "远"
    assert len(problems) == 1 and problems[0].startswith(f"{path}: cannot be read as a workbook")


def test_forms_force_keeps_a_file_it_cannot_read_and_writes_the_rest(tmp_path):
    only = {"E0011", "E0007"}
    first = generate_forms(ROSTER, CTX, tmp_path, key=office_key(tmp_path / "ledger.sqlite3"), only=lambda j: j.form == 3 and j.subject in only)
    paths = {o.job.subject: tmp_path / "2026-12" / o.job.path for o in first.outcomes}
    mutate.rewrite(paths["E0007"], mutate.FORM_SHEET, lambda x: mutate.with_doctype(x, mutate.EXTERNAL_ENTITY))
    bombed = paths["E0007"].read_bytes()
    again = generate_forms(ROSTER, CTX, tmp_path, key=office_key(tmp_path / "ledger.sqlite3"), force=True, only=lambda j: j.form == 3 and j.subject in only)
    status = {o.job.subject: (o.status, o.message) for o in again.outcomes}
    assert status["E0011"] == ("replaced", "")
    assert status["E0007"][0] == KEPT_FILLED and "declares a DOCTYPE" in status["E0007"][1]
    assert paths["E0007"].read_bytes() == bombed
    assert FAILED not in {s for s, _ in status.values()} and WRITTEN != status["E0011"][0]


@pytest.mark.parametrize(("cell", "moved"), [("H9", "G8"), ("H8", "G8")], ids=["into-another-row", "twice-in-its-row"])
def test_a_cell_out_of_place_is_named_not_read_one_way_or_another(tmp_path, ledger, cell, moved):
    # the fuzz test's find: an empty cell given item1.dept's address (G8) — openpyxl shows the
    # last copy (blank), calamine the first (80), Excel repairs the file: no reading is "what it shows"
    folder = tmp_path / "in"
    filled(folder, "E0011")
    mutate.rewrite(filled(folder, "E0007"), mutate.FORM_SHEET,
                   lambda xml: xml.replace(f'<c r="{cell}" '.encode(), f'<c r="{moved}" '.encode(), 1))  # fmt: skip
    report = run(folder, ledger)
    assert [p.where for p in report.problems] == ["E0007.xlsx"]
    assert f"is damaged: cell {moved} is out of place" in report.problems[0].message
    assert ledger.submitted("2026-12") == {(3, "E0011")}
