"""`kpi-xl forms` and `kpi-xl templates`: files, names, manifest, never overwriting work."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from kpi_xl._util.paths import safe_name
from kpi_xl.calendar import Month
from kpi_xl.forms import Context, employee_plan
from kpi_xl.office.forms import form_jobs
from kpi_xl.office.templates import write_templates
from kpi_xl.roster import demo_roster, read_roster
from tests.helpers import (
    GOOD,
    HEADER,
    ROSTER,
    assert_same_workbook,
    fill,
    office_key,
    small_roster,
    small_roster_file,
    write_csv,
)

# The forms and messages in Chinese, as a person gets them without --lang (one switch for both).
pytestmark = pytest.mark.usefixtures("chinese")

ROOT = Path(__file__).resolve().parent.parent


def test_every_form_for_everyone_with_a_manifest(tmp_path, cli):
    roster_file = small_roster_file(tmp_path)
    out_dir = tmp_path / "out"
    code, out, _ = cli("forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", roster_file, "--out", out_dir, "--workers", "2")
    assert code == 0
    folder = out_dir / "2026-12"
    roster = read_roster(roster_file)
    staff = [p for p in roster.people if p.category in ("员工", "部门负责人")]
    expected = 2 * len(staff) + len(roster.departments) * 3 + len(roster.with_category("高管"))
    files = sorted(p for p in folder.rglob("*.xlsx"))
    assert len(files) == expected
    assert f"2026-12：为 {len(roster)} 人（{roster.source}）生成 {expected} 份表格" in out
    with open(folder / "manifest.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(folder / r["文件"] for r in rows) == files
    assert {r["表"] for r in rows} == {f"附件{n}" for n in range(1, 7)}
    e = next(p for p in staff if p.category == "员工")
    assert (folder / e.department / f"附件3_{e.name}_{e.id}.xlsx").exists()
    # the general manager is not appraised (seed 000 §一: 总经理除外)
    gm = roster.with_category("总经理")[0]
    assert not any(r["工号"] == gm.id for r in rows)


def test_existing_files_are_kept_and_filled_ones_survive_force(tmp_path, cli):
    roster_file = small_roster_file(tmp_path)
    out_dir = tmp_path / "out"
    args = ("forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", roster_file, "--out", out_dir, "--workers", "1")
    assert cli(*args)[0] == 0
    count = len(form_jobs(read_roster(roster_file)))
    person = ROSTER["E0011"]
    path = out_dir / "2026-12" / person.department / f"附件1_{person.name}_{person.id}.xlsx"
    spec = employee_plan(Context(Month.parse("2026-12")), person)
    fill(path, spec, {"item1.item": "整理档案", "item1.weight": 100})
    before = path.read_bytes()

    code, out, _ = cli(*args)
    assert code == 0 and f"保留 {count}" in out and "新写 0" in out
    code, out, _ = cli(*args, "--force")
    assert code == 0 and f"替换 {count - 1}" in out
    assert f"已保留（被改过）: {path}: 生成后已有人填写" in out
    assert path.read_bytes() == before
    beside = path.with_name(f"附件1_{person.name}_{person.id}（新）.xlsx")
    assert f"新表格另存在被保留的文件旁：{beside}" in out and beside.exists()
    rows = list(csv.reader(io.StringIO((out_dir / "2026-12" / "manifest.csv").read_text(encoding="utf-8-sig"))))
    statuses = {r[0]: r[-1] for r in rows[1:]}
    assert statuses[f"{person.department}/{path.name}"] == "已保留（被改过）"
    assert statuses[f"{person.department}/{beside.name}"] == "已另存在被改过的文件旁"


def test_plans_prefill_the_appraisal(tmp_path, cli):
    plans = tmp_path / "plans"
    roster_file = small_roster_file(tmp_path)
    assert cli("forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", roster_file, "--out", plans, "--workers", "1")[0] == 0
    person = ROSTER["E0011"]
    source = plans / "2026-12" / person.department / f"附件1_{person.name}_{person.id}.xlsx"
    renamed = source.with_name("张三的计划.xlsx")  # found by content, whatever the name
    spec = employee_plan(Context(Month.parse("2026-12")), person)
    fill(source, spec, {"item1.item": "整理档案", "item1.target": "月底前", "item1.weight": 60,
                        "item2.item": "=1+1", "item2.weight": 40}, out=renamed)  # fmt: skip
    source.unlink()
    out_dir = tmp_path / "out"
    code, out, err = cli("forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", roster_file, "--out", out_dir, "--plans", plans, "--workers", "1")
    assert code == 0, err
    assert "带入附件3的工作计划：1" in out
    book = openpyxl.load_workbook(out_dir / "2026-12" / person.department / f"附件3_{person.name}_{person.id}.xlsx")
    sheet = book.worksheets[0]
    rows = [[sheet.cell(r, c).value for c in (2, 3, 4)] for r in range(1, sheet.max_row + 1)]
    assert ["整理档案", "月底前", 60] in rows
    assert ["=1+1", None, 40] in rows  # still text


def test_roster_text_beginning_with_formula_characters_stays_text(tmp_path, cli):
    rows = [r[:] for r in GOOD]
    rows[3][1] = "=HYPERLINK(\"http://x\",\"点我\")"
    rows[2][1] = "+8613800000000"
    rows[3][3] = "-负责人"
    rows[2][3] = "@admin"
    roster = write_csv(tmp_path, rows, HEADER)
    code, _, err = cli("forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", str(roster), "--out", str(tmp_path / "o"), "--workers", "1")
    assert code == 0, err
    typed = {rows[3][1], rows[2][1], rows[3][3], rows[2][3]}
    found = {}
    for path in (tmp_path / "o").rglob("附件3_*.xlsx"):
        sheet = openpyxl.load_workbook(path).worksheets[0]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in typed:
                    found[cell.value] = cell.data_type
    assert found == dict.fromkeys(typed, "s")


@pytest.mark.parametrize(("text", "safe"), [("../财务", "__财务"), ("a/b", "a_b"), ("CON", "_CON"),
                                            ("con.xlsx", "_con.xlsx"), (".hidden", "_hidden"), ("a:b*c?", "a_b_c_"),
                                            ("", "_"), ("销售部 ", "销售部")])  # fmt: skip
def test_safe_names(text, safe):
    assert safe_name(text) == safe


def test_unsafe_roster_names_give_safe_paths(tmp_path, cli):
    rows = [r[:] for r in GOOD]
    for row in rows[2:]:
        row[2] = "../财务"
    rows[3][1] = "a/b"
    rows[2][1] = "CON"
    roster = write_csv(tmp_path, rows, HEADER)
    out = tmp_path / "o"
    code, _, err = cli("forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", str(roster), "--out", str(out), "--workers", "1")
    assert code == 0, err
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.xlsx"))
    assert "2026-12/__财务/附件3_a_b_E1.xlsx" in files
    assert "2026-12/__财务/附件1_CON_H1.xlsx" in files
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))


def test_jobs_never_share_a_path():
    paths = [j.path for j in form_jobs(demo_roster())]
    assert len(paths) == len(set(paths))


def test_bad_month_and_bad_roster_are_one_clear_error(tmp_path, cli):
    code, out, err = cli("--lang", "en", "forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-13", "--out", str(tmp_path))
    assert (code, out, err) == (1, "", "Error: --month: '2026-13' is not a month; write it as YYYY-MM, e.g. 2026-12\n")
    bad = write_csv(tmp_path, [["E1", "", "办公室", "x", "员工", "", 1, ""]], HEADER)
    code, out, err = cli("--lang", "en", "forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--roster", str(bad), "--out", str(tmp_path))
    assert code == 1 and out == ""
    assert err == (
        "Error: roster.csv: the roster has 3 problems:\n"
        "  roster.csv › B2: 姓名 is blank; enter the person's name\n"
        "  roster.csv › F2: 分管领导 is blank; enter the 工号 of the supervising leader\n"
        "  roster.csv › E2: 部门 '办公室' has no 部门负责人; mark its head as 部门负责人 in 类别\n"
    )


def test_committed_templates_equal_a_fresh_generation(tmp_path):
    fresh = write_templates(tmp_path)
    committed = ROOT / "workbook_templates"
    assert len(fresh) == 18
    for path in fresh:
        mine = committed / path.relative_to(tmp_path)
        assert mine.exists(), f"{mine} is missing: run `kpi-xl templates`"
        assert_same_workbook(mine, path, "out of date: run `kpi-xl templates`")


def test_a_bad_form_is_a_failed_line_but_a_bug_keeps_its_traceback(tmp_path, monkeypatch):
    from kpi_xl.errors import KpiError
    from kpi_xl.office import forms as office_forms

    roster = small_roster(tmp_path)
    ctx = Context(Month.parse("2026-12"))

    def refuse(job, *args):
        raise KpiError(f"岗位 of {job.subject} has no scorecard")

    monkeypatch.setattr(office_forms, "build_spec", refuse)
    key = office_key(tmp_path / "ledger.sqlite3")
    report = office_forms.generate_forms(roster, ctx, tmp_path / "o", key=key, workers=1)
    assert report.failed and {o.status for o in report.outcomes} == {office_forms.FAILED}
    assert report.outcomes[0].message.startswith("KpiError: 岗位 of ")

    def bug(job, *args):
        return None.fingerprint  # a slip in our code, not in the user's input

    monkeypatch.setattr(office_forms, "build_spec", bug)
    with pytest.raises(AttributeError):
        office_forms.generate_forms(roster, ctx, tmp_path / "p", key=key, workers=1)
