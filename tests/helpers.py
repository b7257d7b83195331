"""What the tests share. Fixtures live in conftest.py; test modules import only from here,
never from each other.

    rosters        the demo company, a small one of two departments, roster files to write
    forms          one of each per-person form of the demo company, the blank templates
    filling        typing into a generated form the way a person would
    a month        returned forms with chosen scores, collected into a ledger
    examples       the worked examples of SPEC §4, for the rules, the UDFs and the Lite bundle
    print set      every form kind as a clerk would print it, blank and filled
    workbooks      compared part by part as XML, so that a failure names the element; what
                   differs from run to run (docProps/core.xml's dates) is normalised here only
    LibreOffice    the independent spreadsheet engine that recalculates our formulas
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import random
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from kpi_xl import rules
from kpi_xl.calendar import Month
from kpi_xl.engine.annual import compute_year
from kpi_xl.forms import (
    Context,
    FormSpec,
    PlanItem,
    blank_form,
    department_plan,
    department_self,
    employee_assessment,
    employee_plan,
    executive_review,
    form_for,
    peer_review,
)
from kpi_xl.forms.annual import annual_department_sheet, annual_employee_book
from kpi_xl.forms.monthly import monthly_summary_book
from kpi_xl.forms.spec import Text
from kpi_xl.ledger import Ledger, ensure_key, read_key
from kpi_xl.office.summary import run_summary
from kpi_xl.render.stamp import Stamper
from kpi_xl.render.xlsx import _style, render_book
from kpi_xl.roster import DEMO_ROSTER, EMPLOYEE, EXECUTIVE, HEAD, Roster, demo_roster, read_roster

MONTH = Month.parse("2026-12")

# -- the worked examples of SPEC §4 ----------------------------------------------------------

# (Excel name, arguments, expected): the examples of the rule registry, one row each.
EXAMPLES = [(rule.name, e.args, e.expected) for rule in rules.RULES.values() for e in rule.examples]


def as_cells(arg):
    """What xlwings hands a UDF for an argument read with ndim=2."""
    if isinstance(arg, list):
        return [arg]
    return [[arg]]


# -- rosters ----------------------------------------------------------------------------------

ROSTER = demo_roster()  # the built-in demo company: 8 departments, 87 people
STAFF = [p for p in ROSTER.people if p.category in ("员工", "部门负责人")]

HEADER = ["工号", "姓名", "部门", "岗位", "类别", "分管领导", "月应发工资", "年薪"]
GOOD = [
    ["G1", "郭平", "公司领导", "总经理", "总经理", "", "", 880000],
    ["V1", "韦梓涵", "公司领导", "副总经理", "高管", "G1", "", 480000],
    ["H1", "彭伟", "办公室", "办公室主任", "部门负责人", "V1", 18500, ""],
    ["E1", "徐强", "办公室", "行政专员", "员工", "V1", 8100, ""],
]
# the demo company cut down to its leadership and two departments (23 people), for tests
# where a whole company is not the point; 苏永红 (E0011) works in 办公室
SMALL_DEPARTMENTS = ("公司领导", "办公室", "财务审计部")


def write_csv(folder: Path, rows: list[list[Any]], header: list[str] = HEADER, encoding: str = "utf-8-sig") -> Path:
    path = folder / "roster.csv"
    with open(path, "w", newline="", encoding=encoding) as out:
        csv.writer(out).writerows([header, *rows])
    return path


def write_xlsx(folder: Path, rows: list[list[Any]], header: list[str] = HEADER, sheet: str = "花名册") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    path = folder / "roster.xlsx"
    book.save(path)
    return path


def small_roster_file(folder: Path) -> Path:
    """The demo roster's file with only SMALL_DEPARTMENTS, as `--roster` takes it."""
    import importlib.resources

    text = importlib.resources.files("kpi_xl").joinpath("data", DEMO_ROSTER).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    kept = [rows[0]] + [r for r in rows[1:] if r[2] in SMALL_DEPARTMENTS]
    path = folder / "small_roster.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(kept)
    return path


def small_roster(folder: Path) -> Roster:
    return read_roster(small_roster_file(folder))


# -- the forms the tests look at ----------------------------------------------------------------


def demo_specs(lang: str = "zh") -> dict[str, FormSpec]:
    """One of each per-person form 附件1–6 for the demo company, December 2026."""
    ctx = Context(MONTH, lang)
    employee = next(p for p in ROSTER.people if p.category == "员工")
    department = ROSTER.departments[3]
    head = ROSTER.head_of(department)
    executive = ROSTER.with_category(EXECUTIVE)[0]
    plan = [PlanItem("客户回访", "回访率≥90%", 40), PlanItem("=HYPERLINK(\"x\")", "+1", 35), PlanItem("月报", "", 25)]
    return {
        "附件1": employee_plan(ctx, employee),
        "附件2": department_plan(ctx, department, head),
        "附件3": employee_assessment(ctx, employee, plan),
        "附件4": peer_review(ctx, head, ROSTER.departments),
        "附件5": department_self(ctx, department, head),
        "附件6": executive_review(ctx, executive),
    }


def template_specs() -> dict[str, FormSpec]:
    return {f"template{form}_{lang}": blank_form(form, Context(None, lang)) for lang in ("zh", "en") for form in range(1, 10)}


def all_specs() -> dict[str, FormSpec]:
    return {**demo_specs(), **{f"{k}_en": v for k, v in demo_specs("en").items()}, **template_specs()}


# -- filling a form the way a person would ------------------------------------------------------


def fill(path: Path, spec: FormSpec, values: dict[str, Any], out: Path | None = None) -> Path:
    """Type `values` (by field key) into the form at `path`; save to `out` (default: in place)."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book[spec.sheet]
    keys = {f.key for f in spec.fields}
    unknown = sorted(set(values) - keys)
    if unknown:
        raise KeyError(f"{unknown} are not inputs of form {spec.form}")
    for key, value in values.items():
        row, col = spec.position(key)
        cell = sheet.cell(row + 1, col + 1)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # typed text stays text, even "=…"
    target = out or path
    book.save(target)
    book.close()
    return target


TEXTS = ["完成月度报表", "=SUM(A1:A3)", "+86 138", "-待定", "@客户", "Deliver Q4 plan", "复核"]


def random_values(spec: FormSpec, rng, blank_share: float = 0.0) -> dict[str, Any]:
    """Valid values for every input of `spec`, as a person might type them; a share left blank."""
    values: dict[str, Any] = {}
    for f in spec.fields:
        if rng.random() < blank_share:
            continue
        check = f.check
        if check.kind == "decimal":
            low, high = float(check.minimum), float(check.maximum)
            values[f.key] = round(rng.uniform(low, high) * 2) / 2 if high <= 100 else round(rng.uniform(low, min(high, 20000)), 2)
        elif check.kind == "date":
            span = (check.maximum - check.minimum).days
            day = check.minimum + dt.timedelta(days=rng.randrange(span + 1))
            values[f.key] = dt.datetime(day.year, day.month, day.day)
        elif check.kind == "list":
            values[f.key] = rng.choice(check.choices)
        else:
            values[f.key] = rng.choice(TEXTS)
    return values


def valid_values(spec: FormSpec, rng) -> dict[str, Any]:
    """random_values that also meet the form's requirements: plan weights total 100."""
    values = random_values(spec, rng)
    for requirement in spec.requirements:
        if requirement.kind == "total":
            cuts = sorted(rng.sample(range(1, 100), len(requirement.keys) - 1))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
            values.update(dict(zip(requirement.keys, map(float, parts))))
    return values


def office_key(ledger: Path) -> bytes:
    """The signing key beside the ledger file `ledger`, made on first use as `kpi-xl forms
    --ledger` makes it: the one way tests get a key (the `key` fixture is the one beside the
    `ledger` fixture's file)."""
    return ensure_key(ledger)[0]


def write_filled(path: Path, spec: FormSpec, values: dict[str, Any], key: bytes) -> Path:
    """A filled copy as a spreadsheet would save it (values and computed results), signed
    with `key` as the form it was typed into."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_book([spec.filled(values)], generated_from=spec, key=key))
    return path


def edit_meta(path: Path, changes: dict[str, str | None], key: bytes | None = None) -> Path:
    """Change the hidden meta sheet of the form at `path` as someone unhiding it would (openpyxl:
    a value None removes the entry); with `key`, sign it again with that key as only kpi-xl can."""
    import openpyxl

    from kpi_xl._util.signing import SIGNATURE, sign

    book = openpyxl.load_workbook(path)
    sheet = book["meta"]
    rows = {row[0].value: row for row in sheet.iter_rows(max_col=2) if row[0].value}
    for name, value in changes.items():
        if value is None:
            sheet.delete_rows(rows.pop(name)[0].row)
            rows = {row[0].value: row for row in sheet.iter_rows(max_col=2) if row[0].value}
        elif name in rows:
            rows[name][1].value = value
        else:
            sheet.append([name, value])
            rows[name] = next(sheet.iter_rows(min_row=sheet.max_row, max_col=2))
    if key is not None:
        values = {name: str(row[1].value or "") for name, row in rows.items()}
        rows[SIGNATURE][1].value = sign(values, key)
    book.save(path)
    book.close()
    return path


# -- a month of returned forms with chosen scores -----------------------------------------------


def appraisal(score: float, leader: bool = True) -> dict:
    """附件3 whose total is `score`: one item weighted 100 and every conduct score the same."""
    values = {"item1.item": "月度工作", "item1.weight": 100, "item1.dept": score}
    values |= {f"conduct{n}.dept": score for n in range(1, 7)}
    if leader:
        values |= {"item1.leader": score} | {f"conduct{n}.leader": score for n in range(1, 7)}
    return values


def hand_in(folder: Path, month: str, scores: dict[str, float], key: bytes, *, leaderless: set[str] = frozenset(),
            departments: bool = True, roster: Roster = ROSTER) -> None:  # fmt: skip
    """Write the filled 附件3 of everyone in `scores`, and (with `departments`) every
    department's 附件5, one 附件4 and every executive's 附件6, into folder/month, signed with `key`."""
    ctx = Context(Month.parse(month))
    for person in roster.people:
        if person.id in scores:
            spec = form_for(3, person.id, roster, ctx)
            write_filled(folder / month / f"{person.id}.xlsx", spec, appraisal(scores[person.id], person.id not in leaderless), key)
    if not departments:
        return
    for i, department in enumerate(roster.departments):
        spec = form_for(5, department, roster, ctx)
        values = {f"c{n}.self": c.points * 0.9 for n, c in enumerate(ctx.policy.department.criteria, start=1)}
        values |= {f"c{n}.leader": c.points * (0.8 + i / 50) for n, c in enumerate(ctx.policy.department.criteria, start=1)}
        write_filled(folder / month / f"dept{i}.xlsx", spec, values, key)
    head = roster.head_of(roster.departments[0])
    spec = form_for(4, head.id, roster, ctx)
    write_filled(folder / month / "peer.xlsx", spec, {f.key: 15.0 for f in spec.fields if f.check.kind == "decimal"}, key)
    for person in roster.with_category(EXECUTIVE):
        spec = form_for(6, person.id, roster, ctx)
        values = {f"c{n}.self": c.points * 0.95 for n, c in enumerate(ctx.policy.executive.criteria, start=1)}
        values |= {f"c{n}.leader": c.points * 0.92 for n, c in enumerate(ctx.policy.executive.criteria, start=1)}
        write_filled(folder / month / f"exec{person.id}.xlsx", spec, values, key)


def collected(folder: Path, ledger, month: str, roster: Roster = ROSTER) -> None:
    """Collect folder/month into `ledger` with the key beside it; every form must be recorded."""
    from kpi_xl.collect.collector import collect
    from kpi_xl.policy import DEFAULT_POLICY

    report = collect([folder / month], Month.parse(month), roster, DEFAULT_POLICY, ledger, key=read_key(ledger.path))
    assert not report.problems, report.problems


# -- workbooks compared part by part ------------------------------------------------------------

# What differs between two generations of the same workbook, and nothing else: the dates
# XlsxWriter stamps into the document properties.
_DCTERMS = "{http://purl.org/dc/terms/}"
VOLATILE = {"docProps/core.xml": (f"{_DCTERMS}created", f"{_DCTERMS}modified")}


def workbook_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _parsed(name: str, data: bytes) -> ElementTree.Element | None:
    if not name.endswith((".xml", ".rels", ".vml")):
        return None
    root = ElementTree.fromstring(data)
    for tag in VOLATILE.get(name, ()):
        for element in root.findall(tag):
            root.remove(element)
    return root


def _text(value: str | None) -> str:
    return (value or "").strip()


def element_difference(a: ElementTree.Element, b: ElementTree.Element, path: str = "") -> str:
    """Where two XML trees first differ, as /path/to/element[n]: what; "" when they are equal."""
    here = path or f"/{_local(a.tag)}"
    if a.tag != b.tag:
        return f"{here}: element <{_local(a.tag)}> ≠ <{_local(b.tag)}>"
    if a.attrib != b.attrib:
        keys = sorted(set(a.attrib) | set(b.attrib))
        diff = [f"@{_local(k)}={a.attrib.get(k)!r} ≠ {b.attrib.get(k)!r}" for k in keys if a.attrib.get(k) != b.attrib.get(k)]
        return f"{here}: {', '.join(diff)}"
    if _text(a.text) != _text(b.text):
        return f"{here}: text {_text(a.text)!r} ≠ {_text(b.text)!r}"
    seen: dict[str, int] = {}
    for child_a, child_b in zip(a, b):
        seen[child_a.tag] = seen.get(child_a.tag, 0) + 1
        child = f"{here}/{_local(child_a.tag)}[{seen[child_a.tag]}]"
        found = element_difference(child_a, child_b, child)
        if found:
            return found
        if _text(child_a.tail) != _text(child_b.tail):
            return f"{child}: text after it {_text(child_a.tail)!r} ≠ {_text(child_b.tail)!r}"
    if len(a) != len(b):
        longer, which = (a, "first") if len(a) > len(b) else (b, "second")
        extra = longer[min(len(a), len(b))]
        return f"{here}: {abs(len(a) - len(b))} more child element(s) in the {which}, from <{_local(extra.tag)}>"
    return ""


def workbook_differences(first: Path, second: Path) -> list[str]:
    """Every part that differs, naming the first differing element of each XML part."""
    a, b = workbook_parts(first), workbook_parts(second)
    found = [f"{name}: only in {first.name if name in a else second.name}" for name in sorted(a.keys() ^ b.keys())]
    for name in sorted(a.keys() & b.keys()):
        tree_a, tree_b = _parsed(name, a[name]), _parsed(name, b[name])
        if tree_a is None or tree_b is None:
            if a[name] != b[name]:
                found.append(f"{name}: the bytes differ")
        else:
            difference = element_difference(tree_a, tree_b)
            if difference:
                found.append(f"{name}: {difference}")
    return found


def assert_same_workbook(actual: Path, expected: Path, fix: str = "") -> None:
    """`actual` and `expected` hold the same parts with the same XML (run-to-run stamps aside)."""
    differences = workbook_differences(actual, expected)
    assert not differences, (f"{actual} differs from {expected}{'; ' + fix if fix else ''}:\n  "
                             + "\n  ".join(differences[:12]))  # fmt: skip


# -- stamped forms, as `kpi-xl forms` writes them (render/stamp.py) -----------------------------


def twin(spec: FormSpec) -> FormSpec:
    """Another person's form of the same layout: the texts saying whom and when it is for
    (Text.shows; a wrapping one is left, it would change the row heights) and the meta's
    values equal to them, reversed."""
    swapped = {c.text: c.text[::-1] for c in spec.cells
               if isinstance(c, Text) and c.shows and c.text and not _style(c.style).get("text_wrap")}  # fmt: skip
    cells = [replace(c, text=swapped[c.text]) if isinstance(c, Text) and c.text in swapped else c for c in spec.cells]
    return replace(spec, cells=cells, meta={k: swapped.get(v, v) for k, v in spec.meta.items()})


def stamped(spec: FormSpec) -> bytes:
    """`spec`'s workbook stamped into the template made for its twin, never rendered for it."""
    stamper = Stamper()
    stamper.render(twin(spec))
    book = stamper.render(spec)
    assert (stamper.made, stamper.stamped) == (1, 2), f"{spec.title}: not stamped ({stamper})"
    return book


# -- LibreOffice, the independent spreadsheet engine --------------------------------------------

# LibreOffice does not recalculate an .xlsx on load by default; a profile of our own with
# OOXMLRecalcMode = 0 (always) makes `--convert-to xlsx` write freshly computed values
# (../shared/NOTES.md). One soffice call silently stops after ~247 files, so files go in
# batches of at most 200 and every output is checked.
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
BATCH = 200


def soffice_or_skip() -> str:
    """The soffice executable; without it skip locally, but fail under CI=true."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is not installed: apt-get install -y libreoffice-calc"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)


def convert(paths: list[Path], outdir: Path, to: str = "xlsx") -> list[Path]:
    """Recalculate (or render, with to="pdf") every file; returns the outputs in order.
    `to` may carry a filter's options: "csv:Text - txt - csv (StarCalc):44,34,76" (UTF-8)."""
    soffice = soffice_or_skip()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kpi-lo-profile-") as profile:
        user = Path(profile, "user")
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
        for start in range(0, len(paths), BATCH):
            batch = [str(p) for p in paths[start : start + BATCH]]
            subprocess.run(
                [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                 "--convert-to", to, "--outdir", str(outdir), *batch],
                check=True, capture_output=True, timeout=600,
            )  # fmt: skip
    outputs = [outdir / (Path(p).stem + "." + to.split(":")[0]) for p in paths]
    missing = [str(p) for p in outputs if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return outputs


# -- every form kind as a clerk would print it ---------------------------------------------------
# Every form kind as a clerk would print it: 附件1–9 in Chinese and English, blank and
# filled with long text, written as workbooks for the print check (tests/test_print.py).
#
# The filled summaries come from a small ledger written directly (no forms to collect): three
# months in which one employee gets D each time (a dismissal in 附件8's 处理意见), the best
# people score over 100 (bonus lines), a long appeal, and a roster whose departments are
# interleaved (附件7 groups them in department order all the same).
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
        # a person's form as `kpi-xl forms` writes it: stamped into a template (render/stamp.py)
        path.write_bytes(stamped(specs[0]) if len(specs) == 1 and specs[0].form in range(1, 7) else render_book(specs))
        written[name] = (specs, path)
    return written


def _demo() -> Roster:
    from kpi_xl.roster import demo_roster

    return demo_roster()


def _same_value(got: Any, expected: Any) -> bool:
    if expected is None or expected == "" or (isinstance(expected, float) and math.isnan(expected)):
        return got is None or got == ""
    if isinstance(expected, str):
        return got == expected
    return isinstance(got, int | float) and abs(got - float(expected)) <= 1e-9


def recalculation_mismatches(books: dict[str, list[FormSpec]], folder: Path) -> tuple[list[str], int, list[Path]]:
    """Write each summary book (附件 number → its sheets), let LibreOffice recalculate them, and
    compare every computed cell with the engine's value: (mismatches, cells checked, files written)."""
    import openpyxl

    paths = []
    for name, specs in books.items():
        paths.append(folder / f"form{name}.xlsx")
        paths[-1].write_bytes(render_book(specs))
    mismatches, checked = [], 0
    for (name, specs), out in zip(books.items(), convert(paths, folder / "recalculated")):
        book = openpyxl.load_workbook(out, data_only=True)
        for spec in specs:
            sheet = book[spec.sheet]
            for cell in spec.computed:
                want = spec.cached_values[cell.key]
                got = sheet.cell(cell.row + 1, cell.col + 1).value
                checked += 1
                if not _same_value(got, want):
                    mismatches.append(f"附件{name} {spec.sheet}!{spec.address(cell.key)} {cell.key}: LibreOffice {got!r}, engine {want!r}")
    return mismatches, checked, paths


# -- people whose texts are odd (render/stamp.py, forms/derive.py) ------------------------------

ODD_NAMES = ["欧阳" + "娜" * 38, "=SUM(A1:A3)", "Tom & <Jerry>", " 前后有空格 ", "_x0041_ 王", "工作事项", "marker", "王伟", "王伟",
             "<r><t>假</t></r></si><si><r><t>张三</t></r>", "<r>x</r>"]  # XlsxWriter's rich-string shape


def odd_roster() -> Roster:
    """The demo company with odd names given to some employees and one head, and a long position."""
    people = list(ROSTER.people)
    staff = [i for i, p in enumerate(people) if p.category == "员工"]
    for n, name in enumerate(ODD_NAMES):
        people[staff[3 * n]] = replace(people[staff[3 * n]], name=name)
    people[staff[1]] = replace(people[staff[1]], position=people[staff[1]].position + "（兼" + "客户服务" * 9 + "）")
    head = next(i for i, p in enumerate(people) if p.category == HEAD)
    people[head] = replace(people[head], name="=HYPERLINK(\"http://x\")")
    return Roster(tuple(people), "demo with odd names")


def odd_plans(roster: Roster) -> dict[str, list[PlanItem]]:
    staff = [p for p in roster.people if p.category == "员工"]
    return {p.id: [PlanItem(f"事项{i}：{p.name}", LONG_ZH[: 10 * i], 100 / 3) for i in range(1, 4)] for p in staff[::2]}
