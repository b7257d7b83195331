"""An .xlsx opened defensively: only the parts and cells asked for, within fixed limits.

A returned form may come from anyone. A single cell at XFD1048576, a small zip whose sheet
inflates to gigabytes, an XML bomb or an external entity must cost a message, not the batch:
so the zip's declared and actual sizes are capped, any DOCTYPE is refused (no entities at
all: a spreadsheet never needs one), and `grid_size` tells the reader when a sheet must be
streamed (`cells`), keeping only the wanted cells and stopping after the last wanted row
(rows are in ascending order in SpreadsheetML).
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO
from xml.parsers import expat

from .._util.i18n import _
from ..errors import UnreadableWorkbook

MAX_PART_BYTES = 64 * 1024 * 1024  # one uncompressed part; a filled form's sheet is ~100 KB
MAX_TREE_BYTES = 8 * 1024 * 1024  # a part read whole: workbook, styles, shared strings
MAX_PARTS = 10_000
CHUNK = 64 * 1024
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE container: a password-protected .xlsx or an .xls

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_REF = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,7})"')  # a cell's or a row's place
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s[^>]*?\bref="(?:[A-Z]+[0-9]+:)?([A-Z]{1,3})([0-9]{1,7})"')
_ERROR_CELL = re.compile(rb'\st="e"')
_REF_NUMBER = re.compile(rb'\sr="[A-Z]{0,3}([0-9]{1,7})"')
_REF_LETTERS = {width: re.compile(rb'\sr="([A-Z]{%d})[0-9]{1,7}"' % width) for width in (1, 2, 3)}


def grid_size(data: bytes) -> int:
    """How many cells a reader that fills the whole used range would allocate for this sheet
    (rows × columns of the farthest cell, row or dimension it mentions), at C speed for a
    sheet read whole (a 附件7 of 100,000 staff); a form's sheet: ordered_grid_size."""
    dimensions = _DIMENSION.findall(data[:4096])
    numbers = _REF_NUMBER.findall(data)  # the row of every cell and row, at C speed: a 附件7 has ~2 M
    if not numbers and not dimensions:
        return 0
    rows = max(max(map(int, numbers), default=0), max((int(number) for _, number in dimensions), default=0))
    letters = b""
    for width in (3, 2, 1):  # the widest column letters found, then the largest of those
        found = _REF_LETTERS[width].findall(data) + [text for text, _ in dimensions if len(text) == width]
        if found:
            letters = max(found)
            break
    return rows * max(_column_number(letters), 1)


_PLACE = re.compile(rb'<(?:\w+:)?(row|c)\s[^>]*?(?<=\s)r="([A-Z]{0,3})([0-9]{1,7})"')


def ordered_grid_size(data: bytes, label: str) -> int:
    """grid_size of a sheet read cell by cell (a form), found in the same pass that refuses a
    sheet whose cells are not where SpreadsheetML puts them — a cell whose address names
    another row than the one it sits in, or that repeats or goes back within its row. Readers
    disagree about such a sheet (one keeps the first copy, another the last, Excel repairs
    it), so no value read from it can be called what the form shows."""
    row, col, widest = 0, 0, 0
    row_text = b""
    columns = _COLUMNS
    for kind, letters, number in _PLACE.findall(data):  # the matches at C speed, then a tight loop
        if kind == b"row":
            if int(number) <= row:
                raise UnreadableWorkbook(_("{part} is damaged: row {row} comes after row {previous}; open it in Excel or WPS, let it repair the file and save it").format(part=label, row=int(number), previous=row))
            row, col, row_text = int(number), 0, number
            continue
        if letters:
            place = columns.get(letters) or _column_number(letters)
            if place <= col:
                raise UnreadableWorkbook(_out_of_place(label, letters, number, row))
        else:
            place = col + 1
        if number != row_text and int(number) != row:
            raise UnreadableWorkbook(_out_of_place(label, letters, number, row))
        col = place
        if col > widest:
            widest = col
    for letters, number in _DIMENSION.findall(data[:4096]):  # what a whole-range reader allocates too
        row, widest = max(row, int(number)), max(widest, _column_number(letters))
    return row * max(widest, 1)


def _out_of_place(label: str, letters: bytes, number: bytes, row: int) -> str:
    return _("{part} is damaged: cell {cell} is out of place (in row {row}); open it in Excel or WPS, let it repair the file and save it").format(part=label, cell=(letters + number).decode(), row=row)


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


_COLUMNS = {letters: _column_number(letters) for letters in
            [bytes([a]) for a in range(65, 91)] + [bytes([a, b]) for a in range(65, 91) for b in range(65, 91)]}  # fmt: skip


def has_error_cells(data: bytes) -> bool:
    at = data.find(b't="e"')  # bytes.find first: most sheets have none, and it is far faster than a regex
    return at >= 0 and bool(_ERROR_CELL.search(data, at - 1))


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})$")
# Built-in number formats that show a date (ECMA-376 §18.8.30, plus the CJK locales' 27–36, 50–58).
_DATE_FORMATS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}


@dataclass(frozen=True)
class CellError:
    """A cell showing an Excel error (#DIV/0!, #N/A …): not blank, not a number."""

    text: str

    def __str__(self) -> str:
        return self.text


_LOCAL: dict[str, str] = {}


def _local(tag: str) -> str:
    """"{namespace}c" → "c" (any prefix or namespace a producer chose)."""
    name = _LOCAL.get(tag)
    if name is None:
        name = tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
        if len(_LOCAL) < 10_000:  # a hostile file's made-up tags must not grow it without end
            _LOCAL[tag] = name
    return name


_PROLOG = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def _check_prolog(head: bytes, label: str) -> None:
    """Refuse a DOCTYPE (entities, external or expanding) before the first element: a
    spreadsheet never needs one, so nothing can be fetched or blown up."""
    encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff")
    at = 0
    while match := _PROLOG.match(text, at):
        at = match.end()
    rest = text[at:].lstrip()
    if rest.startswith("<!") or (not rest.startswith("<") and len(head) >= CHUNK):
        raise UnreadableWorkbook(_("{part} declares a DOCTYPE or entities, which no spreadsheet needs (an XML attack?)").format(part=label))


def _tree(stream: BinaryIO, label: str, limit: int | None = None) -> ET.Element:
    """A small part (workbook, relations, styles, shared strings) as a tree, refusing DTDs
    and anything longer than `limit` (MAX_TREE_BYTES) once inflated."""
    limit = limit or MAX_TREE_BYTES
    parser = ET.XMLParser()
    size = 0
    try:
        while chunk := stream.read(CHUNK):
            if size == 0:
                _check_prolog(chunk, label)
            size += len(chunk)
            if size > limit:
                raise UnreadableWorkbook(_("{part} inflates past {size} MB; far more than this file should hold").format(part=label, size=limit // 2**20))
            parser.feed(chunk)
        return parser.close()
    except ET.ParseError as exc:
        raise UnreadableWorkbook(_("{part} is damaged XML ({error})").format(part=label, error=exc)) from None


def _position(ref: str) -> tuple[int, int] | None:
    match = _CELL_REF.match(ref.upper().replace("$", ""))
    if not match:
        return None
    col = 0
    for letter in match.group(1):
        col = col * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, col - 1


def _is_date_format(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)  # quoted text, escapes, padding
    code = re.sub(r"\[(?![hms]+\])[^\]]*\]", "", code, flags=re.IGNORECASE)  # colours, locales; keep [h]
    return bool(re.search(r"[ymdhs]", code, re.IGNORECASE)) and "General" not in code


# what opening or reading a damaged zip raises (zlib.error: a flipped byte in deflated data;
# NotImplementedError: a method or zip version byte changed; RuntimeError: an encryption flag set)
DAMAGED = (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError, RuntimeError)


class XlsxParts:
    """The parts of one .xlsx, each read on demand within the limits."""

    def __init__(self, path: Path, max_part_bytes: int | None = None, max_tree_bytes: int | None = None):
        # the limits default to a form's (MAX_PART_BYTES, MAX_TREE_BYTES); a roster is bigger
        self._max_part = max_part_bytes
        self._max_tree = max_tree_bytes
        try:
            with open(path, "rb") as handle:
                head = handle.read(8)
        except OSError as exc:
            raise UnreadableWorkbook(_("it cannot be opened ({error})").format(error=exc.strerror or exc)) from None
        if head == CFB_MAGIC:
            raise UnreadableWorkbook(_("it is password-protected (or an old .xls renamed); remove the password and save it as .xlsx"))
        try:
            self._zip = zipfile.ZipFile(path)
            infos = self._zip.infolist()
        except DAMAGED:
            raise UnreadableWorkbook(_("it is damaged or not really an .xlsx")) from None
        if len(infos) > MAX_PARTS:
            self.close()
            raise UnreadableWorkbook(_("it holds {count} parts; a workbook has a few dozen").format(count=len(infos)))
        self._infos = {i.filename.replace("\\", "/").lstrip("/").lower(): i for i in infos}
        self.sheets: dict[str, str] = {}  # sheet name → part
        self.hidden: set[str] = set()
        self.date1904 = False
        self._styles: list[bool] | None = None
        self._strings: list[str] | None = None
        # without its content types Excel and WPS refuse the file: nobody can have seen what it holds
        if not {"[content_types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= set(self._infos):
            self.close()
            raise UnreadableWorkbook(_("it is damaged or not really an .xlsx"))
        self._read_workbook()

    def close(self) -> None:
        self._zip.close()

    def _open(self, part: str) -> BinaryIO:
        info = self._infos.get(part.lstrip("/").lower())
        if info is None:
            raise UnreadableWorkbook(_("its part {part} is missing").format(part=part))
        if info.file_size > (self._max_part or MAX_PART_BYTES):
            raise UnreadableWorkbook(_("its part {part} would inflate to {size} MB; far more than this file should hold").format(part=part, size=info.file_size // 2**20))
        try:
            return self._zip.open(info)
        except DAMAGED as exc:
            raise UnreadableWorkbook(_("its part {part} cannot be unpacked ({error})").format(part=part, error=exc)) from None

    def _tree(self, part: str) -> ET.Element:
        try:
            with self._open(part) as stream:
                return _tree(stream, _("its part {part}").format(part=part), self._max_tree)
        except DAMAGED as exc:  # CRC errors, truncated data, a flipped byte in deflated data
            raise UnreadableWorkbook(_("its part {part} is damaged ({error})").format(part=part, error=exc)) from None

    def _read_workbook(self) -> None:
        relations = {r.attrib["Id"]: r.attrib.get("Target", "") for r in self._tree("xl/_rels/workbook.xml.rels")
                     if _local(r.tag) == "Relationship" and "Id" in r.attrib}  # fmt: skip
        for elem in self._tree("xl/workbook.xml").iter():
            local = _local(elem.tag)
            if local == "sheet":
                name = elem.attrib.get("name", "")
                target = relations.get(elem.attrib.get(f"{{{_REL}}}id", ""), "").replace("\\", "/")
                if target:
                    self.sheets[name] = (target.lstrip("/") if target.startswith("/")
                                         else posixpath.normpath(posixpath.join("xl", target)))  # fmt: skip
                if elem.attrib.get("state", "visible") != "visible":
                    self.hidden.add(name)
            elif local == "workbookPr":
                self.date1904 = elem.attrib.get("date1904", "0").lower() in ("1", "true")

    # -- cells ------------------------------------------------------------------------------

    def inflate(self, part: str) -> bytes:
        """A part's bytes, counted as they inflate (a zip may lie about sizes), DTDs refused."""
        limit = self._max_part or MAX_PART_BYTES
        out = bytearray()
        try:
            with self._open(part) as stream:
                while chunk := stream.read(CHUNK):
                    if not out:
                        _check_prolog(chunk, _("its part {part}").format(part=part))
                    out += chunk
                    if len(out) > limit:
                        raise UnreadableWorkbook(_("its part {part} inflates past {size} MB; far more than this file should hold").format(part=part, size=limit // 2**20))
        except DAMAGED as exc:  # CRC errors, truncated data, a flipped byte in deflated data
            raise UnreadableWorkbook(_("its part {part} is damaged ({error})").format(part=part, error=exc)) from None
        return bytes(out)

    def check_shared_parts(self) -> None:
        """Inflate, within the limits, the parts any reader loads on opening the workbook."""
        for part in ("xl/sharedstrings.xml", "xl/styles.xml"):
            if part in self._infos:
                self.inflate(self._infos[part].filename)

    def sheet_part(self, sheet: str) -> str:
        part = self.sheets.get(sheet)
        if part is None:
            raise UnreadableWorkbook(_("its sheet {sheet} has no part").format(sheet=repr(sheet)))
        return part

    def content_types(self) -> dict[str, str]:
        """Every part's content type ([Content_Types].xml: by name, else by extension)."""
        by_name, by_extension = {}, {}
        for elem in self._tree("[Content_Types].xml"):
            local = _local(elem.tag)
            if local == "Override":
                by_name[elem.attrib.get("PartName", "").lstrip("/").lower()] = elem.attrib.get("ContentType", "")
            elif local == "Default":
                by_extension[elem.attrib.get("Extension", "").lower()] = elem.attrib.get("ContentType", "")
        return {name: by_name.get(name) or by_extension.get(name.rpartition(".")[2], "") for name in self._infos
                if not name.endswith("/")}  # fmt: skip

    def cells(self, data: bytes, wanted: set[tuple[int, int]] | None, label: str,
              max_col: int | None = None, max_cells: int | None = None) -> dict[tuple[int, int], Any]:
        """The wanted cells (0-based row, col) of one sheet's XML that hold a value, streamed:
        the cells not wanted cost one call each and nothing is kept of them. `wanted` None
        means every cell left of column `max_col`, up to `max_cells` of them (a table)."""
        if wanted is not None and not wanted:
            return {}
        handler = _SheetCells(wanted) if wanted is not None else _TableCells(max_col or 1, max_cells or 10**7, label)
        stream(data, handler, label)
        values = {place: self._value(kind, style, raw) for place, (kind, style, raw) in handler.found.items()}
        return {place: value for place, value in values.items() if value not in (None, "")}

    def _value(self, kind: str, style: str | None, raw: str | None) -> Any:
        if raw is None:
            return None
        if kind == "s":
            return self._string(int(raw)) if raw.strip().isdigit() else None
        if kind in ("str", "inlineStr"):
            return raw
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "e":
            return CellError(raw.strip())
        if kind == "d":
            try:
                return datetime.fromisoformat(raw.strip())
            except ValueError:
                return raw
        try:
            number = float(raw)
        except ValueError:
            return raw
        if style is not None and style.isdigit() and self._is_date_style(int(style)) and 0 <= number < 2958466:
            base = datetime(1904, 1, 1) if self.date1904 else datetime(1899, 12, 30)
            moment = base + timedelta(days=round(number * 86400) / 86400)
            return moment.date() if moment.time() == time() else moment  # as python-calamine gives it
        return number

    def _is_date_style(self, index: int) -> bool:
        if self._styles is None:
            self._styles = self._load_styles()
        return 0 <= index < len(self._styles) and self._styles[index]

    def _load_styles(self) -> list[bool]:
        if "xl/styles.xml" not in self._infos:
            return []
        formats: dict[int, str] = {}
        xfs: list[int] = []
        for elem in self._tree("xl/styles.xml"):
            local = _local(elem.tag)
            if local == "numFmts":
                formats = {int(f.attrib["numFmtId"]): f.attrib.get("formatCode", "")
                           for f in elem if f.attrib.get("numFmtId", "").isdigit()}  # fmt: skip
            elif local == "cellXfs":
                xfs = [int(x.attrib.get("numFmtId", "0")) if x.attrib.get("numFmtId", "0").isdigit() else 0 for x in elem]
        return [f in _DATE_FORMATS if f not in formats else _is_date_format(formats[f]) for f in xfs]

    def _string(self, index: int) -> str | None:
        if self._strings is None:
            part = next((info.filename for name, info in self._infos.items() if name == "xl/sharedstrings.xml"), None)
            self._strings = [_string_text(si) for si in self._tree(part)] if part else []
        return self._strings[index] if 0 <= index < len(self._strings) else None


def stream(data: bytes, handler: _SheetCells, label: str) -> None:
    """Feed a sheet's XML to `handler` with expat, refusing any DOCTYPE or entity; the handler
    ends the parse early by raising _Done."""
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def refuse(*_: Any) -> None:
        raise UnreadableWorkbook(_("{part} declares a DOCTYPE or entities, which no spreadsheet needs (an XML attack?)").format(part=label))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    try:
        parser.Parse(data, True)
    except _Done:  # every wanted row read: the rest is not parsed
        pass
    except expat.ExpatError as exc:
        raise UnreadableWorkbook(_("{part} is damaged XML ({error}, line {line})").format(part=label, error=expat.ErrorString(exc.code), line=exc.lineno)) from None


class _Done(Exception):
    """Every wanted row has been read: the rest of the sheet is not parsed."""


class _SheetCells:
    """expat handlers keeping only the wanted cells of a sheet: [type, style, value text]."""

    def __init__(self, wanted: set[tuple[int, int]]):
        self.wanted = wanted
        self.rows = {r for r, _ in wanted}
        self.last_row = max(self.rows)
        self.found: dict[tuple[int, int], list[str | None]] = {}
        self.row, self.col = -1, -1
        self.cell: list[str | None] | None = None  # the wanted cell being read
        self.slot = 0  # 2 while in <v> or an inline string's <t>, 0 elsewhere
        self.phonetic = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        name = _LOCAL.get(tag) or _local(tag)
        if name == "c":
            ref = attrs.get("r")
            place = _POSITIONS.get(ref) if ref else None
            if place is None:
                place = (_position(ref) if ref else None) or (self.row, self.col + 1)
                if ref and len(_POSITIONS) < 100_000:
                    _POSITIONS[ref] = place
            self.col = place[1]
            if self._wants(place):
                self.cell = [attrs.get("t", "n"), attrs.get("s"), None]
                self.found[place] = self.cell
            else:
                self.cell = None
        elif name == "row":
            number = attrs.get("r", "")
            self.row = int(number) - 1 if number.isdigit() else self.row + 1
            self.col = -1
            if self.row > self.last_row:
                raise _Done  # rows come in ascending order: nothing wanted is left
        elif self.cell is not None:
            if name == "v" or (name == "t" and not self.phonetic):
                self.slot = 2
                if self.cell[2] is None:
                    self.cell[2] = ""
            elif name == "rPh":
                self.phonetic = True

    def _wants(self, place: tuple[int, int]) -> bool:
        return place in self.wanted

    def end(self, tag: str) -> None:
        if self.cell is not None:
            name = _LOCAL.get(tag) or _local(tag)
            if name == "c":
                self.cell = None
            elif name == "rPh":
                self.phonetic = False
            self.slot = 0

    def text(self, data: str) -> None:
        if self.slot and self.cell is not None:
            self.cell[self.slot] = (self.cell[self.slot] or "") + data


class _TableCells(_SheetCells):
    """Every cell left of `max_col`, to the end of the sheet, refusing more than `max_cells`."""

    def __init__(self, max_col: int, max_cells: int, label: str):
        super().__init__({(2**31, 0)})  # nothing in particular: the last row is never reached
        self.max_col, self.max_cells, self.label = max_col, max_cells, label

    def _wants(self, place: tuple[int, int]) -> bool:
        if place[1] >= self.max_col:
            return False
        if len(self.found) >= self.max_cells:
            raise UnreadableWorkbook(_("{part} holds more than {count} cells; far more than this file should hold").format(part=self.label, count=self.max_cells))
        self.place = place
        return True

    def end(self, tag: str) -> None:
        cell = self.cell
        super().end(tag)
        if cell is not None and self.cell is None and cell[2] is None:
            del self.found[self.place]  # a formatted cell holding nothing: not kept, not counted


_POSITIONS: dict[str, tuple[int, int]] = {}


def _string_text(si: ET.Element) -> str:
    """The text of a string item: its <t>, or its runs' <t>, without phonetic (rPh) runs."""
    parts: list[str] = []
    for child in si:
        local = _local(child.tag)
        if local == "t":
            parts.append(child.text or "")
        elif local == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return "".join(parts)
