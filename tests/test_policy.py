"""The policy: seed 000 defaults, TOML overrides, and clear messages for bad files."""

import pytest

from kpi_xl import rules
from kpi_xl.errors import KpiError, PolicyError
from kpi_xl.policy import DEFAULT_POLICY, Policy, load_policy, policy_from_env, policy_keys


def test_seed_000_defaults():
    p = Policy()
    assert (p.grades.A, p.grades.B, p.grades.C) == (90, 80, 60)
    assert [p.pay.total_ratio(g) for g in "ABCD"] == [1.1, 1.0, 0.7, 0.0]
    assert p.pay.base_share == 0.10
    assert (p.quota.a_share, p.quota.a_per_department) == (0.10, 1)
    assert p.rater_weights.as_tuple() == (0.15, 0.60, 0.25)
    assert (p.qc_factor.floor_at, p.qc_factor.target, p.qc_factor.k) == (0.70, 0.80, 5)


def write(tmp_path, text):
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_overrides_only_what_it_names(tmp_path):
    p = load_policy(write(tmp_path, '[grades]\nA = 85\n[pay]\nratio = { C = 0.6 }\n'))
    assert (p.grades.A, p.grades.B) == (85, 80)
    assert (p.pay.ratio.A, p.pay.ratio.C, p.pay.bonus.A) == (1.0, 0.6, 0.1)
    # and the rules follow it
    assert rules.kpi_grade(86, policy=p) == "A"
    assert rules.grade_pay("C", 1000, policy=p) == 600


BAD = [
    ("[grades]\nE = 50\n", "unknown key 'grades.E'; known keys here: A, B, C"),
    ("[grade]\nA = 90\n", "unknown key 'grade'; known keys here: annual, assessors, deadlines, department, employee_score, escalation, executive, forms, grades, history, name, pay, qc_factor, quota, rater_weights, sample_roster, scorecards"),
    ("[grades]\nA = 80\nB = 85\n",
     "grades: cut-offs must descend A > B > C (got A=80, B=85, C=60); give each grade a lower cut-off than the one above it"),
    ("[pay]\nratio = { C = -0.7 }\n", "pay.ratio.C: must not be negative (got -0.7); use 0 for no pay"),
    ("[pay]\nbase_share = 10\n", "pay.base_share: must be a share from 0 to 1 (got 10); write 10% as 0.10"),
    ("[rater_weights]\ngroup = -1\n", "rater_weights.group: must not be negative (got -1)"),
    ("[quota]\na_per_department = 1.5\n", "quota.a_per_department: must be a whole number (got 1.5)"),
    ("[quota]\na_share = \"10%\"\n", "quota.a_share: must be a number (got '10%')"),
    ("[qc_factor]\nfloor_at = 0.9\n", "qc_factor: floor_at must not exceed target (got floor_at=0.9, target=0.8)"),
    ("grades = 5\n", "grades: must be a table (got 5)"),
]


MORE_BAD = [
    ('[[department.criteria]]\nname = " "\n',
     "department.criteria[0].name: must not be blank; give the criterion its Chinese label"),
    ('[[executive.criteria]]\nname = "协调"\n[[executive.criteria]]\nname = "协调"\n',
     "executive.criteria: '协调' is listed twice; name each once"),
    ("[executive]\ncriteria = []\n", "executive.criteria: needs at least 1 entry"),
    ("[history]\nquarter_rewards = [500, -300]\n", "history.quarter_rewards[1]: must not be negative (got -300)"),
    ("[history]\nquarter_rewards = [500, \"300\"]\n", "history.quarter_rewards: must be a list of numbers (got [500, '300'])"),
    ('[pay]\nmode = "grades"\n', "pay.mode: must be \"grade\" or \"score\" (got 'grades')"),
    ("[forms]\nplan_rows = 51\n", "forms.plan_rows: must be from 1 to 50 (got 51)"),
    ("[department]\nkey_factor = 1\n", "department.key_factor: must be true or false (got 1)"),
    ("[rater_weights]\nself_rating = 0\nsuperior = 0\ngroup = 0\n", "rater_weights: at least one weight must be above 0"),
    ("[employee_score]\nfinal_weights = { self_rating = 0, department = 0, leader = 0 }\n",
     "rater_weights: at least one weight must be above 0"),
    ("[employee_score]\nfinal_weights = { leader = 0.5 }\n[rater_weights]\ngroup = 0.25\n",
     "employee_score.final_weights.leader (the old name of rater_weights.group) is 0.5 but "
     "rater_weights.group is 0.25; keep only [rater_weights]"),
    ("[employee_score]\nfinal_weights = { boss = 1 }\n",
     "unknown key 'employee_score.final_weights.boss'; known keys here: department, leader, self_rating"),
    ('[employee_score]\nraters = ["自评", "上级"]\n',
     "employee_score.raters: name the three score columns (self, department, leader)"),
    ("[deadlines]\nsummary = 32\n", "deadlines.summary: must be from 1 to 31 (got 32)"),
    ("[deadlines]\nleader_rating = 12\n",
     "deadlines: the month after's days must not go backwards: department_assessment ≤ leader_rating ≤ summary "
     "(got 5, 12, 10)"),
]


@pytest.mark.parametrize(("text", "message"), BAD + MORE_BAD, ids=[m[:40] for _, m in BAD + MORE_BAD])
def test_bad_files_name_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == f"{path} › {message}"
    assert isinstance(caught.value, KpiError)


def test_missing_and_broken_files(tmp_path):
    with pytest.raises(PolicyError, match=r"policy file not found; check the path$"):
        load_policy(tmp_path / "nope.toml")
    with pytest.raises(PolicyError, match=r"not valid TOML"):
        load_policy(write(tmp_path, "[grades\n"))


def test_the_excel_functions_read_the_policy_named_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("KPI_XL_POLICY", raising=False)
    assert policy_from_env() is DEFAULT_POLICY
    monkeypatch.setenv("KPI_XL_POLICY", str(write(tmp_path, "[grades]\nA = 95\n")))
    assert policy_from_env().grades.A == 95


def test_criteria_lists_replace_the_defaults(tmp_path):
    p = load_policy(write(tmp_path, """
[[executive.criteria]]
name = "经营目标"
name_en = "Targets"
points = 60
[[executive.criteria]]
name = "团队建设"
points = 40
"""))
    assert [(c.name, c.points) for c in p.executive.criteria] == [("经营目标", 60), ("团队建设", 40)]
    assert [c.points for c in p.department.criteria] == [70, 10, 5, 5, 5, 5]  # seed 000 §四(二)


def test_criteria_problems_are_named(tmp_path):
    path = write(tmp_path, '[[department.criteria]]\nname = "执行力"\npoints = 0\n')
    with pytest.raises(PolicyError, match=r"department.criteria\[0\].points: must be greater than 0 \(got 0\)$"):
        load_policy(path)
    path = write(tmp_path, "[employee_score]\nwork_share = 0.6\n")
    with pytest.raises(PolicyError, match="work_share, conduct_share and kpi_share must add up to 1"):
        load_policy(path)


def test_every_key_is_declared_once_with_its_meaning():
    keys = {k.key: k for k in policy_keys()}
    assert keys["pay.ratio.C"].value == 0.7 and keys["pay.ratio.C"].kind == "number"
    assert keys["pay.ratio.C"].setting.lo == 0  # the table's limit reaches each grade
    assert keys["deadlines.summary"].setting.seed == "seed 000 §五(三)2"
    assert keys["department.criteria"].kind == "list of tables"
    assert keys["history.quarter_rewards"].kind == "list of numbers"
    assert keys["quota.a_per_department"].kind == "whole number"
    for key in keys.values():
        assert key.setting is not None and key.setting.zh and key.setting.en, key.key


def test_the_shipped_policies_load(tmp_path):
    for name in ("seed-001", "seed-002", "seed-003", "seed-004"):
        assert load_policy(name).name == name
    assert load_policy("seed-003").pay.fixed_base == 750
    assert load_policy("seed-004").history.quarter_rewards == (500, 300, 200)


def test_deadlines_come_from_the_policy(tmp_path):
    from datetime import date

    from kpi_xl.calendar import Month

    feb = Month(2026, 2)
    d = feb.deadlines()  # seed 000 §五: 28th before, month ends, then the 5th, 8th and 10th
    assert d == {"department_plan": date(2026, 1, 28), "employee_plan": date(2026, 1, 31),
                 "self_assessment": date(2026, 2, 28), "department_assessment": date(2026, 3, 5),
                 "leader_rating": date(2026, 3, 8), "summary": date(2026, 3, 10)}  # fmt: skip
    p = load_policy(write(tmp_path, "[deadlines]\ndepartment_plan = 25\nleader_rating = 9\nsummary = 15\n"))
    d = Month(2026, 12).deadlines(p.deadlines)
    assert (d["department_plan"], d["leader_rating"], d["summary"]) == (
        date(2026, 11, 25), date(2027, 1, 9), date(2027, 1, 15))
    # a day past the month's end is its last day
    p = load_policy(write(tmp_path, "[deadlines]\nself_assessment = 30\n"))
    assert feb.deadlines(p.deadlines)["self_assessment"] == date(2026, 2, 28)


def test_the_forms_timeline_names_the_policys_days():
    from kpi_xl.forms.common import Context, deadline_lines
    from kpi_xl.policy import policy_from_dict

    assert "每月28日部门负责人制定下月部门计划；月底员工制定计划并自评；次月5日前" in deadline_lines(Context(None))[0]
    p = policy_from_dict({"deadlines": {"department_plan": 20, "employee_plan": 25, "summary": 12}})
    zh, en = deadline_lines(Context(None, "zh", p))[0], deadline_lines(Context(None, "en", p))[0]
    assert "25日员工制定计划；月底员工自评" in zh and "12日前办公室汇总上报" in zh
    assert "employees plan on the 25th and assess themselves at month end" in en and "by the 12th." in en


def test_the_old_final_weights_key_still_sets_the_one_rater_weights(tmp_path):
    p = load_policy(write(tmp_path, '[employee_score]\nfinal = "weighted"\n'
                                    "final_weights = { self_rating = 0.2, department = 0.5, leader = 0.3 }\n"))
    assert p.rater_weights.as_tuple() == (0.2, 0.5, 0.3)
    # both rules read it: the final score and KPI_360 are one weighted mean
    assert rules.final_score(70, 80, 90, policy=p) == pytest.approx(70 * 0.2 + 80 * 0.5 + 90 * 0.3)
    assert rules.kpi_360(70, 80, 90, policy=p) == rules.final_score(70, 80, 90, policy=p)
