"""Stamped forms (render/stamp.py) are the workbooks `render` writes, part for part and byte
for byte: every per-person form kind (附件1–6) in Chinese and English, with and without plans,
for people whose names are long, begin with "=", hold XML's special characters or XlsxWriter's
own escapes, or equal a label of the form."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import replace
from datetime import datetime

import pytest

from kpi_xl.forms import Context
from kpi_xl.forms.spec import Text
from kpi_xl.office.forms import build_spec, form_jobs
from kpi_xl.render import xlsx, zipped
from kpi_xl.render.stamp import Stamper, _written_si, layout, string_xml
from tests.helpers import (
    LONG_ZH,
    MONTH,
    ODD_NAMES,
    ROSTER,
    convert,
    odd_plans,
    odd_roster,
    stamped,
    twin,
)

UTF8_CSV = "csv:Text - txt - csv (StarCalc):44,34,76"
WHEN = datetime(2026, 12, 1, 8, 30, 15)
def _parts(book: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(("lang", "key"), [("zh", bytes(range(32))), ("en", None)])  # signed and not
def test_stamped_forms_are_the_rendered_workbooks(lang, key):
    roster = odd_roster()
    ctx = Context(MONTH, lang)
    plans = odd_plans(roster)
    stamper = Stamper()
    kinds = set()
    for job in form_jobs(roster, lang):
        spec = build_spec(job, roster, ctx, plans)
        got, want = stamper.render(spec, WHEN, key=key), xlsx.render(spec, WHEN, key=key)
        a, b = _parts(got), _parts(want)
        assert list(a) == list(b), f"{job.path}: parts {list(a)} ≠ {list(b)}"
        for name in b:
            assert a[name] == b[name], f"{job.path}: {name} differs"
        assert got == want, f"{job.path}: same parts, other zip bytes"
        kinds.add(job.form)
    assert kinds == {1, 2, 3, 4, 5, 6}
    forms = len(form_jobs(roster, lang))
    # most forms are stamped into a template made for someone else
    assert stamper.rendered + stamper.stamped == forms
    assert stamper.made < forms / 3, f"{stamper.made} templates for {forms} forms"
    assert stamper.stamped > forms * 0.9, f"only {stamper.stamped} of {forms} stamped"


@pytest.mark.parametrize("odd_name", ["工作事项", "marker"])  # a label of 附件1, a key of the meta sheet
def test_a_name_that_is_also_a_label_gets_a_template_of_its_own_and_the_rest_still_stamp(odd_name):
    roster = odd_roster()
    ctx = Context(MONTH)
    specs = [build_spec(j, roster, ctx, {}) for j in form_jobs(roster) if j.form == 1]
    odd = next(s for s in specs if s.meta["subject_name"] == odd_name)
    key = layout(odd)[1]
    first = next(s for s in specs if s is not odd and layout(s)[1] == key)
    for order in ([odd, first], [first, odd]):
        stamper = Stamper()
        for spec in order + [first]:
            assert stamper.render(spec, WHEN) == xlsx.render(spec, WHEN)
        assert stamper.made == 2 and stamper.rendered == 0  # two variants of one layout


def test_a_text_that_wraps_onto_more_lines_gets_a_template_of_its_own():
    spec = build_spec(next(j for j in form_jobs(ROSTER) if j.form == 3), ROSTER, Context(MONTH), {})
    at = next(i for i, c in enumerate(spec.cells) if isinstance(c, Text) and xlsx._style(c.style).get("text_wrap")
              and c.style != "number")  # fmt: skip
    longer = replace(spec, cells=[replace(c, text=LONG_ZH) if i == at else c for i, c in enumerate(spec.cells)])
    assert layout(longer)[1] == layout(spec)[1]  # one layout key
    assert xlsx.row_heights(longer, xlsx.column_widths(longer)) != xlsx.row_heights(spec, xlsx.column_widths(spec))
    stamper = Stamper()
    for one in (spec, longer, spec):
        assert stamper.render(one, WHEN) == xlsx.render(one, WHEN)
    assert stamper.made == 2 and stamper.stamped == 3


def test_a_difference_outside_the_texts_is_a_new_layout():
    spec = build_spec(next(j for j in form_jobs(ROSTER) if j.form == 1), ROSTER, Context(MONTH), {})
    other = replace(spec, widths=(*spec.widths[:-1], spec.widths[-1] + 1))
    stamper = Stamper()
    for one in (spec, other):
        assert stamper.render(one, WHEN) == xlsx.render(one, WHEN)
    assert stamper.made == 2


def test_the_zip_is_rebuilt_exactly_and_a_replaced_part_is_deflated_as_zipfile_does():
    book = xlsx.render(build_spec(form_jobs(ROSTER)[0], ROSTER, Context(MONTH), {}), WHEN)
    parts = zipped.split(book)
    assert zipped.assemble(parts, {}) == book
    at = parts.index("xl/sharedStrings.xml")
    content = zlib.decompress(parts.members[at].data, -15)
    assert zipped.assemble(parts, {at: zipped.deflated(parts.members[at], content)}) == book
    changed = zipped.assemble(parts, {at: zipped.deflated(parts.members[at], content.replace(b"</sst>", b"</sst> "))})
    with zipfile.ZipFile(io.BytesIO(changed)) as archive:
        assert archive.testzip() is None
        assert archive.read("xl/sharedStrings.xml").endswith(b"</sst> ")
    with pytest.raises(ValueError):
        zipped.split(book + b"comment")


def test_the_tests_stamp_through_a_twin_of_every_form():
    for lang in ("zh", "en"):
        for job in form_jobs(ROSTER, lang)[:3]:
            spec = build_spec(job, ROSTER, Context(MONTH, lang), {})
            assert layout(twin(spec))[2] != layout(spec)[2] and twin(spec).meta != spec.meta
            book = stamped(spec)
            assert _parts(book).keys() == _parts(xlsx.render(spec)).keys()


@pytest.mark.libreoffice
def test_stamped_forms_open_in_libreoffice_with_their_own_names(tmp_path):
    roster = odd_roster()
    ctx = Context(MONTH)
    stamper = Stamper()
    jobs = [j for j in form_jobs(roster) if j.form == 1][:12]
    paths, labels = [], set()
    for n, job in enumerate(jobs):
        spec = build_spec(job, roster, ctx, {})
        labels |= {c.text for c in spec.cells if isinstance(c, Text) and c.style != "info_value"}
        paths.append(tmp_path / f"f{n}.xlsx")
        paths[-1].write_bytes(stamper.render(spec))
    assert stamper.made < len(jobs) / 2
    for job, out in zip(jobs, convert(paths, tmp_path / "csv", to=UTF8_CSV)):
        shown = {cell for row in csv.reader(out.read_text(encoding="utf-8").splitlines()) for cell in row}
        person = roster[job.subject]
        assert {person.name, person.department, person.id, person.position} <= shown, (job.name, sorted(shown)[:40])
        others = {p.name for p in roster.people} - {person.name} - labels
        assert not others & shown, f"{job.name}: another person's name in the form"


def test_a_text_cell_differing_in_anything_but_its_text_is_a_new_layout():
    spec = build_spec(next(j for j in form_jobs(ROSTER) if j.form == 1), ROSTER, Context(MONTH), {})
    at = next(i for i, c in enumerate(spec.cells) if isinstance(c, Text) and c.shows)
    other = replace(spec, cells=[replace(c, shows=c.shows + "x") if i == at else c for i, c in enumerate(spec.cells)])
    assert layout(other)[1] != layout(spec)[1]


def test_a_shared_string_written_directly_is_what_xlsxwriter_writes():
    odd = ["王伟", "E0012", "a" * 40 + "0f", " 前", "后 ", "a_x0041_b", "x_y", "Tom & <Jerry>", "\t制表", "行\n尾", "\x7f",
           "<r><t>x</t></r>", "\ufffe", "\u00a0空", "空\u3000", "é", "\U0001F600", "a\u200bb", "", " ", "\x85"]
    for text in odd + ODD_NAMES:
        assert string_xml(text) == _written_si(text), repr(text)
    assert string_xml("王伟") == "<si><t>王伟</t></si>" and string_xml("x_y") == _written_si("x_y")
