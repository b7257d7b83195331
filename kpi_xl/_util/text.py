"""Text files as Chinese Windows saves them: UTF-8 with or without a byte order mark (Excel's
"CSV UTF-8", Notepad), the ANSI code page GBK/GB18030 (Excel's plain "CSV", older Notepad),
UTF-16 (Excel's "Unicode text"); and CSV separated by `;` or tabs, as Excel writes it where
the comma is the decimal mark or for "Unicode text".
"""

from __future__ import annotations

import codecs
import csv
import io

from .i18n import _

# a byte order mark says what the file is; without one, UTF-8 first: GBK text is almost never
# valid UTF-8, while UTF-8 bytes can pass as GB18030
_MARKED = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_UNMARKED = ("utf-8", "gb18030")
SEPARATORS = (",", ";", "\t")


class UnreadableText(ValueError):
    """Bytes that are none of the encodings above (often a workbook renamed to .csv)."""


def decode_text(data: bytes) -> str:
    for bom, encoding in _MARKED:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise UnreadableText(_("starts as {encoding} but is not").format(encoding=encoding)) from None
    for encoding in _UNMARKED:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableText(_("neither UTF-8 nor GBK/GB18030"))


def csv_rows(text: str) -> list[list[str]]:
    """The rows of a CSV, separated by whichever of , ; or tab its first line uses most."""
    first = text.split("\n", 1)[0]
    separator = max(SEPARATORS, key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
