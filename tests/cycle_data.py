"""A month of returned forms with chosen scores, collected into a ledger (for the cycle tests)."""

from __future__ import annotations

from pathlib import Path

from kpi_xl.calendar import Month
from kpi_xl.collect.collector import collect
from kpi_xl.forms import Context, form_for
from kpi_xl.ledger import Ledger
from kpi_xl.policy import DEFAULT_POLICY
from kpi_xl.roster import EXECUTIVE, demo_roster
from tests.fill import write_filled

ROSTER = demo_roster()
STAFF = [p for p in ROSTER.people if p.category in ("员工", "部门负责人")]


def appraisal(score: float, leader: bool = True) -> dict:
    """附件3 whose total is `score`: one item weighted 100 and every conduct score the same."""
    values = {"item1.item": "月度工作", "item1.weight": 100, "item1.dept": score}
    values |= {f"conduct{n}.dept": score for n in range(1, 7)}
    if leader:
        values |= {"item1.leader": score} | {f"conduct{n}.leader": score for n in range(1, 7)}
    return values


def hand_in(folder: Path, month: str, scores: dict[str, float], *, leaderless: set[str] = frozenset(),
            departments: bool = True) -> None:  # fmt: skip
    ctx = Context(Month.parse(month))
    for person in STAFF:
        if person.id in scores:
            spec = form_for(3, person.id, ROSTER, ctx)
            write_filled(folder / month / f"{person.id}.xlsx", spec, appraisal(scores[person.id], person.id not in leaderless))
    if not departments:
        return
    for i, department in enumerate(ROSTER.departments):
        spec = form_for(5, department, ROSTER, ctx)
        values = {f"c{n}.self": c.points * 0.9 for n, c in enumerate(ctx.policy.department.criteria, start=1)}
        values |= {f"c{n}.leader": c.points * (0.8 + i / 50) for n, c in enumerate(ctx.policy.department.criteria, start=1)}
        write_filled(folder / month / f"dept{i}.xlsx", spec, values)
    head = ROSTER.head_of(ROSTER.departments[0])
    spec = form_for(4, head.id, ROSTER, ctx)
    write_filled(folder / month / "peer.xlsx", spec, {f.key: 15.0 for f in spec.fields if f.check.kind == "decimal"})
    for person in ROSTER.with_category(EXECUTIVE):
        spec = form_for(6, person.id, ROSTER, ctx)
        values = {f"c{n}.self": c.points * 0.95 for n, c in enumerate(ctx.policy.executive.criteria, start=1)}
        values |= {f"c{n}.leader": c.points * 0.92 for n, c in enumerate(ctx.policy.executive.criteria, start=1)}
        write_filled(folder / month / f"exec{person.id}.xlsx", spec, values)


def collected(folder: Path, ledger: Ledger, month: str) -> None:
    report = collect([folder / month], Month.parse(month), ROSTER, DEFAULT_POLICY, ledger)
    assert not report.problems, report.problems
