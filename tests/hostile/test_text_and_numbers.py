"""Classes 5 and 6: text that becomes syntax, numbers that are not numbers."""

from __future__ import annotations

import csv

import pytest

from kpi_xl.errors import PolicyError, ProblemsError
from kpi_xl.ledger import Ledger
from kpi_xl.policy import load_policy
from kpi_xl.roster import Roster, demo_roster, read_roster
from tests.helpers import GOOD, office_key, write_csv

# -- class 6: NaN and inf -------------------------------------------------------------------


@pytest.mark.parametrize("pay", ["NaN", "inf", "-Infinity"])
def test_a_roster_pay_that_is_not_a_number_is_refused_naming_the_cell(tmp_path, pay):
    rows = [list(r) for r in GOOD]
    rows[1][6] = pay
    with pytest.raises(ProblemsError) as caught:
        read_roster(write_csv(tmp_path, rows))
    message = str(caught.value)
    assert f"(got {pay!r})" in message and "roster.csv › G3: 月应发工资" in message


@pytest.mark.parametrize(("line", "key"), [("a_share = nan", "quota.a_share"), ("a_share = -nan", "quota.a_share"),
                                           ("a_per_department = nan", "quota.a_per_department")])  # fmt: skip
def test_nan_in_a_policy_is_refused_naming_the_key(tmp_path, line, key):
    path = tmp_path / "policy.toml"
    path.write_text(f"[quota]\n{line}\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert f"{key}: must be a number (got nan)" in str(caught.value)


# -- class 5: CSV injection, terminal control characters ------------------------------------

HOSTILE_NAMES = ["=HYPERLINK(\"http://x\",\"点我\")", "+86 138", "-待定", "@SUM(1)", "\tTAB"]


def test_manifest_fields_never_start_a_formula(tmp_path):
    from kpi_xl.calendar import Month
    from kpi_xl.forms import Context
    from kpi_xl.office.forms import generate_forms

    base = demo_roster()
    people = list(base.people)
    renamed = [p.__class__(**{**p.__dict__, "name": HOSTILE_NAMES[i % len(HOSTILE_NAMES)]}) if p.category == "员工" else p
               for i, p in enumerate(people)]  # fmt: skip
    roster = Roster(tuple(renamed), "hostile")
    victims = {p.id for p in renamed if p.name in HOSTILE_NAMES}
    generate_forms(roster, Context(Month.parse("2026-12")), tmp_path, key=office_key(tmp_path / "ledger.sqlite3"), only=lambda j: j.form == 1 and j.subject in victims)
    with open(tmp_path / "2026-12" / "manifest.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))[1:]
    assert rows and all(not field.startswith(("=", "+", "-", "@", "\t")) for row in rows for field in row)
    assert {row[4] for row in rows} == {"'" + name for name in HOSTILE_NAMES}


def test_control_characters_in_names_never_reach_the_terminal(tmp_path, cli):
    rows = [list(r) for r in GOOD]
    rows[3][1] = "张\x1b[2J三\x1b]0;hacked\x07"
    rows[3][2] = rows[2][2] = "办公\x9b室"
    roster = write_csv(tmp_path, rows)
    with Ledger(tmp_path / "l.db"):  # an empty ledger: everyone is missing
        pass
    code, out, err = cli("status", "--month", "2026-12", "--roster", str(roster), "--ledger", str(tmp_path / "l.db"),
                         "--today", "2026-12-31")  # fmt: skip
    assert code == 0 and "\x1b" not in out + err and "\x07" not in out + err and "\x9b" not in out + err
    assert "张\ufffd[2J三" in out
