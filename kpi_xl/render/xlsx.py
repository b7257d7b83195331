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
from datetime import date, datetime
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from .. import __version__
from ..forms.spec import (
    MARKER,
    META_SHEET,
    Check,
    Computed,
    Field,
    Fixed,
    FormSpec,
    Text,
    inputs_digest,
)

FONT = {"zh": "微软雅黑", "en": "Calibri"}

_BORDER = {"border": 1, "border_color": "#808080"}
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"},
    "subtitle": {"font_size": 11, "align": "center", "valign": "vcenter"},
    "section": {"bold": True, "bg_color": "#FCE4D6", "valign": "vcenter", **_BORDER},
    "header": {"bold": True, "bg_color": "#DDEBF7", "align": "center", "valign": "vcenter", "text_wrap": True, **_BORDER},
    "number": {"align": "center", "valign": "vcenter", **_BORDER},
    "label": {"valign": "vcenter", "text_wrap": True, **_BORDER},
    "label_center": {"align": "center", "valign": "vcenter", "text_wrap": True, **_BORDER},
    "info_label": {"bold": True, "align": "right", "valign": "vcenter"},
    "info_value": {"valign": "vcenter", "bottom": 1},
    "total_label": {"bold": True, "align": "right", "valign": "vcenter", **_BORDER},
    "note": {"italic": True, "font_size": 9, "text_wrap": True, "valign": "top"},
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


# The functions XlsxWriter prefixes with _xlfn. even when future functions are off: it
# tries 30 substitutions on every formula, most of a 100,000-row summary's writing time.
# "INGLE(" stands for its pattern \SINGLE\( (any character, then INGLE).
_DYNAMIC = re.compile(
    r"ANCHORARRAY\(|BYCOL\(|BYROW\(|CHOOSECOLS\(|CHOOSEROWS\(|DROP\(|EXPAND\(|FILTER\(|HSTACK\(|LAMBDA\("
    r"|MAKEARRAY\(|MAP\(|RANDARRAY\(|REDUCE\(|SCAN\(|INGLE\(|SEQUENCE\(|SORT\(|SORTBY\(|SWITCH\(|TAKE\("
    r"|TEXTSPLIT\(|TOCOL\(|TOROW\(|UNIQUE\(|VSTACK\(|WRAPCOLS\(|WRAPROWS\(|XLOOKUP\("
)


class _Sheet(Worksheet):
    """XlsxWriter's worksheet, skipping those substitutions when none can apply (same output)."""

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


def render(spec: FormSpec, created: datetime | None = None) -> bytes:
    """The workbook's bytes. `created` fixes the document date (templates), else now."""
    return render_book([spec], created)


def render_book(specs: list[FormSpec], created: datetime | None = None, generated_from: FormSpec | None = None) -> bytes:
    """One workbook: the first spec is the form (with its instructions and meta sheet),
    the others extra sheets after it (a summary's distribution, calibration …).

    `generated_from`: the blank form this is a filled copy of (a simulation, a test), whose
    inputs the meta sheet records as the generated ones.
    """
    main = specs[0]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    workbook.set_properties({"title": main.title, "author": "kpi-xl", "created": created or datetime.now()})
    formats = _Formats(workbook, main.lang)
    sheets = []
    for spec in specs:
        sheet = workbook.add_worksheet(spec.sheet, worksheet_class=_Sheet)
        write_form(sheet, spec, formats)
        for chart in spec.charts:
            _chart(workbook, sheet, spec, chart)
        sheets.append(sheet)
    write_instructions(workbook.add_worksheet(_instructions_name(main.lang)), main, formats)
    write_meta(workbook.add_worksheet(META_SHEET), main, generated_from or main)
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
    sheet.insert_chart(*chart.anchor, made, {"x_scale": 1.2, "y_scale": 1.1})


def _instructions_name(lang: str) -> str:
    return "Instructions" if lang == "en" else "说明"


def write_form(sheet: Any, spec: FormSpec, formats: _Formats) -> None:
    for col, width in enumerate(spec.widths):
        sheet.set_column(col, col, width)
    for row, height in spec.heights.items():
        sheet.set_row(row, height)
    for cell in spec.cells:
        if isinstance(cell, Text):
            _put(sheet, cell.row, cell.col, cell.last_col, cell.text, formats[cell.style])
        elif isinstance(cell, Field | Fixed):
            _put(sheet, cell.row, cell.col, cell.last_col, cell.value, formats[cell.style])
        else:
            _formula(sheet, spec, cell, formats)
    for first, last, check in _validation_runs(spec.fields):
        sheet.data_validation(*first, *last, _validation(check, spec.lang))

    sheet.freeze_panes(*spec.freeze)
    sheet.set_paper(9)  # A4
    if spec.landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.repeat_rows(*spec.print_rows)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_footer("&C第 &P 页 / 共 &N 页" if spec.lang == "zh" else "&CPage &P of &N")
    if spec.protect:
        sheet.protect("", {"format_columns": True, "format_rows": True})


def _put(sheet: Any, row: int, col: int, last_col: int | None, value: Any, fmt: Any) -> None:
    if last_col is not None and last_col > col:
        sheet.merge_range(row, col, row, last_col, "", fmt)
    if value is None or (isinstance(value, str) and value == ""):
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt)  # text stays text, "=..." included
    elif isinstance(value, datetime | date):
        sheet.write_datetime(row, col, value if isinstance(value, datetime) else datetime(value.year, value.month, value.day), fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    else:
        sheet.write_number(row, col, float(value), fmt)


def _formula(sheet: Any, spec: FormSpec, cell: Computed, formats: _Formats) -> None:
    fmt = formats[cell.style]
    if cell.last_col is not None and cell.last_col > cell.col:
        sheet.merge_range(cell.row, cell.col, cell.row, cell.last_col, "", fmt)
    sheet.write_formula(cell.row, cell.col, "=" + spec.formulas[cell.key], fmt, _cached(spec.cached_values.get(cell.key)))


def _cached(value: Any) -> Any:
    """What a spreadsheet that does not recalculate on open (LibreOffice, WPS) shows."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "item"):
        value = value.item()
    return value


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
    sheet.set_column(0, 0, 110)
    sheet.write_string(0, 0, spec.title, formats["title"])
    sheet.set_row(0, 30)
    for row, line in enumerate(spec.instructions, start=2):
        sheet.write_string(row, 0, line, formats["note"])
        sheet.set_row(row, 32)
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.protect("")


def meta_values(spec: FormSpec, generated: FormSpec | None = None) -> dict[str, str]:
    return {
        "marker": MARKER,
        "form": str(spec.form),
        "version": str(spec.version),
        **spec.meta,
        "fingerprint": spec.fingerprint(),
        "generated_inputs": inputs_digest((generated or spec).generated_inputs().items()),
        "generator": f"kpi-xl {__version__}",
    }


def write_meta(sheet: Any, spec: FormSpec, generated: FormSpec | None = None) -> None:
    """Machine-readable facts about the form, hidden and protected."""
    sheet.set_column(0, 1, 24)
    for row, (key, value) in enumerate(meta_values(spec, generated).items()):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    sheet.hide()
    sheet.protect("")
