"""A table a person keeps in a workbook — the roster (花名册), the 指标库 — read within limits.

These files come from HR's own spreadsheets, so they hold what such files hold: a stray value
at XFD1048576, a used range of the whole sheet (openpyxl then pads every row to 16,384 cells),
a zip that inflates to gigabytes, an XML bomb or external entity, a damaged file. Each costs a
message naming the file, never the process: the workbook is opened within limits (workbook.py;
raised for big companies: a roster of 100,000 people is a ~40 MB sheet), cells right of the
first MAX_COLUMNS columns are never read, and a sheet that a whole-range reader would blow up
is streamed keeping only the cells that hold something. Rows come back sparse (row index →
values) so that a far-away row costs one entry, not a million blank lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .workbook import SafeWorkbook

__all__ = ["Table", "read_tables"]

MAX_COLUMNS = 64  # a roster has about ten columns, a scorecard sheet seven
MAX_CELLS = 10_000_000  # cells holding something, kept when a sheet is streamed
PART_LIMITS = {"part": 512 * 1024 * 1024, "tree": 128 * 1024 * 1024}  # inflated bytes: one sheet, a part read whole

Table = tuple[str, dict[int, list[Any]]]  # (sheet name, 0-based row index → the row's values)


def read_tables(path: Path, sheets: list[str] | None = None) -> list[Table]:
    """The named sheets (every sheet when None; names not in the workbook are left out), in
    workbook order. Raises UnreadableWorkbook, whose message says what is wrong with the file."""
    with SafeWorkbook(path, max_part_bytes=PART_LIMITS["part"], max_tree_bytes=PART_LIMITS["tree"]) as book:
        return [(name, _rows_of(book.sheet_content(name, max_col=MAX_COLUMNS, max_cells=MAX_CELLS)[0]))
                for name in book.sheet_names if sheets is None or name in sheets]  # fmt: skip


def _rows_of(cells: dict[tuple[int, int], Any]) -> dict[int, list[Any]]:
    """Cells by place → rows by index, each as wide as the widest (a row's order is kept)."""
    width = max((col for _row, col in cells), default=-1) + 1
    table: dict[int, list[Any]] = {}
    for (row, col), value in cells.items():
        table.setdefault(row, [None] * width)[col] = value
    return table
