"""The annual summaries: 附件8 (employees) and 附件9 (departments), from the recorded months.

Only months whose summary was recorded (`kpi-xl summary`, not --what-if) count: the grade
after the A quota and the final score after any appeal, as the office approved them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import rules
from ..forms import Context
from ..ledger import Ledger
from ..roster import EMPLOYEE, HEAD, Roster
from .escalation import escalations
from .history import history_notes, ranking_pools, window


@dataclass
class AnnualResult:
    year: int
    employees: pd.DataFrame  # g1..g12, s1..s12, average, actions, excellent
    departments: pd.DataFrame  # m1..m12, average, rank, verdict
    months: list[str]  # recorded months of the year


def compute_year(ledger: Ledger, roster: Roster, ctx: Context, year: int) -> AnnualResult:
    # what the year and the history notes read: a fifth of the table
    history = ledger.monthly_rows(until_month=f"{year:04d}-12", columns=("month", "employee", "department", "final", "grade"))
    by_employee: dict[str, dict[str, dict]] = {}
    by_month: dict[str, list[dict]] = {}
    for row in history:
        by_employee.setdefault(row["employee"], {})[row["month"]] = row
        by_month.setdefault(row["month"], []).append(row)
    months = sorted(m for m in by_month if m.startswith(f"{year:04d}-"))
    # seeds 003/004's rules over consecutive months, as each month's summary applied them
    pools = ranking_pools(roster, ctx.policy)
    notes = {m: history_notes([r for w in window(m, ctx.policy) for r in by_month.get(w, ())], m, ctx.policy, ctx.lang,
                              pools=pools) for m in months}  # fmt: skip

    labels = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    # built column by column: a year of 100,000 staff is 2.4 million grades and scores
    people = roster.with_category(EMPLOYEE, HEAD)
    grades: list[list[str]] = [[] for _ in labels]
    finals: list[list[float]] = [[] for _ in labels]
    actions = []
    nowhere: dict[str, dict] = {}
    for person in people:
        mine = by_employee.get(person.id, nowhere)
        for label, g, s in zip(labels, grades, finals):
            entry = mine.get(label)
            if entry is None:
                g.append("")
                s.append(np.nan)
            else:
                g.append(entry["grade"] or "")
                s.append(np.nan if entry["final"] is None else entry["final"])
        history_grades = [(month, r["grade"] or "") for month, r in mine.items()]
        found = escalations(history_grades, year, policy=ctx.policy, lang=ctx.lang)
        found += [f"{month} {note}" for month in months for note in notes[month].get(person.id, [])]
        actions.append(found)
    columns: dict[str, list] = {"employee": [p.id for p in people], "name": [p.name for p in people],
                                "department": [p.department for p in people]}  # fmt: skip
    for m in range(1, 13):
        columns[f"g{m}"], columns[f"s{m}"] = grades[m - 1], finals[m - 1]
    columns["actions"] = actions
    employees = pd.DataFrame(columns)
    scores = employees[[f"s{m}" for m in range(1, 13)]].to_numpy(dtype=float)
    employees["average"] = np.asarray(rules.average(scores), dtype=float) if len(employees) else np.array([], dtype=float)
    employees["excellent"] = _excellent(employees, ctx)
    employees["action"] = [
        _join([*actions] + ([ctx.t("优秀员工候选", "excellent-employee candidate")] if best else []), ctx)
        for actions, best in zip(employees["actions"], employees["excellent"])
    ]
    return AnnualResult(year, employees, _departments(ledger, roster, ctx, year), months)


def _join(parts: list[str], ctx: Context) -> str:
    return ("；" if ctx.lang == "zh" else "; ").join(parts)


def _excellent(employees: pd.DataFrame, ctx: Context) -> list[bool]:
    """The best `excellent_share` of staff by annual average among those with no C or D in
    the year; everyone tied with the last one chosen is a candidate too."""
    grades = employees[[f"g{m}" for m in range(1, 13)]]
    clean = ~grades.isin(["C", "D"]).any(axis=1) & grades.isin(["A", "B"]).any(axis=1)
    places = math.floor(round(ctx.policy.annual.excellent_share * len(employees), 9))
    pool = employees.loc[clean, "average"].dropna().sort_values(ascending=False)
    if places == 0 or pool.empty:
        return [False] * len(employees)
    threshold = pool.iloc[min(places, len(pool)) - 1]
    return list(clean & (employees["average"] >= threshold))


def _departments(ledger: Ledger, roster: Roster, ctx: Context, year: int) -> pd.DataFrame:
    recorded = {(r["department"], r["month"]): r for r in ledger.department_rows(year)}
    rows = []
    for department in roster.departments:
        record: dict = {"department": department}
        for m in range(1, 13):
            entry = recorded.get((department, f"{year:04d}-{m:02d}"))
            record[f"m{m}"] = entry["final"] if entry and entry["final"] is not None else np.nan
        rows.append(record)
    frame = pd.DataFrame(rows)
    frame["average"] = np.asarray(rules.average(frame[[f"m{m}" for m in range(1, 13)]].to_numpy(dtype=float)), dtype=float)
    averages = frame["average"].to_numpy()
    frame["rank"] = np.asarray(rules.rank_of(averages, averages), dtype=float)
    scored = frame["average"].dropna()
    top = _edge(scored, ctx.policy.annual.excellent_departments, best=True)
    # a department is never named both: with few departments the poor are sought among the rest
    bottom = _edge(scored.drop(list(top)), ctx.policy.annual.poor_departments, best=False)
    frame["verdict"] = [
        ctx.t("优秀部门", "excellent") if i in top else ctx.t("较差部门", "poor") if i in bottom else ""
        for i in frame.index
    ]
    return frame


def _edge(scored: pd.Series, places: int, *, best: bool) -> set:
    """The `places` best (or worst) of the scored departments; ties with the last place
    chosen share it, so no department is left out by order alone. Fewer departments than
    places: all of them (a company with two departments still gets its year end)."""
    if not places or scored.empty:
        return set()
    ordered = scored.sort_values(ascending=not best)
    edge = ordered.iloc[min(places, len(ordered)) - 1]
    return set(scored[scored >= edge].index if best else scored[scored <= edge].index)
