"""Seeds 001–004 with their shipped policies and scorecards: worked examples computed by hand
from the seed texts (../shared/seeds/00N_*.txt, lines cited), through the Python engine (the
form's rules), the Excel UDFs, and the native formulas recalculated by LibreOffice; then
through the whole cycle (forms → collect → summary) and the history rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest

import kpi_udfs
from kpi_xl.calendar import Month
from kpi_xl.cli import main
from kpi_xl.collect.collector import collect
from kpi_xl.engine.history import history_notes
from kpi_xl.forms import Context, form_for
from kpi_xl.ledger import Ledger
from kpi_xl.office.summary import run_summary
from kpi_xl.policy import load_policy, shipped_file
from kpi_xl.roster import read_roster
from kpi_xl.scorecards.library import Library, ScorecardError, load_scorecards, write_scorecards
from kpi_xl.scorecards.seeds import SHIPPED_SCORECARDS, write_shipped
from tests.helpers import assert_same_workbook, convert, office_key, write_filled

MONTH = Month.parse("2026-12")


def seed(name: str):
    policy = load_policy(name)
    return policy, read_roster(shipped_file("rosters", name, ".csv")), Context(MONTH, policy=policy)


@dataclass
class Example:
    seed: str
    person: str
    cite: str
    measured: dict[str, float | tuple[float, float]]  # indicator → value (or value, second)
    manual: dict[str, float]  # indicator → the score every rater gives
    scores: dict[str, float]  # indicator → its score, by hand
    total: float
    udf: dict[str, object] = field(default_factory=dict)  # indicator → the same score through a UDF


EXAMPLES = [
    Example(
        "seed-003", "C011", "seed 003 line 64 (客服指标绩效考核表) and line 66 (绩效工资 750)",
        measured={"询单转化率": 0.70, "支付率": 0.90, "落实客单价": 1.10, "旺旺回复率": 0.995, "旺旺响应时间": 40,
                  "考勤": (1, 1), "经验分享": 0},
        manual={"工作任务": 9, "工作态度": 5},
        # 75%>X≥65% → 80 of 35; 85%≤F<92% → 80 of 20; 1.12>Y≥1.08 → 80 of 10; Z≥99% → 100 of 5;
        # 30<T≤45 → 80 of 5; one late (−2) and one day's leave (−1) → 7 of 10
        scores={"询单转化率": 28, "支付率": 16, "落实客单价": 8, "旺旺回复率": 5, "旺旺响应时间": 4, "工作任务": 9,
                "工作态度": 5, "考勤": 7, "经验分享": 0},
        total=82,
        udf={"询单转化率": lambda: kpi_udfs.KPI_BAND([[0.70]], [[0.75, 0.65, 0.5]], [[35, 28, 21]], 0),
             "支付率": lambda: kpi_udfs.KPI_BAND([[0.90]], [[0.92, 0.85, 0.72]], [[20, 16, 12]], 0),
             "旺旺响应时间": lambda: kpi_udfs.KPI_BAND([[40]], [[30, 45, 55]], [[5, 4, 3]], 0),
             "考勤": lambda: kpi_udfs.KPI_DEDUCT([[1 * 2 + 1 * 1]], [[1]], [[10]])},
    ),
    Example(
        "seed-004", "D011", "seed 004 line 181 (客户服务人员绩效考核表) and lines 181–191 (奖励, 处罚)",
        measured={"专业技能、接听质量": 2, "客户投诉率": 0.005, "回访完成率": 0.96, "回访真实度": 0, "客户满意度": 0.85,
                  "报表上交真实性": 0, "审计、纠错及行政通报": 2, "表扬信": 1, "部门批评": 1},
        manual={},
        # 2 failed checks × 2 → 26 of 30; complaint rate 0.4–1% → −4 → 16; 回访 95–100% → −1 → 9;
        # 0 untrue → 10; 满意度 80–95% → −2 → 8; reports true → 10; audit −2 → 8;
        # one praise letter +1; one criticism by the department −2
        scores={"专业技能、接听质量": 26, "客户投诉率": 16, "回访完成率": 9, "回访真实度": 10, "客户满意度": 8,
                "报表上交真实性": 10, "审计、纠错及行政通报": 8, "表扬信": 1, "部门批评": -2},
        total=86,
        udf={"专业技能、接听质量": lambda: kpi_udfs.KPI_DEDUCT([[2]], [[2]], [[30]]),
             "客户投诉率": lambda: kpi_udfs.KPI_BAND([[0.005]], [[0, 0.004, 0.01, 0.015]], [[20, 18, 16, 10]], [[10]]),
             "回访完成率": lambda: kpi_udfs.KPI_BAND([[0.96]], [[1.0, 0.95, 0.80, 0.75]], [[10, 9, 8, 7]], [[5]])},
    ),
    Example(
        "seed-004", "D012", "seed 004 line 181: 审计… 从当月总分中扣处 … 当月分值扣完为止; 表扬信 加1分 (no cap)",
        measured={"专业技能、接听质量": 0, "客户投诉率": 0, "回访完成率": 1.0, "回访真实度": 0, "客户满意度": 1.0,
                  "报表上交真实性": 0, "审计、纠错及行政通报": 15, "表扬信": 7, "公司表扬": 1},
        manual={},
        # every measured row full (30+20+10+10+10+10); the audit's 15 points come off the month's
        # total, 5 more than the row's 10 (10 − 15 = −5); seven letters +7 (no cap), the company +3
        scores={"专业技能、接听质量": 30, "客户投诉率": 20, "回访完成率": 10, "回访真实度": 10, "客户满意度": 10,
                "报表上交真实性": 10, "审计、纠错及行政通报": -5, "表扬信": 7, "公司表扬": 3},
        total=95,
        udf={"客户满意度": lambda: kpi_udfs.KPI_BAND([[1.0]], [[1.0, 0.95, 0.80, 0.75]], [[10, 9, 8, 7]], [[5]])},
    ),
    Example(
        "seed-004", "D014", "seed 004 lines 13–131 (维康 百分考核: 基础分100 加减奖励分和扣发分为总分)",
        measured={"无故迟到、早退": 1, "客户投诉属实": 1, "普通客户回访不足": 12, "未执行标准作业程序": 3,
                  "书面或电话表扬": 4, "锦旗表扬": 1, "妥善处理客人摩擦": 1},
        manual={},
        # 100; late once −5 (line 27); a true complaint −5 (line 45); 12 calls short × 0.1 −1.2
        # (line 99); the 组长 takes 3 for a procedure error (扣1—10分, line 67); four phone
        # praises +4, a banner +5 (line 117), a friction well handled +10 (line 115): 104.8, no cap
        scores={"基础分": 100, "无故迟到、早退": -5, "客户投诉属实": -5, "普通客户回访不足": -1.2,
                "未执行标准作业程序": -3, "书面或电话表扬": 4, "锦旗表扬": 5, "妥善处理客人摩擦": 10},
        total=104.8,
        udf={"基础分": lambda: kpi_udfs.KPI_DEDUCT([[0]], [[1]], [[100]])},
    ),
    Example(
        "seed-002", "B015", "seed 002 lines 210–217 (10086业务处理员)",
        measured={"业务工单处理量": (1150, 1000), "稽核工作完成情况": 600, "客服系统优化建议": 2, "存档完整性": 1,
                  "工单处理满意度": 0, "业务处理及时性": (20, 1000), "业务处理准确性": 1, "出勤及劳动纪律": 0},
        manual={},
        # 115% of the average ≥ 110% → 40; 600 of a base of 500 = 120%: (1.2−0.7)/(1.5−0.7) × 15 = 9.375;
        # 2 suggestions, one short → 8; one missing file → 4; overtime 2%: (5%−2%)/5% × 10 = 6;
        # one error → 7
        scores={"业务工单处理量": 40, "稽核工作完成情况": 9.375, "客服系统优化建议": 8, "存档完整性": 4,
                "工单处理满意度": 5, "业务处理及时性": 6, "业务处理准确性": 7, "出勤及劳动纪律": 5},
        total=84.375,
        udf={"业务工单处理量": lambda: kpi_udfs.KPI_RELATIVE([[1150]], [[1000]], [[0.7]], [[1.1]], [[40]]),
             "稽核工作完成情况": lambda: kpi_udfs.KPI_RELATIVE([[600]], [[500]], [[0.7]], [[1.5]], [[15]]),
             "客服系统优化建议": lambda: kpi_udfs.KPI_LINEAR([[2]], [[-2]], [[3]], [[10]])},
    ),
    Example(
        "seed-002", "B021", "seed 002 lines 217–230 (12580值班长)",
        measured={"班组团队业绩": (88, 2), "班前会及交接班管理": 1, "考勤记录有误或包庇": 2,
                  "其他工作": 0, "未按时提交活动计划及方案": 1, "季考成绩": 80, "出勤": 0},
        manual={},
        # team average 88 ≥ 85 and second → 65; 季考 80: halfway from 70 to 90 → 2.5 of 5
        scores={"班组团队业绩": 65, "班前会及交接班管理": 4, "现场监控及故障处理": 3, "数据分析": 2, "人员管理": 3,
                "其他工作": 5, "团队文化建设": 4, "季考成绩": 2.5, "出勤": 0},
        total=88.5,
        udf={"班组团队业绩": lambda: kpi_udfs.KPI_RANK_POINTS([[90], [88], [84], [80], [70]], [[70, 65, 60, 55, 50]], [[85]],
                                                      kpi_udfs.KPI_BAND([[90], [88], [84], [80], [70]], [[75]], [[40]], 0))[1][0],
             "季考成绩": lambda: kpi_udfs.KPI_LINEAR([[80]], [[70]], [[90]], [[5]])},
    ),
    Example(
        "seed-002", "B022", "seed 002 lines 222–228 (12580值班长: mixed amounts, 最多扣2分/3分, 隐瞒不报者不得分)",
        measured={"班组团队业绩": (86, 1), "班前会及交接班管理": 0, "未及时上报故障、制定解释口径": 1,
                  "故障记录不完整或有误、未跟踪交接": 1, "隐瞒不报": 1, "数据提供有误": 1, "内容描述不完整或意思不明确": 1,
                  "解答有误产生投诉": 1, "每时段示忙2人以上": 1, "抽检拨测录音不足60条": 2, "其他工作": 0,
                  "活动记录不完整": 3, "加班少一人": 1, "季考成绩": 90, "出勤": 0},
        manual={},
        # team average 86 ≥ 85 and first → 70; 现场监控: 1 + 0.5 taken, but 隐瞒不报 → 0 of 3;
        # 数据分析: 0.5 + 0.5 → 1 of 2; 人员管理: 2 + 0.5 + 2 × 0.5 = 3.5 → 1.5 of 5;
        # 团队文化建设: 3 incomplete records, 最多扣2分 → 2, one short for overtime → 1: 5 − 3 = 2;
        # 季考 90 → 5
        scores={"班组团队业绩": 70, "班前会及交接班管理": 5, "现场监控及故障处理": 0, "数据分析": 1, "人员管理": 1.5,
                "其他工作": 5, "团队文化建设": 2, "活动记录不完整": 0, "季考成绩": 5, "出勤": 0},
        total=70 + 5 + 0 + 1 + 1.5 + 5 + 2 + 5 + 0,  # 89.5
        udf={"活动记录不完整": lambda: kpi_udfs.KPI_DEDUCT([[3]], [[1]], [[2]])},
    ),
    Example(
        "seed-002", "B023", "seed 002 lines 231–235 (12580业务指导)",
        measured={"团队平均服务质量": 90, "团队服务差错率": 0.03, "团队平均季考成绩": 85, "日常培训及团队辅导": 1,
                  "解释口径、流程的梳理": 0, "其他工作": 0, "出勤": 0},
        manual={"知识库管理": 4, "团队文化建设": 5},
        # service 90 × 30% = 27; error rate 3%: (5%−3%)/(5%−2%) × 30 = 20; exam 85 × 10% = 8.5;
        # lines 231–232: 平均服务质量分值 ≥ 26 and < 28 → 团队成绩 40 (not 27 + 20 + 8.5 = 55.5)
        scores={"班组团队业绩": 40, "团队平均服务质量": 27, "团队服务差错率": 20, "团队平均季考成绩": 8.5,
                "日常培训及团队辅导": 9, "解释口径、流程的梳理": 5, "知识库管理": 4, "其他工作": 5, "团队文化建设": 5,
                "出勤": 0},
        total=68,
        udf={"团队服务差错率": lambda: kpi_udfs.KPI_LINEAR([[0.03]], [[0.05]], [[0.02]], [[30]])},
    ),
    Example(
        "seed-002", "B024", "seed 002 lines 231–232 (12580业务指导: 服务质量 ≥ 28 → the three-part sum)",
        measured={"团队平均服务质量": 95, "团队服务差错率": 0.03, "团队平均季考成绩": 80, "日常培训及团队辅导": 0,
                  "解释口径、流程的梳理": 0, "其他工作": 0, "出勤": 0},
        manual={"知识库管理": 5, "团队文化建设": 5},
        # service 95 × 30% = 28.5 ≥ 28 → 28.5 + 20 + 80 × 10% = 56.5; 10 + 5 + 5 + 5 + 5 → 86.5
        scores={"班组团队业绩": 56.5, "团队平均服务质量": 28.5, "团队服务差错率": 20, "团队平均季考成绩": 8},
        total=86.5,
        udf={"团队平均服务质量": lambda: kpi_udfs.KPI_LINEAR([[95]], [[0]], [[100]], [[30]])},
    ),
    Example(
        "seed-001", "A014", "seed 001 lines 63–68 (客服专员's five indicators; targets are ours)",
        measured={"呼叫响应率/接通率": (95, 100), "平均通话/处理时长": 360, "问题一次性解决率": (75, 100),
                  "客户投诉率": (2, 200), "工单处理准确率与及时性": (190, 200), "客户满意度": 95, "纪律性": 0},
        manual={"服务规范性": 9, "团队协作": 5},
        # 95%: (0.95−0.8)/(0.98−0.8) × 15 = 12.5; 360 s: (600−360)/(600−300) × 10 = 8; 75%:
        # (0.75−0.6)/0.3 × 15 = 7.5; complaints 1% → 10; 95% of 工单 right: 0.15/0.2 × 10 = 7.5;
        # satisfaction 95 → 15
        scores={"呼叫响应率/接通率": 12.5, "平均通话/处理时长": 8, "问题一次性解决率": 7.5, "客户投诉率": 10,
                "工单处理准确率与及时性": 7.5, "客户满意度": 15, "服务规范性": 9, "团队协作": 5, "纪律性": 10},
        total=84.5,
        udf={"客户投诉率": lambda: kpi_udfs.KPI_LINEAR(kpi_udfs.KPI_RATIO([[2]], [[200]]), [[0.05]], [[0.01]], [[10]]),
             "平均通话/处理时长": lambda: kpi_udfs.KPI_LINEAR([[360]], [[600]], [[300]], [[10]])},
    ),
    Example(
        "seed-001", "A011", "seed 001 lines 57–62 (售后工程师's five indicators; targets are ours)",
        measured={"故障解决率": (90, 100), "平均故障处理时长": 9, "一次修复率": (81, 90), "服务响应及时性": (45, 50),
                  "技术文档完整性": (18, 20), "客户满意度": 88, "纪律性": 1},
        manual={"服务规范性": 10, "团队协作": 5},
        # 90%: (0.9−0.7)/0.25 × 15 = 12; 9 h: (24−9)/(24−4) × 10 = 7.5; 81/90 = 90% → 15;
        # 45/50 = 90%: 0.1/0.2 × 10 = 5; 18/20 = 90% → 5; 88: 28/35 × 15 = 12; one breach −2 → 8
        scores={"故障解决率": 12, "平均故障处理时长": 7.5, "一次修复率": 15, "服务响应及时性": 5, "技术文档完整性": 5,
                "客户满意度": 12, "服务规范性": 10, "团队协作": 5, "纪律性": 8},
        total=79.5,
        udf={"平均故障处理时长": lambda: kpi_udfs.KPI_LINEAR([[9]], [[24]], [[4]], [[10]])},
    ),
    Example(
        "seed-001", "A022", "seed 001 lines 69–71 (技术支持专员; 知识库 read as entries a month, 4 for full)",
        measured={"远程问题解决率": (80, 100), "知识库内容贡献与更新": 3, "客户满意度": 81, "纪律性": 0},
        manual={"服务规范性": 8, "团队协作": 4},
        # 80%: 0.2/0.3 × 35 = 23.33…; 3 entries of 4 → 18.75; 81: 21/35 × 15 = 9
        scores={"远程问题解决率": 70 / 3, "知识库内容贡献与更新": 18.75, "客户满意度": 9, "服务规范性": 8, "团队协作": 4,
                "纪律性": 10},
        total=70 / 3 + 18.75 + 9 + 8 + 4 + 10,
        udf={"知识库内容贡献与更新": lambda: kpi_udfs.KPI_LINEAR([[3]], [[0]], [[4]], [[25]])},
    ),
]


def filled_values(example: Example, spec) -> dict:
    """The example as typed into the person's 附件3."""
    policy, roster, ctx = seed(example.seed)
    card = {i.name: (n, i) for n, i in enumerate(
        __import__("kpi_xl.scorecards.library", fromlist=["scorecard_for"]).scorecard_for(policy, roster[example.person].position).indicators,
        start=1)}  # fmt: skip
    values: dict = {}
    for name, value in example.measured.items():
        n, _ = card[name]
        first, second = value if isinstance(value, tuple) else (value, None)
        values[f"kpi{n}.value"] = float(first)
        if second is not None:
            values[f"kpi{n}.second"] = float(second)
    for name, score in example.manual.items():
        n, _ = card[name]
        values |= {f"kpi{n}.{rater}": float(score) for rater in ("self", "dept", "leader")}
    return values, {name: n for name, (n, _) in card.items()}


def spec_of(example: Example):
    _, roster, ctx = seed(example.seed)
    return form_for(3, example.person, roster, ctx)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.seed}-{e.person}")
def test_python_engine(example):
    spec = spec_of(example)
    values, rows = filled_values(example, spec)
    result = spec.evaluate(spec.generated_inputs() | values)
    for name, expected in example.scores.items():
        assert result[f"kpi{rows[name]}.dept"] == pytest.approx(expected), f"{name} ({example.cite})"
    assert result["kpi.dept"] == pytest.approx(example.total)
    assert result["final"] == pytest.approx(example.total)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"{e.seed}-{e.person}")
def test_udfs(example):
    assert example.udf, "every example checks some of its rows through the Excel functions"
    for name, call in example.udf.items():
        got = call()
        got = got[0][0] if isinstance(got, list) and isinstance(got[0], list) else got
        assert got == pytest.approx(example.scores[name]), f"{name} through the UDF ({example.cite})"


@pytest.mark.libreoffice
def test_native_formulas_in_libreoffice(tmp_path, key):
    sources, specs = [], []
    for i, example in enumerate(EXAMPLES):
        spec = spec_of(example)
        values, rows = filled_values(example, spec)
        sources.append(write_filled(tmp_path / f"example{i}.xlsx", spec, values, key))
        specs.append((example, spec, rows))
    for (example, spec, rows), out in zip(specs, convert(sources, tmp_path / "recalculated")):
        sheet = openpyxl.load_workbook(out, data_only=True)[spec.sheet]

        def cell(key, sheet=sheet, spec=spec):
            return sheet.cell(*(x + 1 for x in spec.position(key))).value

        for name, expected in example.scores.items():
            for rater in ("self", "dept", "leader"):
                assert cell(f"kpi{rows[name]}.{rater}") == pytest.approx(expected), f"{name} ({example.cite})"
        assert cell("final") == pytest.approx(example.total), example.cite


@pytest.mark.parametrize("name", ["seed-001", "seed-002", "seed-003", "seed-004"])
def test_each_seed_runs_through_forms_collect_and_summary(name, tmp_path, key, capsys):
    chosen = [e for e in EXAMPLES if e.seed == name]
    out, returned, ledger_path = tmp_path / "forms", tmp_path / "returned", tmp_path / "ledger.sqlite3"
    assert main(["forms", "--ledger", str(tmp_path / "ledger.sqlite3"), "--month", "2026-12", "--policy", name, "--out", str(out), "--workers", "1"]) == 0
    assert "failed 0" in capsys.readouterr().out
    for example in chosen:
        spec = spec_of(example)
        values, _ = filled_values(example, spec)
        write_filled(returned / f"{example.person}.xlsx", spec, values, key)
    assert main(["collect", "--month", "2026-12", str(returned), "--policy", name, "--ledger", str(ledger_path)]) == 0
    assert main(["summary", "--month", "2026-12", "--policy", name, "--ledger", str(ledger_path), "--out", str(tmp_path)]) == 0
    with Ledger(ledger_path) as ledger:
        rows = {r["employee"]: r for r in ledger.monthly_rows()}
    for example in chosen:
        assert rows[example.person]["final"] == pytest.approx(example.total), example.cite
    if name == "seed-003":  # 绩效工资 = 750 × 分数%: 82 → 615 (line 66)
        assert rows["C011"]["pay"] == pytest.approx(615)
    if name == "seed-004":  # 百分考核分数只与奖金挂钩 (line 131): base × 分数%, no grade, to the fen
        _, roster, _ = seed(name)
        for person, total in (("D014", 104.8), ("D011", 86)):
            base = roster[person].monthly_pay * 0.10
            assert rows[person]["pay"] == round(base * total / 100 + 1e-9, 2) and rows[person]["bonus"] == 0


def test_seed_003_department_total_on_the_100_point_scale():
    # line 96: 自评分 100, 96, 100 (所有评分都以百分制为计算单位) → (100×30% + 96×30% + 100×20%)
    # × 重关指标值; line 98: 重关指标值 = 重关指标得分/100 — a key score of 100 → 78.8, of 90 → 70.92
    from kpi_xl import rules

    policy, roster, ctx = seed("seed-003")
    spec = form_for(5, "客服部", roster, ctx)
    values = {"c1.self": 100, "c2.self": 96, "c3.self": 100, "factor": 100}
    assert spec.evaluate(values)["total.self"] == pytest.approx(78.8)
    assert spec.evaluate({**values, "factor": 90})["total.self"] == pytest.approx(70.92)
    assert rules.weighted_percent_sum([100, 96, 100], [30, 30, 20]) == pytest.approx(78.8)
    # the seed's own rating 96 is accepted; above 100 is not
    checks = {f.key: f.check for f in spec.fields}
    assert checks["c2.self"].maximum == 100 and checks["factor"].maximum == 100
    # seed 000 keeps its points: 部门工作完成情况 at most 70
    default = form_for(5, "客服部", roster, Context(MONTH))
    assert {f.key: f.check for f in default.fields}["c1.self"].maximum == 70


@pytest.mark.libreoffice
def test_seed_003_department_total_recalculated_by_libreoffice(tmp_path, key):
    # line 96: 100, 96, 100 on the 100-point scale, 重关指标得分 100 (line 98) → 78.8; the leader
    # rates 90, 80, 100 with a key score of 90 → (27 + 24 + 20) × 0.9 = 63.9
    _, roster, ctx = seed("seed-003")
    spec = form_for(5, "客服部", roster, ctx)
    values = {"c1.self": 100, "c2.self": 96, "c3.self": 100, "c1.leader": 90, "c2.leader": 80, "c3.leader": 100,
              "factor": 90}
    [out] = convert([write_filled(tmp_path / "dept.xlsx", spec, values, key)], tmp_path / "recalculated")
    sheet = openpyxl.load_workbook(out, data_only=True)[spec.sheet]

    def cell(key):
        return sheet.cell(*(x + 1 for x in spec.position(key))).value

    assert cell("sum.self") == pytest.approx(78.8) and cell("total.self") == pytest.approx(70.92)
    assert cell("sum.leader") == pytest.approx(71) and cell("total.leader") == pytest.approx(63.9)
    assert spec.evaluate(values)["total.leader"] == pytest.approx(63.9)


def test_seed_003_qc_factor_bonus():
    # line 150–152: QC 基准 70%, 目标 80%, 倍数 5; 基础绩效奖金 = 工作量绩效 × QC比例,
    # 工作量绩效 = 基准奖金 − (工作量基准 − 实际工作量) × 1: 300 − (1000 − 950) = 250;
    # QC 85% → 1 + (0.85 − 0.80) × 5 = 1.25 (the SPEC's reading of the garbled sign) → 312.5
    policy, _, _ = seed("seed-003")
    factor = kpi_udfs.KPI_QC_FACTOR([[0.85]], None, None, None)[0][0]
    assert factor == pytest.approx(1.25)
    assert (300 - (1000 - 950) * 1) * factor == pytest.approx(312.5)
    assert kpi_udfs.KPI_QC_FACTOR([[0.65]], None, None, None)[0][0] == pytest.approx(0.75)


def test_seed_004_three_raters():
    # 自评 15%, 上级 60%, 小组 25% (SPEC §5): 90, 80, 85 → 13.5 + 48 + 21.25 = 82.75
    policy, roster, ctx = seed("seed-004")
    assert kpi_udfs.KPI_360([[90]], [[80]], [[85]], None) == [[pytest.approx(82.75)]]
    from kpi_xl import rules

    assert rules.final_score(90, 80, 85, policy=policy) == pytest.approx(82.75)
    assert rules.final_score_formula("F40", "G40", "H40", policy=policy) == \
        'IF(OR(F40="",G40="",H40=""),"",(F40*0.15+G40*0.6+H40*0.25)/1)'  # fmt: skip


def _records(history: dict[str, list[float]], months: list[str], department="客服部"):
    return [{"month": m, "employee": e, "department": department, "final": s}
            for e, scores in history.items() for m, s in zip(months, scores)]  # fmt: skip


def test_seed_003_history_rules():
    policy, _, _ = seed("seed-003")
    months = ["2026-10", "2026-11", "2026-12"]
    history = {"C011": [95, 96, 97], "C012": [30, 40, 33], "C013": [60, 34, 20], "C014": [70, 71, 72]}
    notes = history_notes(_records(history, months), "2026-12", policy)
    assert notes["C011"] == ["连续3次分数名列第一：额外奖金"]
    assert notes["C013"] == ["连续2次分数低于35分：淘汰"]  # 34 and 20 in a row
    assert "C012" not in notes  # 40 in November broke the run; last place only once in a row
    history["C012"] = [30, 20, 10]
    assert notes_of(policy, history, months)["C012"] == ["连续2次分数低于35分：淘汰", "连续3次分数倒数第一：淘汰"]


def notes_of(policy, history, months):
    return history_notes(_records(history, months), months[-1], policy)


def test_seed_004_quarter_rewards_with_ties():
    policy, _, _ = seed("seed-004")
    months = ["2026-10", "2026-11", "2026-12"]
    history = {"D011": [95, 95, 95], "D012": [90, 90, 90], "D013": [90, 90, 90], "D014": [80, 80, 80], "D015": [99, 60, 60]}
    notes = notes_of(policy, history, months)
    assert notes["D011"] == ["2026年第4季度综合排名第1：奖励500元"]
    # a tie for second: both rewarded as second (名次并列的同时奖励); nobody is third
    assert notes["D012"] == notes["D013"] == ["2026年第4季度综合排名第2：奖励300元"]
    assert "D014" not in notes and "D015" not in notes
    assert notes_of(policy, history, months[:2]) == {}  # only at a quarter's end


def test_the_history_rules_reach_the_summary(tmp_path, key):
    policy, roster, ctx = seed("seed-003")
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        ledger.record_monthly("2026-11", [{"employee": "C011", "name": "", "department": "客服部", "position": "",
                                           "self": None, "dept": None, "leader": None, "final": 30.0,
                                           "grade_before": "D", "grade": "D", "base": 750, "ratio": 0.3, "pay": 225,
                                           "bonus": 0, "remark": ""}])  # fmt: skip
        spec = form_for(3, "C011", roster, ctx)
        values, _ = filled_values(EXAMPLES[0], spec)
        values = {k: (0.1 if k.endswith(".value") else v) for k, v in values.items()}  # a very bad month
        write_filled(tmp_path / "in" / "a.xlsx", spec, values, key)
        assert not collect([tmp_path / "in"], MONTH, roster, policy, ledger, key=office_key(ledger.path)).problems
        result, _ = run_summary(ledger, roster, ctx, tmp_path / "out", what_if=True)
    row = result.staff[result.staff["employee"] == "C011"].iloc[0]
    assert row["final"] < 35 and "连续2次分数低于35分：淘汰" in row["remark"]


# -- the scorecard workbook ------------------------------------------------------------------


def test_shipped_scorecards_read_back_as_defined(tmp_path):
    for name, library in SHIPPED_SCORECARDS.items():
        write_scorecards(library, tmp_path / f"{name}.xlsx")
        loaded = load_scorecards(tmp_path / f"{name}.xlsx")
        assert loaded.scorecards == library.scorecards, name


def test_committed_scorecards_equal_a_fresh_generation(tmp_path):
    for path in write_shipped(tmp_path):
        shipped = shipped_file("scorecards", path.stem, ".xlsx")
        assert_same_workbook(Path(shipped), path, "out of date: run python -m kpi_xl.scorecards.seeds")


def test_a_scorecard_with_bad_rows_gives_the_exact_messages(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "客服"
    sheet.append(["适用岗位", "客服专员"])
    sheet.append([])
    sheet.append(["指标", "定义", "计分规则", "参数", "分值", "数据来源"])
    sheet.append(["询单转化率", "", "分档", "0.75,0.65|100,80,60", 35, ""])
    sheet.append(["支付率", "", "插值", "1,2", 20, ""])
    sheet.append(["", "", "线性", "70,90", 5, ""])
    sheet.append(["响应时间", "", "线性", "70,70", 5, ""])
    sheet.append(["工作态度", "", "手工", "", "五", ""])
    sheet.append(["考勤", "", "扣分", "2", 30, ""])
    other = book.create_sheet("售后")
    other.append(["适用岗位", "客服专员"])
    other.append([])
    other.append(["指标", "定义", "计分规则", "参数", "分值", "数据来源"])
    other.append(["满意度", "", "线性", "60,95", 90, ""])
    path = tmp_path / "指标库.xlsx"
    book.save(path)
    with pytest.raises(ScorecardError) as caught:
        load_scorecards(path)
    assert caught.value.problems == [
        "指标库.xlsx › 客服!D4: 参数 '0.75,0.65|100,80,60' do not fit 分档; write them like 0.75,0.65,0.5|100,80,60",
        "指标库.xlsx › 客服!C5: 计分规则 '插值' is not one of 线性, 相对, 分档, 比率, 扣分, 加分, 罚分, 排名, 手工, 基础, 项目, 不得分, 累计",
        "指标库.xlsx › 客服!A6: 指标 is blank; name the indicator",
        "指标库.xlsx › 客服!D7: 参数 '70,70' do not fit 线性; write them like 70,90",
        "指标库.xlsx › 客服!E8: 分值 must be a number (got '五')",
        "指标库.xlsx › 售后!E4: 分值 of the scored rows total 90, not 100 (bonuses and penalties aside); correct the 分值 column",
    ]


def test_a_position_without_a_scorecard_is_reported_by_forms(tmp_path, capsys):
    policy_file = tmp_path / "p.toml"
    library = Library(SHIPPED_SCORECARDS["seed-003"].scorecards[:1], "x")  # no catch-all sheet
    write_scorecards(library, tmp_path / "cards.xlsx")
    policy_file.write_text('scorecards = "cards.xlsx"\nsample_roster = "seed-003"\n[employee_score]\n'
                           "work_share = 0.0\nconduct_share = 0.0\nkpi_share = 1.0\n", encoding="utf-8")  # fmt: skip
    code = main(["forms", "--ledger", str(tmp_path / "ledger.sqlite3"), "--month", "2026-12", "--policy", str(policy_file), "--out", str(tmp_path / "o"), "--workers", "1"])
    out = capsys.readouterr().out
    assert code == 1
    assert ("failed: " in out and "KpiError: 岗位 '客服主管' has no scorecard in cards.xlsx; add it to a sheet's 适用岗位 "
            "(row 1), or use a policy without scorecards") in out  # fmt: skip


def test_a_scorecard_with_bad_groups_gives_the_exact_messages(tmp_path):
    # the 项目 rows of issue 11 (seed 002 lines 222, 231): 所属项目 names a 项目 above; a 不得分 row
    # needs one; a 项目 needs rows; the gate reads full|partial:points
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "业务指导"
    sheet.append(["适用岗位", "业务指导"])
    sheet.append([])
    sheet.append(["指标", "定义", "计分规则", "参数", "分值", "数据来源", "所属项目"])
    sheet.append(["班组团队业绩", "", "项目", "28|26", 70, "", ""])
    sheet.append(["服务质量", "", "线性", "0,100", 30, "", "团队业绩"])
    sheet.append(["隐瞒不报", "", "不得分", "", 0, "", ""])
    sheet.append(["空项目", "", "项目", "", 10, "", ""])
    path = tmp_path / "指标库.xlsx"
    book.save(path)
    with pytest.raises(ScorecardError) as caught:
        load_scorecards(path)
    assert caught.value.problems == [
        "指标库.xlsx › 业务指导!D4: 参数 '28|26' do not fit 项目; write them like (nothing, or 28|26:40 for a gate on the first row)",
        "指标库.xlsx › 业务指导!G5: 所属项目 '团队业绩' is not a 项目 row above this one; name one, or leave it blank",
        "指标库.xlsx › 业务指导!G6: a 不得分 row forfeits its 项目; fill in 所属项目",
        "指标库.xlsx › 业务指导!G4: 项目 '空项目' has no rows; name it in 所属项目 of its rows",
    ]


def test_seed_003_department_table_runs_through_forms_collect_and_summary(tmp_path):
    # line 96 (所有评分都以百分制为计算单位): the head rates 100, 96, 100 and the leader 90, 80, 100
    # on the generated 附件5 itself (only its unlocked cells typed in), 重关指标得分 90 (line 98):
    # the leader's rating is final (seed 000 §五(二)3) → (90×30% + 80×30% + 100×20%) × 0.9 = 63.9
    from tests.helpers import fill

    _, roster, ctx = seed("seed-003")
    out, ledger_path = tmp_path / "forms", tmp_path / "ledger.sqlite3"
    assert main(["--lang", "zh", "forms", "--ledger", str(tmp_path / "ledger.sqlite3"), "--month", "2026-12", "--policy", "seed-003", "--out", str(out),
                 "--workers", "1"]) == 0  # fmt: skip
    [generated] = list(out.rglob("附件5_客服部.xlsx"))
    spec = form_for(5, "客服部", roster, ctx)
    fill(generated, spec, {"c1.self": 100, "c2.self": 96, "c3.self": 100,
                           "c1.leader": 90, "c2.leader": 80, "c3.leader": 100, "factor": 90})  # fmt: skip
    assert main(["collect", "--month", "2026-12", str(out), "--policy", "seed-003", "--ledger", str(ledger_path)]) == 0
    with Ledger(ledger_path) as ledger:
        recorded = ledger.values("2026-12", 5)["客服部"]
    assert recorded["total.self"] == pytest.approx(70.92) and recorded["total.leader"] == pytest.approx(63.9)
    assert main(["summary", "--month", "2026-12", "--policy", "seed-003", "--ledger", str(ledger_path),
                 "--out", str(tmp_path)]) == 0  # fmt: skip
    with Ledger(ledger_path) as ledger:
        [row] = [r for r in ledger.department_rows(2026) if r["department"] == "客服部"]
    assert row["self"] == pytest.approx(70.92) and row["final"] == pytest.approx(63.9)
