"""FormSpec → a ready-to-fill .xlsx workbook (XlsxWriter, in memory).

Every workbook gets: A4 print setup one page wide with the title and header rows repeated,
frozen panes, sheet protection without a password with only the input cells unlocked,
data validation with an input message on every input cell, an instructions sheet, and a
hidden, protected meta sheet that lets the collector recognise the form by content.
Text is always written as text: a name that begins with "=" stays a name.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

import xlsxwriter
from xlsxwriter import worksheet as _xlsxwriter_worksheet
from xlsxwriter.sharedstrings import SharedStringTable
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import (
    CellBlankTuple,
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from .. import __version__
from .._util.content import CONTENT_KEY
from .._util.signing import SIGNATURE, sign
from ..forms.common import attachment
from ..forms.spec import (
    MARKER,
    META_SHEET,
    Check,
    Computed,
    Field,
    FormSpec,
    Text,
    cell_name,
)
from .content import INSTRUCTIONS_FIRST_LINE, content_record, written_text
from .content import cached as _cached
from .content import instructions_name as _instructions_name
from .measure import MARGINS, number_text, page_breaks, page_of, text_height, text_units

CHART_HEIGHT = 288 * 1.1 * 0.75  # points

FONT = {"zh": "微软雅黑", "en": "Calibri"}
CALC_ID = 191029  # Excel 2016 and later (365)

_BORDER = {"border": 1, "border_color": "#808080"}
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"},
    "subtitle": {"font_size": 11, "align": "center", "valign": "vcenter", "text_wrap": True},
    "section": {"bold": True, "bg_color": "#FCE4D6", "valign": "vcenter", **_BORDER},
    "header": {"bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter", "text_wrap": True, **_BORDER},
    "number": {"align": "center", "valign": "vcenter", **_BORDER},
    "label": {"valign": "vcenter", "text_wrap": True, **_BORDER},
    "label_center": {"align": "center", "valign": "vcenter", "text_wrap": True, **_BORDER},
    "info_label": {"bold": True, "align": "right", "valign": "vcenter", "text_wrap": True},
    "info_value": {"valign": "vcenter", "bottom": 1},
    "total_label": {"bold": True, "align": "right", "valign": "vcenter", "text_wrap": True, **_BORDER},
    "note": {"font_size": 10, "text_wrap": True, "valign": "top"},
    "input": {"locked": False, "valign": "vcenter", **_BORDER},
    "input_text": {"locked": False, "valign": "top", "text_wrap": True, **_BORDER},
    "input_number": {"locked": False, "align": "center", "valign": "vcenter", **_BORDER},
    "input_date": {"locked": False, "align": "center", "valign": "vcenter", "num_format": "yyyy-mm-dd", **_BORDER},
    "input_sign": {"locked": False, "valign": "vcenter", "bottom": 1},
    "computed": {"bg_color": "#EDEDED", "align": "center", "valign": "vcenter", "num_format": "0.00", **_BORDER},
    "computed_int": {"bg_color": "#EDEDED", "align": "center", "valign": "vcenter", "num_format": "0", **_BORDER},
    "computed_text": {"bg_color": "#EDEDED", "align": "center", "valign": "vcenter", **_BORDER},
    "computed_money": {"bg_color": "#EDEDED", "align": "right", "valign": "vcenter", "num_format": "#,##0.00", **_BORDER},
    "computed_people": {"bg_color": "#EDEDED", "align": "center", "valign": "vcenter", "num_format": '0"人"', **_BORDER},
    "computed_pct": {"bg_color": "#EDEDED", "align": "center", "valign": "vcenter", "num_format": "0%", **_BORDER},
    "grade": {"bold": True, "font_size": 12, "bg_color": "#EDEDED", "align": "center", "valign": "vcenter", **_BORDER},
    "value": {"align": "center", "valign": "vcenter", **_BORDER},
    "value_score": {"align": "center", "valign": "vcenter", "num_format": "0.00", **_BORDER},
    "value_text": {"valign": "vcenter", "text_wrap": True, **_BORDER},
    "money": {"align": "right", "valign": "vcenter", "num_format": "#,##0.00", **_BORDER},
    "plain": {},
}


# what differs by language beyond the font: a headcount reads 13人 / 13 people
LANG_STYLES: dict[str, dict[str, dict[str, Any]]] = {"en": {"computed_people": {"num_format": '0" people"'}}}


# The functions XlsxWriter prefixes with _xlfn. even when future functions are off, and whose
# formulas write_formula hands to write_dynamic_array_formula: it tries 30 substitutions on
# every formula, most of a 100,000-row summary's writing time, so a formula none of these can
# be in skips them. "INGLE(" stands for its pattern \SINGLE\( (any character, then INGLE).
# XlsxWriter's own list is added where it has one (FUTURE_FUNCTIONS since 3.3.4; before, a
# regex of these names): its internals move between releases, and a new dynamic function
# there must still take its path here.
_DYNAMIC_NAMES = (
    "ANCHORARRAY BYCOL BYROW CHOOSECOLS CHOOSEROWS DROP EXPAND FILTER HSTACK LAMBDA MAKEARRAY MAP "
    "RANDARRAY REDUCE SCAN INGLE SEQUENCE SORT SORTBY SWITCH TAKE TEXTSPLIT TOCOL TOROW UNIQUE VSTACK "
    "WRAPCOLS WRAPROWS XLOOKUP"
).split()
_XLSXWRITER_DYNAMIC = [
    name for name, kind in getattr(_xlsxwriter_worksheet, "FUTURE_FUNCTIONS", {}).items() if kind
]
_DYNAMIC = re.compile("|".join(re.escape(name) + r"\(" for name in dict.fromkeys(_DYNAMIC_NAMES + _XLSXWRITER_DYNAMIC)))


class _Sheet(Worksheet):
    """XlsxWriter's worksheet, skipping those substitutions when none can apply, and writing
    the common cells (a formatted string, number, formula or blank) in one step instead of
    through its general XML writer: most of a 100,000-row summary's packaging time (same
    output: tests/test_render.py compares the bytes with XlsxWriter's own)."""

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if self.use_future_functions or expand_future_functions or _DYNAMIC.search(formula):
            return super()._prepare_formula(formula, expand_future_functions)
        if formula.startswith("{"):
            formula = formula[1:]
        if formula.startswith("="):
            formula = formula[1:]
        if formula.endswith("}"):
            formula = formula[:-1]
        return formula

    def _calculate_spans(self) -> None:
        """XlsxWriter's row spans (first:last used column of each 16 rows), from the columns
        each row holds rather than a look at every column of every row."""
        if self.comments or self.dim_rowmin is None:
            return super()._calculate_spans()
        spans, low, high = {}, None, None
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = self.table.get(row)
            if cells:
                first, last = min(cells), max(cells)
                low = first if low is None or first < low else low
                high = last if high is None or last > high else high
            if (row + 1) % 16 == 0 or row == self.dim_rowmax:
                if low is not None:
                    spans[row // 16] = f"{low + 1}:{high + 1}"
                    low = high = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        """XlsxWriter's rows, each row's cells in column order without a look at the columns
        it does not hold."""
        if self.constant_memory or self.comments:
            return super()._write_rows()
        self._calculate_spans()
        write, letters, xf_indices = self.fh.write, _ColumnLetters(), {}
        for row in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells, info = self.table.get(row), self.row_info.get(row)
            if not cells and info is None:
                continue
            span = self.row_spans.get(row // 16)
            if cells:
                self._write_row(row, span, info)
                number = str(row + 1)
                for col in sorted(cells):
                    # _write_cell's fast cells inline: a 100,000-staff 附件8 has 3.6 million
                    cell = cells[col]
                    kind, cell_format = type(cell), cell.format
                    if cell_format is None or kind not in _FAST_CELLS:
                        super()._write_cell(row, col, cell)
                        continue
                    xf = xf_indices.get(id(cell_format))
                    if xf is None:
                        xf = xf_indices[id(cell_format)] = cell_format._get_xf_index()
                    write(_fast_cell(f'<c r="{letters[col]}{number}" s="{xf}"', kind, cell))
                self._xml_end_tag("row")
            else:
                self._write_empty_row(row, span, info)

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind = type(cell)
        if cell.format is None or kind not in _FAST_CELLS or self.constant_memory:
            return super()._write_cell(row, col, cell)
        self.fh.write(_fast_cell(f'<c r="{xl_rowcol_to_cell_fast(row, col)}" s="{cell.format._get_xf_index()}"', kind, cell))


class _ColumnLetters(dict):
    """A column's letters by its number, each worked out once."""

    def __missing__(self, col: int) -> str:
        letters = self[col] = xl_col_to_name(col)
        return letters


def _fast_cell(head: str, kind: type, cell: Any) -> str:
    """XlsxWriter's XML for a formatted number, string, blank or formula cell."""
    if kind is _NUMBER:
        return f"{head}><v>{cell.number:.16G}</v></c>"
    if kind is _STRING:
        return f'{head} t="s"><v>{cell.string}</v></c>'
    if kind is _BLANK:
        return f"{head}/>"
    value = cell.value
    if isinstance(value, bool):
        head, value = head + ' t="b"', int(value)
    elif isinstance(value, str):
        if value in _ERROR_CODES:
            head += ' t="e"'
        elif value:
            head += ' t="str"'
        value = _escape_data(value)
    return f"{head}><f>{_escape_data(cell.formula)}</f><v>{value}</v></c>"


_NUMBER, _STRING, _BLANK = CellNumberTuple, CellStringTuple, CellBlankTuple
_FAST_CELLS = {CellNumberTuple, CellStringTuple, CellBlankTuple, CellFormulaTuple}
_ERROR_CODES = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}
_XML_SPECIAL = re.compile(r"[&<>]")


def _escape_data(text: str) -> str:
    """XlsxWriter's escaping of element text (double quotes stay)."""
    if not _XML_SPECIAL.search(text):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _Formats:
    """XlsxWriter formats belong to one workbook: made on first use, once each."""

    def __init__(self, workbook: xlsxwriter.Workbook, lang: str):
        self.workbook = workbook
        self.font = FONT.get(lang, FONT["zh"])
        self.lang = lang
        self.made: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.made:
            properties = {"font_name": self.font, "font_size": 10, **STYLES[name], **LANG_STYLES.get(self.lang, {}).get(name, {})}
            self.made[name] = self.workbook.add_format(properties)
        return self.made[name]


def render(spec: FormSpec, created: datetime | None = None, *, key: bytes | None = None) -> bytes:
    """The workbook's bytes. `created` fixes the document date (templates), else now;
    `key`: the office's signing key (ledger.read_key), for a form to be collected."""
    return render_book([spec], created, key=key)


def plain_text_xml(text: str) -> str:
    """The shared-string entry for a person's `text`. XlsxWriter writes an entry shaped like
    `<r>…</r>` into xl/sharedStrings.xml as it is, taking it for rich-text XML made by
    write_rich_string; kpi-xl writes no rich text, so such an entry is a name or a plan item
    someone typed, and raw it could add XML to the workbook (another <si>, shifting every later
    string: the header, the meta). It is stored as one plain run instead, escaped: it shows
    exactly as typed."""
    if text.startswith("<r>") and text.endswith("</r>"):
        return '<r><t xml:space="preserve">' + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</t></r>"
    return text


class PlainStrings(SharedStringTable):
    """XlsxWriter's shared strings, every entry made plain text (plain_text_xml)."""

    def _get_shared_string_index(self, string: str) -> int:
        return super()._get_shared_string_index(plain_text_xml(string))


def render_book(specs: list[FormSpec], created: datetime | None = None, generated_from: FormSpec | None = None,
                *, key: bytes | None = None, workbook_class: type[xlsxwriter.Workbook] | None = None) -> bytes:  # fmt: skip
    """One workbook: the first spec is the form (with its instructions and meta sheet),
    the others extra sheets after it (a summary's distribution, calibration …).

    `generated_from`: the blank form this is a filled copy of (a simulation, a test), whose
    inputs the meta sheet records as the generated ones. `key`: the office's signing key;
    the meta sheet is signed with it (a form without one cannot be collected: templates and
    summaries are made without). `workbook_class`: XlsxWriter's Workbook or a subclass
    that watches the writing (render/stamp.py's templates).
    """
    main = specs[0]
    buffer = io.BytesIO()
    workbook = (workbook_class or xlsxwriter.Workbook)(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    if type(workbook.str_table) is SharedStringTable:  # a subclass of PlainStrings is the watcher's
        workbook.str_table = PlainStrings()
    workbook.set_properties({"title": main.title, "author": "kpi-xl", "created": created or datetime.now()})
    # Every formula carries its value already (the rules computed it): no recalculation on
    # open, and the calc engine id of current Excel, so that a form opened and closed
    # unchanged does not ask "save changes?" (XlsxWriter's default is fullCalcOnLoad).
    workbook.set_calc_mode("auto", calc_id=CALC_ID)
    workbook.calc_on_load = False
    formats = _Formats(workbook, main.lang)
    sheets = []
    for spec in specs:
        sheet = workbook.add_worksheet(spec.sheet, worksheet_class=_Sheet)
        write_form(sheet, spec, formats, first=spec is main)
        for chart in spec.charts:
            _chart(workbook, sheet, spec, chart)
        sheets.append(sheet)
    write_instructions(workbook.add_worksheet(_instructions_name(main.lang)), main, formats)
    write_meta(workbook.add_worksheet(META_SHEET), main, generated_from or main, specs[1:], key)
    sheets[0].activate()
    workbook.close()
    return buffer.getvalue()


def _chart(workbook: Any, sheet: Any, spec: FormSpec, chart: Any) -> None:
    subtype = {"subtype": "stacked"} if chart.stacked else {}
    made = workbook.add_chart({"type": chart.kind, **subtype})
    r0, c0, r1, c1 = chart.categories
    for name, (s0, t0, s1, t1) in chart.series:
        made.add_series({"name": name, "categories": [spec.sheet, r0, c0, r1, c1], "values": [spec.sheet, s0, t0, s1, t1]})
    made.set_title({"name": chart.title})
    made.set_legend({"position": "bottom"} if len(chart.series) > 1 else {"none": True})
    sheet.insert_chart(*chart.anchor, made, {"x_scale": 1.2, "y_scale": 1.1})  # 288 px × 1.1: CHART_HEIGHT


def write_form(sheet: Any, spec: FormSpec, formats: _Formats, first: bool = True) -> None:
    widths = column_widths(spec)
    heights = row_heights(spec, widths)
    growing = growing_rows(spec)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    for row, height in enumerate(heights):
        if height != DEFAULT_HEIGHT and row not in growing:
            sheet.set_row(row, height)
    _write_cells(sheet, spec, formats)
    for first, last, check, ranges in _validation_groups(spec.fields):
        rule = _validation(check, spec.lang)
        sheet.data_validation(*first, *last, rule if ranges is None else {**rule, "multi_range": ranges})

    sheet.freeze_panes(*spec.freeze)
    sheet.set_paper(9)  # A4
    if spec.landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.repeat_rows(*spec.print_rows)
    sheet.set_margins(**MARGINS)
    sheet.center_horizontally()
    breaks = page_breaks_of(spec, widths, heights)
    if breaks:
        sheet.set_h_pagebreaks(breaks)
    if first:
        # the page count is the form's own: &N would count the 说明 sheet's pages too
        pages = len(breaks) + 1
        name = spec.title if spec.form not in range(1, 10) else f"{attachment(spec.form, spec.lang)} {spec.title}"
        sheet.set_footer(f"&L{_escape(name)}&C第 &P 页 / 共 {pages} 页" if spec.lang == "zh"
                         else f"&L{_escape(name)}&CPage &P of {pages}")  # fmt: skip
    else:
        sheet.set_footer(f"&L{_escape(spec.title)}")
    if spec.protect:
        sheet.protect("", {"format_columns": True, "format_rows": True})


def _write_cells(sheet: Any, spec: FormSpec, formats: _Formats) -> None:
    """Every cell, by kind. A 100,000-row summary has two million of them: the common ones
    (text, a finite number, a formula) go straight into the sheet's table as XlsxWriter's
    write_* would put them (tests/test_render.py holds the bytes equal), the rest through
    write_*; the used range is widened once."""
    cells = spec.cells
    if not cells:
        return
    fmt = {name: formats[name] for name in {cell.style for cell in cells}}
    formulas, cached = (spec.formulas, spec.cached_values) if spec.computed else ({}, {})
    if sheet.constant_memory:  # rows must then go out in order, through XlsxWriter
        raise ValueError("kpi-xl renders in memory")
    rows, cols = [c.row for c in cells], [c.col for c in cells]
    for row, col in ((min(rows), min(cols)), (max(rows), max(cols))):
        if sheet._check_dimensions(row, col):
            raise ValueError(f"cell {row},{col} of {spec.sheet} is outside a worksheet")
    table, shared = sheet.table, sheet.str_table._get_shared_string_index
    longest = sheet.xls_strmax // 2  # longer text is measured and cut by write_string
    for cell in cells:
        kind, style = type(cell), cell.style
        if cell.last_col is not None and cell.last_col > cell.col:
            sheet.merge_range(cell.row, cell.col, cell.row, cell.last_col, "", fmt[style])
        if kind is Computed:
            formula = formulas[cell.key]
            value = _cached(cached.get(cell.key))
            if formula.startswith("{") or _DYNAMIC.search(formula):
                sheet.write_formula(cell.row, cell.col, "=" + formula, fmt[style], value)
            else:
                table[cell.row][cell.col] = CellFormulaTuple(formula, fmt[style], value)
            continue
        value = written_text(cell) if kind is Text else cell.value
        kind = type(value)
        if kind is str and value and len(value) <= longest:
            table[cell.row][cell.col] = CellStringTuple(shared(value), fmt[style])  # text stays text, "=..." included
        elif (kind is float or kind is int) and math.isfinite(value):
            table[cell.row][cell.col] = CellNumberTuple(float(value), fmt[style])
        else:
            _put(sheet, cell.row, cell.col, value, fmt[style])


def _put(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or (isinstance(value, str) and value == ""):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value if isinstance(value, datetime) else datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    else:
        sheet.write_number(row, col, float(value), fmt)




def _validation_runs(fields: list[Field]) -> list[tuple[tuple[int, int], tuple[int, int], Check]]:
    """Consecutive cells of one column with the same check share one validation rule."""
    runs: list[list[Any]] = []
    for f in sorted(fields, key=lambda f: (f.col, f.row)):
        last_col = f.last_col if f.last_col is not None else f.col
        if runs and runs[-1][2] == f.check and runs[-1][1] == (f.row - 1, last_col) and runs[-1][0][1] == f.col:
            runs[-1][1] = (f.row, last_col)
        else:
            runs.append([(f.row, f.col), (f.row, last_col), f.check])
    return [(first, last, check) for first, last, check in runs]


def _validation_groups(fields: list[Field]) -> list[tuple[tuple[int, int], tuple[int, int], Check, str | None]]:
    """One validation rule for every run with the same check, its runs listed in one
    space-separated reference as Excel itself stores them ("C2 C4:C9"): a rule per run would
    be 100,000 rules for 附件8's 处理意见 of 100,000 staff, beyond the 60,000 Excel keeps
    (XlsxWriter issue 240: it drops the rest on opening), and slower to write and to open.
    Each: its first run's corners, the check, and the whole reference (None for one run)."""
    groups: dict[Check, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for first, last, check in _validation_runs(fields):
        groups.setdefault(check, []).append((first, last))
    out = []
    for check, runs in groups.items():
        ranges = None
        if len(runs) > 1:
            ranges = " ".join(cell_name(*a) if a == b else f"{cell_name(*a)}:{cell_name(*b)}" for a, b in runs)
        out.append((*runs[0], check, ranges))
    return out


def _validation(check: Check, lang: str) -> dict[str, Any]:
    hint = check.hint(lang) if check.hint else ""
    title = "填写说明" if lang == "zh" else "What to enter"
    if check.kind == "decimal":
        rule: dict[str, Any] = {"validate": "decimal", "criteria": "between",
                                "minimum": check.minimum, "maximum": check.maximum}  # fmt: skip
    elif check.kind == "date":
        rule = {"validate": "date", "criteria": "between",
                "minimum": _as_datetime(check.minimum), "maximum": _as_datetime(check.maximum)}  # fmt: skip
    elif check.kind == "list":
        rule = {"validate": "list", "source": list(check.choices)}
    else:
        rule = {"validate": "length", "criteria": "<=", "value": check.max_length}
    error = hint or ("内容超出允许范围" if lang == "zh" else "Value not allowed here")
    return {**rule, "input_title": title[:32], "input_message": hint[:255],
            "error_title": ("输入有误" if lang == "zh" else "Not allowed")[:32], "error_message": error[:255]}  # fmt: skip


def _as_datetime(value: Any) -> datetime:
    return datetime(value.year, value.month, value.day)


def write_instructions(sheet: Any, spec: FormSpec, formats: _Formats) -> None:
    """The 说明 sheet: one wrapped column that fits A4 portrait, each line as tall as its text."""
    sheet.set_column(0, 0, INSTRUCTIONS_WIDTH)
    sheet.write_string(0, 0, spec.title, formats["title"])
    sheet.set_row(0, 30)
    for row, line in enumerate(spec.instructions, start=INSTRUCTIONS_FIRST_LINE):
        sheet.write_string(row, 0, line, formats["note"])
        sheet.set_row(row, text_height(line, INSTRUCTIONS_WIDTH, 10) + 4)
    sheet.set_paper(9)
    sheet.set_margins(**MARGINS)
    sheet.fit_to_pages(1, 0)
    sheet.set_footer(f"&L{_escape(spec.title)} — {_instructions_name(spec.lang)}")
    sheet.protect("")


# -- sizes: every row as tall as its text, every number column wide enough, pages broken
#    between blocks (render/measure.py) ----------------------------------------------------

DEFAULT_HEIGHT = 15.0
GROWING_HEIGHT = 18.0  # one line of a Chinese font, as the spreadsheet sizes an empty row
INSTRUCTIONS_WIDTH = 88  # A4 portrait holds ~96 units at 100 %


def _escape(text: str) -> str:
    return text.replace("&", "&&")


@cache
def _style(name: str) -> dict[str, Any]:
    """A style's properties (shared: read, never change them)."""
    return {"font_size": 10, **STYLES[name]}


def growing_rows(spec: FormSpec) -> set[int]:
    """Rows left at automatic height: a blank, unmerged, wrapping input is in them, so Excel,
    WPS and LibreOffice make the row as tall as what the person types (they never grow a row
    whose height is set, nor one for a merged cell: those get the planned height instead)."""
    return {cell.row for cell in spec.fields
            if cell.value is None and (cell.last_col is None or cell.last_col == cell.col)
            and _style(cell.style).get("text_wrap")}  # fmt: skip


def row_heights(spec: FormSpec, widths: list[float]) -> list[float]:
    """Each row's height: as declared, or taller where a wrapping cell's text needs it.
    A merged input's text is what was typed, but at least what the declaration plans for;
    a growing row (growing_rows) is as tall as its text now, at least one line.
    Each distinct text, width and style is measured once (a summary's names repeat)."""
    rows = max([c.row for c in spec.cells] + [0]) + 1
    for chart in spec.charts:
        rows = max(rows, chart.anchor[0] + 20)
    growing = growing_rows(spec)
    heights = [GROWING_HEIGHT if r in growing else spec.heights.get(r, DEFAULT_HEIGHT) for r in range(rows)]
    wrapping = {name for name in {c.style for c in spec.cells} if _style(name).get("text_wrap")}
    cached = spec.cached_values if spec.computed else {}
    measured: dict[tuple[str, float, str], float] = {}
    for cell in spec.cells:
        if cell.style not in wrapping:
            continue
        kind = type(cell)
        last = cell.last_col if cell.last_col is not None else cell.col
        width = widths[cell.col] if last == cell.col else sum(widths[cell.col : last + 1])
        shown = cell.text if kind is Text else _cached(cached.get(cell.key)) if kind is Computed else cell.value
        text = shown if type(shown) is str else number_text(shown, _style(cell.style).get("num_format")) if shown is not None else ""
        if kind is Field and cell.check.planned and cell.row not in growing:
            planned = "字" * cell.check.planned  # ~2 units a character, Chinese or not
            text = text if text_units(text) >= text_units(planned) else planned
        if not text:
            continue
        key = (text, width, cell.style)
        need = measured.get(key)
        if need is None:
            style = _style(cell.style)
            need = measured[key] = text_height(text, width, style["font_size"], bool(style.get("bold")))
        if need > heights[cell.row]:
            heights[cell.row] = need
    return heights


def column_widths(spec: FormSpec) -> list[float]:
    """The declared widths, wider where a number would not fit (a score over 100 shows ###);
    each distinct number of a column and style measured once."""
    widths = list(spec.widths)
    cached = spec.cached_values if spec.computed else {}
    seen: set[tuple[int, str, Any]] = set()
    for cell in spec.cells:
        kind = type(cell)
        if kind is Text or (cell.last_col is not None and cell.last_col > cell.col):
            continue
        shown = _cached(cached.get(cell.key)) if kind is Computed else cell.value
        if kind is Field and cell.check.kind == "decimal":
            shown = cell.check.maximum if shown is None else shown
        if kind is Field and cell.check.kind == "date":
            shown = 20261231.0  # yyyy-mm-dd: as wide as eight digits and two dashes
        if not isinstance(shown, int | float) or isinstance(shown, bool):
            continue
        key = (cell.col, cell.style, shown)
        if key in seen:
            continue
        seen.add(key)
        style = _style(cell.style)
        need = text_units(number_text(shown, style.get("num_format")), style["font_size"], bool(style.get("bold"))) + 1.5
        widths[cell.col] = max(widths[cell.col], math.ceil(need * 2) / 2)
    return widths


def page_breaks_of(spec: FormSpec, widths: list[float], heights: list[float]) -> list[int]:
    keep = list(spec.keep)
    for chart in spec.charts:  # a chart is never cut by a page break
        top, height, row = chart.anchor[0], 0.0, chart.anchor[0]
        while height < CHART_HEIGHT and row < len(heights):
            height, row = height + heights[row], row + 1
        keep.append((max(top - 1, 0), row))
    first, last = spec.print_rows
    repeated = sum(heights[first : last + 1])
    return page_breaks(heights, page_of(widths, spec.landscape), repeated, keep)


def meta_values(spec: FormSpec, generated: FormSpec | None = None, *, others: Sequence[FormSpec] = (),
                key: bytes | None = None) -> dict[str, str]:  # fmt: skip
    """The meta sheet's keys; `others`: the specs of the workbook's further sheets (render_book).
    With `key`, last, the signature of all the others (_util/signing.py): add any new key
    above it, so that it is signed too."""
    values = {
        "marker": MARKER,
        "form": str(spec.form),
        "version": str(spec.version),
        **spec.meta,
        "fingerprint": spec.fingerprint(),
        "generated_inputs": (generated or spec).generated_digest,
        CONTENT_KEY: content_record(spec, list(others), generated),  # what it shows: collect/untouched.py
        "generator": f"kpi-xl {__version__}",
    }
    if key is not None:
        values[SIGNATURE] = sign(values, key)
    return values


def write_meta(sheet: Any, spec: FormSpec, generated: FormSpec | None = None, others: Sequence[FormSpec] = (),
               key: bytes | None = None) -> None:  # fmt: skip
    """Machine-readable facts about the form, hidden and protected."""
    sheet.set_column(0, 1, 24)
    for row, (name, value) in enumerate(meta_values(spec, generated, others=others, key=key).items()):
        sheet.write_string(row, 0, name)
        sheet.write_string(row, 1, value)
    sheet.hide()
    sheet.protect("")
