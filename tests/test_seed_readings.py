"""Issue 11: the readings of the seed texts that change someone's grade, pay or job, each
worked by hand from the sentence cited (../shared/seeds/00N_*.txt, line numbers)."""

from __future__ import annotations

import numpy as np

from kpi_xl.calendar import Month
from kpi_xl.engine.annual import compute_year
from kpi_xl.engine.escalation import due_this_month
from kpi_xl.engine.history import history_notes, ranking_pools
from kpi_xl.engine.monthly import compute_month
from kpi_xl.forms import Context, form_for
from kpi_xl.ledger import Ledger
from kpi_xl.policy import DEFAULT_POLICY, load_policy, shipped_file
from kpi_xl.roster import read_roster

ROSTER_CSV = """工号,姓名,部门,岗位,类别,分管领导,月应发工资,年薪
G001,总经理甲,公司领导,总经理,总经理,,,600000
G002,副总乙,公司领导,副总经理,高管,G001,,360000
F010,审计丙,财务审计部,财务审计部经理,部门负责人,G002,15000,
F020,财务丁,财务部,财务部经理,部门负责人,G002,14000,
F021,会计戊,财务部,会计,员工,G002,9000,
S010,销售己,销售部,销售部经理,部门负责人,G002,14000,
S011,销售庚,销售部,销售员,员工,G002,8000,
"""


def small_roster(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    return read_roster(path)


# -- seed 000 ------------------------------------------------------------------------------------


def test_finance_staff_are_assessed_by_the_finance_audit_department(tmp_path):
    # seed 000 line 22: 财务部门人员由公司财务审计部负责考核 — 附件7's 考核人 for the 财务部's
    # people (its head too) is the head of 财务审计部; everyone else keeps their own head
    roster = small_roster(tmp_path)
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        staff = compute_month(ledger, roster, Context(Month.parse("2026-12"))).staff
    assessor = dict(zip(staff["employee"], staff["assessor"]))
    assert assessor["F021"] == assessor["F020"] == "审计丙"
    assert assessor["S011"] == "销售己" and assessor["S010"] == "副总乙"
    assert assessor["F010"] == "副总乙"  # the auditors' own head is not his own assessor


def test_the_second_and_third_d_are_acted_on_in_their_month():
    # seed 000 line 26: 当月考核等级为D的,留任原职查看;累计达到两次的,转为试用员工;累计达到三次的,
    # 给予解聘或辞退 — counted across years; 年度C级…达到或超过三次的,给予适当惩处
    # the steps by the D's before (in all, across years) and the year's C's before
    assert due_this_month("D", 0, 0) == ["D（累计1次）：留任原职查看"]
    assert due_this_month("D", 1, 0) == ["D（累计2次）：转为试用员工"]
    assert due_this_month("D", 2, 2) == ["D（累计3次）：解聘或辞退"]
    assert due_this_month("D", 5, 0) == ["D（累计6次）：解聘或辞退"]
    assert due_this_month("B", 2, 0) == [] and due_this_month("C", 0, 1) == []
    assert due_this_month("C", 0, 2) == ["年度C级累计3次：适当惩处"]


def test_year_end_with_fewer_departments_than_places_to_name(tmp_path):
    # seed 000 line 26–28: 评选优秀部门 (2 by default), 考评较差的部门 (1): a company with one
    # scored department still gets its year end — it is named excellent, and no department
    # is named both (the poor are sought among the rest: none here)
    roster = small_roster(tmp_path)
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        ledger.record_monthly("2026-12", [])
        ledger.record_departments("2026-12", [{"department": "销售部", "peer": None, "self": 90, "leader": 88,
                                               "final": 88, "remark": ""}])  # fmt: skip
        result = compute_year(ledger, roster, Context(Month.parse("2026-12")), 2026)
    verdict = dict(zip(result.departments["department"], result.departments["verdict"]))
    assert verdict["销售部"] == "优秀部门"
    assert set(verdict.values()) == {"优秀部门", ""}
    assert np.isnan(result.departments.set_index("department").at["财务部", "average"])


# -- who is ranked: seeds 003 and 004 ------------------------------------------------------------


def _records(history: dict[str, list[float]], months: list[str], roster) -> list[dict]:
    return [{"month": m, "employee": e, "department": roster[e].department, "final": s}
            for e, scores in history.items() for m, s in zip(months, scores)]  # fmt: skip


def test_seed_003_ranks_the_customer_service_team_not_their_supervisors():
    # seed 003 line 66: 连续三次分数倒数第一,淘汰; 连续三次分数名列第一,额外奖金 — on the 客服 KPI
    # table: 曾雨桐 (C021, 客服专员 in 运营部, alone there with her 主管) is second-best of the
    # team and must not be eliminated; the 主管 C010 scores best but is not on the table
    policy = load_policy("seed-003")
    roster = read_roster(shipped_file("rosters", "seed-003", ".csv"))
    pools = ranking_pools(roster, policy)
    assert set(pools) == {"C011", "C012", "C013", "C014", "C015", "C021"} and set(pools.values()) == {"客服"}
    months = ["2026-10", "2026-11", "2026-12"]
    history = {"C010": [99, 99, 99], "C011": [95, 96, 97], "C012": [60, 61, 62], "C013": [70, 70, 70],
               "C014": [71, 72, 73], "C015": [80, 80, 80], "C021": [90, 91, 92], "C020": [40, 40, 40]}
    notes = history_notes(_records(history, months, roster), "2026-12", policy, pools=pools)
    assert notes == {"C011": ["连续3次分数名列第一：额外奖金"], "C012": ["连续3次分数倒数第一：淘汰"]}


def test_seed_004_quarter_rewards_go_to_the_customer_service_staff():
    # seed 004 line 201: 连续3个月(季度)评比综合排名前三名,分别奖励500元、300元、200元 — the
    # 客户服务人员 are ranked; the head 董慧敏 (D010, scored by hand, 99) takes no reward
    policy = load_policy("seed-004")
    roster = read_roster(shipped_file("rosters", "seed-004", ".csv"))
    pools = ranking_pools(roster, policy)
    assert "D010" not in pools and "D020" not in pools
    months = ["2026-10", "2026-11", "2026-12"]
    history = {"D010": [99, 99, 99], "D011": [95, 95, 95], "D012": [90, 90, 90], "D013": [88, 88, 88]}
    notes = history_notes(_records(history, months, roster), "2026-12", policy, pools=pools)
    assert notes == {"D011": ["2026年第4季度综合排名第1：奖励500元"], "D012": ["2026年第4季度综合排名第2：奖励300元"],
                     "D013": ["2026年第4季度综合排名第3：奖励200元"]}  # fmt: skip
    assert DEFAULT_POLICY.history.rank_within == "department"


def test_seed_003_pays_750_to_the_customer_service_on_the_kpi_table(tmp_path):
    # seed 003 line 66: 客服绩效考核分值指标绩效工资 总值750 如50分750*50%=375 — the 750 stands beside
    # the 客服 table; the 主管 C010 (月应发 9000) keeps seed 000's share: 9000 × 10% = 900
    policy = load_policy("seed-003")
    roster = read_roster(shipped_file("rosters", "seed-003", ".csv"))
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        staff = compute_month(ledger, roster, Context(Month.parse("2026-12"), policy=policy)).staff
    base = dict(zip(staff["employee"], staff["base"]))
    assert base["C011"] == base["C015"] == base["C021"] == 750
    assert base["C010"] == 900 and base["C020"] == 950


def test_seed_003_instructions_state_its_own_rules_not_seed_000s_grades():
    # seed 003 line 66: pay by the score (750 × 分数%), 连续两次低于35分 / 连续三次倒数第一 → 淘汰,
    # 连续三次第一 → 额外奖金; nothing of seed 000's A/B/C/D table or A quota
    from kpi_xl.forms.common import grade_lines

    policy = load_policy("seed-003")
    roster = read_roster(shipped_file("rosters", "seed-003", ".csv"))
    ctx = Context(Month.parse("2026-12"), policy=policy)
    text = "\n".join(form_for(3, "C011", roster, ctx).instructions + form_for(5, "客服部", roster, ctx).instructions)
    assert "750×50% = 375 元" in text and "客服岗位 750 元，其他人员为月应发工资的 10%" in text
    assert "连续2次分数低于35分，淘汰" in text and "连续3次分数倒数第一，淘汰（客服岗位一起排名）" in text
    assert "连续3次分数名列第一，额外奖金" in text
    assert "A 等不超过" not in text and "等级：A ≥" not in text
    # seed 000 keeps its grade table
    assert grade_lines(Context(Month.parse("2026-12")))[0].startswith("等级：A ≥ 90 分")


def test_seed_002_12580_guidance_team_score_is_gated():
    # seed 002 lines 231–232: 团队成绩得分 = 平均服务质量得分 + 平均季考成绩得分 + 服务差错率得分;
    # 平均服务质量分值 ≥ 26 且 < 28 → 40; < 26 → 0. The gate is on the service-quality points (of 30)
    from kpi_xl import rules
    from kpi_xl.scorecards.library import scorecard_for

    card = scorecard_for(load_policy("seed-002"), "12580业务指导")
    group = card.indicators[0]
    assert (group.rule, group.numbers, group.points) == ("group", (28, 26, 40), 70)
    assert [i.name for _, i in card.members(group)] == ["团队平均服务质量", "团队服务差错率", "团队平均季考成绩"]
    options = {"kinds": ("add",) * 3, "points": (30, 30, 10), "total": 70, "gate": (28, 26, 40)}
    # 85 × 30% = 25.5 < 26 → 0; 90 → 27 → 40; 28 exactly → 28 + 20 + 8 = 56; 100 → 30 + 30 + 10 = 70
    assert rules.group_score([25.5, 27, 28, 30], [20, 20, 20, 30], [8, 8, 8, 10], **options).tolist() == [0, 40, 56, 70]
    assert rules.group_score_formula("F1", "F2", "F3", **options) == (
        'IF(OR(F1="",F2="",F3=""),"",IF(F1>=28,MAX(0,MIN(70,70-((30-F1)+(30-F2)+(10-F3)))),IF(F1>=26,40,0)))')
    assert rules.group_score(float("nan"), 20, 8, **options) is None  # blank until every row is in


def test_seed_003_experience_points_are_counted_across_months(tmp_path):
    # seed 003 line 64: 每累计提5条经验加一分,每月不少于两条经验 — one point per five, counted across
    # months, the rest carried: 4 in October → 0 (4 carried); 3 in November → 7: +1 (2 carried);
    # 8 in December → 10: +2 (0 carried); 1 in January → 0, and fewer than the two a month
    from kpi_xl import rules
    from kpi_xl.scorecards.library import scorecard_for

    assert rules.carried_points([0, 4, 2, 0], [4, 3, 8, 1], per=5, points=1).tolist() == [0, 1, 2, 0]
    assert rules.carried_over([0, 4, 2, 0], [4, 3, 8, 1], per=5).tolist() == [4, 2, 0, 1]
    policy = load_policy("seed-003")
    roster = read_roster(shipped_file("rosters", "seed-003", ".csv"))
    card = scorecard_for(policy, "售前客服")
    n = next(n for n, i in enumerate(card.indicators, start=1) if i.name == "经验分享")
    finals = {}
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        for month, count in (("2026-10", 4), ("2026-11", 3), ("2026-12", 8), ("2027-01", 1)):
            ledger.record(month, 3, "C011", "许欣怡", "客服部", f"{month}.xlsx", month,
                          {f"kpi{n}.value": count}, {"final": 80.0, "total.leader": 80.0})  # fmt: skip
            staff = compute_month(ledger, roster, Context(Month.parse(month), policy=policy)).staff
            row = staff[staff["employee"] == "C011"].iloc[0]
            finals[month] = (row["final"], row["remark"])
    assert [f for f, _ in finals.values()] == [80, 81, 82, 80]
    assert finals["2026-11"][1] == "经验分享：本月3条，上月结余4条，加1分，结转2条"
    assert finals["2027-01"][1] == "经验分享：本月1条，上月结余0条，加0分，结转1条（少于每月2条）"
    # 750 × 81% = 607.5: the point reaches the pay (line 66)
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        staff = compute_month(ledger, roster, Context(Month.parse("2026-11"), policy=policy)).staff
    assert staff[staff["employee"] == "C011"].iloc[0]["pay"] == 607.5
