"""The formulas of a sheet's wanted cells, read as safely as their values (xlsx_parts).

The collector recomputes every total from the inputs, so a formula is never evaluated here:
it is read to tell whether a computed cell still holds the formula kpi-xl wrote, or was typed
over with a number, text or another formula (`=1/0`), which is what the paper would show.

A sheet written by a spreadsheet is plain XML: then every formula is found by its `<f>` and
its cell by the tag before it, in one pass. Anything else (comments, CDATA, prefixed tags,
shared formulas, a formula cell written twice) is streamed with expat like the values, within
the same limits.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .._util.cells import column_letter
from .xlsx_parts import _local, _position, _SheetCells, stream

Place = tuple[int, int]

_CELL_PLACE = re.compile(rb'\sr="([A-Z]{1,3}[0-9]{1,7})"')


def formulas(data: bytes, wanted: set[Place], label: str) -> dict[Place, str]:
    """The formula text (without "=") of every wanted cell of this sheet's XML that holds one;
    a cell without a formula is absent. A shared formula is translated from its first cell."""
    if not wanted:
        return {}
    found = _direct(data, wanted)
    return found if found is not None else _streamed(data, wanted, label)


def _direct(data: bytes, wanted: set[Place]) -> dict[Place, str] | None:
    """Every formula of the sheet found by its `<f`, its cell by the tag just before it: one
    pass, whatever the sheet's size. None when the sheet is not plain enough for that
    (comments, CDATA, prefixed tags, shared formulas, a cell without its address, one cell
    written twice): then it is streamed."""
    start, end = data.find(b"<sheetData"), data.rfind(b"</sheetData>")
    if start < 0 or end < start or b"<!" in data or b":c " in data or b":c>" in data:
        return None
    found: dict[Place, str] = {}
    seen: set[Place] = set()
    at = data.find(b"<f", start, end)
    while at >= 0:
        if data[at + 2 : at + 3] not in (b" ", b">", b"/"):  # another tag (<family>): not a formula
            at = data.find(b"<f", at + 2, end)
            continue
        cell = data.rfind(b"<c", start, at)
        opened = data.find(b">", cell, at) if cell >= 0 else -1
        close = data.find(b">", at, end)
        if opened < 0 or close < 0 or data[opened + 1 : at].strip() or b"shared" in data[at:close]:
            return None  # the formula is not the first thing in a cell, or is shared
        place_text = _CELL_PLACE.search(data, cell, opened)
        place = _position(place_text.group(1).decode()) if place_text else None
        if place is None or place in seen:
            return None
        seen.add(place)
        stop = close
        if data[close - 1 : close] != b"/":
            stop = data.find(b"</f>", close, end)
            if stop < 0:
                return None
            if place in wanted:
                found[place] = html.unescape(data[close + 1 : stop].decode("utf-8", "replace"))
        elif place in wanted:
            found[place] = ""
        at = data.find(b"<f", stop, end)
    return found


class _FormulaCells(_SheetCells):
    """expat handlers keeping the formulas of the wanted cells, and the first cell of every
    shared formula (wanted or not): the others of its range are translated from it."""

    def __init__(self, wanted: set[Place]):
        super().__init__(wanted)
        self.formulas: dict[Place, tuple[str, str | None]] = {}  # place → (text, shared index)
        self.masters: dict[str, tuple[Place, str]] = {}
        self.reading: list[str] | None = None
        self.shared: str | None = None
        self.place: Place = (-1, -1)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        super().start(tag, attrs)
        name = _local(tag)
        if name == "c":
            self.place = (self.row, self.col)
        elif name == "f":
            self.reading = []
            self.shared = attrs.get("si") if attrs.get("t") == "shared" else None

    def end(self, tag: str) -> None:
        if self.reading is not None and _local(tag) == "f":
            text = "".join(self.reading)
            if self.shared is not None and text and self.shared not in self.masters:
                self.masters[self.shared] = (self.place, text)
            if self.place in self.wanted:
                self.formulas[self.place] = (text, self.shared)
            self.reading = None
        super().end(tag)

    def text(self, data: str) -> None:
        if self.reading is not None:
            self.reading.append(data)
        super().text(data)


def _streamed(data: bytes, wanted: set[Place], label: str) -> dict[Place, str]:
    handler = _FormulaCells(wanted)
    stream(data, handler, label)
    found = {}
    for place, (text, shared) in handler.formulas.items():
        if not text and shared is not None and shared in handler.masters:
            origin, master = handler.masters[shared]
            text = shifted(master, place[0] - origin[0], place[1] - origin[1])
        found[place] = text
    return found


# -- formula text ---------------------------------------------------------------------------

_STRING = r'"(?:[^"]|"")*"'
_RELATIVE = re.compile(_STRING + r"|(?<![A-Za-z0-9_.$])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(])")


def shifted(formula: str, rows: int, cols: int) -> str:
    """`formula` as it reads `rows` down and `cols` right: its relative references moved
    (how a shared formula's other cells read, ECMA-376 §18.3.1.40)."""

    def move(match: re.Match[str]) -> str:
        if match.group(2) is None:
            return match.group(0)  # a string literal
        fixed_col, letters, fixed_row, number = match.groups()
        col = _column(letters) if fixed_col else _column(letters) + cols
        row = int(number) if fixed_row else int(number) + rows
        if col < 0 or row < 1:
            return "#REF!"
        return f"{fixed_col}{column_letter(col)}{fixed_row}{row}"

    return _RELATIVE.sub(move, formula)


def _column(letters: str) -> int:
    col = 0
    for letter in letters:
        col = col * 26 + ord(letter) - 64
    return col - 1


_TOKEN = re.compile(r"""\s*(?:(?P<string>"(?:[^"]|"")*")|(?P<sheet>'(?:[^']|'')*'!)"""
                    r"""|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>(?:[^\W\d]|[\\$])[\w.$]*!?)"""
                    r"""|(?P<other>\S))""")  # fmt: skip
_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.", "_XLPM.")


def same_formula(got: str, expected: str) -> bool:
    """Whether two formula texts are the same formula, as spreadsheets rewrite them on saving:
    spaces, letter case, _xlfn. prefixes, number spellings (1E-9, 0.000000001) and quotes
    around a sheet's name aside."""
    got, expected = got.lstrip("="), expected.lstrip("=")
    return got == expected or _tokens(got) == _tokens(expected)


def _tokens(formula: str) -> list[Any]:
    tokens: list[Any] = []
    at = 0
    while at < len(formula):
        match = _TOKEN.match(formula, at)
        if match is None or match.end() == at:
            break  # trailing spaces
        at = match.end()
        kind = match.lastgroup
        text = match.group(kind)
        if kind == "number":
            tokens.append(float(text))
        elif kind == "name":
            name = text.upper()
            for prefix in _PREFIXES:
                if name.startswith(prefix):
                    name = name[len(prefix) :]
                    break
            tokens.append(name)
        elif kind == "sheet":
            tokens.append(text[1:-2].replace("''", "'").upper() + "!")
        else:
            tokens.append(text)
    return tokens
