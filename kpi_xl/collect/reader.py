"""Reading workbooks back: values only, fast (python-calamine), never modifying the file.

Formula cells are not trusted: a form is read for its inputs and recomputed with the rules
(openpyxl writes no cached values, XlsxWriter writes ours, people's spreadsheets theirs).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine

from .._util.cells import cell_text as _text
from ..forms.spec import MARKER, META_SHEET


class UnreadableWorkbook(Exception):
    """The file is not a workbook we can open (corrupt, another format, password)."""


@dataclass
class SheetValues:
    name: str
    rows: list[list[Any]]

    def value(self, row: int, col: int) -> Any:
        """The value at 0-based (row, col); None when empty."""
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            cell = self.rows[row][col]
            return None if cell == "" else cell
        return None


class WorkbookValues:
    def __init__(self, path: Path):
        self.path = path
        try:
            self._book = python_calamine.CalamineWorkbook.from_path(str(path))
            self.sheet_names = list(self._book.sheet_names)
        except Exception as exc:  # calamine raises its own errors for zip/format problems
            raise UnreadableWorkbook(_reason(exc)) from None
        self._sheets: dict[str, SheetValues] = {}

    def sheet(self, name: str) -> SheetValues:
        if name not in self._sheets:
            try:
                raw = self._book.get_sheet_by_name(name)
                # keep the empty area above and left of the first cell: addresses stay absolute
                self._sheets[name] = SheetValues(name, raw.to_python(skip_empty_area=False))
            except Exception as exc:
                raise UnreadableWorkbook(f"sheet {name!r}: {exc}") from None
        return self._sheets[name]

    def meta(self) -> dict[str, str] | None:
        """The form's meta sheet as a dict, or None when this is not one of our forms."""
        if META_SHEET not in self.sheet_names:
            return None
        rows = self.sheet(META_SHEET).rows
        meta = {str(r[0]): _text(r[1]) for r in rows if len(r) >= 2 and r[0] not in (None, "")}
        return meta if meta.get("marker") == MARKER else None

    def close(self) -> None:
        self._book.close()


def _reason(exc: Exception) -> str:
    """Why a workbook would not open, in words a clerk can act on."""
    text = str(exc).lower()
    if "password" in text or "encrypt" in text:
        return "it is password-protected; remove the password and save it again"
    return "it is damaged or not really an .xlsx"
