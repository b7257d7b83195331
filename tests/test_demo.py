"""`kpi-xl demo`, the README's main command: end to end on the built-in company."""

from kpi_xl.cli import main
from kpi_xl.ledger import Ledger


def test_demo_runs_the_cycle_end_to_end(tmp_path, capsys):
    """Two months are enough: the demo plants its broken, renamed and failing forms in February."""
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--months", "2", "--workers", "2"]) == 0
    printed = capsys.readouterr().out
    # the deliberately broken form is reported with its cell and skipped, the rest recorded
    assert ("2026-02: collect reported 1 problem(s); the form was skipped, the rest recorded:\n"
            "    销售部/附件3_范振华_E0040.xlsx › 考核表!G8: 第1项 部门考核 120 is outside 0–100; "
            "enter a number from 0 to 100") in printed  # fmt: skip
    assert "2026-02: 81 of 82 staff graded" in printed
    assert "A→B by the quota" in printed
    for month in ("2026-01", "2026-02"):
        assert (out / "summaries" / month / f"附件7_员工月度考核汇总表_{month}.xlsx").exists()
        assert (out / "forms" / month / "manifest.csv").exists()
    assert (out / "summaries" / "2026" / "附件8_员工年度考核汇总表_2026.xlsx").exists()
    assert (out / "summaries" / "2026" / "附件9_部门年度考核汇总表_2026.xlsx").exists()
    with Ledger(out / "kpi-ledger.sqlite3") as ledger:
        assert ledger.recorded_months() == ["2026-01", "2026-02"]
        # the renamed file was found by its content
        assert "E0011" in ledger.values("2026-02", 3)
    # 熊佳怡 (E0020) has her first bad month
    assert "熊佳怡 (E0020, 财务审计部): 2026-02 D（累计1次）：留任原职查看" in printed


def test_demo_replaces_only_its_own_folder(tmp_path, capsys):
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "important.xlsx").write_bytes(b"someone's work")
    assert main(["demo", "--out", str(mine), "--months", "2"]) == 1
    assert capsys.readouterr().err == f"Error: --out: {mine} exists and is not a kpi-xl demo folder; nothing was changed: choose another folder\n"
    assert (mine / "important.xlsx").read_bytes() == b"someone's work"
