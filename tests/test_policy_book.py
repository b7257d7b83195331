"""The policy as a workbook (考核办法.xlsx): written from the keys' declarations, read back
through the same checks as a TOML file, every problem at its sheet and cell."""

import dataclasses
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from kpi_xl._util.i18n import using
from kpi_xl.cli import main
from kpi_xl.errors import KpiFileError, PolicyError
from kpi_xl.excel.lite import write_bundle
from kpi_xl.office.policy_book import layout, load_policy_book, read_policy, write_policy_book
from kpi_xl.office.policy_toml import write_policy_toml
from kpi_xl.policy import DEFAULT_POLICY, SHIPPED, load_policy, policy_keys


@pytest.fixture(autouse=True)
def english():
    with using("en"):
        yield


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_policy_comes_back_equal(tmp_path, name):
    policy = load_policy(name)
    book = tmp_path / "考核办法.xlsx"
    count = write_policy_book(policy, book)
    assert count == sum(1 for _ in policy_keys(policy))
    assert load_policy_book(book) == policy
    assert read_policy(book) == policy  # what --policy uses


def test_every_key_is_on_a_sheet_with_its_meaning_and_seed(tmp_path):
    book = tmp_path / "考核办法.xlsx"
    write_policy_book(DEFAULT_POLICY, book)
    wb = openpyxl.load_workbook(book)
    rows = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=3, values_only=True):
            if row[0]:
                rows[row[0]] = row
    for item in policy_keys():
        assert item.key in rows, item.key
        key, meaning, _value, accepts, seed, meaning_en = rows[item.key][:6]
        assert (meaning, meaning_en, seed or "") == (item.setting.zh, item.setting.en, item.setting.seed)
        assert accepts
    grades = wb["等级分数线"]
    assert (grades["A4"].value, grades["C4"].value) == ("grades.B", 80)
    assert grades["C4"].comment is not None and "B级最低分" in grades["C4"].comment.text
    # the share cells are validated by Excel too: 0 to 1
    rules = {str(dv.sqref): dv for dv in wb["A级名额"].data_validations.dataValidation}
    share = rules["C3"]
    assert (share.type, share.formula1, share.formula2) == ("decimal", "0", "1")
    assert share.operator in (None, "between")  # between is what Excel assumes when none is named
    assert wb["绩效工资"].data_validations.dataValidation  # pay.mode: a list of grade/score
    modes = [dv for dv in wb["绩效工资"].data_validations.dataValidation if dv.type == "list"]
    assert modes and modes[0].formula1 == '"grade,score"'


def _edited(tmp_path, edit, policy=DEFAULT_POLICY):
    book = tmp_path / "考核办法.xlsx"
    write_policy_book(policy, book)
    wb = openpyxl.load_workbook(book)
    edit(wb)
    wb.save(book)
    return book


def test_a_bad_value_is_reported_at_its_sheet_and_cell(tmp_path):
    def edit(wb):
        wb["等级分数线"]["C4"] = "八十"
        wb["A级名额"]["C3"] = 1.5
        wb["部门考核项目"]["C3"] = -5

    book = _edited(tmp_path, edit)
    with pytest.raises(PolicyError) as caught:
        load_policy_book(book)
    lines = str(caught.value).splitlines()
    assert "考核办法.xlsx › 等级分数线!C4 (grades.B): must be a number (got '八十')" in lines
    assert any(line.startswith("考核办法.xlsx › A级名额!C3 (quota.a_share): must be a share from 0 to 1 (got 1.5)")
               for line in lines)  # fmt: skip
    assert "考核办法.xlsx › 部门考核项目!C3: must be greater than 0 (got -5)" in lines


def test_a_rule_between_keys_names_the_sheet(tmp_path):
    book = _edited(tmp_path, lambda wb: wb["等级分数线"].__setitem__("C4", 95))
    with pytest.raises(PolicyError, match=r"^考核办法.xlsx › 等级分数线 \(grades\): cut-offs must descend A > B > C"):
        load_policy_book(book)


def test_an_unknown_and_a_missing_key_are_named(tmp_path):
    def edit(wb):
        wb["绩效工资"]["A4"] = "pay.annual_base_shar"  # misspelt: pay.annual_base_share is gone

    book = _edited(tmp_path, edit)
    with pytest.raises(PolicyError) as caught:
        load_policy_book(book)
    message = str(caught.value)
    assert "考核办法.xlsx › 绩效工资!A4: unknown key 'pay.annual_base_shar'" in message
    assert "考核办法.xlsx › 绩效工资: the key 'pay.annual_base_share' is missing" in message


def test_values_typed_as_people_type_them(tmp_path):
    def edit(wb):
        wb["A级名额"]["C3"] = "15%"
        wb["部门考核"]["C5"] = "是"  # key_factor
        wb["连续月份规则"]["C9"] = "500；300; 200"  # quarter_rewards
        wb["员工考核（附件3）"]["C7"] = "无上限"  # bonus_cap
        wb["部门考核项目"].delete_rows(4)  # a criterion taken out

    policy = load_policy_book(_edited(tmp_path, edit))
    assert policy.quota.a_share == pytest.approx(0.15)
    assert policy.department.key_factor is True
    assert policy.history.quarter_rewards == (500.0, 300.0, 200.0)
    assert policy.employee_score.bonus_cap == float("inf")
    assert [c.name for c in policy.department.criteria] == [
        c.name for c in DEFAULT_POLICY.department.criteria if c.name != "执行力"
    ]


def test_text_starting_with_equals_stays_text(tmp_path):
    policy = dataclasses.replace(DEFAULT_POLICY, name='=HYPERLINK("http://x","y")')
    book = tmp_path / "考核办法.xlsx"
    write_policy_book(policy, book)
    with zipfile.ZipFile(book) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    assert load_policy_book(book).name == policy.name


def test_an_edited_workbook_is_never_overwritten(tmp_path):
    book = _edited(tmp_path, lambda wb: wb["等级分数线"].__setitem__("C3", 92))
    before = book.read_bytes()
    with pytest.raises(KpiFileError, match="was edited since it was written"):
        write_policy_book(load_policy("seed-003"), book)
    assert book.read_bytes() == before
    other = tmp_path / "mine.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(KpiFileError, match="not a policy workbook"):
        write_policy_book(DEFAULT_POLICY, other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(KpiFileError, match="cannot be read"):
        write_policy_book(DEFAULT_POLICY, broken)
    assert broken.read_bytes() == b"PK\x03\x04 not really a zip"
    # an untouched one is simply written again
    fresh = tmp_path / "fresh.xlsx"
    write_policy_book(DEFAULT_POLICY, fresh)
    write_policy_book(load_policy("seed-003"), fresh)
    assert load_policy_book(fresh) == load_policy("seed-003")


def test_sheet_names_are_unique_and_valid():
    names = [sheet.name for sheet in layout(DEFAULT_POLICY)]
    assert len(names) == len(set(names))
    assert all(0 < len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)


def test_cli_writes_it_and_reads_it_everywhere(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--lang", "en", "policy", "--policy", "seed-003"]) == 0
    assert "考核办法.xlsx" in capsys.readouterr().out
    assert load_policy_book(tmp_path / "考核办法.xlsx") == load_policy("seed-003")
    assert main(["--lang", "en", "rules-tour", "--policy", "考核办法.xlsx"]) == 0
    capsys.readouterr()
    wb = openpyxl.load_workbook("考核办法.xlsx")
    wb["等级分数线"]["C4"] = "x"
    wb.save("考核办法.xlsx")
    assert main(["--lang", "en", "rules-tour", "--policy", "考核办法.xlsx"]) == 1
    assert "考核办法.xlsx › 等级分数线!C4 (grades.B): must be a number (got 'x')" in capsys.readouterr().err
    assert main(["--lang", "en", "policy"]) == 1  # edited: kept
    assert "was edited since it was written" in capsys.readouterr().err


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_policy_as_toml_loads_back_equal(tmp_path, name):
    policy = load_policy(name)
    path = tmp_path / "考核办法.toml"
    write_policy_toml(policy, path)
    assert load_policy(path) == policy
    write_policy_toml(policy, path)  # the same text again: nothing lost
    with pytest.raises(KpiFileError, match="already exists"):
        write_policy_toml(dataclasses.replace(policy, name="other"), path)
    assert load_policy(path) == policy


def test_the_lite_bundle_takes_a_policy_workbook(tmp_path):
    book = _edited(tmp_path, lambda wb: wb["等级分数线"].__setitem__("C3", 95))
    main_py, _requirements = write_bundle(tmp_path / "lite", book)
    probe = "import runpy, sys; ns = runpy.run_path(sys.argv[1]); print(ns['POLICY'].grades.A, ns['KPI_GRADE']([[92]]))"
    done = subprocess.run([sys.executable, "-c", probe, str(main_py)], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["95.0", "[['B']]"]


def test_a_missing_or_broken_workbook_is_named(tmp_path):
    with pytest.raises(PolicyError, match="policy file not found"):
        read_policy(tmp_path / "考核办法.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    with pytest.raises(PolicyError, match="is a folder"):
        read_policy(tmp_path / "folder.xlsx")
    (tmp_path / "text.xlsx").write_text("hello", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"text.xlsx: cannot be read \(.*\); save it again in Excel as .xlsx"):
        read_policy(tmp_path / "text.xlsx")
