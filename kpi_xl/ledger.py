"""The ledger: one SQLite file holding everything collected and decided, month by month.

    submissions  one row per form handed in: month, form, whose, from which file, when
    cells        every value of that form: what was typed, and what the rules computed
    appeals      corrections (申诉): who, when, why, the old and the new score
    monthly      the recorded monthly summary per employee (grade after the quota, pay)
    departments  the recorded monthly department scores (peer average, self, leader)

Rerunning a collection records nothing new for an unchanged file (idempotent); a form
handed in again with other values replaces the earlier values of the same form.

A ledger lasts years: it carries kpi-xl's APPLICATION_ID and its schema version, and an
older one is migrated when it is opened for writing. Before anything is written the file is
checked: someone else's SQLite database and a ledger of a newer kpi-xl are refused and left
exactly as they were. Commands that only read open it read-only, and a missing ledger is
an error for them rather than a new empty file.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple

from ._util.i18n import _
from ._util.signing import KEY_BYTES, new_key
from .errors import LedgerError

# Written into every ledger's header (PRAGMA application_id), so a kpi-xl ledger is known
# for one whatever it is called: "KPIX" in ASCII.
APPLICATION_ID = 0x4B504958

# MIGRATIONS[n] takes a ledger from schema version n to n + 1 (PRAGMA user_version); a new
# ledger runs them all. Version 0 is a ledger of kpi-xl 0.1, which had the tables of version
# 1 but no version: its migration only stamps it. Never change a migration once released;
# add the next one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS submissions (
            month TEXT NOT NULL, form INTEGER NOT NULL, subject TEXT NOT NULL,
            subject_name TEXT, department TEXT, file TEXT NOT NULL, digest TEXT NOT NULL,
            collected_at TEXT NOT NULL,
            PRIMARY KEY (month, form, subject))""",
        """CREATE TABLE IF NOT EXISTS cells (
            month TEXT NOT NULL, form INTEGER NOT NULL, subject TEXT NOT NULL, key TEXT NOT NULL,
            kind TEXT NOT NULL, num REAL, text TEXT,
            PRIMARY KEY (month, form, subject, key))""",
        """CREATE TABLE IF NOT EXISTS appeals (
            id INTEGER PRIMARY KEY AUTOINCREMENT, month TEXT NOT NULL, employee TEXT NOT NULL,
            old_score REAL, new_score REAL NOT NULL, reason TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS monthly (
            month TEXT NOT NULL, employee TEXT NOT NULL, name TEXT, department TEXT, position TEXT,
            self REAL, dept REAL, leader REAL, final REAL, grade_before TEXT, grade TEXT,
            base REAL, ratio REAL, pay REAL, bonus REAL, remark TEXT, recorded_at TEXT NOT NULL,
            PRIMARY KEY (month, employee))""",
        """CREATE TABLE IF NOT EXISTS departments (
            month TEXT NOT NULL, department TEXT NOT NULL, peer REAL, self REAL, leader REAL,
            final REAL, remark TEXT, recorded_at TEXT NOT NULL,
            PRIMARY KEY (month, department))""",
    ),
    # 2: the day an appeal was made (申诉日期), beside when it was recorded (issue 13: the
    # 申诉更正 sheet showed when the command ran); blank for appeals recorded before.
    ("ALTER TABLE appeals ADD COLUMN made TEXT",),
)
SCHEMA_VERSION = len(MIGRATIONS)
# A read-only command reads a ledger this old as it is (it cannot migrate it): every
# migration since changes no table, or is read around (appeals.made, added by version 2,
# reads as blank from an older ledger). Raise it with the first migration that cannot be.
OLDEST_READABLE = 0

# The tables (and their columns) of an unversioned kpi-xl 0.1 ledger: how one is told from
# someone else's SQLite file, which is never touched.
VERSION_0_TABLES = {
    "submissions": ["month", "form", "subject", "subject_name", "department", "file", "digest", "collected_at"],
    "cells": ["month", "form", "subject", "key", "kind", "num", "text"],
    "appeals": ["id", "month", "employee", "old_score", "new_score", "reason", "by", "at"],
    "monthly": ["month", "employee", "name", "department", "position", "self", "dept", "leader", "final",
                "grade_before", "grade", "base", "ratio", "pay", "bonus", "remark", "recorded_at"],
    "departments": ["month", "department", "peer", "self", "leader", "final", "remark", "recorded_at"],
}  # fmt: skip

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
    at: str  # when it was recorded
    made: str | None = None  # the day the appeal was made (YYYY-MM-DD); None before ledger version 2

    @property
    def day(self) -> str:
        """The day to show: when the appeal was made, else the day it was recorded."""
        return self.made or self.at[:10]


def now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _guarded(method: Callable) -> Callable:
    """SQLite's errors on a ledger in use (damaged, locked, disk full) as a LedgerError."""

    @functools.wraps(method)
    def call(self: Ledger, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise self._broken(exc) from None

    return call


MONTHLY_COLUMNS = ("month", "employee", "name", "department", "position", "self", "dept", "leader", "final",
                   "grade_before", "grade", "base", "ratio", "pay", "bonus", "remark", "recorded_at")  # fmt: skip


class HandedIn(NamedTuple):
    """One handed-in form as the ledger records it."""

    form: int
    subject: str
    subject_name: str
    department: str
    file: str
    digest: str
    inputs: dict[str, Any]
    computed: dict[str, Any]


class Ledger:
    """A kpi-xl ledger, opened for reading and writing (created if missing, migrated if
    older), or with `readonly=True` for reading only: then it must exist, and it is opened
    so that SQLite cannot change it."""

    def __init__(self, path: str | Path, *, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        version = self._check()  # before anything is written
        # what the open ledger holds: a read-only ledger stays at its version
        self.version = version if readonly else SCHEMA_VERSION
        try:
            if readonly:
                self.db = _connect_readonly(self.path)
            else:
                # autocommit: every change is made in an explicit transaction (see transaction())
                self.db = sqlite3.connect(self.path, isolation_level=None)
                # one writer at a time, durable at every commit without waiting on each page
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                if version < SCHEMA_VERSION:
                    self._migrate()
        except sqlite3.Error as exc:
            raise self._broken(exc) from None

    def _check(self) -> int:
        """The ledger's schema version; refuses what is not a kpi-xl ledger or is newer."""
        if not self.path.exists():
            if self.readonly:
                raise LedgerError(_("{path}: there is no ledger here; collect the month's forms into it first (kpi-xl collect), or name the ledger they were collected into").format(path=self.path))  # fmt: skip
            return 0
        try:
            probe = _connect_readonly(self.path)
            try:
                app, version = (probe.execute(f"PRAGMA {p}").fetchone()[0] for p in ("application_id", "user_version"))
                tables = {name: [c[1] for c in probe.execute(f"PRAGMA table_info({name!r})")]
                          for (name,) in probe.execute("SELECT name FROM sqlite_master WHERE type='table'")}  # fmt: skip
            finally:
                probe.close()
        except sqlite3.Error as exc:
            raise LedgerError(_("{path}: not a kpi-xl ledger ({exc}); it was left as it is: name another file for the ledger").format(path=self.path, exc=exc)) from None  # fmt: skip
        tables.pop("sqlite_sequence", None)
        if app == 0 and version == 0 and (not tables or tables == VERSION_0_TABLES):
            version = 0  # new and empty, or a ledger of kpi-xl 0.1
        elif app != APPLICATION_ID:
            raise LedgerError(_("{path}: not a kpi-xl ledger (another program's SQLite database); it was left as it is: name another file for the ledger").format(path=self.path))  # fmt: skip
        if version > SCHEMA_VERSION:
            raise LedgerError(_("{path}: written by a newer kpi-xl (ledger version {version}; this kpi-xl knows up to {schema_version}); it was left as it is: upgrade kpi-xl to use it").format(path=self.path, version=version, schema_version=SCHEMA_VERSION))  # fmt: skip
        if self.readonly and version < OLDEST_READABLE:
            raise LedgerError(_("{path}: written by an older kpi-xl (ledger version {version}); collect into it once to bring it up to date, then run this again").format(path=self.path, version=version))  # fmt: skip
        return version

    def _migrate(self) -> None:
        with self.transaction():
            # read again inside the transaction: another kpi-xl may have migrated it meanwhile
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for statements in MIGRATIONS[version:]:
                for statement in statements:
                    self.db.execute(statement)
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _broken(self, exc: sqlite3.Error) -> LedgerError:
        if "locked" in str(exc) or "busy" in str(exc):
            return LedgerError(_("{path}: the ledger is busy (another kpi-xl is writing it); try again when it has finished").format(path=self.path))
        if self.readonly and "readonly" in str(exc):
            return LedgerError(_("{path}: the ledger is opened for reading only here; nothing was changed").format(path=self.path))
        return LedgerError(_("{path}: the ledger cannot be read or written ({exc}); restore it from a backup, or check the disk and its permissions").format(path=self.path, exc=exc))  # fmt: skip

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All of the block's changes, or none of them if it fails; a transaction inside
        another one is part of the outer one."""
        if self.db.in_transaction:
            yield
            return
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._broken(exc) from None
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        try:
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise self._broken(exc) from None

    # -- collected forms ------------------------------------------------------------------

    def batch(self):
        """`with ledger.batch():` — many records, one commit (or none, if anything fails)."""
        return self.transaction()

    @_guarded
    def record(self, month: str, form: int, subject: str, subject_name: str, department: str,
               file: str, digest: str, inputs: dict[str, Any], computed: dict[str, Any]) -> str:  # fmt: skip
        """Store one handed-in form; "new", "updated" or "unchanged". Committed when it
        returns, or, inside `batch()`, when the batch ends (and lost with the batch)."""
        return self.record_many(month, [HandedIn(form, subject, subject_name, department, file, digest, inputs, computed)])[0]

    @_guarded
    def record_many(self, month: str, forms: list[HandedIn]) -> list[str]:
        """Store many handed-in forms of one month at once (a month's collect: one query for
        what is there, then one statement per kind of change); each one's outcome as record's."""
        if len({(f.form, f.subject) for f in forms}) < len(forms):
            raise ValueError("record_many: one form of a person twice")  # the collector keeps one copy
        with self.transaction():
            if len(forms) > 16:  # the month's submissions at once
                query, params = "SELECT form, subject, digest, file FROM submissions WHERE month=?", [(month,)]
            else:  # a few forms (record): each one's own row, not the whole month's
                query = "SELECT form, subject, digest, file FROM submissions WHERE month=? AND form=? AND subject=?"
                params = [(month, f.form, f.subject) for f in forms]
            there = {(form, subject): (digest, file) for one in params
                     for form, subject, digest, file in self.db.execute(query, one)}  # fmt: skip
            outcomes = []
            changed = []
            for f in forms:
                before = there.get((f.form, f.subject))
                if before == (f.digest, f.file):
                    outcomes.append("unchanged")
                    continue
                outcomes.append("updated" if before else "new")
                changed.append(f)
            stamp = now()
            self.db.executemany("DELETE FROM cells WHERE month=? AND form=? AND subject=?",
                                [(month, f.form, f.subject) for f in changed])  # fmt: skip
            self.db.executemany(
                "INSERT OR REPLACE INTO submissions VALUES (?,?,?,?,?,?,?,?)",
                [(month, f.form, f.subject, f.subject_name, f.department, f.file, f.digest, stamp) for f in changed],
            )
            self.db.executemany(
                "INSERT INTO cells VALUES (?,?,?,?,?,?,?)",
                [(month, f.form, f.subject, key, kind, *_split(value))
                 for f in changed
                 for kind, values in (("input", f.inputs), ("computed", f.computed))
                 for key, value in values.items() if value is not None and value != ""],
            )  # fmt: skip
            return outcomes

    @_guarded
    def submitted(self, month: str) -> set[tuple[int, str]]:
        return {(f, s) for f, s in self.db.execute("SELECT form, subject FROM submissions WHERE month=?", (month,))}

    @_guarded
    def values(self, month: str, form: int) -> dict[str, dict[str, Any]]:
        """subject → key → value for every handed-in form of this kind and month."""
        out: dict[str, dict[str, Any]] = {}
        query = "SELECT subject, key, num, text FROM cells WHERE month=? AND form=?"
        for subject, key, num, text in self.db.execute(query, (month, form)):
            out.setdefault(subject, {})[key] = num if num is not None else text
        return out

    @_guarded
    def running_totals(self, form: int, keys: dict[str, str], before: str) -> dict[str, float]:
        """subject → the sum of its cell `keys[subject]` over the months before `before`: a
        count carried across months (seed 003: 每累计提5条经验加一分)."""
        out: dict[str, float] = {}
        query = "SELECT subject, key, num FROM cells WHERE form=? AND month<? AND num IS NOT NULL"
        for subject, key, num in self.db.execute(query, (form, before)):
            if keys.get(subject) == key:
                out[subject] = out.get(subject, 0.0) + num
        return out

    # -- appeals --------------------------------------------------------------------------

    @_guarded
    def add_appeal(self, month: str, employee: str, old: float | None, new: float, reason: str, by: str,
                   made: date | None = None) -> Appeal:  # fmt: skip
        with self.transaction():
            self.db.execute(
                "INSERT INTO appeals (month, employee, old_score, new_score, reason, by, at, made) VALUES (?,?,?,?,?,?,?,?)",
                (month, employee, old, new, reason, by, now(), (made or date.today()).isoformat()),
            )
        return self.appeals(month, employee)[-1]

    @_guarded
    def appeals(self, month: str | None = None, employee: str | None = None) -> list[Appeal]:
        made = "made" if self.version >= 2 else "NULL"
        query = f"SELECT id, month, employee, old_score, new_score, reason, by, at, {made} FROM appeals WHERE 1=1"
        args: list[Any] = []
        if month:
            query, args = query + " AND month=?", [*args, month]
        if employee:
            query, args = query + " AND employee=?", [*args, employee]
        return [Appeal(*row) for row in self.db.execute(query + " ORDER BY id", args)]

    # -- recorded summaries ---------------------------------------------------------------

    @_guarded
    def record_monthly(self, month: str, rows: Iterable[dict[str, Any]]) -> None:
        stamp = now()
        with self.transaction():
            self.db.execute("DELETE FROM monthly WHERE month=?", (month,))
            self.db.executemany(
                "INSERT INTO monthly VALUES (:month,:employee,:name,:department,:position,:self,:dept,:leader,"
                ":final,:grade_before,:grade,:base,:ratio,:pay,:bonus,:remark,:recorded_at)",
                [{**row, "month": month, "recorded_at": stamp} for row in rows],
            )

    @_guarded
    def record_departments(self, month: str, rows: Iterable[dict[str, Any]]) -> None:
        stamp = now()
        with self.transaction():
            self.db.execute("DELETE FROM departments WHERE month=?", (month,))
            self.db.executemany(
                "INSERT INTO departments VALUES (:month,:department,:peer,:self,:leader,:final,:remark,:recorded_at)",
                [{**row, "month": month, "recorded_at": stamp} for row in rows],
            )

    @_guarded
    def monthly_rows(self, until_month: str | None = None, since_month: str | None = None,
                     columns: tuple[str, ...] = ()) -> list[dict[str, Any]]:  # fmt: skip
        """The recorded monthly results, month by month; `columns`: only these (a year of
        100,000 staff is 1.2 million rows)."""
        where = [clause for clause, bound in (("month<=?", until_month), ("month>=?", since_month)) if bound]
        unknown = set(columns) - set(MONTHLY_COLUMNS)
        if unknown:
            raise ValueError(f"not columns of the monthly table: {sorted(unknown)}")
        wanted = ", ".join(columns) if columns else "*"
        query = f"SELECT {wanted} FROM monthly" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY month, employee"
        cursor = self.db.execute(query, tuple(bound for bound in (until_month, since_month) if bound))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    @_guarded
    def grade_counts(self, grade: str, *, before: str, since: str | None = None) -> dict[str, int]:
        """employee → how many recorded months before `before` (from `since`) had `grade`:
        the D's in all and the year's C's that seed 000's escalations count."""
        query = "SELECT employee, COUNT(*) FROM monthly WHERE grade=? AND month<?" + (" AND month>=?" if since else "")
        cursor = self.db.execute(query + " GROUP BY employee", (grade, before, since) if since else (grade, before))
        return dict(cursor.fetchall())

    @_guarded
    def department_rows(self, year: int) -> list[dict[str, Any]]:
        cursor = self.db.execute("SELECT * FROM departments WHERE month LIKE ? ORDER BY month", (f"{year:04d}-%",))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    @_guarded
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


def _connect_readonly(path: Path) -> sqlite3.Connection:
    # mode=ro: SQLite itself refuses any change, and never creates the file
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


# -- the office's signing key, kept beside the ledger --------------------------------------------
#
# `kpi-xl forms` signs every form's hidden facts with it (_util/signing.py) and `kpi-xl collect`
# accepts only forms it signed: a person who changes whose form it is cannot sign it again. It
# is never written into a workbook; it is backed up with the ledger and kept out of shared folders.


def key_path(ledger: str | Path) -> Path:
    """Where the signing key of the ledger `ledger` is kept: kpi-ledger.sqlite3.key beside it."""
    path = Path(ledger)
    return path.with_name(path.name + ".key")


def read_key(ledger: str | Path) -> bytes:
    """The signing key kept beside `ledger`; a LedgerError saying what to do when there is none."""
    path = key_path(ledger)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LedgerError(_("{path}: there is no signing key beside the ledger {ledger}; `kpi-xl forms` makes it when it makes the month's forms (with the same --ledger), and it is backed up with the ledger: restore it from that backup, or regenerate the forms (forms signed with a lost key cannot be collected)").format(path=path, ledger=Path(ledger).name)) from None  # fmt: skip
    except OSError as exc:
        raise LedgerError(_("{path}: the signing key cannot be read ({reason}); check its permissions").format(path=path, reason=exc.strerror or exc)) from None  # fmt: skip
    if len(data) != KEY_BYTES:
        raise LedgerError(_("{path}: the signing key is damaged ({size} bytes, not {expected}); restore it from the backup of the ledger").format(path=path, size=len(data), expected=KEY_BYTES))  # fmt: skip
    return data


def ensure_key(ledger: str | Path) -> tuple[bytes, bool]:
    """The signing key beside `ledger`, made when there is none yet: (key, made now).

    Made owner-only (0600) in a temporary file and linked into place, so that it is never
    half-written and never replaces a key: two kpi-xl starting together share the first one.
    """
    path = key_path(ledger)
    if path.exists():
        return read_key(ledger), False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(new_key())
                out.flush()
                os.fsync(out.fileno())
            made = _link_new(Path(temporary), path)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError as exc:
        raise LedgerError(_("{path}: the signing key cannot be made ({reason}); check the folder of the ledger and its permissions").format(path=path, reason=exc.strerror or exc)) from None  # fmt: skip
    return read_key(ledger), made


def _link_new(temporary: Path, path: Path) -> bool:
    """Put `temporary` at `path` unless something is there already: True when it was put."""
    try:
        os.link(temporary, path)  # fails when the key exists: never replaced
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links (FAT, some network drives): create exclusively
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        except FileExistsError:
            return False
        with os.fdopen(descriptor, "wb") as out:
            out.write(temporary.read_bytes())
        return True
