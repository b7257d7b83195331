"""seed 000 §四(一)2: D once → 留任原职查看, twice in all → 转为试用员工, three times → 解聘或辞退;
three or more C in one year → 适当惩处."""

from kpi_xl.engine.escalation import escalations


def test_ds_count_across_years():
    history = [("2025-05", "D"), ("2026-01", "B"), ("2026-03", "D"), ("2026-08", "D"), ("2027-01", "D")]
    assert escalations(history, 2026) == ["2026-03 D（累计2次）：转为试用员工", "2026-08 D（累计3次）：解聘或辞退"]
    assert escalations(history, 2025) == ["2025-05 D（累计1次）：留任原职查看"]


def test_three_cs_in_one_year_but_not_across_years():
    history = [("2025-12", "C"), ("2026-01", "C"), ("2026-02", "C"), ("2026-03", "B")]
    assert escalations(history, 2026) == []
    history.append(("2026-11", "C"))
    assert escalations(history, 2026) == ["年度C级3次：适当惩处"]
    assert escalations(history, 2026, lang="en") == ["3 C's in the year: penalty as appropriate"]


def test_nothing_for_good_years_and_order_does_not_matter():
    assert escalations([("2026-02", "A"), ("2026-01", "B")], 2026) == []
    assert escalations([("2026-09", "D"), ("2026-02", "D")], 2026) == [
        "2026-02 D（累计1次）：留任原职查看", "2026-09 D（累计2次）：转为试用员工"]
