"""Classes 7 and 8: commands that mislead, and faults of the disk — a message, what was and
was not written, exit status 1, never a traceback."""

from __future__ import annotations

import errno
import os

import pytest

from kpi_xl._util import paths
from kpi_xl.cli import main
from kpi_xl.ledger import Ledger
from tests.helpers import STAFF, collected, hand_in


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_collect_from_a_folder_that_does_not_exist_fails(tmp_path, key, capsys):
    code, _, err = run(capsys, "collect", "--month", "2026-12", tmp_path / "退回表格", "--ledger", tmp_path / "ledger.sqlite3")
    assert code == 1
    assert f"Problem: {tmp_path / '退回表格'}: folder not found; check the path" in err


def test_summary_of_a_month_with_nothing_collected_writes_and_records_nothing(tmp_path, capsys):
    ledger = tmp_path / "l.db"
    code, out, err = run(capsys, "summary", "--month", "2026-12", "--out", tmp_path / "out", "--ledger", ledger)
    assert code == 1 and "nothing is collected for 2026-12" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    with Ledger(ledger) as opened:
        assert opened.submitted("2026-12") == set()


@pytest.mark.parametrize("month", ["9999-12", "0000-12", "2026-13"])
def test_impossible_months_are_one_message(tmp_path, capsys, month):
    code, out, err = run(capsys, "forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", month, "--out", tmp_path)
    assert code == 1 and err.count("\n") == 1 and "is not a month; write it as YYYY-MM" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("option", ["--roster", "--policy"])
def test_a_roster_or_policy_that_is_a_folder(tmp_path, capsys, option):
    folder = tmp_path / "人事资料.csv"
    folder.mkdir()
    code, _, err = run(capsys, "forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", option, folder, "--out", tmp_path / "out")
    assert code == 1 and "is a folder; give the" in err and "Traceback" not in err


def test_an_output_path_that_is_a_file(tmp_path, capsys):
    (tmp_path / "kpi-out").write_text("not a folder")
    code, _, err = run(capsys, "forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--out", tmp_path / "kpi-out", "--workers", "1")
    assert code == 1 and "a file stands where a folder is needed" in err


def test_disk_full_during_forms_lists_what_was_not_written_once(tmp_path, capsys, monkeypatch):
    real = os.replace
    written = []

    def fill_up(source, target):  # the disk fills after three forms
        if len(written) >= 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        written.append(target)
        return real(source, target)

    monkeypatch.setattr(paths.os, "replace", fill_up)
    code, out, err = run(capsys, "forms", "--ledger", tmp_path / "ledger.sqlite3", "--month", "2026-12", "--out", tmp_path, "--workers", "1")
    assert code == 1
    assert out.count("the disk is full") == 1  # one line for every form that failed alike
    assert "failed (" in out and "not written: No space left on device; the disk is full" in out
    assert "manifest.csv not written" in err
    assert sorted(p.name for p in (tmp_path / "2026-12").rglob("*.xlsx")) == sorted(p.name for p in written)
    assert not list((tmp_path / "2026-12").rglob("*.tmp"))  # nothing half-written is left


def test_a_read_only_output_folder_for_summary_records_nothing(tmp_path, key, capsys, monkeypatch):
    ledger = tmp_path / "ledger.sqlite3"  # the key's
    hand_in(tmp_path, "2026-12", {p.id: 85.0 for p in STAFF[:3]}, departments=False, key=key)
    with Ledger(ledger) as opened:
        collected(tmp_path, opened, "2026-12")

    def refuse(*_, dir=None, **__):
        raise PermissionError(errno.EACCES, "Permission denied", str(dir))

    monkeypatch.setattr(paths.tempfile, "mkstemp", refuse)
    code, out, err = run(capsys, "summary", "--month", "2026-12", "--out", tmp_path / "out", "--ledger", ledger)
    assert code == 1 and "you may not write there; choose another output folder (--out)" in err
    with Ledger(ledger) as opened:
        assert not opened.db.execute("SELECT count(*) FROM monthly WHERE month='2026-12'").fetchone()[0]
