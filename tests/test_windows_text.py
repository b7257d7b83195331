"""Rosters (CSV) and policies (TOML) saved the way Chinese Windows saves them: GBK/GB18030,
UTF-8 with a byte order mark, UTF-16 "Unicode text", `;` or tab separators; or refused with
a message that says how to save them."""

from __future__ import annotations

import csv
import io

import pytest

from kpi_xl.errors import PolicyError
from kpi_xl.policy import load_policy
from kpi_xl.roster import RosterError, read_roster
from tests.helpers import GOOD, HEADER

NAME_OUTSIDE_GBK = "徐䶮"  # 䶮 (yǎn) is in GB18030 but not in GBK


def csv_bytes(rows, separator=",", encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=separator).writerows([HEADER, *rows])
    return buffer.getvalue().encode(encoding)


@pytest.mark.parametrize(("separator", "encoding"), [
    (",", "gbk"), (",", "gb18030"), (",", "utf-8-sig"), (",", "utf-8"),
    (";", "utf-8-sig"), (";", "gbk"),  # Excel where the comma is the decimal mark
    ("\t", "utf-16"),  # Excel's "Unicode text (*.txt)", renamed to .csv
])  # fmt: skip
def test_a_roster_as_windows_saves_it_is_read(tmp_path, separator, encoding):
    rows = [row[:] for row in GOOD]
    if encoding in ("gb18030", "utf-8-sig", "utf-8", "utf-16"):
        rows[3][1] = NAME_OUTSIDE_GBK
    path = tmp_path / "花名册.csv"
    path.write_bytes(csv_bytes(rows, separator, encoding))
    roster = read_roster(path)
    assert [p.id for p in roster.people] == ["G1", "V1", "H1", "E1"]
    assert roster["E1"].name == rows[3][1] and roster["E1"].department == "办公室"
    assert roster["H1"].pay_base() == pytest.approx(1850.0)


def test_a_workbook_renamed_to_csv_is_refused_with_how_to_save_it(tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe\x80\x81\xff")
    with pytest.raises(RosterError) as caught:
        read_roster(path)
    assert caught.value.problems == ['cannot read the text (neither UTF-8 nor GBK/GB18030); in Excel or WPS '
                                     'save it as "CSV UTF-8 (逗号分隔)" or as .xlsx']  # fmt: skip


POLICY = "# 考核办法（记事本保存）\n[grades]\nA = 88\n[escalation]\nc_action = \"扣发当月绩效\"\n"


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-16", "utf-8"])
def test_a_policy_as_notepad_saves_it_is_read(tmp_path, encoding):
    path = tmp_path / "考核办法.toml"
    path.write_bytes(POLICY.encode(encoding))
    policy = load_policy(path)
    assert policy.grades.A == 88 and policy.escalation.c_action == "扣发当月绩效"


def test_an_unreadable_policy_says_how_to_save_it(tmp_path):
    path = tmp_path / "考核办法.toml"
    path.write_bytes(b"[grades]\nA = \xff\xfe\x80\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert str(caught.value) == (f"{path}: cannot read the text (neither UTF-8 nor GBK/GB18030); save it as UTF-8 "
                                 "(Notepad: File › Save As › Encoding: UTF-8)")  # fmt: skip
