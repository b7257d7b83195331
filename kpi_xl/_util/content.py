"""What a workbook shows, as a short record: the fingerprint of what kpi-xl generated.

kpi-xl never overwrites a file a person changed. When it writes a workbook it records in
the hidden meta sheet, computed from the values it writes (not by reading the file back),
every sheet's name with a digest of what its cells show and how many formulas it holds,
and how many drawings and charts it added. Reading a workbook back gives the same record
only if nothing was typed, added, renamed or removed anywhere (untouched.why_keep).

A value is compared as a reader sees it whatever wrote it: a number to 12 significant
digits (XlsxWriter writes 16, a spreadsheet that recalculates may differ in the last),
a date as its serial day number (a reader shows it as a date or a number by its format).
Formatting (colours, widths) is not compared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

# The hidden sheet that says what a workbook is, so it is read back whatever it is called.
META_SHEET = "meta"
CONTENT_KEY = "generated_content"

ERROR_CODES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})
_EPOCH = datetime(1899, 12, 30)
_NUMBERS: dict[float, str] = {}


def token(value: Any) -> str | None:
    """A cell's value as a reader shows it, in one comparable form; None for a blank."""
    kind = type(value)
    if kind is str:
        return "s" + value if value else None
    if value is None:
        return None
    if kind is bool:
        return "b1" if value else "b0"
    if kind is float or kind is int:
        text = _NUMBERS.get(value)
        if text is None:
            text = "n" + _number(value)
            if len(_NUMBERS) < 100_000:  # scores and pay repeat: formatted once
                _NUMBERS[value] = text
        return text
    if isinstance(value, datetime):
        return "n" + _number((value - _EPOCH) / timedelta(days=1))
    if isinstance(value, date):
        return "n" + _number((value - _EPOCH.date()).days)
    if isinstance(value, time):
        return "n" + _number((value.hour * 3600 + value.minute * 60 + value.second) / 86400)
    if isinstance(value, timedelta):
        return "n" + _number(value / timedelta(days=1))
    if hasattr(value, "item"):  # a numpy number
        return token(value.item())
    if type(value).__name__ == "CellError":  # xlsx_parts.CellError: #DIV/0! and the like
        return "e" + str(value)
    return "s" + str(value)


def _number(x: float) -> str:
    return f"{x + 0.0:.12g}"  # + 0.0: -0.0 shows as 0


def cached_token(value: Any) -> str | None:
    """A formula's cached value as XlsxWriter writes it (worksheet._write_cell): an error
    code as an error, any other text as text, a number as a number."""
    if type(value) is str and value in ERROR_CODES:
        return "e" + value
    return token(value)


def sheet_digest(cells: Iterable[tuple[int, int, str | None]], formulas: int) -> str:
    """The digest of one sheet: every non-blank cell's place and token, and how many of its
    cells hold a formula (a formula typed over with its own value is a change too)."""
    return placed_digest([(row * 16384 + col, tok) for row, col, tok in cells if tok is not None], formulas)


def placed_digest(shown: list[tuple[int, str]], formulas: int) -> str:
    """sheet_digest of (row × 16384 + column, token) pairs, blanks left out (changes `shown`'s order)."""
    places = [place for place, _ in shown]
    # a sheet's cells come row by row, column by column: a look at the places is enough then
    # (a tie between two places would need the tokens to order it: sorted as before)
    if not all(map(int.__lt__, places, places[1:])):
        shown.sort()
    return _digest([_entry(place, tok) for place, tok in shown], formulas)


def _entry(place: int, tok: str) -> str:
    return f"{place}\x1f{tok}"


def _digest(entries: list[str], formulas: int) -> str:
    text = "\x1e".join(entries)
    return hashlib.sha256(f"{formulas}\x1d{text}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


class Placed:
    """One sheet's cells (sheet_digest's) in digest order, for the digests of sheets that
    differ from it in a few cells' tokens only (a person's form from their layout's)."""

    def __init__(self, cells: list[tuple[int, int, str | None]], formulas: int):
        self.places = [row * 16384 + col for row, col, _ in cells]
        self.formulas = formulas
        order = sorted(range(len(cells)), key=self.places.__getitem__)
        self.at = {i: n for n, i in enumerate(order)}  # a cell's position in the digest order
        self.entries = [_entry(self.places[i], cells[i][2]) if cells[i][2] is not None else None for i in order]
        self.unique = len(set(self.places)) == len(self.places)  # else tokens decide the order
        self.cells = cells
        self._runs: dict[tuple[int, ...], tuple[list[int], list[str]]] = {}

    def digest(self, tokens: dict[int, str | None]) -> str:
        """sheet_digest of the cells with these cells' tokens instead (by position in the list)."""
        if not self.unique:
            cells = list(self.cells)
            for i, tok in tokens.items():
                cells[i] = (*cells[i][:2], tok)
            return sheet_digest(cells, self.formulas)
        changing = tuple(tokens)
        runs = self._runs.get(changing)
        if runs is None:
            runs = self._runs[changing] = self._between(changing)
        order, joined = runs
        pieces = [joined[0]]
        for n, i in enumerate(order):
            tok = tokens[i]
            pieces += (_entry(self.places[i], tok) if tok is not None else "", joined[n + 1])
        return _digest([p for p in pieces if p], self.formulas)

    def _between(self, changing: tuple[int, ...]) -> tuple[list[int], list[str]]:
        """The changing cells in digest order, and the entries before, between and after
        them joined (an empty run: no entry; an entry is never empty)."""
        order = sorted(changing, key=self.at.__getitem__)
        bounds = [-1, *(self.at[i] for i in order), len(self.entries)]
        joined = ["\x1e".join(e for e in self.entries[a + 1 : b] if e is not None) for a, b in zip(bounds, bounds[1:])]
        return order, joined


@dataclass(frozen=True)
class Content:
    """What a workbook holds besides formatting: its sheets in order with their digests
    (the meta sheet aside), and how many parts of each kind (part_kind) it has."""

    sheets: tuple[tuple[str, str], ...]
    parts: tuple[tuple[str, int], ...]

    @staticmethod
    def of(sheets: Iterable[tuple[str, str]], parts: Mapping[str, int]) -> Content:
        return Content(tuple((name, digest) for name, digest in sheets if name != META_SHEET),
                       tuple(sorted((k, n) for k, n in parts.items() if n)))  # fmt: skip

    def text(self) -> str:
        return json.dumps({"sheets": [list(s) for s in self.sheets], "parts": dict(self.parts)},
                          ensure_ascii=False, separators=(",", ":"))  # fmt: skip

    @staticmethod
    def parse(text: str | None) -> Content | None:
        """The record from a meta sheet; None when there is none or it is not one."""
        try:
            data = json.loads(text or "")
            sheets = tuple((str(name), str(digest)) for name, digest in data["sheets"])
            parts = tuple(sorted((str(k), int(n)) for k, n in data["parts"].items()))
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        return Content(sheets, parts)


# Content types of the parts every workbook has, whoever saved it: these say nothing about
# what a person added. Anything else is counted by kind (comments, images, …).
_STRUCTURAL = (
    "spreadsheetml.sheet.main", "spreadsheetml.template.main", "spreadsheetml.worksheet", "spreadsheetml.styles",
    "spreadsheetml.sharedstrings", "spreadsheetml.calcchain", "spreadsheetml.printersettings",
    "spreadsheetml.sheetmetadata", "officedocument.theme", "chartstyle", "chartcolorstyle", "officedocument.themeoverride", "core-properties",
    "extended-properties", "custom-properties", "relationships", "application/xml",
)  # fmt: skip
_KINDS = (  # (what the content type holds, kind): the first that matches
    ("comments", "comment"), ("person", "comment"), ("chartsheet", "chart"), ("chart", "chart"),
    ("drawing", "drawing"), ("vml", "drawing"), ("image/", "image"), ("richdata", "image"),
)  # fmt: skip


def part_kind(content_type: str) -> str | None:
    """"comment", "drawing", "chart", "image", "other" (tables, macros, embedded objects,
    links …) for a part a person may add; None for the parts every workbook has."""
    lowered = content_type.lower()
    if any(s in lowered for s in _STRUCTURAL):
        return None
    return next((kind for s, kind in _KINDS if s in lowered), "other")
