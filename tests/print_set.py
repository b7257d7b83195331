"""Every form kind as a clerk would print it: 附件1–9 in Chinese and English, blank and
filled with long text, written as workbooks for the print check (tests/test_print.py).

The filled summaries come from a small ledger written directly (no forms to collect): three
months in which one employee gets D each time (a dismissal in 附件8's 处理意见), the best
people score over 100 (bonus lines), a long appeal, and a roster whose departments are
interleaved (附件7 groups them in department order all the same).
"""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any

from kpi_xl.calendar import Month
from kpi_xl.engine.annual import compute_year
from kpi_xl.forms import Context, FormSpec, blank_form
from kpi_xl.forms.annual import annual_department_sheet, annual_employee_book
from kpi_xl.forms.monthly import monthly_summary_book
from kpi_xl.ledger import Ledger
from kpi_xl.office.summary import run_summary
from kpi_xl.render.xlsx import render_book
from kpi_xl.roster import EMPLOYEE, EXECUTIVE, HEAD, Roster
from tests.forms_under_test import demo_specs

# about 120 Chinese characters: what a person writes in a free-text cell (issue 13)
LONG_ZH = ("本月完成客户回访共计一百二十六户，回访率达到百分之九十六，超出计划目标六个百分点；"
           "针对回访中发现的三类共性问题已形成整改清单并交相关部门落实，其中两项已闭环，"
           "剩余一项预计下月中旬完成，另协助市场部完成季度满意度调查报告的数据整理工作。")  # fmt: skip
LONG_EN = ("Called back 126 customers this month (96%, six points above the plan); the three recurring "
           "problems found were listed and handed to the departments concerned, two are closed and the "
           "last one is due mid next month; also helped marketing compile the quarterly survey data.")  # fmt: skip
SHORT = {"zh": "王晓明", "en": "Wang Xiaoming"}
MONTHS = ("2026-09", "2026-10", "2026-11")


def long_text(lang: str) -> str:
    return LONG_EN if lang == "en" else LONG_ZH


def long_values(spec: FormSpec) -> dict[str, Any]:
    """Every input filled: free text at its planned length, short text short, the highest
    scores (so the best people pass 100 with their bonus), the last date allowed."""
    values: dict[str, Any] = {}
    for f in spec.fields:
        check = f.check
        if check.kind == "decimal":
            values[f.key] = float(check.maximum)
        elif check.kind == "date":
            values[f.key] = datetime(check.maximum.year, check.maximum.month, check.maximum.day)
        elif check.kind == "list":
            values[f.key] = check.choices[0]
        elif check.planned:  # free text, as long as the form plans for
            values[f.key] = long_text(spec.lang)[: check.planned * (2 if spec.lang == "en" else 1)]
        else:
            values[f.key] = SHORT[spec.lang]
    return values


def interleaved(roster: Roster) -> Roster:
    """The same people in an order that mixes the departments (a roster sorted by 工号)."""
    people = list(roster.people)
    random.Random(13).shuffle(people)
    return Roster(tuple(people), roster.source)


def _ledger(path: Path, roster: Roster) -> Ledger:
    ledger = Ledger(path)
    staff = roster.with_category(EMPLOYEE, HEAD)
    unlucky = staff[0].id
    with ledger.batch():
        for month in MONTHS:
            for i, person in enumerate(staff):
                final = 55.0 if person.id == unlucky else [104.5, 96.0, 88.5, 79.0, 91.0][i % 5]
                totals = {"total.self": final, "total.dept": final, "total.leader": final, "final": final}
                ledger.record(month, 3, person.id, person.name, person.department, f"{person.id}.xlsx", month, {}, totals)
            for department in roster.departments:
                ledger.record(month, 5, department, department, department, "d.xlsx", month, {},
                              {"total.self": 92.0, "total.leader": 88.0})  # fmt: skip
            for person in roster.with_category(EXECUTIVE):
                ledger.record(month, 6, person.id, person.name, person.department, "e.xlsx", month, {},
                              {"total.self": 95.0, "total.leader": 93.0})  # fmt: skip
    ledger.add_appeal(MONTHS[-1], staff[1].id, 96.0, 98.5, LONG_ZH, "办公室 李华")
    return ledger


def summary_books(folder: Path, roster: Roster, lang: str) -> dict[str, list[FormSpec]]:
    """附件7 (the last month), 附件8 and 附件9 (the year) filled by the engine."""
    with _ledger(folder / f"ledger_{lang}.sqlite3", roster) as ledger:
        for month in MONTHS:
            result, _ = run_summary(ledger, roster, Context(Month.parse(month), lang), folder / "out", what_if=False)
        year = compute_year(ledger, roster, Context(None, lang), 2026)
    ctx = Context(Month.parse(MONTHS[-1]), lang)
    return {
        f"filled7_{lang}": monthly_summary_book(ctx, result),
        f"filled8_{lang}": annual_employee_book(Context(None, lang), 2026, year.employees),
        f"filled9_{lang}": [annual_department_sheet(Context(None, lang), 2026, year.departments)],
    }


def print_set(folder: Path) -> dict[str, tuple[list[FormSpec], Path]]:
    """name → (the workbook's sheets, its file): blank templates, filled 附件1–6 and 7–9."""
    folder.mkdir(parents=True, exist_ok=True)
    books: dict[str, list[FormSpec]] = {}
    for lang in ("zh", "en"):
        for form in range(1, 10):
            books[f"blank{form}_{lang}"] = [blank_form(form, Context(None, lang))]
        for name, spec in demo_specs(lang).items():
            books[f"filled{name[2:]}_{lang}"] = [spec.filled(long_values(spec))]
        books |= summary_books(folder, interleaved(_demo()), lang)
    written = {}
    for name, specs in books.items():
        path = folder / f"{name}.xlsx"
        path.write_bytes(render_book(specs))
        written[name] = (specs, path)
    return written


def _demo() -> Roster:
    from kpi_xl.roster import demo_roster

    return demo_roster()
