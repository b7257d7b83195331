"""A workbook someone handed us, opened within limits: its sheets' cells, never the whole
file trusted. The roster and 指标库 readers (table.py) and the collector (collect/reader.py)
share it.

Every part is inflated within XlsxParts' limits first. A sheet of ordinary size is then read
by python-calamine, which is fast but fills the whole used range and shows error cells as
blank; a sheet whose grid would be far larger than its cells (XFD1048576, a whole-sheet
dimension) or that holds error cells (#DIV/0!) is streamed instead, keeping only cells that
hold something.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import python_calamine

from .._util.i18n import _
from .xlsx_parts import UnreadableWorkbook, XlsxParts, grid_size, has_error_cells

__all__ = ["MAX_CONTENT_CELLS", "MAX_GRID", "SafeWorkbook"]

MAX_GRID = 1_000_000  # cells a whole-range reader may allocate for a sparse sheet: a form is ~60 × 12
MAX_CONTENT_CELLS = 4_000_000  # a whole sheet read: a 附件7 of 100,000 staff is ~2 M, a roster ~1 M
ALL_COLUMNS = 16_384


class SafeWorkbook:
    """One workbook, opened within limits (a form's by default; a roster's are larger); use as
    a context manager or call close()."""

    def __init__(self, path: Path, max_part_bytes: int | None = None, max_tree_bytes: int | None = None):
        self.path = path
        self._parts = XlsxParts(path, max_part_bytes=max_part_bytes, max_tree_bytes=max_tree_bytes)
        self.sheet_names = list(self._parts.sheets)
        self.hidden = set(self._parts.hidden)
        self._calamine: Any = None

    def __enter__(self) -> SafeWorkbook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._calamine is not None:
            self._calamine.close()
        self._parts.close()

    def sheet_xml(self, name: str) -> tuple[bytes, str]:
        """Sheet `name`'s XML, inflated within the limits, and how messages name it."""
        return self._parts.inflate(self._parts.sheet_part(name)), _("its sheet {sheet}").format(sheet=repr(name))

    def sheet_content(self, name: str, max_col: int = ALL_COLUMNS, max_cells: int = MAX_CONTENT_CELLS) -> tuple[dict[tuple[int, int], Any], int]:
        """Every non-blank cell of sheet `name` left of column `max_col` (0-based (row, col) →
        value), and how many of its cells hold a formula."""
        data, label = self.sheet_xml(name)
        formulas = data.count(b"<f>") + data.count(b"<f ") + data.count(b"<f/>")
        if grid_size(data) > max(MAX_GRID, 4 * data.count(b"<c ")) or has_error_cells(data):
            return self._parts.cells(data, None, label, max_col=max_col, max_cells=max_cells), formulas
        rows = self.calamine_rows(name)
        cells = {(r, c): value for r, row in enumerate(rows) for c, value in enumerate(row[:max_col]) if value is not None and value != ""}
        return cells, formulas

    def calamine_rows(self, name: str) -> list[list[Any]]:
        """Sheet `name` as python-calamine fills it: only for a sheet checked to be dense."""
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

    def cells(self, data: bytes, wanted: set[tuple[int, int]], label: str) -> dict[tuple[int, int], Any]:
        """The wanted cells of a sheet's XML, streamed (XlsxParts.cells)."""
        return self._parts.cells(data, wanted, label)
