"""附件4's scope from the policy (department.peer_scope): seed 000 §五(二)2's "every other
department" by default, or the departments under the same 分管领导 — the form, collect and
the engine's peer average all follow it."""

import dataclasses

import pytest

from kpi_xl.collect.collector import collect
from kpi_xl.engine.monthly import compute_month
from kpi_xl.errors import PolicyError
from kpi_xl.forms import Context, form_for
from kpi_xl.office.forms import form_jobs
from kpi_xl.policy import DEFAULT_POLICY, policy_from_dict
from tests.helpers import MONTH, ROSTER, office_key, write_filled

# the demo company's heads by 分管领导: E0002 办公室, 财务审计部; E0003 市场营销部, 销售部;
# E0004 生产部, 质量管理部, 采购物流部; E0005 技术研发部 alone
LEADER = dataclasses.replace(DEFAULT_POLICY, department=dataclasses.replace(DEFAULT_POLICY.department, peer_scope="leader"))


def _rated(spec):
    return [c.value for c in spec.fixed if c.key.endswith(".department")]


def test_default_scope_is_every_other_department():
    assert DEFAULT_POLICY.department.peer_scope == "all"
    assert ROSTER.peer_departments("生产部") == [d for d in ROSTER.departments if d != "生产部"]


def test_leader_scope_keeps_to_the_departments_under_the_same_leader():
    assert ROSTER.peer_departments("生产部", "leader") == ["质量管理部", "采购物流部"]
    assert ROSTER.peer_departments("办公室", "leader") == ["财务审计部"]
    assert ROSTER.peer_departments("技术研发部", "leader") == []


def test_the_form_lists_only_the_departments_in_scope():
    head = ROSTER.head_of("质量管理部")
    assert len(_rated(form_for(4, head.id, ROSTER, Context(MONTH)))) == 7
    spec = form_for(4, head.id, ROSTER, Context(MONTH, policy=LEADER))
    assert _rated(spec) == ["生产部", "采购物流部"]
    assert spec.meta["rated"] == "生产部|采购物流部"


def test_a_head_with_no_department_in_scope_gets_no_form():
    heads = [j.subject for j in form_jobs(ROSTER) if j.form == 4]
    scoped = [j.subject for j in form_jobs(ROSTER, peer_scope="leader") if j.form == 4]
    assert len(heads) == 8
    assert set(heads) - set(scoped) == {ROSTER.head_of("技术研发部").id}


def test_the_key_is_read_from_a_policy_and_checked():
    assert policy_from_dict({"department": {"peer_scope": "leader"}}).department.peer_scope == "leader"
    with pytest.raises(PolicyError, match="peer_scope"):
        policy_from_dict({"department": {"peer_scope": "everyone"}})


def _peer_month(tmp_path, ledger, form_policy, engine_policy):
    key = office_key(ledger.path)
    """Every head hands in a 附件4 generated under `form_policy`, each row rated 80; collect and
    compute the month under `engine_policy`."""
    folder = tmp_path / "returned"
    for job in form_jobs(ROSTER, peer_scope=form_policy.department.peer_scope):
        if job.form == 4:
            spec = form_for(4, job.subject, ROSTER, Context(MONTH, policy=form_policy))
            write_filled(folder / f"{job.subject}.xlsx", spec, {f.key: 16.0 for f in spec.fields if f.check.kind == "decimal"}, key)
    report = collect([folder], MONTH, ROSTER, engine_policy, ledger, key=office_key(ledger.path))
    result = compute_month(ledger, ROSTER, Context(MONTH, policy=engine_policy))
    return report, result.departments.set_index("department")


def test_collect_and_the_peer_average_follow_the_scope(tmp_path, ledger):
    report, departments = _peer_month(tmp_path, ledger, LEADER, LEADER)
    assert not report.problems, report.problems
    assert departments.loc["生产部", "peer_count"] == 2  # the heads of 质量管理部 and 采购物流部
    assert departments.loc["办公室", "peer_count"] == 1
    assert departments.loc["技术研发部", "peer_count"] == 0
    assert departments.loc["生产部", "peer"] == pytest.approx(80.0)


def test_the_engine_counts_only_ratings_in_scope(tmp_path, key, ledger):
    # forms handed out under "all", the policy changed to "leader" before the month is computed
    folder = tmp_path / "returned"
    for job in form_jobs(ROSTER):
        if job.form == 4:
            spec = form_for(4, job.subject, ROSTER, Context(MONTH))
            write_filled(folder / f"{job.subject}.xlsx", spec, {f.key: 16.0 for f in spec.fields if f.check.kind == "decimal"}, key)
    collect([folder], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=office_key(ledger.path))
    every = compute_month(ledger, ROSTER, Context(MONTH)).departments.set_index("department")
    scoped = compute_month(ledger, ROSTER, Context(MONTH, policy=LEADER)).departments.set_index("department")
    assert every.loc["生产部", "peer_count"] == 7
    assert scoped.loc["生产部", "peer_count"] == 2
    assert scoped.loc["技术研发部", "peer_count"] == 0
