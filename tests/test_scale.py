"""What must hold for a large company: lookups built once, assessors apart by 工号, a
summary that prints counts, files colleagues can open. (Speed itself: bench/scale.py.)"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import replace
from types import SimpleNamespace

import pandas as pd

from kpi_xl._util import progress
from kpi_xl._util.paths import write_atomic
from kpi_xl.calendar import Month
from kpi_xl.forms import Context
from kpi_xl.forms.monthly import monthly_summary_book
from kpi_xl.ledger import Ledger
from kpi_xl.office.summary import SHOWN_CHANGES, describe_summary, run_summary
from kpi_xl.policy import DEFAULT_POLICY
from kpi_xl.roster import EMPLOYEE, HEAD, Roster, demo_roster
from kpi_xl.rules import QuotaChange, QuotaOutcome


def test_written_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.xlsx", b"x")
        os.umask(0o077)
        write_atomic(tmp_path / "b.xlsx", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.xlsx").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "b.xlsx").stat().st_mode) == 0o600


def test_heads_and_departments_when_the_roster_lists_departments_interleaved():
    demo = demo_roster()
    people = sorted(demo.people, key=lambda p: p.id[::-1])  # any order at all
    roster = Roster(tuple(people), "shuffled")
    assert sorted(roster.departments) == sorted(demo.departments)
    for department in demo.departments:
        assert roster.head_of(department) == demo.head_of(department)
        assert roster.has_department(department)
        assert {p.id for p in roster.members(department)} == {p.id for p in demo.members(department)}
    assert not roster.has_department("nowhere")


def _two_heads_of_one_name() -> Roster:
    demo = demo_roster()
    first, second = demo.departments[:2]
    name = demo.head_of(first).name
    people = tuple(replace(p, name=name) if p.id == demo.head_of(second).id else p for p in demo.people)
    return Roster(people, "two heads of one name")


def test_calibration_keeps_two_assessors_of_one_name_apart(tmp_path):
    roster = _two_heads_of_one_name()
    month = "2026-05"
    staff = roster.with_category(EMPLOYEE, HEAD)
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        with ledger.batch():
            for i, p in enumerate(staff):
                s = 70.0 + i % 30
                ledger.record(month, 3, p.id, p.name, p.department, "f", str(s), {},
                              {"total.self": s, "total.dept": s, "total.leader": s, "final": s})  # fmt: skip
        ctx = Context(Month.parse(month))
        result, _ = run_summary(ledger, roster, ctx, tmp_path, what_if=True)
    calibration = monthly_summary_book(ctx, result)[2]
    label_at = {c.row: c.text for c in calibration.cells if type(c).__name__ == "Text" and c.col == 0}
    people = {label_at[c.row]: c.value for c in calibration.fixed if c.key.startswith("a") and c.key.endswith(".people")}
    for department in roster.departments[:2]:
        head = roster.head_of(department)
        employees = sum(1 for p in staff if p.department == department and p.category == EMPLOYEE)
        assert people[f"{head.name}（{head.id}）"] == employees
    assert roster.head_of(roster.departments[0]).name == roster.head_of(roster.departments[1]).name


def test_a_large_quota_prints_counts_not_a_line_per_person():
    n = 3 * SHOWN_CHANGES
    staff = pd.DataFrame({"employee": [f"E{i}" for i in range(n)], "name": ["x"] * n, "department": ["d"] * n,
                          "final": [95.0] * n, "grade": ["B"] * n, "pay": [1.0] * n, "bonus": [0.0] * n,
                          "remark": ["A→B"] * n})  # fmt: skip
    changes = [QuotaChange(i, "department" if i % 3 else "company", i % 2 == 0, 1) for i in range(n)]
    result = SimpleNamespace(month="2026-05", staff=staff, quota=QuotaOutcome(staff["grade"].to_numpy(), changes, 1, n), appeals=[])
    lines = describe_summary(result, Context(Month.parse("2026-05")))
    assert len(lines) < 6, lines
    assert f"A→B under the quota: {n} ({2 * n // 3} by the department limit, {n // 3} by the company limit; {n // 2} tied" in "\n".join(lines)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_the_rate_and_the_time_left(monkeypatch):
    clock = iter([100.0, 102.0, 104.0, 106.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    shown = _Terminal()
    bar = progress.Progress(100, "forms", shown)  # starts at 100.0
    bar.advance(10)  # 2 s for 10: 5/s, 90 left → 18 s
    assert "10/100 5/s, 0:18 left" in shown.getvalue()
    bar.advance(90)  # all done at 104.0
    assert shown.getvalue().rstrip().endswith("100/100 25/s, 0:00 left")


def test_progress_speaks_chinese_by_default(monkeypatch, chinese):
    clock = iter([100.0, 102.0])
    monkeypatch.setattr(progress.time, "monotonic", lambda: next(clock))
    shown = _Terminal()
    progress.Progress(100, "收集", shown).advance(10)
    assert "10/100 5/秒，剩余 0:18" in shown.getvalue()


def test_collect_summary_and_annual_show_their_progress(tmp_path, key, monkeypatch, ledger):
    from kpi_xl.collect.collector import collect
    from kpi_xl.office.annual import run_annual
    from tests.helpers import MONTH, ROSTER, STAFF, hand_in, office_key

    hand_in(tmp_path, str(MONTH), {p.id: 80.0 for p in STAFF[:12]}, departments=False, key=key)
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    collect([tmp_path / str(MONTH)], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=office_key(ledger.path))
    assert f"collect {MONTH}" in terminal.getvalue() and "12/12 " in terminal.getvalue()
    run_summary(ledger, ROSTER, Context(MONTH), tmp_path / "out", what_if=False)
    people = len(ROSTER)
    assert f"summary {MONTH}" in terminal.getvalue() and f"{3 * people}/{3 * people} " in terminal.getvalue()
    run_annual(ledger, ROSTER, Context(MONTH), MONTH.year, tmp_path / "out")
    assert f"annual {MONTH.year}" in terminal.getvalue()
    assert terminal.getvalue().count(" left ") >= 3
