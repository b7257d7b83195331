"""A form declared once: where every label, input and computed cell is, and what it means.

The renderer writes a `FormSpec` as a workbook; the collector reads a filled workbook back
through the same spec. A computed cell is a `Calc`: a rule from kpi_xl.rules, the builder
of its native formula, and its arguments (other cells, ranges, constants). The renderer
writes the formula and, as the cached value, what the Python rule computes for the inputs
as generated; the collector recomputes with the same rule from what was typed.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from dataclasses import fields as dataclass_fields
from datetime import date
from functools import cached_property
from typing import Any

import numpy as np

from .._util.cells import column_letter
from .._util.content import META_SHEET  # noqa: F401 - the hidden sheet that says what a workbook is
from ..errors import KpiInputError

MARKER = "kpi-xl appraisal form"

@dataclass(frozen=True)
class T:
    """A label in Chinese and English."""

    zh: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


@dataclass(frozen=True)
class Check:
    """What may be typed into an input cell: drives data validation and collection."""

    kind: str  # "text" | "decimal" | "date" | "list"
    minimum: float | date | None = None
    maximum: float | date | None = None
    choices: tuple[str, ...] = ()
    hint: T | None = None
    max_length: int = 500
    planned: int = 0  # characters a person is expected to type here: the row is made that tall


@dataclass(frozen=True)
class Key:
    """An argument that is one cell of the form."""

    name: str


@dataclass(frozen=True)
class Span:
    """An argument that is a contiguous range of cells (one row or one column)."""

    names: tuple[str, ...]


@dataclass(frozen=True)
class Ext:
    """An argument from outside this sheet: its formula text (a range on another sheet)
    and the Python value it stands for."""

    formula: str
    value: Any


@dataclass(frozen=True)
class Calc:
    rule: Callable[..., Any]
    build: Callable[..., str]
    args: tuple[Any, ...]
    options: tuple[tuple[str, Any], ...] = ()  # keyword arguments for both, e.g. policy

    def formula(self, address: Callable[[str], str], span: Callable[[Span], str]) -> str:
        def render(arg: Any) -> Any:
            if isinstance(arg, Key):
                return address(arg.name)
            if isinstance(arg, Span):
                return span(arg)
            if isinstance(arg, Calc):
                return arg.formula(address, span)
            if isinstance(arg, Ext):
                return arg.formula
            return arg

        return self.build(*(render(a) for a in self.args), **dict(self.options))

    def evaluate(self, values: dict[str, Any]) -> Any:
        """The value for one form (`values` of scalars) or for many forms of one layout at
        once (`values` of arrays, one entry per form: a span becomes one row per form)."""

        def value(arg: Any) -> Any:
            if isinstance(arg, Key):
                return values.get(arg.name)
            if isinstance(arg, Span):
                items = [values.get(n) for n in arg.names]
                if items and isinstance(items[0], np.ndarray):
                    return np.stack(items, axis=-1)
                return items
            if isinstance(arg, Calc):
                return arg.evaluate(values)
            if isinstance(arg, Ext):
                return arg.value
            return arg

        return self.rule(*(value(a) for a in self.args), **dict(self.options))


@dataclass(frozen=True)
class Text:
    row: int
    col: int
    text: str
    style: str = "label"
    last_col: int | None = None  # merge across to this column
    # what this header cell tells the person about whom and when the form is for ("id", "name",
    # "department", "position", "head", "month"): the collector checks it against the roster
    # (forms.header_facts) and the signed meta, so that the paper says what the ledger records
    shows: str = ""


@dataclass(frozen=True)
class Field:
    key: str
    row: int
    col: int
    check: Check
    label: str  # how messages name it: "第3项 自评"
    value: Any = None  # what it holds when generated (roster text, a plan item)
    style: str = "input"
    last_col: int | None = None


@dataclass(frozen=True)
class Fixed:
    """A locked value that formulas refer to (a criterion's weight or full points)."""

    key: str
    row: int
    col: int
    value: Any
    style: str = "value"
    last_col: int | None = None


@dataclass(frozen=True)
class Computed:
    key: str
    row: int
    col: int
    calc: Calc
    style: str = "computed"
    last_col: int | None = None


Cell = Text | Field | Fixed | Computed


@dataclass(frozen=True, eq=False)
class Origin:
    """The form another was made from by FormSpec.with_texts, and the positions in `cells`
    of the Text cells whose texts differ."""

    form: FormSpec
    texts: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    """A native Excel chart of a block of this sheet (one series per value column)."""

    kind: str  # "column" | "bar" | "line"
    title: str
    categories: tuple[int, int, int, int]  # first row, first col, last row, last col (0-based)
    series: tuple[tuple[str, tuple[int, int, int, int]], ...]  # (name, range)
    anchor: tuple[int, int]
    stacked: bool = False


@dataclass(frozen=True)
class Requirement:
    """What a returned form must hold before it counts (checked by the collector).

    kind "all":     every key filled (the self column of 附件5);
    kind "column":  a rater's column, filled for every row in use or for none (a leader who
                    has not rated yet), where a row is in use when its `when` key is filled;
    kind "total":   the keys, where filled, add up to `target` (plan weights: 100).
    """

    kind: str
    keys: tuple[str, ...]
    label: T
    when: tuple[str, ...] | None = None
    target: float = 100.0
    optional: bool = True  # for "column": may be left entirely blank


@dataclass
class FormSpec:
    form: int  # 附件 number, 1–9
    version: int
    lang: str
    title: str
    sheet: str
    widths: tuple[float, ...]
    cells: list[Cell]
    print_rows: tuple[int, int]  # rows repeated at the top of every printed page
    freeze: tuple[int, int]
    landscape: bool = False
    heights: dict[int, float] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    instructions: list[str] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    protect: bool = True
    keep: list[tuple[int, int]] = field(default_factory=list)  # rows printed on one page (first, last)

    def __post_init__(self) -> None:
        self._where = {c.key: (c.row, c.col) for c in self.cells if type(c) is not Text}
        self._spans: dict[tuple[str, ...], str] = {}
        self.origin: Origin | None = None  # set by with_texts: the form this one differs from in texts only
        self.memo: dict[str, Any] = {}  # what other layers work out once for this form (render/stamp.py)

    # what depends on the cells but on none of the Text cells' texts: shared by with_texts
    _TEXT_FREE = ("_where", "_spans", "fields", "computed", "fixed", "cached_values", "formulas", "_fingerprint",
                  "generated_digest")  # fmt: skip

    def with_texts(self, texts: dict[int, str], meta: dict[str, str]) -> FormSpec:
        """This form with the Text cells at these positions of `cells` saying other texts and
        these meta values changed: the same cells, inputs and rules, so everything worked out
        from them is shared (forms/derive.py: a person's form from their layout's)."""
        cells = list(self.cells)
        for i, text in texts.items():
            cell = cells[i] = object.__new__(Text)  # replace(cell, text=…) without its __init__
            cell.__dict__.update(self.cells[i].__dict__, text=text)
        other = object.__new__(FormSpec)
        other.__dict__.update((name, value) for name, value in self.__dict__.items() if name in _SHARED)
        other.cells, other.meta = cells, self.meta | meta
        other.origin, other.memo = Origin(self, tuple(texts)), {}
        return other

    # -- addresses ------------------------------------------------------------------------

    def position(self, key: str) -> tuple[int, int]:
        """0-based (row, col) of a keyed cell."""
        return self._where[key]

    def address(self, key: str) -> str:
        return cell_name(*self._where[key])

    def span(self, span: Span) -> str:
        # an employee's twelve months are one span read by five formulas: worked out once
        text = self._spans.get(span.names)
        if text is None:
            text = self._spans[span.names] = self._span(span)
        return text

    def _span(self, span: Span) -> str:
        places = list(map(self._where.__getitem__, span.names))
        first, last = places[0], places[-1]
        # the common case, looked at directly: the cells of one row or one column in order
        in_order = (first[0] == last[0] and places == [(first[0], c) for c in range(first[1], last[1] + 1)]) or (
            first[1] == last[1] and places == [(r, first[1]) for r in range(first[0], last[0] + 1)]
        )
        if not in_order:
            rows = {r for r, _ in places}
            cols = {c for _, c in places}
            contiguous = (len(cols) == 1 and sorted(rows) == list(range(first[0], last[0] + 1))) or (
                len(rows) == 1 and sorted(cols) == list(range(first[1], last[1] + 1))
            )
            if not contiguous or len(places) != len(set(places)):
                raise ValueError(f"span {span.names} is not one contiguous row or column")
        return f"{cell_name(*first)}:{cell_name(*last)}"

    def formula(self, cell: Computed) -> str:
        return cell.calc.formula(self.address, self.span)

    # -- parts ----------------------------------------------------------------------------

    @cached_property
    def fields(self) -> list[Field]:
        return [c for c in self.cells if isinstance(c, Field)]

    @cached_property
    def computed(self) -> list[Computed]:
        return [c for c in self.cells if isinstance(c, Computed)]

    @cached_property
    def header(self) -> list[Text]:
        """The cells saying whom and when the form is for (Text.shows)."""
        return [c for c in self.cells if isinstance(c, Text) and c.shows]

    @property
    def last_col(self) -> int:
        return len(self.widths) - 1

    @cached_property
    def fixed(self) -> list[Fixed]:
        return [c for c in self.cells if isinstance(c, Fixed)]

    def evaluate(self, inputs: dict[str, Any], *, lenient: bool = False) -> dict[str, Any]:
        """Every computed cell's value for these inputs, in the order of the form.

        `lenient`: a cell whose inputs a rule refuses (text in a score) is left blank instead
        of raising — for the cached values of a copy that a spreadsheet would show as #VALUE!.
        """
        values = {c.key: c.value for c in self.fixed} | dict(inputs)
        for cell in self.computed:
            try:
                values[cell.key] = cell.calc.evaluate(values)
            except KpiInputError:
                if not lenient:
                    raise
                values[cell.key] = None
        return values

    def evaluate_many(self, inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """`evaluate` for many filled copies of this form, each rule called once for all.

        Falls back to one form at a time when a rule refuses the batch, so that the form
        at fault is the one that raises.
        """
        if len(inputs) < 2:
            return [self.evaluate(one) for one in inputs]
        keys = [f.key for f in self.fields]
        columns: dict[str, Any] = {k: _column([one.get(k) for one in inputs]) for k in keys}
        columns |= {c.key: np.full(len(inputs), c.value, dtype=float if isinstance(c.value, int | float) else object)
                    for c in self.fixed}  # fmt: skip
        try:
            for cell in self.computed:
                columns[cell.key] = np.broadcast_to(np.asarray(cell.calc.evaluate(columns)), (len(inputs),))
        except KpiInputError:
            return [self.evaluate(one) for one in inputs]
        results = []
        for i, one in enumerate(inputs):
            row = {c.key: c.value for c in self.fixed} | dict(one)
            for cell in self.computed:
                row[cell.key] = _scalar(columns[cell.key][i])
            results.append(row)
        return results

    def generated_inputs(self) -> dict[str, Any]:
        return {f.key: f.value for f in self.fields}

    @cached_property
    def generated_digest(self) -> str:
        """inputs_digest of what the inputs hold as generated (the meta's generated_inputs)."""
        return inputs_digest(self.generated_inputs().items())

    @cached_property
    def cached_values(self) -> dict[str, Any]:
        """What the computed cells show before anyone types: written as cached values.

        The same values as `evaluate(generated_inputs, lenient=True)`, with each rule called
        once for every group of cells that apply it alike (see `_batches`): a summary of
        100,000 rows makes a few dozen calls, not 400,000.
        """
        values = {c.key: c.value for c in self.fixed}
        values.update(self.generated_inputs())
        computed = self.computed
        order = {c.key: i for i, c in enumerate(computed)}
        results: dict[str, Any] = {}

        def get(i: int, name: str) -> Any:
            j = order.get(name)
            # a computed cell sees those before it; one after it is not computed yet
            return results.get(name) if j is not None and j < i else values.get(name)

        spans: dict[int, list[Any] | None] = {}
        span_columns: dict[tuple[int, ...], np.ndarray] = {}  # the four counts of a year's grades read once

        def plain(span: Span) -> list[Any] | None:
            # the span object is shared by the cells that read it: looked at once
            row = spans.get(id(span), spans)
            if row is spans:
                names = span.names
                row = spans[id(span)] = list(map(values.get, names)) if order.keys().isdisjoint(names) else None
            return row

        for cells in _batches(computed, order):
            if len(cells) == 1 or not _evaluate_batch(computed, cells, get, results, plain, span_columns):
                for i in cells:
                    try:
                        results[computed[i].key] = computed[i].calc.evaluate(_View(i, get))
                    except KpiInputError:
                        results[computed[i].key] = None
        values.update((c.key, results[c.key]) for c in computed)  # values is this call's own
        return values

    @cached_property
    def formulas(self) -> dict[str, str]:
        """Every computed cell's formula text, each group of alike cells built once from a
        pattern with stand-in addresses (checked against a direct build)."""
        computed = self.computed
        out: dict[str, str] = {}
        for cells in _batches(computed, {}, for_formulas=True):
            first = computed[cells[0]]
            direct = self.formula(first)
            if len(cells) > 1:
                pattern, slots = _pattern(first.calc, self.address, self.span)
                filled = [_fill(pattern, slots, computed[i].calc, self.address, self.span) for i in cells]
                if filled[0] == direct:
                    out.update((computed[i].key, f) for i, f in zip(cells, filled))
                    continue
            out.update((computed[i].key, self.formula(computed[i])) for i in cells)
        return out

    def filled(self, values: dict[str, Any]) -> FormSpec:
        """A copy of this form with `values` typed into its inputs (simulations, tests)."""
        unknown = set(values) - {f.key for f in self.fields}
        if unknown:
            raise KeyError(f"not inputs of 附件{self.form}: {sorted(unknown)}")
        cells = [replace(c, value=values[c.key]) if isinstance(c, Field) and c.key in values else c for c in self.cells]
        return replace(self, cells=cells)

    def share_layout(self, other: FormSpec) -> None:
        """Take `other`'s cached values and fingerprint, computed once for a layout: the two
        forms have equal cells, inputs and rules (render/stamp.py compares them)."""
        self.__dict__["cached_values"] = other.cached_values
        self.__dict__["_fingerprint"] = other._fingerprint

    def fingerprint(self) -> str:
        """Changes when the layout of the inputs changes (version, policy, roster)."""
        return self._fingerprint

    @cached_property
    def _fingerprint(self) -> str:
        layout = [(f.key, f.row, f.col, f.check.kind, str(f.check.minimum), str(f.check.maximum))
                  for f in self.fields]  # fmt: skip
        text = json.dumps([self.form, self.version, layout], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


# what FormSpec.with_texts copies: the fields, and what is worked out from them but the texts
_SHARED = frozenset([f.name for f in dataclass_fields(FormSpec)] + list(FormSpec._TEXT_FREE))


# -- computing and writing many alike cells at once -------------------------------------------


class _View:
    """The values one computed cell sees (Calc.evaluate asks only `get`)."""

    __slots__ = ("i", "lookup")

    def __init__(self, i: int, lookup: Callable[[int, str], Any]):
        self.i, self.lookup = i, lookup

    def get(self, name: str, default: Any = None) -> Any:
        value = self.lookup(self.i, name)
        return default if value is None else value


def _signature(calc: Calc, for_formulas: bool) -> tuple | None:
    """What cells must share to be computed (or written) as one batch: the rule, its options,
    its constants and where its cells go; None when the cell must be taken alone."""
    shape: list[Any] = [calc.rule, calc.build, tuple((k, id(v)) for k, v in calc.options)]
    for arg in calc.args:
        if isinstance(arg, Key):
            shape.append("key")
        elif isinstance(arg, Span):
            shape.append(("span", len(arg.names)))
        elif isinstance(arg, Ext) and for_formulas:
            shape.append(("ext", arg.formula))
        elif isinstance(arg, Calc | Ext):
            return None
        else:
            try:
                hash(arg)
            except TypeError:
                return None
            shape.append(("const", type(arg), arg))
    return tuple(shape)


def _batches(computed: list[Computed], order: dict[str, int], for_formulas: bool = False) -> list[list[int]]:
    """Positions of alike cells, in an order where every cell comes after the cells it
    refers to: by depth (a pay after the grade it reads), then by kind. Without `order`
    (formulas: no cell waits for another) every cell is at depth 1."""
    depth: list[int] = []
    groups: dict[tuple, list[int]] = {}
    in_span: dict[int, list[int]] = {}  # a span's computed cells, looked up once per span

    def positions(calc: Calc) -> list[int]:
        found = []
        for arg in calc.args:
            if isinstance(arg, Key):
                if arg.name in order:
                    found.append(order[arg.name])
            elif isinstance(arg, Span):
                known = in_span.get(id(arg))
                if known is None:
                    names = arg.names
                    known = in_span[id(arg)] = [] if order.keys().isdisjoint(names) else [order[n] for n in names if n in order]
                found += known
            elif isinstance(arg, Calc):
                found += positions(arg)
        return found

    for i, cell in enumerate(computed):
        if order:
            below = [depth[j] for j in positions(cell.calc) if j < i]
            depth.append(1 + max(below, default=0))
        else:
            depth.append(1)
        signature = _signature(cell.calc, for_formulas)
        groups.setdefault((depth[i], signature if signature is not None else ("alone", i)), []).append(i)
    return [groups[k] for k in sorted(groups, key=lambda k: k[0])]


def _evaluate_batch(computed: list[Computed], cells: list[int], get: Callable[[int, str], Any],
                    results: dict[str, Any], plain: Callable[[Span], list[Any] | None] | None = None,
                    span_columns: dict[tuple[int, ...], np.ndarray] | None = None) -> bool:  # fmt: skip
    """One call of the rule for all `cells`, a cell's arguments becoming its row; False
    (nothing recorded) when the rule refuses the batch or answers differently for the first
    or last cell alone than in the batch, so that those cells are taken one by one.
    `plain`: a span's values when none of its cells is computed (the same for every cell
    that reads it: an employee's twelve months, read by four counts), else None.
    `span_columns`: a span argument's array kept for the next batch reading the same plain
    spans (read-only: a rule that wrote into its input would fail loudly, not spoil it)."""
    proto = computed[cells[0]].calc
    args: list[Any] = []
    for p, arg in enumerate(proto.args):
        if isinstance(arg, Key):
            args.append(_column([get(i, computed[i].calc.args[p].name) for i in cells]))
        elif isinstance(arg, Span):
            spans = [computed[i].calc.args[p] for i in cells]
            known = tuple(map(id, spans)) if span_columns is not None else ()
            column = span_columns.get(known) if span_columns is not None else None
            if column is None:
                width, flat, every_plain = len(arg.names), [], plain is not None
                for i, span in zip(cells, spans):
                    row = plain(span) if plain is not None else None
                    if row is None:
                        every_plain, row = False, [get(i, name) for name in span.names]
                    flat += row
                column = _column(flat).reshape(len(cells), width)
                if every_plain and span_columns is not None:
                    column.setflags(write=False)
                    span_columns[known] = column
            args.append(column)
        else:
            args.append(arg)
    try:
        answer = proto.rule(*args, **dict(proto.options))
    except KpiInputError:
        return False
    if not isinstance(answer, np.ndarray) or answer.shape != (len(cells),):
        return False
    batch = [_scalar(item) for item in answer]
    for k in (0, len(cells) - 1):
        i = cells[k]
        try:
            alone = computed[i].calc.evaluate(_View(i, get))
        except KpiInputError:
            return False
        if not _same(alone, batch[k]):
            return False
    results.update((computed[i].key, value) for i, value in zip(cells, batch))
    return True


def _same(a: Any, b: Any) -> bool:
    a, b = _scalar(a), _scalar(b)
    if isinstance(a, float) and isinstance(b, float):
        return a == b or abs(a - b) <= 1e-12 * max(1.0, abs(a))
    return a == b and type(a) is type(b)


# stand-in addresses for a formula pattern: far below any form, one per argument position
def _slot(position: int) -> str:
    return f"XFD{1048000 + position}"


def _pattern(calc: Calc, address: Callable[[str], str], span: Callable[[Span], str]) -> tuple[str, list[int]]:
    """The formula with a stand-in address for each cell or span argument, and their positions."""
    positions = [p for p, arg in enumerate(calc.args) if isinstance(arg, Key | Span)]
    stand_ins = {f"\0{p}": _slot(p) if isinstance(calc.args[p], Key) else _slot_span(p) for p in positions}
    args = tuple(Key(f"\0{p}") if p in positions else arg for p, arg in enumerate(calc.args))
    pattern = Calc(calc.rule, calc.build, args, calc.options).formula(stand_ins.__getitem__, span)
    return pattern, positions


def _slot_span(position: int) -> str:
    return f"{_slot(position)}:{_slot(position + 100)}"


def _fill(pattern: str, positions: list[int], calc: Calc, address: Callable[[str], str],
          span: Callable[[Span], str]) -> str:  # fmt: skip
    text = pattern
    for p in positions:
        arg = calc.args[p]
        if isinstance(arg, Key):
            text = text.replace(_slot(p), address(arg.name))
        else:
            text = text.replace(_slot_span(p), span(arg))
    return text


def _column(items: list[Any]) -> np.ndarray:
    """One input across many forms: floats (NaN for blank) when it holds numbers."""
    if all(item is None or type(item) in (float, int) for item in items):
        return np.array(items, dtype=float)
    return np.array(items, dtype=object)


def _scalar(item: Any) -> Any:
    """A batch result as one form's evaluate would give it: None for blank."""
    if isinstance(item, np.generic):
        item = item.item()
    if item is None or item == "" or (isinstance(item, float) and math.isnan(item)):
        return None
    return item


def inputs_digest(values: Iterable[tuple[str, Any]]) -> str:
    """A digest of what the input cells hold, to tell a filled form from a fresh one."""
    normal = [(k, _normal(v)) for k, v in values]
    return hashlib.sha256(json.dumps(sorted(normal), ensure_ascii=False).encode()).hexdigest()[:16]


def _normal(value: Any) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is float or kind is int:
        return repr(float(value))
    if kind is str:
        return value.strip()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return repr(float(value))
    if isinstance(value, date):
        return value.isoformat()[:10]
    return str(value).strip()


def cell_name(row: int, col: int) -> str:
    """0-based (row, col) → "B3"."""
    return f"{column_letter(col)}{row + 1}"


class Layout:
    """Places cells row by row while a form is declared."""

    def __init__(self, widths: Iterable[float]):
        self.widths = tuple(widths)
        self.row = 0
        self.cells: list[Cell] = []
        self.heights: dict[int, float] = {}
        self.requirements: list[Requirement] = []
        self.keep: list[tuple[int, int]] = []

    def keep_together(self, first: int) -> None:
        """Print the rows from `first` to the last one finished on one page (a result with its
        signatures, an employee's two rows)."""
        if self.row - 1 > first:
            self.keep.append((first, self.row - 1))

    def next(self, height: float | None = None, rows: int = 1) -> int:
        """Finish the current row (at `height` points, if given) and move down."""
        if height:
            self.heights[self.row] = height
        self.row += rows
        return self.row

    def require(self, requirement: Requirement) -> None:
        self.requirements.append(requirement)

    def text(self, col: int, text: str, style: str = "label", last_col: int | None = None, shows: str = "") -> None:
        self.cells.append(Text(self.row, col, text, style, last_col, shows))

    def field(self, key: str, col: int, check: Check, label: str, **options: Any) -> None:
        self.cells.append(Field(key, self.row, col, check, label, **options))

    def fixed(self, key: str, col: int, value: Any, style: str = "value", last_col: int | None = None) -> None:
        self.cells.append(Fixed(key, self.row, col, value, style, last_col))

    def calc(self, key: str, col: int, calc: Calc, style: str = "computed", last_col: int | None = None) -> None:
        self.cells.append(Computed(key, self.row, col, calc, style, last_col))
