"""Forms by stamping: each layout rendered once per process, each person's text put into it
(issue 14: a month's forms at close to the cost of assembling their zips).

Two people's forms of one layout differ only in their texts: the form's text cells (name,
department, position …) and the meta sheet's values (`xlsx.meta_values`: ids, digests, a
signature). XlsxWriter writes every one of them as a shared string, so a person's workbook
is the template's with xl/sharedStrings.xml written again, and docProps/core.xml for the
date: every sheet, style and validation part is copied as it was deflated.

The layout key is the spec with those texts masked: every other field of the spec, every other
cell whole (an input with its check, label and value, a computed cell with its rule and
arguments, a text written as a number), the meta's keys. A difference nobody thought of makes
a new key, never a wrong form. What a person's texts could still change is checked, and the
form rendered directly (`xlsx.render`, the reference) when it would:
  - shared strings: XlsxWriter keeps equal strings once, so a person's texts must be equal
    to each other and to the form's own labels exactly where the template person's were;
  - row heights: a wrapping cell is as tall as its text;
  - charts cache the cells they show: a form with a chart is always rendered directly.
"""

from __future__ import annotations

import io
import re
import zlib
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from operator import attrgetter
from typing import Any

import xlsxwriter
from xlsxwriter.sharedstrings import SharedStrings, SharedStringTable

from ..forms.spec import FormSpec, Text
from . import xlsx, zipped

STRINGS, CORE = "xl/sharedStrings.xml", "docProps/core.xml"
# the template's document date, replaced by each form's own (XlsxWriter's format of it)
_SENTINEL = datetime(1999, 12, 31, 23, 59, 58)
_DATE = "%Y-%m-%dT%H:%M:%SZ"
_LONGEST = 16383  # a longer text might be cut to Excel's 32,767 UTF-16 units: not a slot
_TEMPLATES = 256  # templates kept per process (a company has a few dozen layouts)
_VARIANTS = 4  # templates of one layout for texts that are stored or sized unlike the first's


class _Slot:
    """Stands in a layout key for a text that differs from person to person."""

    def __repr__(self) -> str:
        return "<text>"


SLOT = _Slot()
_text_layout = attrgetter(*[f.name for f in fields(Text) if f.name != "text"])


def layout(spec: FormSpec) -> tuple[tuple, list, list[str], list[int]]:
    """(a quick probe of the layout, the layout key, the texts in slot order, the slots that
    sit in wrapping cells). The probe (the labels) finds the few templates worth comparing
    the whole key with: hashing every rule and check costs more than comparing them once.

    A form derived from another (FormSpec.with_texts) has the other's, with its own texts in
    the slots of the cells that differ: the same key object, compared at once."""
    origin = spec.origin
    if origin is None:
        return _layout(spec)[:4]
    known = origin.form.memo.get(_LAYOUT)
    if known is None:
        known = origin.form.memo[_LAYOUT] = _layout(origin.form)
    probe, key, texts, wrapping, slot_of = known
    texts = list(texts)
    for i in origin.texts:
        text = spec.cells[i].text
        if i not in slot_of or not _slot(text):  # a text that is no slot (blank) changes the key
            return _layout(spec)[:4]
        texts[slot_of[i]] = text
    return probe, key, texts, wrapping


_LAYOUT = "stamp.layout"  # FormSpec.memo key


def _layout(spec: FormSpec) -> tuple[tuple, list, list[str], list[int], dict[int, int]]:
    """layout's, and each slot cell's position in the texts (by its position in the cells)."""
    slot_of: dict[int, int] = {}
    cells: list[Any] = []
    labels: list[Any] = []
    texts: list[str] = []
    wrapping: list[int] = []
    for at, cell in enumerate(spec.cells):
        if type(cell) is Text:
            if _slot(cell.text) and cell.style != "number":  # a 序号 is written as a number
                cells.append(_text_layout(cell))  # every field but the text
                if xlsx._style(cell.style).get("text_wrap"):
                    wrapping.append(len(texts))
                slot_of[at] = len(texts)
                texts.append(cell.text)
                continue
            labels.append(cell.text)
        cells.append(cell)
    # compared, never hashed: lists and dicts stay as they are
    rest = [(f.name, getattr(spec, f.name)) for f in fields(spec) if f.name not in ("cells", "meta")]
    return (len(cells), tuple(labels), spec.title), [cells, rest], texts, wrapping, slot_of


def meta_layout(meta: dict[str, str]) -> tuple[list[tuple[str, Any]], list[str]]:
    """The meta's keys (its texts masked) and its texts."""
    keys, texts = [], []
    for name, value in meta.items():
        if _slot(value):
            keys.append((name, SLOT))
            texts.append(value)
        else:
            keys.append((name, value))
    return keys, texts


def _slot(text: Any) -> bool:
    return type(text) is str and 0 < len(text) <= _LONGEST


@dataclass
class Template:
    """One layout as rendered for its first person, ready to take another's texts."""

    spec: FormSpec  # the template person's form (its cached values serve the layout)
    meta: list[tuple[str, Any]]  # the meta's keys
    book: zipped.Zipped
    strings: list[str]  # the shared strings in XlsxWriter's order
    count: int  # how many string cells were written (the sst's count)
    slot_index: list[int]  # each slot's shared string
    fixed: list[bool]  # each slot's string is also a label of the form: it must stay as it is
    first: list[int]  # the first slot sharing each slot's string
    texts: list[str]  # the template person's texts
    wrapping: list[int]
    widths: list[float]
    heights: list[float]
    core: list[str]  # docProps/core.xml around its two dates
    sst: list[str]  # xl/sharedStrings.xml: its head, each string's <si>, its end
    _core: dict[str, zipped.Member] = field(default_factory=dict)

    def fill(self, texts: list[str]) -> list[str] | None:
        """The shared strings with these texts, None when they would not be stored alike."""
        strings = list(self.strings)
        for j, text in enumerate(texts):
            i = self.slot_index[j]
            if self.fixed[j]:
                if text != strings[i]:
                    return None
            elif self.first[j] == j:
                strings[i] = text
            elif text != texts[self.first[j]]:
                return None
        return strings if len(set(strings)) == len(strings) else None

    def same_heights(self, spec: FormSpec, texts: list[str]) -> bool:
        if all(texts[j] == self.texts[j] for j in self.wrapping):
            return True
        return xlsx.row_heights(spec, self.widths) == self.heights

    def assemble(self, strings: list[str], created: datetime) -> bytes:
        members = self.book.members
        at_strings, at_core = self.book.index(STRINGS), self.book.index(CORE)
        when = created.strftime(_DATE)
        core = self._core.get(when)
        if core is None:
            self._core.clear()  # one date at a time: forms of one run share the second
            core = self._core[when] = zipped.deflated(members[at_core], when.join(self.core).encode())
        pieces = list(self.sst)
        for i, (old, new) in enumerate(zip(self.strings, strings)):
            if old != new:
                pieces[i + 1] = string_xml(xlsx.plain_text_xml(new))  # a person's text, as PlainStrings stores it
        sst = zipped.deflated(members[at_strings], "".join(pieces).encode("utf-8"))
        return zipped.assemble(self.book, {at_strings: sst, at_core: core})


def shared_strings_xml(strings: list[str], count: int) -> str:
    """xl/sharedStrings.xml as XlsxWriter writes it (its own writer: escapes, spaces kept)."""
    table = SharedStringTable()
    table.count, table.unique_count, table.string_array = count, len(strings), strings
    writer = SharedStrings()
    writer.string_table = table
    out = io.StringIO()
    writer._set_xml_writer(out)
    writer._assemble_xml_file()
    return out.getvalue()


# text that XlsxWriter's writer copies as it is: nothing to escape (&<>, control characters,
# its _xHHHH_ escapes, non-characters), no surrounding space to preserve, not rich text
_AS_IS = re.compile(r"[^\s_&<>\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff](?:[^_&<>\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]*[^\s_&<>\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff])?")


def string_xml(text: str) -> str:
    """One <si> of xl/sharedStrings.xml, as XlsxWriter's writer makes it (a person's id, name
    and the meta's digests are plain: written directly; tests/test_stamp.py compares)."""
    if _AS_IS.fullmatch(text):
        return f"<si><t>{text}</t></si>"
    return _written_si(text)


@lru_cache(maxsize=1 << 14)  # departments, positions, dates repeat from form to form
def _written_si(text: str) -> str:
    """One <si> of xl/sharedStrings.xml, by XlsxWriter's writer."""
    writer = SharedStrings()
    out = io.StringIO()
    writer._set_xml_writer(out)
    writer._write_si(text)
    return out.getvalue()


def _pieces(strings: list[str], count: int) -> list[str] | None:
    """The sst's head, each string's <si> and its end, checked to make the whole."""
    whole = shared_strings_xml(strings, count)
    items = [string_xml(s) for s in strings]
    body = "".join(items)
    at = whole.find(body, len(whole) - len(body) - 16)
    if at < 0 or not body:
        return None
    return [whole[:at], *items, whole[at + len(body) :]]


class _Counting(xlsx.PlainStrings):
    """XlsxWriter's shared strings, counting the cells written with each."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: Counter[str] = Counter()

    def _get_shared_string_index(self, string: str) -> int:
        self.writes[string] += 1
        return super()._get_shared_string_index(string)


def make_template(spec: FormSpec, meta: list[tuple[str, Any]], texts: list[str], wrapping: list[int],
                  key: bytes | None = None) -> Template | None:  # fmt: skip
    """Render `spec` once, watching its shared strings; None when its texts cannot be told
    apart in the result (a text not stored as a shared string, a part not where expected)."""
    tables: list[_Counting] = []

    class Watched(xlsxwriter.Workbook):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            table = _Counting()
            tables.append(table)
            self.str_table = table

    book = xlsx.render_book([spec], _SENTINEL, key=key, workbook_class=Watched)
    table = tables[0]
    try:
        parts = zipped.split(book)
        at_core = parts.index(CORE)
        parts.index(STRINGS)
    except (ValueError, StopIteration):
        return None
    where = {s: i for i, s in enumerate(table.string_array)}
    if any(t not in where for t in texts):
        return None
    slot_index = [where[t] for t in texts]
    slots_per_string = Counter(slot_index)
    first: dict[int, int] = {}
    core = zlib.decompress(parts.members[at_core].data, -15).decode("utf-8").split(_SENTINEL.strftime(_DATE))
    if len(core) != 3:  # created and modified
        return None
    sst = _pieces(table.string_array, table.count)
    if sst is None or "".join(sst) != zlib.decompress(parts.members[parts.index(STRINGS)].data, -15).decode("utf-8"):
        return None
    widths = xlsx.column_widths(spec)
    return Template(
        spec=spec,
        meta=meta,
        book=parts,
        strings=list(table.string_array),
        count=table.count,
        slot_index=slot_index,
        fixed=[table.writes[texts[j]] > slots_per_string[i] for j, i in enumerate(slot_index)],
        first=[first.setdefault(i, j) for j, i in enumerate(slot_index)],
        texts=list(texts),
        wrapping=wrapping,
        widths=widths,
        heights=xlsx.row_heights(spec, widths) if wrapping else [],
        core=core,
        sst=sst,
    )


@dataclass
class Stamper:
    """Templates of one process (built lazily: a spawned worker makes its own)."""

    limit: int = _TEMPLATES
    variants: int = _VARIANTS
    templates: dict = field(default_factory=dict, repr=False)  # probe → [(key, [template or None …])]
    by_origin: dict = field(default_factory=dict, repr=False)  # id(a derived form's origin) → (it, its templates)
    made: int = 0  # templates made (each of them for a form it then stamped)
    stamped: int = 0
    rendered: int = 0  # forms rendered directly: a layout or text a template cannot take

    def render(self, spec: FormSpec, created: datetime | None = None, *, key: bytes | None = None) -> bytes:
        """The same workbook as `xlsx.render(spec, created, key=key)`."""
        book = self._stamp(spec, created or datetime.now(), key)
        if book is None:
            self.rendered += 1
            return xlsx.render(spec, created, key=key)
        self.stamped += 1
        return book

    def _stamp(self, spec: FormSpec, created: datetime, signing: bytes | None) -> bytes | None:
        if spec.charts:
            return None
        probe, key, texts, wrapping = layout(spec)
        alike = self.templates.setdefault(probe, [])
        # forms derived from one layout (forms/derive.py) find its templates at once; layouts
        # declared apart but alike (two positions' 附件1) share templates, compared once
        origin = spec.origin.form if spec.origin is not None else None
        found = self.by_origin.get(id(origin))
        if found is not None and found[0] is origin:
            made = found[1]
        else:
            try:
                made = next((t for k, t in alike if k == key), None)
            except (TypeError, ValueError):  # an argument that cannot be compared (an array)
                return None
            if origin is not None and made is not None:
                self.by_origin[id(origin)] = (origin, made)
        known = next((t for t in made or () if t is not None), None)
        if known is not None:
            spec.share_layout(known.spec)  # the same cells, inputs and rules: the same values
        meta, meta_texts = meta_layout(xlsx.meta_values(spec, key=signing))
        texts += meta_texts
        for template in made or ():
            if template is not None and template.meta == meta:
                strings = template.fill(texts)
                if strings is not None and template.same_heights(spec, texts):
                    return template.assemble(strings, created)
        # a new layout, or texts its templates cannot take (a name that is also a label,
        # a position that wraps onto another line): a template of this person's
        if made is not None and len(made) >= self.variants:
            return None
        if sum(len(t) for v in self.templates.values() for _, t in v) >= self.limit:
            self.templates.clear()  # a company has a few dozen layouts: this is rare
            self.by_origin.clear()
            alike = self.templates.setdefault(probe, [])
            made = None
        template = make_template(spec, meta, texts, wrapping, signing)
        if made is None:
            alike.append((key, [template]))
        else:
            made.append(template)  # None too: a layout whose texts cannot be told apart is rendered
        if template is None:
            return None
        self.made += 1
        strings = template.fill(texts)
        return template.assemble(strings, created) if strings is not None else None
