"""The forms in a real spreadsheet engine: LibreOffice prints each one page wide, and a
filled form recalculates to exactly what the Python rules compute for the same inputs.
Every form is written as `kpi-xl forms` writes it: stamped into a template (render/stamp.py)."""

from __future__ import annotations

import math
import random
import shutil
import subprocess

import openpyxl
import pytest

from kpi_xl.forms.spec import Text
from tests.helpers import (
    all_specs,
    convert,
    demo_specs,
    fill,
    random_values,
    soffice_or_skip,
    stamped,
)

pytestmark = pytest.mark.libreoffice
SPECS = all_specs()


def header_labels(spec):
    headers = [c for c in spec.cells if isinstance(c, Text) and c.style == "header"]
    row = min(c.row for c in headers)
    in_row = sorted((c for c in headers if c.row == row), key=lambda c: c.col)
    return in_row[0].text, in_row[-1].text


def test_every_form_prints_one_page_wide(tmp_path):
    soffice_or_skip()
    if not shutil.which("pdftotext"):
        reason = "pdftotext is not installed: apt-get install -y poppler-utils"
        if __import__("os").environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    sources = []
    for name, spec in SPECS.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(stamped(spec))
        sources.append(path)
    pdfs = convert(sources, tmp_path / "pdf", to="pdf")
    for (name, spec), pdf in zip(SPECS.items(), pdfs):
        page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        squeezed = "".join(page.split())
        first, last = header_labels(spec)
        for label in (first, last):
            assert "".join(label.split()) in squeezed, f"{name}: {label!r} is not on page 1: columns spill over"


def _variants(spec, seed):
    rng = random.Random(seed)
    variants = [random_values(spec, rng), random_values(spec, rng, blank_share=0.3)]
    if spec.form == 3:  # the leader has not rated yet: the department's total is final
        partial = random_values(spec, rng)
        variants.append({k: v for k, v in partial.items() if not k.endswith(".leader")})
    return variants


def _same(got, expected) -> bool:
    if expected is None or (isinstance(expected, float) and math.isnan(expected)) or expected == "":
        return got is None or got == ""
    if isinstance(expected, str):
        return got == expected
    return isinstance(got, int | float) and abs(got - float(expected)) <= 1e-9


def test_filled_forms_recalculate_to_the_python_values(tmp_path):
    soffice_or_skip()
    cases = []
    for name, spec in {**demo_specs(), **{k: v for k, v in SPECS.items() if k.startswith("template")}}.items():
        blank = tmp_path / f"{name}.xlsx"
        blank.write_bytes(stamped(spec))
        for i, values in enumerate(_variants(spec, seed=hash(name) % 1000)):
            filled = fill(blank, spec, values, out=tmp_path / f"{name}_{i}.xlsx")
            expected = spec.evaluate(spec.generated_inputs() | values)
            cases.append((name, i, spec, filled, expected))
    outputs = convert([c[3] for c in cases], tmp_path / "recalculated")
    mismatches, checked, nonblank = [], 0, 0
    for (name, i, spec, _, expected), out in zip(cases, outputs):
        sheet = openpyxl.load_workbook(out, data_only=True)[spec.sheet]
        for cell in spec.computed:
            got = sheet.cell(cell.row + 1, cell.col + 1).value
            checked += 1
            nonblank += expected[cell.key] not in (None, "")
            if not _same(got, expected[cell.key]):
                mismatches.append(f"{name}#{i} {cell.key} ({spec.address(cell.key)}): LibreOffice {got!r}, Python {expected[cell.key]!r}")
    assert not mismatches, f"{len(mismatches)} of {checked}:\n" + "\n".join(mismatches[:30])
    assert nonblank > checked // 3, "too few computed cells had a value to compare"


def test_a_fully_scored_appraisal_gets_its_final_score_and_grade(tmp_path):
    soffice_or_skip()
    spec = demo_specs()["附件3"]
    values = {f"item{n}.{r}": s for n, s in zip((1, 2, 3), (95, 88, 91)) for r in ("self", "dept", "leader")}
    values |= {f"conduct{n}.{r}": 90 for n in range(1, 7) for r in ("self", "dept", "leader")}
    values |= {"bonus1.points": 4, "bonus2.points": 9, "deduction1.points": 2}
    blank = tmp_path / "f3.xlsx"
    blank.write_bytes(stamped(spec))
    (out,) = convert([fill(blank, spec, values, out=tmp_path / "f3_filled.xlsx")], tmp_path / "out")
    sheet = openpyxl.load_workbook(out, data_only=True)[spec.sheet]
    got = {k: sheet.cell(*(x + 1 for x in spec.position(k))).value for k in ("work.leader", "final", "grade")}
    # work: (95×40 + 88×35 + 91×25) / 100 = 91.55; conduct 90;
    # 91.55×0.7 + 90×0.3 + min(4+9, 10) − 2 = 99.085
    assert got["work.leader"] == pytest.approx(91.55)
    assert got["final"] == pytest.approx(99.085)
    assert got["grade"] == "A"
