"""The ledger: one SQLite file holding everything collected and decided, month by month.

    submissions  one row per form handed in: month, form, whose, from which file, when
    cells        every value of that form: what was typed, and what the rules computed
    appeals      corrections (申诉): who, when, why, the old and the new score
    monthly      the recorded monthly summary per employee (grade after the quota, pay)
    departments  the recorded monthly department scores (peer average, self, leader)

Rerunning a collection records nothing new for an unchanged file (idempotent); a form
handed in again with other values replaces the earlier values of the same form.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import KpiError

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    month TEXT NOT NULL, form INTEGER NOT NULL, subject TEXT NOT NULL,
    subject_name TEXT, department TEXT, file TEXT NOT NULL, digest TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    PRIMARY KEY (month, form, subject)
);
CREATE TABLE IF NOT EXISTS cells (
    month TEXT NOT NULL, form INTEGER NOT NULL, subject TEXT NOT NULL, key TEXT NOT NULL,
    kind TEXT NOT NULL, num REAL, text TEXT,
    PRIMARY KEY (month, form, subject, key)
);
CREATE TABLE IF NOT EXISTS appeals (
    id INTEGER PRIMARY KEY AUTOINCREMENT, month TEXT NOT NULL, employee TEXT NOT NULL,
    old_score REAL, new_score REAL NOT NULL, reason TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS monthly (
    month TEXT NOT NULL, employee TEXT NOT NULL, name TEXT, department TEXT, position TEXT,
    self REAL, dept REAL, leader REAL, final REAL, grade_before TEXT, grade TEXT,
    base REAL, ratio REAL, pay REAL, bonus REAL, remark TEXT, recorded_at TEXT NOT NULL,
    PRIMARY KEY (month, employee)
);
CREATE TABLE IF NOT EXISTS departments (
    month TEXT NOT NULL, department TEXT NOT NULL, peer REAL, self REAL, leader REAL,
    final REAL, remark TEXT, recorded_at TEXT NOT NULL,
    PRIMARY KEY (month, department)
);
"""

DEFAULT_LEDGER = "kpi-ledger.sqlite3"


@dataclass(frozen=True)
class Appeal:
    id: int
    month: str
    employee: str
    old_score: float | None
    new_score: float
    reason: str
    by: str
    at: str


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Ledger:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path)
            # one writer at a time, durable at every commit without waiting on each page
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise KpiError(f"{self.path}: not a kpi-xl ledger ({exc}); give another --ledger path") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- collected forms ------------------------------------------------------------------

    def batch(self) -> sqlite3.Connection:
        """`with ledger.batch():` — many records, one commit (or none, if anything fails)."""
        return self.db

    def record(self, month: str, form: int, subject: str, subject_name: str, department: str,
               file: str, digest: str, inputs: dict[str, Any], computed: dict[str, Any]) -> str:  # fmt: skip
        """Store one handed-in form; "new", "updated" or "unchanged". Commits when the
        caller's `batch()` ends."""
        row = self.db.execute(
            "SELECT digest, file FROM submissions WHERE month=? AND form=? AND subject=?", (month, form, subject)
        ).fetchone()
        if row and row[0] == digest and row[1] == file:
            return "unchanged"
        self.db.execute("DELETE FROM cells WHERE month=? AND form=? AND subject=?", (month, form, subject))
        self.db.execute(
            "INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?)",
            (month, form, subject, subject_name, department, file, digest, now()),
        )
        self.db.executemany(
            "INSERT INTO cells VALUES (?,?,?,?,?,?,?)",
            [(month, form, subject, key, kind, *_split(value))
             for kind, values in (("input", inputs), ("computed", computed))
             for key, value in values.items() if value is not None and value != ""],
        )  # fmt: skip
        return "updated" if row else "new"

    def submitted(self, month: str) -> set[tuple[int, str]]:
        return {(f, s) for f, s in self.db.execute("SELECT form, subject FROM submissions WHERE month=?", (month,))}

    def values(self, month: str, form: int) -> dict[str, dict[str, Any]]:
        """subject → key → value for every handed-in form of this kind and month."""
        out: dict[str, dict[str, Any]] = {}
        query = "SELECT subject, key, num, text FROM cells WHERE month=? AND form=?"
        for subject, key, num, text in self.db.execute(query, (month, form)):
            out.setdefault(subject, {})[key] = num if num is not None else text
        return out

    # -- appeals --------------------------------------------------------------------------

    def add_appeal(self, month: str, employee: str, old: float | None, new: float, reason: str, by: str) -> Appeal:
        with self.db:
            self.db.execute(
                "INSERT INTO appeals (month, employee, old_score, new_score, reason, by, at) VALUES (?,?,?,?,?,?,?)",
                (month, employee, old, new, reason, by, now()),
            )
        return self.appeals(month, employee)[-1]

    def appeals(self, month: str | None = None, employee: str | None = None) -> list[Appeal]:
        query = "SELECT id, month, employee, old_score, new_score, reason, by, at FROM appeals WHERE 1=1"
        args: list[Any] = []
        if month:
            query, args = query + " AND month=?", [*args, month]
        if employee:
            query, args = query + " AND employee=?", [*args, employee]
        return [Appeal(*row) for row in self.db.execute(query + " ORDER BY id", args)]

    # -- recorded summaries ---------------------------------------------------------------

    def record_monthly(self, month: str, rows: Iterable[dict[str, Any]]) -> None:
        stamp = now()
        with self.db:
            self.db.execute("DELETE FROM monthly WHERE month=?", (month,))
            self.db.executemany(
                "INSERT INTO monthly VALUES (:month,:employee,:name,:department,:position,:self,:dept,:leader,"
                ":final,:grade_before,:grade,:base,:ratio,:pay,:bonus,:remark,:recorded_at)",
                [{**row, "month": month, "recorded_at": stamp} for row in rows],
            )

    def record_departments(self, month: str, rows: Iterable[dict[str, Any]]) -> None:
        stamp = now()
        with self.db:
            self.db.execute("DELETE FROM departments WHERE month=?", (month,))
            self.db.executemany(
                "INSERT INTO departments VALUES (:month,:department,:peer,:self,:leader,:final,:remark,:recorded_at)",
                [{**row, "month": month, "recorded_at": stamp} for row in rows],
            )

    def monthly_rows(self, until_month: str | None = None, since_month: str | None = None) -> list[dict[str, Any]]:
        where = [clause for clause, bound in (("month<=?", until_month), ("month>=?", since_month)) if bound]
        query = "SELECT * FROM monthly" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY month, employee"
        cursor = self.db.execute(query, tuple(bound for bound in (until_month, since_month) if bound))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def grade_counts(self, grade: str, *, before: str, since: str | None = None) -> dict[str, int]:
        """employee → how many recorded months before `before` (from `since`) had `grade`:
        the D's in all and the year's C's that seed 000's escalations count."""
        query = "SELECT employee, COUNT(*) FROM monthly WHERE grade=? AND month<?" + (" AND month>=?" if since else "")
        cursor = self.db.execute(query + " GROUP BY employee", (grade, before, since) if since else (grade, before))
        return dict(cursor.fetchall())

    def department_rows(self, year: int) -> list[dict[str, Any]]:
        cursor = self.db.execute("SELECT * FROM departments WHERE month LIKE ? ORDER BY month", (f"{year:04d}-%",))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    def recorded_months(self) -> list[str]:
        return [m for (m,) in self.db.execute("SELECT DISTINCT month FROM monthly ORDER BY month")]


def _split(value: Any) -> tuple[float | None, str | None]:
    if isinstance(value, bool):
        return None, str(value)
    if isinstance(value, int | float):
        return float(value), None
    if hasattr(value, "isoformat"):
        return None, value.isoformat()
    return None, str(value)
