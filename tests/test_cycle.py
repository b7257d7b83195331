"""summary, appeal, status and annual on a ledger with chosen scores."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from kpi_xl.calendar import Month
from kpi_xl.forms import Context
from kpi_xl.ledger import Ledger
from kpi_xl.office.status import run_status
from kpi_xl.office.summary import run_summary, summary_path
from tests.helpers import ROSTER, STAFF, collected, hand_in, office_key

# The forms and messages in Chinese, as a person gets them without --lang (one switch for both).
pytestmark = pytest.mark.usefixtures("chinese")

TECH = [p.id for p in STAFF if p.department == "技术研发部"][:3]
OFFICE = [p.id for p in STAFF if p.department == "办公室"][:2]
DECEMBER = {p.id: 85.0 for p in STAFF} | dict(zip(TECH, (95.0, 96.0, 97.0))) | dict(zip(OFFICE, (93.0, 93.0)))
DECEMBER |= {"E0020": 55.0, "E0064": 70.0}
NOVEMBER = {p.id: 84.0 for p in STAFF} | {"E0020": 50.0}


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cycle")
    key = office_key(folder / "ledger.sqlite3")
    hand_in(folder / "returned", "2026-12", DECEMBER, leaderless={"E0030"}, key=key)
    hand_in(folder / "returned", "2026-11", NOVEMBER, departments=False, key=key)
    ledger_path = folder / "ledger.sqlite3"
    with Ledger(ledger_path) as ledger:
        collected(folder / "returned", ledger, "2026-12")
        collected(folder / "returned", ledger, "2026-11")
    return folder, ledger_path


def test_what_if_shows_the_quota_and_records_nothing(cycle, tmp_path, cli):
    folder, ledger = cycle
    code, out, _ = cli("summary", "--month", "2026-12", "--ledger", str(ledger), "--out", str(tmp_path), "--what-if")
    assert code == 0
    assert "2026-12：82 名员工中 82 人已定等级 — A 1, B 79, C 1, D 1；A 等名额：全公司最多 8 人（82 人的 10%），每部门 1 人" in out
    tech = {p.id: p for p in STAFF}
    assert f"{tech[TECH[1]].name} ({TECH[1]}, 技术研发部, 96): A→B：部门A等名额（每部门1人），按得分由低到高调整" in out
    for person in OFFICE:  # equal scores at the department limit: neither is picked
        assert f"{tech[person].name} ({person}, 办公室, 93): A→B：部门A等名额（每部门1人），与他人同分并列，请公司领导决定" in out
    assert "试算（what-if）：未写入文件，未记入台账" in out
    assert not any(tmp_path.iterdir())
    with Ledger(ledger) as opened:
        assert opened.recorded_months() == []


def test_summary_writes_form_7_and_records_the_month(cycle, tmp_path):
    folder, ledger_path = cycle
    ctx = Context(Month.parse("2026-12"))
    with Ledger(ledger_path) as ledger:
        result, written = run_summary(ledger, ROSTER, ctx, tmp_path, what_if=False)
        assert written.path == summary_path(tmp_path, ctx) and written.path.exists()
        rows = {r["employee"]: r for r in ledger.monthly_rows("2026-12")}
    winner = ROSTER[TECH[2]]
    assert rows[winner.id]["grade"] == "A"
    assert rows[winner.id]["pay"] == pytest.approx(winner.monthly_pay * 0.10)
    assert rows[winner.id]["bonus"] == pytest.approx(winner.monthly_pay * 0.10 * 0.10)  # A: +10% of the base
    assert rows["E0064"]["grade"] == "C" and rows["E0064"]["pay"] == pytest.approx(ROSTER["E0064"].monthly_pay * 0.1 * 0.7)
    assert rows["E0020"]["grade"] == "D" and rows["E0020"]["pay"] == 0
    assert "分管领导未评定" in rows["E0030"]["remark"]
    book = openpyxl.load_workbook(written.path)
    assert book.sheetnames == ["考核表", "等级分布", "校准", "部门考核", "高管", "申诉更正", "说明", "meta"]
    assert book["等级分布"]._charts, "the grade distribution has a chart"
    main_sheet = book["考核表"]
    pay_cells = [c for c in main_sheet[5] if isinstance(c.value, str) and "IF(" in c.value]
    assert pay_cells, "pay is written as native formulas"


def test_an_edited_summary_is_kept(cycle, tmp_path):
    _, ledger_path = cycle
    ctx = Context(Month.parse("2026-12"))
    with Ledger(ledger_path) as ledger:
        _, first = run_summary(ledger, ROSTER, ctx, tmp_path, what_if=False)
        book = openpyxl.load_workbook(first.path)
        book["考核表"]["L5"] = "A"  # the leaders decide a tie (the first data row)
        book.save(first.path)
        edited = first.path.read_bytes()
        _, second = run_summary(ledger, ROSTER, ctx, tmp_path, what_if=False)
    assert second.kept == first.path and first.path.read_bytes() == edited
    assert second.path == first.path.with_name(f"{first.path.stem}（新）.xlsx") and second.reason  # L5 is an input: filled in


def test_appeal_keeps_the_old_value_and_the_summary_uses_the_new(cycle, tmp_path, cli):
    _, ledger = cycle
    person = ROSTER["E0064"]
    args = ("appeal", "--month", "2026-12", "--employee", person.id, "--ledger", str(ledger))
    code, out, _ = cli(*args, "--score", "82", "--reason", "第1项漏计", "--by", "王主任", "--date", "2027-01-12")
    assert code == 0 and "已记录 E0064 的申诉更正：70 → 82，由 王主任 于 2027-01-12" in out
    code, out, _ = cli("summary", "--month", "2026-12", "--ledger", str(ledger), "--out", str(tmp_path))
    with Ledger(ledger) as opened:
        row = next(r for r in opened.monthly_rows("2026-12") if r["employee"] == person.id)
        appeals = opened.appeals("2026-12", person.id)
    assert (row["final"], row["grade"]) == (82, "B")
    assert "申诉更正：70 → 82（王主任，2027-01-12：第1项漏计）" in row["remark"]
    assert [(a.old_score, a.new_score, a.by, a.reason, a.made) for a in appeals] == [
        (70.0, 82.0, "王主任", "第1项漏计", "2027-01-12")]
    assert "申诉：E0064 70.0 → 82.0，决定人 王主任：第1项漏计" in out
    book = openpyxl.load_workbook(summary_path(tmp_path, Context(Month.parse("2026-12"))))
    header, row = ([c.value for c in r] for r in book["申诉更正"].iter_rows(min_row=2, max_row=3))
    assert header[:6] == ["工号", "原得分", "更正为", "更正人", "申诉日期", "登记时间"]
    assert row[:5] == ["E0064", 70, 82, "王主任", "2027-01-12"]
    assert row[5][:10] == date.today().isoformat()  # recorded when the command ran


@pytest.mark.parametrize(("extra", "message"), [
    (("--employee", "E9999", "--score", "80", "--reason", "x", "--by", "y"),
     "Error: --employee: 'E9999' is not a 工号 on the roster; check the 工号\n"),
    (("--employee", "E0007", "--score", "80", "--reason", " ", "--by", "y"),
     "Error: --reason and --by: must say why and who: an appeal without them is not recorded\n"),
    (("--employee", "E0007", "--score", "-3", "--reason", "x", "--by", "y"),
     "Error: --score: -3 is not a possible final score; give a number from 0 up\n"),
    (("--employee", "E0007", "--score", "80", "--reason", "x", "--by", "y", "--date", "2026-13-01"),
     "Error: --date: '2026-13-01' is not a date; write it as YYYY-MM-DD, e.g. 2026-12-05\n"),
    (("--employee", "E0007", "--score", "80", "--reason", "x", "--by", "y", "--date", "2026-11-30"),
     "Error: --date: 2026-11-30 is before 2026-12 began: an appeal of its appraisal is made after; give the day it was made\n"),
])  # fmt: skip
def test_appeal_errors(cycle, extra, message, cli):
    _, ledger = cycle
    code, out, err = cli("--lang", "en", "appeal", "--month", "2026-12", "--ledger", str(ledger), *extra)
    assert (code, out, err) == (1, "", message)


def test_appeal_needs_a_collected_form(tmp_path, cli):
    code, _, err = cli("--lang", "en", "appeal", "--month", "2026-10", "--employee", "E0007", "--score", "80",
                       "--reason", "x", "--by", "y", "--ledger", str(tmp_path / "l.sqlite3"))  # fmt: skip
    assert (code, err) == (1, "Error: no 附件3 of 徐强 (E0007) for 2026-10 in the ledger; collect it first\n")


def test_status_lists_who_has_not_handed_in_what(cycle):
    _, ledger_path = cycle
    with Ledger(ledger_path) as ledger:
        lines = run_status(ledger, ROSTER, Context(Month.parse("2026-11")), date(2026, 12, 6))
    text = "\n".join(lines)
    assert "附件5 部门月度自评表：8 份未交，已于 2026-12-05 逾期" in text
    assert "附件3 员工月度工作考核表 — 自评：82 份未交，已于 2026-11-30 逾期" in text  # nobody self-assessed
    assert "附件3 员工月度工作考核表 — 分管领导评定" not in text  # every leader rated
    assert "附件6 高管月度考核表：4 份未交，截止 2026-12-08" in text
    assert "附件7 员工月度考核汇总表: 尚未记录，截止 2026-12-10" in text


def test_annual_summaries_with_escalations(cycle, tmp_path, cli):
    _, ledger = cycle
    for month in ("2026-11", "2026-12"):
        assert cli("summary", "--month", month, "--ledger", str(ledger), "--out", str(tmp_path))[0] == 0
    code, out, _ = cli("annual", "--year", "2026", "--ledger", str(ledger), "--out", str(tmp_path))
    assert code == 0
    person = ROSTER["E0020"]
    assert (f"{person.name} (E0020, 财务审计部): 2026-11 D（累计1次）：留任原职查看; "
            "2026-12 D（累计2次）：转为试用员工") in out  # fmt: skip
    eight = openpyxl.load_workbook(tmp_path / "2026" / "附件8_员工年度考核汇总表_2026.xlsx")
    nine = openpyxl.load_workbook(tmp_path / "2026" / "附件9_部门年度考核汇总表_2026.xlsx")
    # seed 000 line 26 (考核过程中): the second D is acted on in December's 附件7, not only at year end
    with Ledger(ledger) as opened:
        december = {r["employee"]: r for r in opened.monthly_rows("2026-12") if r["month"] == "2026-12"}
    assert "D（累计2次）：转为试用员工" in december["E0020"]["remark"]
    seven = openpyxl.load_workbook(summary_path(tmp_path, Context(Month.parse("2026-12"))))
    listed = [[c.value for c in row] for row in seven["等级分布"].iter_rows() if row[0].value and "E0020" in str(row[0].value)]
    assert listed == [[f"{ROSTER['E0020'].name}（E0020）", "财务审计部", "D", "D（累计2次）：转为试用员工"]]
    assert eight.sheetnames[:2] == ["考核表", "月度等级分布"] and eight["月度等级分布"]._charts
    assert nine["考核表"]._charts
    assert "优秀部门" in out and "较差部门" in out


def test_annual_without_recorded_months_is_a_clear_error(tmp_path, cli):
    Ledger(tmp_path / "l.sqlite3").close()  # a ledger with nothing recorded
    code, _, err = cli("--lang", "en", "annual", "--year", "2025", "--ledger", str(tmp_path / "l.sqlite3"), "--out", str(tmp_path))
    assert (code, err) == (1, f"Error: no month of 2025 has a recorded summary in {tmp_path / 'l.sqlite3'}; run `kpi-xl summary` first\n")
