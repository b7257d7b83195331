"""The roster: the built-in demo company, aliases, encodings, and every problem reported."""

import pytest

from kpi_xl.roster import EXECUTIVE, GENERAL_MANAGER, HEAD, RosterError, demo_roster, read_roster
from tests.helpers import GOOD, write_csv, write_xlsx


def problems_of(path):
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    return caught.value.problems


def test_demo_company():
    roster = demo_roster()
    assert 80 <= len(roster) <= 100
    assert len(roster.departments) == 8
    for department in roster.departments:
        assert roster.head_of(department).category == HEAD
        assert len(roster.members(department)) >= 6
    assert 3 <= len(roster.with_category(EXECUTIVE)) <= 4
    assert len(roster.with_category(GENERAL_MANAGER)) == 1
    names = [p.name for p in roster.people]
    assert len(set(names)) == len(names)


def test_good_roster_in_both_formats(tmp_path):
    for path in (write_xlsx(tmp_path, GOOD), write_csv(tmp_path, GOOD)):
        roster = read_roster(path)
        assert [p.id for p in roster.people] == ["G1", "V1", "H1", "E1"]
        assert roster["E1"].supervisor == "V1"
        assert roster["E1"].pay_base() == pytest.approx(810.0)  # seed 000: 10% of gross
        assert roster["V1"].pay_base() == pytest.approx(4000.0)  # 年薪 / 12 × 10%


def test_english_headers_numbers_as_ids_and_a_gbk_csv(tmp_path):
    header = ["ID", "Name", "Department", "Title", "Role", "Supervisor", "Monthly pay", "Annual salary"]
    rows = [[1, "Ann", "Ops", "GM", "general manager", "", "", 900000],
            [2, "Bo", "Ops", "Head", "head", 1, 20000, ""],
            [3, "Cy", "Ops", "Clerk", "employee", 1, 6000, ""]]  # fmt: skip
    roster = read_roster(write_xlsx(tmp_path, rows, header))
    assert roster["3"].supervisor == "1" and roster["2"].category == HEAD
    gbk = read_roster(write_csv(tmp_path, GOOD, encoding="gb18030"))
    assert gbk["E1"].name == "徐强"


def test_missing_columns_are_all_named(tmp_path):
    path = write_xlsx(tmp_path, [], header=["工号", "姓名", "岗位"])
    assert problems_of(path) == [
        "roster.xlsx › 花名册 row 1: missing column 部门 (also accepted: department, dept); add it to the header row",
        "roster.xlsx › 花名册 row 1: missing column 类别 (also accepted: 人员类别, category, role); add it to the header row",
        "roster.xlsx › 花名册 row 1: missing column 分管领导 (also accepted: 分管领导工号, supervisor, leader, supervisor id); add it to the header row",
        "roster.xlsx › 花名册 row 1: missing column 月应发工资 or 年薪; add the pay of each person",
    ]


def test_every_row_problem_with_its_cell(tmp_path):
    rows = GOOD + [
        ["E1", "重复", "办公室", "文秘", "员工", "V1", 5000, ""],
        ["", "无号", "办公室", "文秘", "员工", "V1", 5000, ""],
        ["E3", "", "办公室", "文秘", "员工", "V1", 5000, ""],
        ["E4", "钱多多", "办公室", "文秘", "员工", "V1", "五千", ""],
        ["E5", "负工资", "办公室", "文秘", "员工", "V1", -1, ""],
        ["E6", "无领导", "办公室", "文秘", "员工", "X9", 5000, ""],
        ["E7", "无部长", "销售部", "销售", "员工", "V1", 5000, ""],
        ["H2", "二号部长", "办公室", "副主任", "部门负责人", "V1", 15000, ""],
        ["E8", "怪类别", "办公室", "文秘", "实习生", "V1", 3000, ""],
    ]
    assert problems_of(write_xlsx(tmp_path, rows)) == [
        "roster.xlsx › 花名册!A6: 工号 'E1' repeats row 5; give each person their own 工号",
        "roster.xlsx › 花名册!A7: 工号 is blank; give every person a 工号",
        "roster.xlsx › 花名册!B8: 姓名 is blank; enter the person's name",
        "roster.xlsx › 花名册!G9: 月应发工资 must be a number (got '五千'); enter the amount in yuan",
        "roster.xlsx › 花名册!G10: 月应发工资 must not be negative (got -1)",
        "roster.xlsx › 花名册!E14: 类别 '实习生' is not one of 员工, 部门负责人, 高管, 总经理; use one of them",
        "roster.xlsx › 花名册!F11: 分管领导 'X9' is not a 工号 in this roster; enter the supervising leader's 工号",
        "roster.xlsx › 花名册!E13: 部门 '办公室' has 2 部门负责人 (rows 4, 13); keep one",
        "roster.xlsx › 花名册!E12: 部门 '销售部' has no 部门负责人; mark its head as 部门负责人 in 类别",
    ]


def test_csv_problems_use_cell_addresses_too(tmp_path):
    rows = GOOD + [["E2", "缺工资", "办公室", "文秘", "员工", "V1", "", ""]]
    assert problems_of(write_csv(tmp_path, rows)) == [
        "roster.csv › G6: no pay given; fill 月应发工资 (or 年薪 for annual-salary staff)",
    ]


def test_unreadable_and_unsupported_files(tmp_path):
    bad = tmp_path / "roster.xlsx"
    bad.write_bytes(b"not a zip")
    assert problems_of(bad) == [
        "cannot be read: it is damaged or not really an .xlsx; open it in Excel or WPS and save it again as .xlsx"
    ]
    other = tmp_path / "roster.xls"
    other.write_bytes(b"x")
    assert problems_of(other) == ["unsupported file type '.xls'; save the roster as .xlsx or .csv"]
    assert problems_of(tmp_path / "nope.csv") == ["file not found; check its name and folder"]
