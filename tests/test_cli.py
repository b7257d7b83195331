"""The kpi-xl command: version, help, the function listing and its errors."""

import re
from pathlib import Path

import pytest

from kpi_xl import __version__, rules
from kpi_xl.cli import main
from kpi_xl.excel import catalog as udf_catalog

README = Path(__file__).resolve().parent.parent / "README.md"


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"kpi-xl {__version__}\n"


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("udfs", "rules-tour"):
        assert command in out


def test_udfs_lists_every_function_with_its_signature_and_help(capsys):
    assert main(["udfs"]) == 0
    out = capsys.readouterr().out
    for udf in udf_catalog.udfs():
        assert udf.signature in out
        assert udf.help in out
        for argument in udf.arguments:
            assert f"    {argument.name}: {argument.help}" in out
    assert "KPI_BAND(value, thresholds, points, [otherwise])" in out
    assert {u.name for u in udf_catalog.udfs()} == set(rules.RULES)


def test_readme_function_reference_is_the_generated_one():
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- udfs:start -->\n(.*?)<!-- udfs:end -->", text, re.S)
    assert found, "README.md lacks the <!-- udfs:start --> … <!-- udfs:end --> block"
    assert found.group(1) == udf_catalog.as_markdown(udf_catalog.udfs()), (
        "README function reference is out of date: run `kpi-xl udfs --markdown`"
    )


def test_rules_tour_runs_on_the_built_in_sample(capsys):
    assert main(["rules-tour"]) == 0
    out = capsys.readouterr().out
    assert "A quota: 10 staff → at most 1 A company-wide" in out
    assert '=IF(B2="","",IF(B2>=0.75,100,IF(B2>=0.65,80,IF(B2>=0.5,60,0))))' in out


@pytest.mark.parametrize(("lang", "quota", "moved"), [
    (None, "A 等名额：共 10 人 → 全公司最多 1 个 A，每个部门最多 1 个", "  郑欣怡：因全公司名额已满，A → B"),
    ("en", "A quota: 10 staff → at most 1 A company-wide, 1 per department", "  郑欣怡: A → B by the company limit"),
])  # fmt: skip
def test_the_rules_tour_speaks_chinese_by_default_and_english_with_lang_en(capsys, monkeypatch, lang, quota, moved):
    monkeypatch.delenv("KPI_XL_LANG", raising=False)
    assert main(["rules-tour", *(["--lang", lang] if lang else [])]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert quota in lines and moved in lines
    assert lines[0] == ("kpi-xl 规则演示：按种子 003 的客服指标考核 10 名客服" if lang is None
                        else "kpi-xl rules tour: seed 003 customer-service KPIs for 10 agents")  # fmt: skip


def test_a_bad_policy_is_one_error_line(tmp_path, capsys):
    bad = tmp_path / "p.toml"
    bad.write_text("[grades]\nE = 1\n", encoding="utf-8")
    assert main(["rules-tour", "--policy", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.err == f"Error: {bad} › unknown key 'grades.E'; known keys here: A, B, C\n"
    assert captured.out == ""
