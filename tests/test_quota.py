"""The A quota (seed 000 §四(一)2(1)) as properties: caps, only A's, lowest first, ties."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_xl import rules
from kpi_xl.policy import policy_from_dict

people = st.lists(
    st.tuples(st.sampled_from("ABCD"), st.sampled_from([85.0, 88.0, 90.0, 91.0, 92.5, 95.0, 99.0]),
              st.sampled_from(["销售部", "财务部", "生产部", "办公室"])),
    min_size=1, max_size=60,
)  # fmt: skip
limits = st.tuples(st.sampled_from([0.0, 0.1, 0.2, 0.5]), st.integers(0, 3))


@settings(max_examples=300)
@given(people, limits)
def test_quota_invariants(staff, limit):
    share, per_department = limit
    policy = policy_from_dict({"quota": {"a_share": share, "a_per_department": per_department}})
    grades, scores, departments = (list(x) for x in zip(*staff))
    outcome = rules.apply_a_quota(grades, scores, departments, policy=policy)
    after = list(outcome.grades)

    # never more than the caps
    assert after.count("A") <= outcome.cap == int(share * len(staff) + 1e-9)
    for department, count in Counter(d for g, d in zip(after, departments) if g == "A").items():
        assert count <= per_department, department
    # only A's change, and only to B; everything else is untouched
    for before, now in zip(grades, after):
        assert now == before or (before, now) == ("A", "B")
    changed = {c.position for c in outcome.changes}
    assert changed == {i for i, (b, a) in enumerate(zip(grades, after)) if b != a}
    # lowest first: no A that was kept scores at or below one that was demoted in its scope
    kept = [i for i, g in enumerate(after) if g == "A"]
    for change in outcome.changes:
        lost = scores[change.position]
        scope = kept if change.rule == "company" else [i for i in kept if departments[i] == departments[change.position]]
        assert all(scores[i] > lost for i in scope)
    # a tie is reported exactly when equal scores straddle the limit, and never broken
    for change in outcome.changes:
        peers = [i for i, g in enumerate(grades) if g == "A"]
        if change.rule == "department":
            peers = [i for i in peers if departments[i] == departments[change.position]]
        else:
            dept_demoted = {c.position for c in outcome.changes if c.rule == "department"}
            peers = [i for i in peers if i not in dept_demoted]
        higher = sum(scores[i] > scores[change.position] for i in peers)
        assert change.tie == (higher < change.limit)
        if change.tie:  # every A with that score in that scope lost it: nobody was picked
            same = [i for i in peers if scores[i] == scores[change.position]]
            assert all(after[i] == "B" for i in same)


def test_a_tie_at_the_company_limit_is_reported_not_broken():
    # 10 staff → 1 A; two departments' A's score the same 95
    grades = ["A", "A"] + ["B"] * 8
    scores = [95.0, 95.0] + [80.0] * 8
    departments = ["销售部", "财务部"] + ["生产部"] * 8
    outcome = rules.apply_a_quota(grades, scores, departments)
    assert list(outcome.grades[:2]) == ["B", "B"]
    assert [(c.position, c.rule, c.tie) for c in outcome.changes] == [(0, "company", True), (1, "company", True)]


def test_the_head_count_can_be_the_whole_staff():
    # 9 graded but 30 on the roster: 10% of 30 is 3
    outcome = rules.apply_a_quota(["A"] * 9, [99.0 - i for i in range(9)], [f"部{i}" for i in range(9)], staff=30)
    assert (outcome.cap, list(outcome.grades).count("A")) == (3, 3)
