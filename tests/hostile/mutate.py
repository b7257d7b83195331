"""Rewriting one part of a workbook's zip, the way a broken or hostile file would differ."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

FORM_SHEET = "xl/worksheets/sheet1.xml"  # XlsxWriter writes the form first
META_PART = "xl/worksheets/sheet3.xml"  # instructions second, meta third


def rewrite(path: Path, part: str, change: Callable[[bytes], bytes], out: Path | None = None) -> Path:
    """Copy the workbook at `path` to `out` (default: in place) with `part` changed."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    target = out or path
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info.filename, change(data) if info.filename == part else data)
    return target


def append_row(xml: bytes, row_xml: str) -> bytes:
    """Add a row at the end of a sheet's data (rows stay in ascending order)."""
    return xml.replace(b"</sheetData>", row_xml.encode() + b"</sheetData>")


def far_corner(xml: bytes) -> bytes:
    """One cell at the very last place of the sheet, and a dimension saying so."""
    xml = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    return append_row(xml, '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')


def whole_sheet_dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)


def with_doctype(xml: bytes, doctype: str) -> bytes:
    """An internal DTD after the XML declaration, and a reference to its entity in the data."""
    if not xml.startswith(b"<?xml"):  # openpyxl writes no declaration
        return doctype.encode() + xml
    declaration, rest = xml.split(b"?>", 1)
    return declaration + b"?>" + doctype.encode() + rest


BILLION_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
                  + "]>")  # fmt: skip
EXTERNAL_ENTITY = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def padded(size: int) -> Callable[[bytes], bytes]:
    """A sheet that inflates to `size` more bytes (whitespace compresses ~1000:1)."""
    return lambda xml: xml.replace(b"</worksheet>", b" " * size + b"</worksheet>")
