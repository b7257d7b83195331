"""Messages in Chinese by default, English with --lang en: the catalogue, its compiler, the switch."""

import ast
import functools
import gettext
import io
import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_xl._util import i18n
from kpi_xl._util.messages import CATALOGUE, ROOT, SOURCES, extract
from kpi_xl._util.po import Entry, compile_mo, format_entry, parse_po
from kpi_xl.cli import main

EXTRACTED = functools.cache(extract)  # parsing every module takes a while: once per run
CATALOGUED = {e.msgid: e for e in parse_po(CATALOGUE.read_text(encoding="utf-8")) if e.msgid}


def _names(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


# --- the catalogue holds every message, translated, with its placeholders ---------------

def test_every_marked_message_is_a_literal_the_catalogue_can_find():
    _found, bad = EXTRACTED()
    assert bad == []


def test_every_message_in_the_code_has_a_chinese_translation():
    found, _bad = EXTRACTED()
    missing = sorted({f.msgid for f in found} - {m for m, e in CATALOGUED.items() if e.translated})
    assert missing == [], "run `python -m kpi_xl._util.messages` and translate these in " + str(CATALOGUE.relative_to(ROOT))


def test_translations_keep_every_placeholder():
    """Cell references, values and counts reach the message through its {placeholders}."""
    for msgid, entry in CATALOGUED.items():
        for msgstr in entry.msgstr:
            if msgstr:
                assert _names(msgstr) == _names(msgid), msgid
    for msgid, entry in CATALOGUED.items():
        if entry.msgid_plural:
            assert _names(entry.msgid_plural) == _names(msgid), msgid


def test_no_module_that_translates_rebinds_the_underscore():
    """`for _ in …` inside a function would hide `_()` in that whole function."""
    offenders = []
    for folder in SOURCES:
        for path in folder.rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            imports = any(isinstance(n, ast.ImportFrom) and any(a.name == "_" for a in n.names) for n in ast.walk(tree))
            comprehended = {id(t) for c in ast.walk(tree) if isinstance(c, ast.comprehension) for t in ast.walk(c.target)}
            offenders += [f"{path.relative_to(ROOT)}:{n.lineno}" for n in ast.walk(tree) if imports
                          and isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
                          and id(n) not in comprehended]  # fmt: skip
    assert offenders == []


# --- the .po reader and .mo writer ----------------------------------------------------

def _translations(entries: list[Entry]) -> gettext.GNUTranslations:
    header = Entry("", msgstr=["Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"])
    return gettext.GNUTranslations(io.BytesIO(compile_mo([header, *entries])))


def test_compiled_catalogue_translates_plurals_and_falls_back_when_untranslated():
    po = '''
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\nPlural-Forms: nplurals=1; plural=0;\\n"

#: kpi_xl/x.py
#, python-brace-format
msgid "{n} form"
msgid_plural "{n} forms"
msgstr[0] "{n} 份表格"

msgid "a \\"quoted\\" "
"word"
msgstr "一个“引用”的词"

msgid "not yet"
msgstr ""

#, fuzzy
msgid "unsure"
msgstr "不确定"

#~ msgid "gone"
#~ msgstr "已删除"
'''
    entries = parse_po(po)
    assert [e.msgid for e in entries] == ["", "{n} form", 'a "quoted" word', "not yet", "unsure"]
    assert entries[1].references == ["kpi_xl/x.py"] and entries[1].flags == {"python-brace-format"}
    t = gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))
    assert t.ngettext("{n} form", "{n} forms", 1) == t.ngettext("{n} form", "{n} forms", 7) == "{n} 份表格"
    assert t.gettext('a "quoted" word') == "一个“引用”的词"
    assert t.gettext("not yet") == "not yet"
    assert t.gettext("unsure") == "unsure"  # fuzzy: not trusted, as msgfmt does
    assert t.gettext("gone") == "gone"


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), min_size=1),
       st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"), min_size=1))
def test_any_message_survives_writing_reading_and_compiling(msgid, msgstr):
    written = format_entry(Entry(msgid, msgstr=[msgstr]))
    (entry,) = parse_po(written)
    assert (entry.msgid, entry.msgstr) == (msgid, [msgstr])
    assert _translations([entry]).gettext(msgid) == msgstr


def test_a_broken_catalogue_names_its_line():
    with pytest.raises(ValueError, match="line 2"):
        parse_po('msgid "a"\nmsgstr "b\n')


# --- the switch -----------------------------------------------------------------------

def test_chinese_by_default_english_by_option_or_environment(monkeypatch, capsys):
    monkeypatch.delenv(i18n.ENV, raising=False)
    bad = ["collect", "--month", "2026-13", "somewhere"]
    for argv, language in [(bad, "zh"), (["--lang", "en", *bad], "en"), ([*bad, "--lang", "en"], "en")]:
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.startswith("错误：" if language == "zh" else "Error: "), argv
        assert "'2026-13'" in err
    monkeypatch.setenv(i18n.ENV, "en_US.UTF-8")
    assert main(bad) == 1
    assert capsys.readouterr().err.startswith("Error: ")
    assert main(["--lang", "zh", *bad]) == 1
    assert capsys.readouterr().err.startswith("错误：")
    assert os.environ[i18n.ENV] == "en_US.UTF-8", "the command restores the language it found"


def test_the_help_follows_the_language(capsys):
    for language, phrase in (("zh", "提示信息和表格的语言"), ("en", "language of the messages and the forms")):
        with pytest.raises(SystemExit):
            main(["forms", "--help", "--lang", language])
        assert phrase in capsys.readouterr().out


@pytest.mark.parametrize(("lang", "expected"), [
    ("zh", "kpi-xl appeal：错误：缺少必填选项：--employee, --score, --reason, --by\n"),
    ("en", "kpi-xl appeal: error: the following arguments are required: --employee, --score, --reason, --by\n"),
])  # fmt: skip
def test_argparse_own_words_follow_the_language(capsys, lang, expected):
    import argparse

    before = argparse._  # type: ignore[attr-defined]
    with pytest.raises(SystemExit):
        main(["--lang", lang, "appeal", "--month", "2026-12"])
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("用法：kpi-xl appeal" if lang == "zh" else "usage: kpi-xl appeal")
    assert err.endswith(expected)
    assert argparse._ is before, "argparse gets its own gettext back after the command"  # type: ignore[attr-defined]


def test_the_language_reaches_worker_processes_through_the_environment():
    """A worker started with spawn (Windows, macOS) is a fresh interpreter: it reads KPI_XL_LANG."""
    code = "from kpi_xl._util.i18n import _; print(_('Error: {message}'))"
    for language, expected in (("en", "Error: {message}"), ("zh", "错误：{message}")):
        with i18n.using(language):
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        assert out.strip() == expected


def test_an_installed_package_finds_its_catalogue(tmp_path):
    """`pip install .` copies package data only if pyproject names it: build the package the way
    pip does and speak Chinese from the copy, far from the source tree."""
    build = tmp_path / "build"
    subprocess.run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q", "build_py", "-d", str(build)],
                   cwd=ROOT, check=True, capture_output=True)  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(build), "KPI_XL_LANG": "zh"}
    code = "import kpi_xl, sys; from kpi_xl._util.i18n import _; print(kpi_xl.__file__); print(_('Error: {message}'))"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    where, message = out.stdout.splitlines()
    assert Path(where).is_relative_to(build)
    assert message == "错误：{message}"


# --- a clerk's mistakes, in Chinese by default and in English with --lang en ------------------

@pytest.mark.parametrize(("lang", "expected"), [
    (None, "错误：roster.csv：花名册中有 3 个问题：\n"
           "  roster.csv › B2：姓名为空；请填写姓名\n"
           "  roster.csv › F2：分管领导为空；请填写分管领导的工号\n"
           "  roster.csv › E2：部门 '办公室' 没有部门负责人；请在类别中把其负责人标为“部门负责人”\n"),
    ("en", "Error: roster.csv: the roster has 3 problems:\n"
           "  roster.csv › B2: 姓名 is blank; enter the person's name\n"
           "  roster.csv › F2: 分管领导 is blank; enter the 工号 of the supervising leader\n"
           "  roster.csv › E2: 部门 '办公室' has no 部门负责人; mark its head as 部门负责人 in 类别\n"),
])  # fmt: skip
def test_a_roster_problem_names_the_cell_in_the_chosen_language(tmp_path, capsys, monkeypatch, lang, expected):
    from tests.helpers import HEADER, write_csv

    monkeypatch.delenv(i18n.ENV, raising=False)
    bad = write_csv(tmp_path, [["E1", "", "办公室", "x", "员工", "", 1, ""]], HEADER)
    option = ["--lang", lang] if lang else []
    assert main([*option, "forms", "--ledger", str(tmp_path / "ledger.sqlite3"), "--month", "2026-12", "--roster", str(bad), "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err == expected


@pytest.mark.parametrize(("lang", "expected"), [
    (None, "问题：b.pdf：不是 .xlsx 工作簿（.pdf）；请交回 .xlsx 格式的表格；已跳过\n"),
    ("en", "Problem: b.pdf: is not an .xlsx workbook (.pdf); hand in the form as the .xlsx file; skipped\n"),
])  # fmt: skip
def test_a_collect_problem_in_the_chosen_language(tmp_path, key, capsys, monkeypatch, lang, expected):
    monkeypatch.delenv(i18n.ENV, raising=False)
    folder = tmp_path / "交回"
    folder.mkdir()
    (folder / "b.pdf").write_bytes(b"%PDF-1.4")
    option = ["--lang", lang] if lang else []
    code = main([*option, "collect", "--month", "2026-12", str(folder), "--ledger", str(tmp_path / "ledger.sqlite3")])
    out, err = capsys.readouterr()
    assert (code, err) == (1, expected)
    assert ("跳过 1" if lang is None else "skipped 1") in out


def test_a_rule_argument_error_keeps_the_function_name_first(chinese):
    """What a UDF shows in an Excel cell: the function and argument first, then the words."""
    from kpi_xl import rules
    from kpi_xl.errors import KpiInputError

    with pytest.raises(KpiInputError) as raised:
        rules.kpi_linear("abc", 70, 90, 5)
    assert str(raised.value).startswith("KPI_LINEAR") and "必须是数字（填的是 'abc'）" in str(raised.value)


def test_a_rule_check_speaks_chinese_with_the_values_it_quotes(chinese):
    """The templates rules check cell by cell (N_ where declared, translated where raised)."""
    from kpi_xl import rules
    from kpi_xl.errors import KpiInputError

    with pytest.raises(KpiInputError) as raised:
        rules.kpi_linear(80, 70, 70, 5)
    assert str(raised.value) == "KPI_LINEAR: zero_at 和 full_at 不能相同（都是 70）"
    with pytest.raises(KpiInputError) as raised:
        rules.kpi_band(0.8, [0.5, 0.7, 0.6], [60, 80, 100])
    assert str(raised.value) == "KPI_BAND: thresholds 必须全部递减或全部递增，最好的在前（填的是 0.5, 0.7, 0.6）"


@pytest.mark.parametrize(("lang", "expected"), [
    (None, ["错误：p.toml › grades：各等级最低分必须依次降低 A > B > C（填的是 A=70，B=80，C=60）；每个等级的最低分要低于上一等级",
            "错误：p.toml › quota.a_share：必须是 0 到 1 之间的比例（填的是 1.5）；10% 请写成 0.10"]),
    ("en", ["Error: p.toml › grades: cut-offs must descend A > B > C (got A=70, B=80, C=60); "
            "give each grade a lower cut-off than the one above it",
            "Error: p.toml › quota.a_share: must be a share from 0 to 1 (got 1.5); write 10% as 0.10"]),
])  # fmt: skip
def test_a_policy_problem_in_the_chosen_language(tmp_path, capsys, monkeypatch, lang, expected):
    """The policy's declared bounds and rules between keys, with the key, the value and the advice."""
    monkeypatch.delenv(i18n.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    option = ["--lang", lang] if lang else []
    for text, message in zip(["[grades]\nA = 70\n", "[quota]\na_share = 1.5\n"], expected, strict=True):
        Path("p.toml").write_text(text, encoding="utf-8")
        assert main([*option, "rules-tour", "--policy", "p.toml"]) == 1
        assert capsys.readouterr().err == message + "\n"


@pytest.mark.parametrize(("lang", "expected"), [
    (None, "问题：张三.xlsx：无法作为工作簿打开：文件设置了密码（或是改了扩展名的旧 .xls 文件）；请取消密码并另存为 .xlsx；"
           "请另存为 .xlsx 或重新索要文件\n"),
    ("en", "Problem: 张三.xlsx: cannot be opened as a workbook: it is password-protected (or an old .xls renamed); "
           "remove the password and save it as .xlsx; re-save it as .xlsx or ask for the file again\n"),
])  # fmt: skip
def test_an_unreadable_workbook_in_the_chosen_language(tmp_path, key, capsys, monkeypatch, lang, expected):
    monkeypatch.delenv(i18n.ENV, raising=False)
    folder = tmp_path / "交回"
    folder.mkdir()
    (folder / "张三.xlsx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"encrypted")  # what Excel saves with a password
    option = ["--lang", lang] if lang else []
    code = main([*option, "collect", "--month", "2026-12", str(folder), "--ledger", str(tmp_path / "ledger.sqlite3")])
    assert (code, capsys.readouterr().err) == (1, expected)
