"""Reading forms back: values only, only the cells asked for, never modifying the file.

Formula cells are not trusted: a form is read for its inputs and recomputed with the rules
(openpyxl writes no cached values, XlsxWriter writes ours, people's spreadsheets theirs).
The workbook is opened within limits (reading/workbook.py); a sheet of ordinary size is read
by python-calamine, one whose farthest cell is far away or that holds error cells is streamed,
keeping only the cells asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .._util.cells import cell_text as _text
from ..forms.spec import MARKER, META_SHEET
from ..reading.formulas import formulas as formulas_of
from ..reading.workbook import MAX_GRID, SafeWorkbook
from ..reading.xlsx_parts import CellError, UnreadableWorkbook, has_error_cells, ordered_grid_size

__all__ = ["CellError", "META_ROWS", "SheetValues", "UnreadableWorkbook", "WorkbookValues"]

META_ROWS = 100  # the meta sheet holds a dozen keys in A:B
_META_CELLS = frozenset((row, col) for row in range(META_ROWS) for col in (0, 1))


@dataclass
class SheetValues:
    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # of the cells asked for, without "="

    def value(self, row: int, col: int) -> Any:
        """The value at 0-based (row, col); None when empty (or not asked for)."""
        return self.cells.get((row, col))


class WorkbookValues(SafeWorkbook):
    """One returned workbook, opened within a form's limits; use as a context manager."""

    def sheet(self, name: str, cells: Iterable[tuple[int, int]], formulas: Iterable[tuple[int, int]] = ()) -> SheetValues:
        """Only the given 0-based (row, col) cells of sheet `name`, and the formula text of
        the cells `formulas` (those holding one): a far-away cell, a used range of the whole
        sheet or a sheet that inflates cost nothing."""
        wanted = set(cells)
        data, label = self.sheet_xml(name)
        grid = ordered_grid_size(data, label)
        texts = formulas_of(data, set(formulas), label)
        if grid > MAX_GRID or has_error_cells(data):
            return SheetValues(name, self.cells(data, wanted, label), texts)
        return SheetValues(name, self._calamine_cells(name, wanted), texts)

    def _calamine_cells(self, name: str, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        rows = self.calamine_rows(name)
        if sum(map(len, rows)) < len(wanted):  # a small sheet (the meta): walk its cells instead
            return {(r, c): value for r, row in enumerate(rows) for c, value in enumerate(row)
                    if value is not None and value != "" and (r, c) in wanted}  # fmt: skip
        found = {}
        for row, col in wanted:
            if row < len(rows) and col < len(rows[row]) and rows[row][col] not in (None, ""):
                found[(row, col)] = rows[row][col]
        return found

    def meta(self, marker: str = MARKER) -> dict[str, str] | None:
        """The form's meta sheet as a dict, or None when this is not one of our forms (or,
        with `marker`, another kind of workbook kpi-xl writes: the 指标库)."""
        if META_SHEET not in self.sheet_names:
            return None
        sheet = self.sheet(META_SHEET, _META_CELLS)
        meta: dict[str, str] = {}
        for (row, col), key in sorted(sheet.cells.items()):
            if col == 0 and not isinstance(key, CellError):
                meta[_text(key)] = _text(sheet.value(row, 1))
        return meta if meta.get("marker") == marker else None
