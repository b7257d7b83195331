"""Class 4: names that collide or break — every person and department gets a file of its own,
the 工号 stays in the name, and every name fits the file system's 255-byte limit."""

from __future__ import annotations

from collections import Counter

import pytest

from kpi_xl._util.paths import distinct_names, fit, safe_name, write_atomic
from kpi_xl.office.forms import form_jobs
from kpi_xl.roster import read_roster
from tests.helpers import GOOD, write_csv

pytestmark = pytest.mark.usefixtures("chinese")

EXT_B = "".join(chr(0x20000 + i) for i in range(200))  # 200 CJK Ext-B characters, 4 bytes each
EMOJI = "😀👩‍👩‍👧🎉" * 50


def roster_with(tmp_path, edits):
    rows = [list(r) for r in GOOD]
    for (row, col), value in edits.items():
        rows[row][col] = value
    return read_roster(write_csv(tmp_path, rows))


def fits(name: str) -> bool:
    return len(name.encode("utf-8")) <= 255 and len(name.encode("utf-16-le")) // 2 <= 255


def test_departments_that_sanitise_alike_get_folders_of_their_own(tmp_path):
    roster = roster_with(tmp_path, {(2, 2): "市场/销售", (3, 2): "市场_销售", (3, 4): "部门负责人"})
    jobs = form_jobs(roster)
    folders = {j.department: j.path.parent.as_posix() for j in jobs if j.form in (1, 2)}
    assert folders["市场_销售"] == "市场_销售"  # the name that needed no change keeps it
    assert folders["市场/销售"].startswith("市场_销售~") and folders["市场/销售"] != folders["市场_销售"]
    assert len({j.path for j in jobs}) == len(jobs)
    assert sorted(j.path.name for j in jobs if j.form == 2) == ["附件2_市场_销售.xlsx", "附件2_市场_销售.xlsx"]


def test_folder_names_are_the_same_in_every_run_and_for_any_order():
    texts = ["市场/销售", "市场_销售", "市场:销售", "QA", "qa"]
    first = distinct_names(texts)
    assert first == distinct_names(list(reversed(texts)))
    assert len({n.casefold() for n in first.values()}) == len(texts)  # a Windows or Mac disk ignores case
    assert first["QA"] != "QA" and first["qa"] != "qa"  # neither one is more entitled to the plain name


def test_long_names_differing_after_80_characters_keep_the_id_and_both_forms(tmp_path):
    stem = "欧阳" * 45  # 90 characters
    roster = roster_with(tmp_path, {(2, 1): stem + "甲", (3, 1): stem + "乙"})
    jobs = [j for j in form_jobs(roster) if j.form in (1, 3)]
    names = Counter(j.path.name for j in jobs)
    assert all(count == 1 for count in names.values()), names
    for job in jobs:
        assert job.path.name.endswith(f"_{job.subject}.xlsx") and fits(job.path.name)


@pytest.mark.parametrize("name", [EXT_B, EMOJI, "a" * 300], ids=["ext-b", "emoji", "ascii"])
def test_a_name_of_hundreds_of_wide_characters_fits_255_bytes_and_keeps_the_id(tmp_path, name):
    roster = roster_with(tmp_path, {(2, 1): name, (2, 2): name, (3, 2): name})
    for job in form_jobs(roster):
        assert fits(job.path.parent.name) and fits(job.path.name)
        if job.form in (1, 3, 4):
            assert job.path.name.endswith(f"_{job.subject}.xlsx")
    # the file is really made: the temporary file beside it must fit as well
    job = form_jobs(roster)[0]
    target = tmp_path / job.path
    write_atomic(target, b"x")
    assert target.read_bytes() == b"x"


def test_forms_run_writes_one_file_per_form_for_colliding_and_long_names(tmp_path, cli):
    rows = [list(r) for r in GOOD]
    rows[2][2], rows[3][2], rows[3][4] = "市场/销售", "市场_销售", "部门负责人"
    rows[3][1] = EXT_B
    roster = write_csv(tmp_path, rows)
    out = tmp_path / "o"
    code, _, err = cli("forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", str(roster), "--out", str(out), "--workers", "1")
    assert code == 0, err
    written = list((out / "2026-12").rglob("*.xlsx"))
    assert len(written) == len(form_jobs(read_roster(roster)))
    assert any(p.name.endswith("_E1.xlsx") and p.name.startswith("附件1_𠀀") for p in written)


def test_fit_never_splits_a_character():
    assert fit(EXT_B, 10) == EXT_B[:2]
    assert fit("ab" + EXT_B, 9) == "ab" + EXT_B[:1]
    assert safe_name(EXT_B, tail="_E1.xlsx").endswith("_E1.xlsx")


RICH_SHAPED = "<r><t>假</t></r></si><si><r><t>张三</t></r>"  # XlsxWriter would write it as XML


def test_a_name_shaped_like_rich_text_xml_shows_as_typed_and_adds_no_xml(tmp_path):
    import python_calamine

    from kpi_xl._util.content import META_SHEET
    from kpi_xl.calendar import Month
    from kpi_xl.collect.collector import collect
    from kpi_xl.forms import Context, form_for
    from kpi_xl.ledger import Ledger
    from kpi_xl.policy import DEFAULT_POLICY
    from tests.helpers import appraisal, office_key, write_filled

    roster = roster_with(tmp_path, {(3, 1): RICH_SHAPED})  # 徐强, an employee of 办公室
    month = Month.parse("2026-12")
    spec = form_for(3, "E1", roster, Context(month))
    folder = tmp_path / "in"
    key = office_key(tmp_path / "ledger.sqlite3")
    path = write_filled(folder / "E1.xlsx", spec, appraisal(80), key)
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        shown = {str(v) for row in book.get_sheet_by_name(spec.sheet).to_python() for v in row}
        meta = {row[0]: row[1] for row in book.get_sheet_by_name(META_SHEET).to_python() if len(row) >= 2}
    assert RICH_SHAPED in shown and "张三" not in shown and "假" not in shown
    assert meta["subject_name"] == RICH_SHAPED
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        report = collect([folder], month, roster, DEFAULT_POLICY, ledger, key=key, workers=1)
        assert report.problems == [] and ledger.submitted(str(month)) == {(3, "E1")}
