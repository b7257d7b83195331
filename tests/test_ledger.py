"""The ledger lasts years: it knows itself and its version, migrates an older one, refuses
what it must not touch (leaving it byte for byte), and never loses a recorded form."""

from __future__ import annotations

import sqlite3

import pytest

from kpi_xl.errors import KpiError, KpiFileError, LedgerError
from kpi_xl.ledger import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, HandedIn, Ledger


def pragma(path, name):
    with sqlite3.connect(path) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


def record_one(ledger, subject="E0007"):
    return ledger.record("2026-12", 3, subject, "徐强", "办公室", "a.xlsx", "digest", {"item1.dept": 80.0}, {"final": 84.3})


def files_in(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_new_ledger_carries_the_kpi_xl_id_and_the_schema_version(tmp_path):
    path = tmp_path / "l.sqlite3"
    Ledger(path).close()
    assert pragma(path, "application_id") == APPLICATION_ID
    assert pragma(path, "user_version") == SCHEMA_VERSION == len(MIGRATIONS)


def test_a_ledger_of_the_first_release_is_migrated_with_its_records(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # as kpi-xl 0.1 wrote it: the tables, no id, no version
        db.execute("PRAGMA journal_mode=WAL")
        for statement in MIGRATIONS[0]:
            db.execute(statement.replace("IF NOT EXISTS ", ""))
        db.execute("INSERT INTO submissions VALUES ('2026-11', 3, 'E0007', '徐强', '办公室', 'a.xlsx', 'd', 'then')")
        db.execute("INSERT INTO cells VALUES ('2026-11', 3, 'E0007', 'final', 'computed', 81.5, NULL)")
    db.close()
    with Ledger(path, readonly=True) as ledger:  # readable as it is, and left as it is
        assert ledger.values("2026-11", 3) == {"E0007": {"final": 81.5}}
    assert pragma(path, "user_version") == 0
    with Ledger(path) as ledger:
        assert ledger.values("2026-11", 3) == {"E0007": {"final": 81.5}}
        assert record_one(ledger) == "new"
    assert (pragma(path, "application_id"), pragma(path, "user_version")) == (APPLICATION_ID, SCHEMA_VERSION)


def test_a_ledger_of_a_newer_kpi_xl_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "new.sqlite3"
    Ledger(path).close()
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    for readonly in (False, True):
        with pytest.raises(LedgerError) as caught:
            Ledger(path, readonly=readonly)
        assert str(caught.value) == (f"{path}: written by a newer kpi-xl (ledger version {SCHEMA_VERSION + 1}; this "
                                     f"kpi-xl knows up to {SCHEMA_VERSION}); it was left as it is: upgrade kpi-xl to use it")  # fmt: skip
    assert path.read_bytes() == before


@pytest.mark.parametrize("readonly", [False, True])
def test_another_programs_sqlite_file_is_refused_and_never_modified(tmp_path, readonly):
    path = tmp_path / "contacts.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE people (name TEXT)")
        db.execute("INSERT INTO people VALUES ('王主任')")
    db.close()
    before = path.read_bytes()
    with pytest.raises(LedgerError, match="not a kpi-xl ledger .another program's SQLite database.; it was left as it is"):
        Ledger(path, readonly=readonly)
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["contacts.db"]  # no journal or WAL files beside it either


@pytest.mark.parametrize("content", [b"just some notes\n" * 200, b"PK\x03\x04 a workbook, not a ledger"])
def test_a_file_that_is_not_sqlite_is_refused_and_never_modified(tmp_path, content):
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(content)
    with pytest.raises(LedgerError, match="not a kpi-xl ledger .file is not a database.; it was left as it is"):
        Ledger(path)
    assert path.read_bytes() == content


def test_a_missing_ledger_is_an_error_for_reading_not_a_new_file(tmp_path, cli):
    path = tmp_path / "nowhere.sqlite3"
    with pytest.raises(LedgerError, match="there is no ledger here; collect the month's forms into it first"):
        Ledger(path, readonly=True)
    for command in (("status", "--month", "2026-12"), ("annual", "--year", "2026", "--out", tmp_path / "o"),
                    ("summary", "--month", "2026-12", "--what-if", "--out", tmp_path / "o")):  # fmt: skip
        code, out, err = cli("--lang", "en", *command, "--ledger", path)
        assert (code, out) == (1, "")
        assert err.startswith(f"Error: --ledger: {path}: there is no ledger here;"), err
    assert files_in(tmp_path) == []


def test_reading_commands_change_nothing_and_cannot_write(tmp_path, cli):
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as ledger:
        record_one(ledger)
    before = path.read_bytes()
    assert cli("status", "--month", "2026-12", "--ledger", path)[0] == 0
    assert cli("summary", "--month", "2026-12", "--what-if", "--ledger", path, "--out", tmp_path / "o")[0] == 0
    assert path.read_bytes() == before
    with Ledger(path, readonly=True) as ledger, pytest.raises(LedgerError, match="opened for reading only"):
        record_one(ledger, "E0008")
    assert path.read_bytes() == before


def test_a_record_outside_a_batch_is_kept(tmp_path):
    path = tmp_path / "l.sqlite3"
    ledger = Ledger(path)
    assert record_one(ledger) == "new"
    ledger.db.close()  # as if the process ended here, without a commit of its own
    with Ledger(path) as again:
        assert again.submitted("2026-12") == {(3, "E0007")}
        assert record_one(again) == "unchanged"


def test_a_failed_batch_records_nothing(tmp_path):
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as ledger:
        with pytest.raises(RuntimeError), ledger.batch():
            assert record_one(ledger) == "new"
            assert record_one(ledger, "E0008") == "new"
            raise RuntimeError("a later form failed")
        assert ledger.submitted("2026-12") == set()
        with ledger.batch():
            record_one(ledger)
        assert ledger.submitted("2026-12") == {(3, "E0007")}


def test_a_damaged_ledger_is_a_file_error(tmp_path):
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as ledger:
        for n in range(300):
            record_one(ledger, f"E{n:04d}")
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page but the first overwritten: a bad disk or copy
    path.write_bytes(bytes(data))
    with pytest.raises(KpiFileError) as caught, Ledger(path) as ledger:
        ledger.values("2026-12", 3)
    assert isinstance(caught.value, KpiError) and isinstance(caught.value, OSError)
    assert "the ledger cannot be read or written" in str(caught.value)


def test_a_version_1_ledger_gains_the_day_an_appeal_was_made(tmp_path):
    """Version 2 adds appeals.made (issue 13: the 申诉更正 sheet showed when the command ran);
    an appeal recorded before reads as made on the day it was recorded."""
    path = tmp_path / "v1.sqlite3"
    with sqlite3.connect(path) as db:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("INSERT INTO appeals (month, employee, old_score, new_score, reason, by, at) "
                   "VALUES ('2026-11', 'E0007', 70, 82, '漏计', '王主任', '2026-12-14T09:30:00')")  # fmt: skip
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute("PRAGMA user_version = 1")
    with Ledger(path, readonly=True) as ledger:  # read as it is: no column added
        (old,) = ledger.appeals("2026-11")
    assert (old.made, old.day) == (None, "2026-12-14")
    assert pragma(path, "user_version") == 1
    from datetime import date

    with Ledger(path) as ledger:
        ledger.add_appeal("2026-11", "E0008", 60, 75, "复核", "李经理", made=date(2026, 12, 11))
        old, new = ledger.appeals("2026-11")
    assert pragma(path, "user_version") == SCHEMA_VERSION
    assert (old.made, old.day) == (None, "2026-12-14")
    assert (new.made, new.day, new.at[:10]) == ("2026-12-11", "2026-12-11", date.today().isoformat())


def test_many_forms_recorded_at_once_say_what_each_one_did_and_replace_only_the_changed(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite3")
    first = [HandedIn(3, s, s, "办公室", f"{s}.xlsx", "d1", {"item1.dept": 80.0}, {"final": 84.3, "grade": "B"})
             for s in ("E1", "E2", "E3")]  # fmt: skip
    assert ledger.record_many("2026-12", first) == ["new", "new", "new"]
    again = [first[0], first[1]._replace(digest="d2", inputs={"item1.dept": 70.0}, computed={"final": 71.0}),
             HandedIn(3, "E4", "E4", "办公室", "E4.xlsx", "d1", {}, {"final": 90.0})]  # fmt: skip
    assert ledger.record_many("2026-12", again) == ["unchanged", "updated", "new"]
    values = ledger.values("2026-12", 3)
    assert values["E1"] == {"item1.dept": 80.0, "final": 84.3, "grade": "B"}
    assert values["E2"] == {"item1.dept": 70.0, "final": 71.0}  # the old grade is gone with the old form
    assert values["E4"] == {"final": 90.0} and set(values) == {"E1", "E2", "E3", "E4"}
    assert ledger.record("2026-12", 3, "E3", "E3", "办公室", "E3.xlsx", "d1", {}, {}) == "unchanged"
    with pytest.raises(ValueError):
        ledger.record_many("2026-12", [first[0], first[0]._replace(digest="d3")])
