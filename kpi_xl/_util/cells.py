"""Small facts about spreadsheet cells, shared by the readers and writers."""

from __future__ import annotations

from typing import Any


def cell_text(value: Any) -> str:
    """A cell's content as text: "" for empty, 1001 (not 1001.0) for a number typed as an ID."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def column_letter(col: int) -> str:
    """0-based column → "A", "B", … "AA"."""
    letters = ""
    n = col + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# A CSV field opened in Excel or LibreOffice becomes a live formula when it starts with one of
# these (CSV injection); a leading apostrophe makes it plain text there and costs nothing.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: object) -> str:
    """A value for a CSV a person will open in a spreadsheet: never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
