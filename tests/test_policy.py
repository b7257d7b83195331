"""The policy: seed 000 defaults, TOML overrides, and clear messages for bad files."""

import pytest

from kpi_xl import rules
from kpi_xl.errors import KpiError, PolicyError
from kpi_xl.policy import DEFAULT_POLICY, Policy, load_policy, policy_from_env


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
    ("[grade]\nA = 90\n", "unknown key 'grade'; known keys here: annual, department, employee_score, escalation, executive, forms, grades, history, name, pay, qc_factor, quota, rater_weights, sample_roster, scorecards"),
    ("[grades]\nA = 80\nB = 85\n",
     "grades: cut-offs must descend A > B > C (got A=80, B=85, C=60); give each grade a lower cut-off than the one above it"),
    ("[pay]\nratio = { C = -0.7 }\n", "pay.ratio.C: must not be negative (got -0.7); use 0 for no pay"),
    ("[pay]\nbase_share = 10\n", "pay.base_share: must be a share from 0 to 1 (got 10); write 10% as 0.10"),
    ("[rater_weights]\ngroup = 0\n",
     "rater_weights.group: must be greater than 0 (got 0); leave a rater out by not using KPI_360"),
    ("[quota]\na_per_department = 1.5\n", "quota.a_per_department: must be a whole number (got 1.5)"),
    ("[quota]\na_share = \"10%\"\n", "quota.a_share: must be a number (got '10%')"),
    ("[qc_factor]\nfloor_at = 0.9\n", "qc_factor: floor_at must not exceed target (got floor_at=0.9, target=0.8)"),
    ("grades = 5\n", "grades: must be a table (got 5)"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[m[:40] for _, m in BAD])
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
    with pytest.raises(PolicyError, match=r"department.criteria\[0\] \(执行力\): points must be greater than 0 \(got 0\)$"):
        load_policy(path)
    path = write(tmp_path, "[employee_score]\nwork_share = 0.6\n")
    with pytest.raises(PolicyError, match="work_share, conduct_share and kpi_share must add up to 1"):
        load_policy(path)
