"""Reading workbooks back: values only, only the cells asked for, never modifying the file.

Formula cells are not trusted: a form is read for its inputs and recomputed with the rules
(openpyxl writes no cached values, XlsxWriter writes ours, people's spreadsheets theirs).

A returned form may come from anyone, so every part is inflated within limits first
(xlsx_parts). A sheet of ordinary size is then read by python-calamine, which is fast but
fills the whole used range and shows error cells as blank; a sheet whose farthest cell is
far away (XFD1048576, a whole-sheet dimension) or that holds error cells (#DIV/0!) is
streamed instead, keeping only the cells asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from .._util.cells import cell_text as _text
from .._util.i18n import _
from ..forms.spec import MARKER, META_SHEET
from ..reading.formulas import formulas as formulas_of
from ..reading.xlsx_parts import (
    CellError,
    UnreadableWorkbook,
    XlsxParts,
    check_cell_order,
    grid_size,
    has_error_cells,
)

__all__ = ["CellError", "META_ROWS", "SheetValues", "UnreadableWorkbook", "WorkbookValues"]

META_ROWS = 100  # the meta sheet holds a dozen keys in A:B
MAX_CONTENT_CELLS = 4_000_000  # a whole sheet read to check it is untouched: a 附件7 of 100,000 staff is ~2 M
MAX_GRID = 1_000_000  # cells a whole-range reader may allocate: a form is ~60 × 12


@dataclass
class SheetValues:
    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # of the cells asked for, without "="

    def value(self, row: int, col: int) -> Any:
        """The value at 0-based (row, col); None when empty (or not asked for)."""
        return self.cells.get((row, col))


class WorkbookValues:
    """One workbook, opened within limits; use as a context manager or call close()."""

    def __init__(self, path: Path):
        self.path = path
        self._parts = XlsxParts(path)
        self.sheet_names = list(self._parts.sheets)
        self.hidden = set(self._parts.hidden)
        self._calamine: Any = None

    def __enter__(self) -> WorkbookValues:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def sheet(self, name: str, cells: Iterable[tuple[int, int]], formulas: Iterable[tuple[int, int]] = ()) -> SheetValues:
        """Only the given 0-based (row, col) cells of sheet `name`, and the formula text of
        the cells `formulas` (those holding one): a far-away cell, a used range of the whole
        sheet or a sheet that inflates cost nothing."""
        wanted = set(cells)
        part = self._parts.sheet_part(name)
        data = self._parts.inflate(part)
        label = _("its sheet {sheet}").format(sheet=repr(name))
        check_cell_order(data, label)
        texts = formulas_of(data, set(formulas), label)
        if grid_size(data) > MAX_GRID or has_error_cells(data):
            return SheetValues(name, self._parts.cells(data, wanted, label), texts)
        return SheetValues(name, self._calamine_cells(name, wanted), texts)

    def sheet_content(self, name: str) -> tuple[dict[tuple[int, int], Any], int]:
        """Every non-blank cell of sheet `name` (0-based (row, col) → value) and how many of
        its cells hold a formula. A dense sheet (a 附件7 of 100,000 rows) is read by
        python-calamine; one whose grid would be far larger than its cells, or that holds
        error cells, is streamed."""
        part = self._parts.sheet_part(name)
        data = self._parts.inflate(part)
        formulas = data.count(b"<f>") + data.count(b"<f ") + data.count(b"<f/>")
        if grid_size(data) > max(MAX_GRID, 4 * data.count(b"<c ")) or has_error_cells(data):
            label = _("its sheet {sheet}").format(sheet=repr(name))
            return self._parts.cells(data, None, label, max_col=16384, max_cells=MAX_CONTENT_CELLS), formulas
        return self._calamine_all(name), formulas

    def _calamine_all(self, name: str) -> dict[tuple[int, int], Any]:
        rows = self._calamine_rows(name)
        return {(r, c): value for r, row in enumerate(rows) for c, value in enumerate(row) if value is not None and value != ""}

    def _calamine_rows(self, name: str) -> list[list[Any]]:
        try:
            if self._calamine is None:
                self._parts.check_shared_parts()
                self._calamine = python_calamine.CalamineWorkbook.from_path(str(self.path))
            # keep the empty area above and left of the first cell: addresses stay absolute
            return self._calamine.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except UnreadableWorkbook:
            raise
        except Exception as exc:  # calamine's own errors for what the checks let through
            raise UnreadableWorkbook(_("its sheet {sheet} cannot be read ({error})").format(sheet=repr(name), error=exc)) from None

    def content_types(self) -> dict[str, str]:
        return self._parts.content_types()

    def _calamine_cells(self, name: str, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], Any]:
        rows = self._calamine_rows(name)
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
        sheet = self.sheet(META_SHEET, [(r, c) for r in range(META_ROWS) for c in (0, 1)])
        meta: dict[str, str] = {}
        for row in range(META_ROWS):
            key = sheet.value(row, 0)
            if key not in (None, "") and not isinstance(key, CellError):
                meta[_text(key)] = _text(sheet.value(row, 1))
        return meta if meta.get("marker") == marker else None

    def close(self) -> None:
        if self._calamine is not None:
            self._calamine.close()
        self._parts.close()
