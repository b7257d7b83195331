"""Item 7 of issue 12: random damage to a filled form never crashes `collect`, never costs the
good form beside it, and never records a value the form does not show.

Each example damages one copy of a filled 附件3 — bytes of the zip flipped, the file cut short,
a part removed, cut short or doubled, a cell's value, type or address changed — and collects it
next to an untouched form, in-process (workers=1) into a fresh ledger.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi_xl.calendar import Month
from kpi_xl.collect.collector import collect
from kpi_xl.forms import Context, form_for
from kpi_xl.ledger import Ledger
from kpi_xl.policy import DEFAULT_POLICY
from kpi_xl.roster import demo_roster
from tests.helpers import office_key, write_filled
from tests.hostile import mutate

MONTH = Month.parse("2026-12")
ROSTER = demo_roster()
GOOD, VICTIM = "E0011", "E0007"
VALUES = {"item1.item": "整理档案", "item1.weight": 60, "item2.item": "客户回访", "item2.weight": 40,
          "item1.dept": 80, "item2.dept": 90, **{f"conduct{n}.dept": 85 for n in range(1, 7)}}  # fmt: skip
SPEC = form_for(3, VICTIM, ROSTER, Context(MONTH))


class Originals(dict):
    """The two filled forms' bytes (shown briefly in hypothesis's reports), and `key`, the
    office's key that signed them."""

    key: bytes

    def __repr__(self) -> str:
        return f"Originals({sorted(self)})"


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> Originals:
    folder = tmp_path_factory.mktemp("originals")
    key = office_key(folder / "ledger.sqlite3")
    made = Originals({who: write_filled(folder / f"{who}.xlsx", form_for(3, who, ROSTER, Context(MONTH)), VALUES, key).read_bytes()
                      for who in (GOOD, VICTIM)})  # fmt: skip
    made.key = key
    return made


# -- the damage ---------------------------------------------------------------------------------

PARTS = [mutate.FORM_SHEET, mutate.META_PART, "xl/sharedStrings.xml", "xl/workbook.xml", "[Content_Types].xml",
         "xl/_rels/workbook.xml.rels", "xl/styles.xml"]  # fmt: skip


def _parts(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    import io

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def _zip(items: list[tuple[str, bytes]]) -> bytes:
    import io
    import warnings

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a doubled name is the point
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for name, content in items:
                z.writestr(name, content)
    return buffer.getvalue()


def _change_part(data: bytes, part: str, change) -> bytes:
    return _zip([(info.filename, change(content) if info.filename == part else content) for info, content in _parts(data)])


@st.composite
def damage(draw):
    """(description, function bytes → bytes) for one kind of damage."""
    kind = draw(st.sampled_from(["flip", "cut_file", "remove", "cut_part", "double", "value", "type", "address", "attribute"]))
    part = draw(st.sampled_from(PARTS))
    fraction = draw(st.floats(0, 1))
    if kind == "flip":
        flips = draw(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), min_size=1, max_size=8))

        def flip(data: bytes) -> bytes:
            out = bytearray(data)
            for where, byte in flips:
                out[min(int(where * len(out)), len(out) - 1)] = byte
            return bytes(out)

        return f"flip {flips}", flip
    if kind == "cut_file":
        return f"cut the file at {fraction:.3f}", lambda data: data[: int(fraction * len(data))]
    if kind == "remove":
        return f"remove {part}", lambda data: _zip([(i.filename, c) for i, c in _parts(data) if i.filename != part])
    if kind == "cut_part":
        return f"cut {part} at {fraction:.3f}", lambda data: _change_part(data, part, lambda c: c[: int(fraction * len(c))])
    if kind == "double":
        other = draw(st.sampled_from(["same", "victim's form sheet"]))

        def double(data: bytes) -> bytes:
            items = [(i.filename, c) for i, c in _parts(data)]
            extra = dict(items)[part] if other == "same" else dict(items)[mutate.FORM_SHEET]
            return _zip([*items, (part, extra)])

        return f"double {part} ({other})", double
    # the form sheet's cells: <c r="F7" s="12" t="s"><v>3</v></c>
    index = draw(st.integers(0, 200))
    if kind == "value":
        new = draw(st.one_of(st.integers(-5, 500).map(str), st.sampled_from(["1e308", "nan", "inf", "-0", "", "x", "9" * 40])))
        return f"value #{index} → {new!r}", _cell_change(index, lambda cell: re.sub(rb"<v>[^<]*</v>", f"<v>{new}</v>".encode(), cell))
    if kind == "type":
        new = draw(st.sampled_from(["s", "str", "n", "b", "e", "inlineStr", "d", "zz"]))

        def retype(cell: bytes) -> bytes:
            cell = re.sub(rb' t="[^"]*"', b"", cell)
            return cell.replace(b"<c ", f'<c t="{new}" '.encode(), 1)

        return f"type #{index} → {new}", _cell_change(index, retype)
    if kind == "address":
        new = draw(st.sampled_from(["A1", "F7", "G7", "F8", "XFD1048576", "ZZ", "0", "F0", ""]))
        return f"address #{index} → {new}", _cell_change(index, lambda cell: re.sub(rb' r="[^"]*"', f' r="{new}"'.encode(), cell, count=1))
    new = draw(st.sampled_from([' s="9999"', ' s="-1"', ' cm="1"', ' vm="7"', ' ph="1"', ' x="&amp;"']))
    return f"attribute #{index} {new}", _cell_change(index, lambda cell: cell.replace(b"<c ", b"<c" + new.encode() + b" ", 1))


def _cell_change(index: int, change):
    def apply(data: bytes) -> bytes:
        def in_sheet(xml: bytes) -> bytes:
            cells = list(re.finditer(rb"<c [^>]*?(?:/>|>.*?</c>)", xml, re.S))
            if not cells:
                return xml
            m = cells[index % len(cells)]
            return xml[: m.start()] + change(m.group(0)) + xml[m.end() :]

        return _change_part(data, mutate.FORM_SHEET, in_sheet)

    return apply


# -- what the form shows ------------------------------------------------------------------------


def shown_inputs(path: Path) -> dict | None:
    """The input cells as another reader shows them: openpyxl, or where openpyxl gives up on
    what Excel repairs (a style index out of range) python-calamine reading the whole sheet;
    None when neither can open the file."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = {(c.row - 1, c.column - 1): c.value for row in book[SPEC.sheet].iter_rows() for c in row
                    if getattr(c, "row", None) is not None}  # fmt: skip
        finally:
            book.close()
    except Exception:  # noqa: BLE001 — any failure of this reader: try the other
        try:
            with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
                grid = book.get_sheet_by_name(SPEC.sheet).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 — nor that one: the file shows nothing
            return None
        rows = {(r, c): v for r, line in enumerate(grid) for c, v in enumerate(line)}
    return {f.key: rows.get((f.row, f.col)) for f in SPEC.fields}


def _same(recorded, shown) -> bool:
    if shown in (None, "") or (isinstance(shown, str) and not shown.strip()):
        return recorded in (None, "")
    if isinstance(recorded, float) and isinstance(shown, int | float) and not isinstance(shown, bool):
        return abs(recorded - shown) < 1e-9
    return str(recorded).strip() == str(shown).strip()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage())
def test_damaged_form_never_crashes_collect_nor_costs_the_good_one(tmp_path_factory, originals, damage):
    description, change = damage
    work = tmp_path_factory.mktemp("fuzz")
    folder = work / "in"
    folder.mkdir()
    (folder / f"{GOOD}.xlsx").write_bytes(originals[GOOD])
    victim = folder / f"{VICTIM}.xlsx"
    victim.write_bytes(change(originals[VICTIM]))
    with Ledger(work / "ledger.sqlite3") as ledger:
        report = collect([folder], MONTH, ROSTER, DEFAULT_POLICY, ledger, key=originals.key, workers=1)  # no exception: no traceback
        submitted = ledger.submitted(str(MONTH))
        recorded = ledger.values(str(MONTH), 3)
    assert (3, GOOD) in submitted, description  # the good form beside it is never lost
    assert all(p.where.startswith(f"{VICTIM}.xlsx") for p in report.problems), (description, report.problems)
    if (3, VICTIM) not in submitted:
        assert report.problems or report.blank == 1, description  # refused forms are named, never dropped silently
        return
    shown = shown_inputs(victim)
    assert shown is not None, (description, "recorded a form no other reader can open")
    for key, value in shown.items():
        assert _same(recorded[VICTIM].get(key), value), (description, key, recorded[VICTIM].get(key), value)
    # and what was recorded is what the rules make of those inputs: the form's own totals
    expected = SPEC.evaluate({f.key: recorded[VICTIM].get(f.key) for f in SPEC.fields})
    assert recorded[VICTIM]["total.dept"] == pytest.approx(expected["total.dept"]), description
