"""A table a person keeps in a workbook — the roster (花名册), the 指标库 — read within limits.

These files come from HR's own spreadsheets, so they hold what such files hold: a stray value
at XFD1048576, a used range of the whole sheet (openpyxl then pads every row to 16,384 cells),
a zip that inflates to gigabytes, an XML bomb or external entity, a damaged file. Each costs a
message naming the file, never the process: the parts are inflated within XlsxParts' limits
(raised for big companies: a roster of 100,000 people is a ~40 MB sheet), cells right of the
first `max_cols` columns are never read, and a sheet that a whole-range reader would blow up
is streamed keeping only the cells that hold something. Rows come back sparse (row index →
values) so that a far-away row costs one entry, not a million blank lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import python_calamine

from .._util.i18n import _
from ..errors import UnreadableWorkbook
from .xlsx_parts import XlsxParts, grid_size, has_error_cells

__all__ = ["Table", "read_tables"]

MAX_COLUMNS = 64  # a roster has about ten columns, a scorecard sheet seven
MAX_GRID = 5_000_000  # cells python-calamine may allocate for one sheet (100,000 people × 10 columns is 1M)
MAX_CELLS = 10_000_000  # cells holding something, kept when a sheet is streamed
PART_LIMITS = {"part": 512 * 1024 * 1024, "tree": 128 * 1024 * 1024}  # inflated bytes: one sheet, a part read whole

Table = tuple[str, dict[int, list[Any]]]  # (sheet name, 0-based row index → the row's values)


def read_tables(path: Path, sheets: list[str] | None = None) -> list[Table]:
    """The named sheets (every sheet when None; names not in the workbook are left out), in
    workbook order. Raises UnreadableWorkbook, whose message says what is wrong with the file."""
    parts = XlsxParts(path, max_part_bytes=PART_LIMITS["part"], max_tree_bytes=PART_LIMITS["tree"])
    calamine: Any = None
    try:
        tables = []
        for name in parts.sheets:
            if sheets is not None and name not in sheets:
                continue
            label = _("its sheet {sheet}").format(sheet=repr(name))
            data = parts.inflate(parts.sheet_part(name))
            if grid_size(data) > MAX_GRID or has_error_cells(data):
                cells = parts.cells(data, None, label, max_col=MAX_COLUMNS, max_cells=MAX_CELLS)
                tables.append((name, _rows_of(cells)))
                continue
            if calamine is None:
                parts.check_shared_parts()
                calamine = _open_calamine(path)
            tables.append((name, _calamine_rows(calamine, name)))
        return tables
    finally:
        if calamine is not None:
            calamine.close()
        parts.close()


def _open_calamine(path: Path) -> Any:
    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine's own errors for what the checks let through
        raise UnreadableWorkbook(_("it cannot be read ({error})").format(error=exc)) from None


def _calamine_rows(calamine: Any, name: str) -> dict[int, list[Any]]:
    try:
        # keep the empty area above and left of the first cell: row numbers stay the sheet's
        rows = calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise UnreadableWorkbook(_("its sheet {sheet} cannot be read ({error})").format(sheet=repr(name), error=exc)) from None
    table = {}
    for index, row in enumerate(rows):
        values = [None if value == "" else value for value in row[:MAX_COLUMNS]]
        if any(value is not None for value in values):
            table[index] = values
    return table


def _rows_of(cells: dict[tuple[int, int], Any]) -> dict[int, list[Any]]:
    width = max((col for _row, col in cells), default=-1) + 1
    table: dict[int, list[Any]] = {}
    for (row, col), value in sorted(cells.items()):
        table.setdefault(row, [None] * width)[col] = value
    return table
