"""Class 9: the files HR keeps themselves — the roster (花名册.xlsx) and the 指标库 — as people
really have them: damaged, with an XML bomb or an external entity, a used range of the whole
sheet, a stray value a million rows down, an error cell; and one message where one would do."""

from __future__ import annotations

import pytest

from kpi_xl.reading import table
from kpi_xl.roster import RosterError, read_roster
from kpi_xl.scorecards.library import ScorecardError, load_scorecards
from tests.helpers import GOOD, write_xlsx
from tests.hostile import mutate

ROSTER_SHEET = "xl/worksheets/sheet1.xml"  # openpyxl writes the first sheet there


def problems_of(path):
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    return caught.value.problems


def test_a_damaged_roster_is_named_with_what_to_do(tmp_path):
    path = write_xlsx(tmp_path, GOOD)
    path.write_bytes(path.read_bytes()[:-200])  # the end of the zip (its directory) is lost
    assert problems_of(path) == [
        "cannot be read: it is damaged or not really an .xlsx; open it in Excel or WPS and save it again as .xlsx"
    ]


@pytest.mark.parametrize("doctype", [mutate.BILLION_LAUGHS, mutate.EXTERNAL_ENTITY], ids=["xml-bomb", "external-entity"])
def test_entities_in_the_roster_are_refused_not_expanded(tmp_path, doctype):
    path = mutate.rewrite(write_xlsx(tmp_path, GOOD), ROSTER_SHEET, lambda xml: mutate.with_doctype(xml, doctype))
    [problem] = problems_of(path)
    assert "declares a DOCTYPE or entities" in problem and "root:" not in problem  # /etc/passwd never read


def test_a_used_range_of_the_whole_sheet_reads_the_same_people(tmp_path):
    plain = read_roster(write_xlsx(tmp_path, GOOD))
    far = tmp_path / "far"
    far.mkdir()
    path = mutate.rewrite(write_xlsx(far, GOOD), ROSTER_SHEET, mutate.far_corner)  # a value at XFD1048576 too
    assert read_roster(path).people == plain.people


def test_a_stray_row_a_million_rows_down_is_reported_at_its_row(tmp_path):
    row = '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>X9</t></is></c></row>'
    path = mutate.rewrite(write_xlsx(tmp_path, GOOD), ROSTER_SHEET, lambda xml: mutate.append_row(xml, row))
    problems = problems_of(path)
    assert "roster.xlsx › 花名册!B1048576: 姓名 is blank; enter the person's name" in problems
    assert all("1048576" in p for p in problems)  # the four good people are not blamed


def test_an_error_cell_in_the_pay_is_quoted_not_read_as_blank(tmp_path):
    path = write_xlsx(tmp_path, GOOD)
    error = '<c r="G4" t="e"><v>#N/A</v></c>'  # 彭伟's 月应发工资 shows #N/A
    path = mutate.rewrite(path, ROSTER_SHEET, lambda xml: _replace_cell(xml, "G4", error))
    assert problems_of(path) == ["roster.xlsx › 花名册!G4: 月应发工资 must be a number (got #N/A); enter the amount in yuan"]


def test_a_roster_that_inflates_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setitem(table.PART_LIMITS, "part", 1_000_000)  # the real limit is 512 MB
    path = mutate.rewrite(write_xlsx(tmp_path, GOOD), ROSTER_SHEET, mutate.padded(2_000_000))
    [problem] = problems_of(path)
    assert "inflate" in problem and "1 MB" in problem and problem.endswith("save it again as .xlsx")


def test_a_damaged_or_hostile_scorecard_library_is_named(tmp_path):
    from kpi_xl.policy import shipped_file

    source = shipped_file("scorecards", "seed-003", ".xlsx")
    damaged = tmp_path / "指标库.xlsx"
    damaged.write_bytes(source.read_bytes()[:-100])
    with pytest.raises(ScorecardError) as caught:
        load_scorecards(damaged)
    assert caught.value.problems == [
        "cannot be read: it is damaged or not really an .xlsx; open it in Excel or WPS and save it again as .xlsx"
    ]
    bomb = mutate.rewrite(source, ROSTER_SHEET, lambda xml: mutate.with_doctype(xml, mutate.BILLION_LAUGHS), out=tmp_path / "b.xlsx")
    with pytest.raises(ScorecardError) as caught:
        load_scorecards(bomb)
    assert "declares a DOCTYPE or entities" in caught.value.problems[0]
    far = mutate.rewrite(source, ROSTER_SHEET, mutate.far_corner, out=tmp_path / "far.xlsx")
    assert load_scorecards(far).scorecards == load_scorecards(source).scorecards


def test_a_missing_scorecard_library_is_said_once_before_any_form_is_written(tmp_path, cli):
    policy = tmp_path / "p.toml"
    policy.write_text('scorecards = "nope.xlsx"\nsample_roster = "seed-003"\n', encoding="utf-8")
    code, out, err = cli("forms", "--month", "2026-12", "--policy", str(policy), "--out", str(tmp_path / "o"), "--workers", "1")
    assert code != 0
    assert (out + err).count("file not found; check the scorecard path in the policy") == 1
    assert not (tmp_path / "o").exists()


def _replace_cell(xml: bytes, ref: str, cell: str) -> bytes:
    import re

    return re.sub(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', cell.encode(), xml, count=1)
