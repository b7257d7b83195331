"""Issue 12 class 2: a forged form is not accepted.

Someone unhides a form's meta sheet and makes it another person's, another month's, or signs
it with a key of their own: the form is refused by name, nothing of it is recorded, and the
genuine forms beside it (the other person's own included) still are.
"""

from __future__ import annotations

import os
import stat

import pytest

from kpi_xl.calendar import Month
from kpi_xl.collect.collector import collect
from kpi_xl.collect.plans import read_plans
from kpi_xl.errors import LedgerError
from kpi_xl.forms import Context, form_for
from kpi_xl.ledger import ensure_key, key_path, read_key
from kpi_xl.policy import DEFAULT_POLICY
from kpi_xl.render.xlsx import render, render_book
from kpi_xl.roster import demo_roster
from tests.helpers import edit_meta, office_key, write_filled
from tests.hostile import mutate

MONTH = Month.parse("2026-12")
CTX = Context(MONTH)
ROSTER = demo_roster()
HER, HIM = ROSTER["E0011"], ROSTER["E0007"]  # 苏永红 and 孙志强
SCORES = {"item1.item": "整理档案", "item1.weight": 100, "item1.dept": 95,
          **{f"conduct{n}.dept": 95 for n in range(1, 7)}}  # fmt: skip
CHANGED = "its hidden form data does not match its signature"
UNSIGNED = "is not signed by kpi-xl"


def her_form(folder, key):
    return write_filled(folder / "苏永红.xlsx", form_for(3, HER.id, ROSTER, CTX), SCORES, key)


def run(folder, ledger, key):
    return collect([folder], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=key, workers=1)


def refused(report, name, words):
    return [p for p in report.problems if p.where == name and words in p.message]


@pytest.mark.parametrize("changes", [
    {"subject_id": HIM.id},  # the person
    {"subject_id": HIM.id, "subject_name": HIM.name, "department": HIM.department},  # the person, thoroughly
    {"month": "2026-11"},  # another month
    {"generated_inputs": "0" * 16},  # made to look untouched
    {"rated": "销售部"},  # a key of another form's meta, added
])  # fmt: skip
def test_a_changed_meta_is_refused_and_his_own_form_still_recorded(tmp_path, key, ledger, changes):
    folder = tmp_path / "in"
    edit_meta(her_form(folder, key), changes)
    write_filled(folder / "孙志强.xlsx", form_for(3, HIM.id, ROSTER, CTX), SCORES | {"item1.dept": 70}, key)
    report = run(folder, ledger, key)
    assert refused(report, "苏永红.xlsx", CHANGED) and len(report.problems) == 1, report.problems
    assert ledger.submitted(str(MONTH)) == {(3, HIM.id)}
    assert ledger.values(str(MONTH), 3)[HIM.id]["item1.dept"] == 70  # his own, not her scores


def test_a_meta_signed_again_with_another_key_is_refused(tmp_path, key, ledger):
    forger = office_key(tmp_path / "forger" / "ledger.sqlite3")
    assert forger != key
    folder = tmp_path / "in"
    edit_meta(her_form(folder, key), {"subject_id": HIM.id, "subject_name": HIM.name}, forger)
    assert refused(run(folder, ledger, key), "苏永红.xlsx", CHANGED)
    assert ledger.submitted(str(MONTH)) == set()


def test_the_same_change_signed_with_the_office_key_would_pass(tmp_path, key, ledger):
    """The check is the signature: what only kpi-xl with the office's key can make."""
    folder = tmp_path / "in"
    edit_meta(her_form(folder, key), {"generator": "kpi-xl 9.9"}, key)
    report = run(folder, ledger, key)
    assert report.problems == [] and ledger.submitted(str(MONTH)) == {(3, HER.id)}


def test_a_duplicate_key_added_below_in_the_xml_is_refused(tmp_path, key, ledger):
    folder = tmp_path / "in"
    row = (f'<row r="60"><c r="A60" t="inlineStr"><is><t>subject_id</t></is></c>'
           f'<c r="B60" t="inlineStr"><is><t>{HIM.id}</t></is></c></row>')  # fmt: skip
    mutate.rewrite(her_form(folder, key), mutate.META_PART, lambda xml: mutate.append_row(xml, row))
    assert refused(run(folder, ledger, key), "苏永红.xlsx", CHANGED)


def test_the_shared_string_of_her_id_changed_in_the_xml_is_refused(tmp_path, key, ledger):
    """Her 工号 is one shared string for the header and the meta: changing it changes both."""
    folder = tmp_path / "in"
    path = her_form(folder, key)
    mutate.rewrite(path, "xl/sharedStrings.xml", lambda xml: xml.replace(f">{HER.id}<".encode(), f">{HIM.id}<".encode()))
    assert refused(run(folder, ledger, key), "苏永红.xlsx", CHANGED)


@pytest.mark.parametrize("signature", [None, "", "0" * 64, "签名"])
def test_a_signature_removed_emptied_or_made_up_is_refused(tmp_path, key, ledger, signature):
    folder = tmp_path / "in"
    edit_meta(her_form(folder, key), {"signature": signature})
    words = UNSIGNED if not signature else CHANGED
    assert refused(run(folder, ledger, key), "苏永红.xlsx", words)


def test_an_unsigned_older_form_is_refused_with_what_to_do(tmp_path, key, ledger):
    folder = tmp_path / "in"
    folder.mkdir()
    spec = form_for(3, HER.id, ROSTER, CTX)
    (folder / "old.xlsx").write_bytes(render_book([spec.filled(SCORES)], generated_from=spec))  # no key: as before
    (folder / "blank.xlsx").write_bytes(render(spec))  # even blank: nothing it says is believed
    report = run(folder, ledger, key)
    assert [str(p) for p in report.problems] == [
        f"{name}: is not signed by kpi-xl (a form made by an older kpi-xl, or its hidden form data was removed); "
        "fill in a newly generated form for the month" for name in ("blank.xlsx", "old.xlsx")]  # fmt: skip
    assert report.blank == 0 and ledger.submitted(str(MONTH)) == set()


def test_a_form_of_another_ledger_is_refused(tmp_path, key, ledger):
    elsewhere = office_key(tmp_path / "分公司" / "kpi-ledger.sqlite3")
    folder = tmp_path / "in"
    her_form(folder, elsewhere)
    assert refused(run(folder, ledger, key), "苏永红.xlsx", "made by another office (another ledger and its key)")


def test_a_forged_form_is_refused_in_chinese(tmp_path, key, ledger, chinese):
    folder = tmp_path / "in"
    edit_meta(her_form(folder, key), {"subject_id": HIM.id})
    [problem] = run(folder, ledger, key).problems
    assert str(problem) == ("苏永红.xlsx：隐藏的表格信息与签名不符：表格生成后被改动过，或是由其他单位（另一个台账及其密钥）生成的；"
                            "请交回为您生成的表格，不要改动其隐藏信息")  # fmt: skip


def test_refused_on_the_parallel_path_too(tmp_path, key, ledger):
    """Spawned workers get the key through their initializer."""
    folder = tmp_path / "in"
    edit_meta(her_form(folder, key), {"subject_id": HIM.id})
    write_filled(folder / "孙志强.xlsx", form_for(3, HIM.id, ROSTER, CTX), SCORES, key)
    report = collect([folder], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=key, workers=2)
    assert refused(report, "苏永红.xlsx", CHANGED) and ledger.submitted(str(MONTH)) == {(3, HIM.id)}


def test_a_forged_plan_is_not_carried_into_anyones_appraisal(tmp_path, key):
    folder = tmp_path / "plans"
    plan = form_for(1, HER.id, ROSTER, CTX)
    path = write_filled(folder / "plan.xlsx", plan, {"item1.item": "冒名的计划", "item1.weight": 100}, key)
    edit_meta(path, {"subject_id": HIM.id, "subject_name": HIM.name})
    write_filled(folder / "own.xlsx", form_for(1, "E0008", ROSTER, CTX), {"item1.item": "自己的计划", "item1.weight": 100}, key)
    plans, problems = read_plans([folder], ROSTER, CTX, key)
    assert set(plans) == {"E0008"} and plans["E0008"][0].item == "自己的计划"
    assert len(problems) == 1 and "plan.xlsx" in problems[0] and "not signed by this office's key" in problems[0]


# -- the key ------------------------------------------------------------------------------------


def test_the_key_is_made_once_owner_only_and_never_replaced(tmp_path):
    ledger = tmp_path / "办公室" / "kpi-ledger.sqlite3"
    key, made = ensure_key(ledger)
    assert made and len(key) == 32 and key_path(ledger) == tmp_path / "办公室" / "kpi-ledger.sqlite3.key"
    if os.name == "posix":
        assert stat.S_IMODE(key_path(ledger).stat().st_mode) == 0o600
    assert ensure_key(ledger) == (key, False) and read_key(ledger) == key
    assert not [p for p in key_path(ledger).parent.iterdir() if p.name.endswith(".tmp")]
    assert ensure_key(tmp_path / "other.sqlite3")[0] != key  # every office its own


def test_two_kpi_xl_making_the_key_at_once_share_one(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    ledger = tmp_path / "kpi-ledger.sqlite3"
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: ensure_key(ledger), range(16)))
    assert len({key for key, _ in results}) == 1 and sum(made for _, made in results) == 1


def test_a_damaged_key_is_refused_not_replaced(tmp_path):
    ledger = tmp_path / "kpi-ledger.sqlite3"
    key_path(ledger).write_bytes(b"short")
    for attempt in (read_key, ensure_key):
        with pytest.raises(LedgerError, match=r"kpi-ledger.sqlite3.key: the signing key is damaged \(5 bytes, not 32\)"):
            attempt(ledger)
    assert key_path(ledger).read_bytes() == b"short"


def test_forms_makes_the_key_beside_its_ledger_and_collect_needs_it(tmp_path, cli):
    ledger = tmp_path / "数据" / "kpi-ledger.sqlite3"
    code, out, _ = cli("forms", "--month", "2026-12", "--out", tmp_path / "考核", "--ledger", ledger, "--workers", "1")
    assert code == 0 and f"made the signing key {key_path(ledger)}: keep it with the ledger, back it up" in out
    key = read_key(ledger)
    code, out, _ = cli("forms", "--month", "2026-12", "--out", tmp_path / "考核", "--ledger", ledger, "--workers", "1")
    assert code == 0 and "signing key" not in out and read_key(ledger) == key  # the same key: forms already out stay good
    generated = next((tmp_path / "考核" / "2026-12").rglob(f"form3_*_{HER.id}.xlsx"))

    elsewhere = tmp_path / "别处" / "kpi-ledger.sqlite3"
    code, _, err = cli("collect", "--month", "2026-12", generated, "--ledger", elsewhere)
    assert code == 1 and err.startswith(f"Error: --ledger: {key_path(elsewhere)}: there is no signing key beside the ledger")
    assert "back" in err and "restore it from that backup" in err
    assert not elsewhere.exists()  # nothing was made: no empty ledger beside a missing key

    code, out, err = cli("collect", "--month", "2026-12", generated, "--ledger", ledger)
    assert (code, err) == (0, "") and "still blank 1" in out  # the genuine form, signed with this key
