"""The user's xlwings.conf, read and written the way xlwings and its add-in use it.

One `"KEY","VALUE"` line per setting. xlwings writes the file with Python's default text
encoding and the add-in's VBA reads it with `Open … For Input` (xlwings/addin/Config.bas,
GetConfigFromFile): both the ANSI code page, cp936 on Chinese Windows. So it is written in
that code page; a value the code page cannot hold could not be read by Excel at all.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .._util.i18n import _
from .._util.paths import write_atomic
from ..errors import KpiError

_LINE = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"\s*$')


def read_lines(path: Path, ansi: str) -> tuple[list[str], str]:
    """The file's lines and how it was encoded ("" if there is no file yet)."""
    if not path.exists():
        return [], ""
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace").splitlines(), "UTF-8 with a BOM"
    # UTF-8 first: a file in cp936 is almost never valid UTF-8, while UTF-8 bytes often pass as cp936.
    # (xlwings writes UTF-8 only when Python runs in UTF-8 mode.)
    for encoding in ("utf-8", ansi):
        try:
            return data.decode(encoding).splitlines(), encoding
        except UnicodeDecodeError:
            continue
    raise KpiError(_("{file} is neither UTF-8 nor in this Windows' code page {ansi}; "
                     "rename it (xlwings makes a new one) and run the setup again").format(file=path, ansi=ansi))  # fmt: skip


def update(path: Path, wanted: dict[str, str], ansi: str) -> list[str]:
    """Set keys ("KEY","VALUE" lines), keeping every other line; a UDF module is added to
    those already named. Written in the ANSI code page. Returns what changed."""
    lines, was = read_lines(path, ansi)
    found: dict[str, int] = {}
    for i, line in enumerate(lines):
        match = _LINE.match(line)
        if match:
            found[match.group(1).upper()] = i
    changes = []
    for key, value in wanted.items():
        if key in found:
            current = _LINE.match(lines[found[key]]).group(2)  # type: ignore[union-attr]
            if key == "UDF MODULES":
                modules = [m for m in current.split(";") if m.strip()]
                if value in modules:
                    continue
                value = ";".join([*modules, value])
            elif current == value:
                continue
            lines[found[key]] = f'"{key}","{value}"'
            changes.append(_("{key} set to {value} (was {old})").format(key=key, value=value, old=current))
        else:
            lines.append(f'"{key}","{value}"')
            changes.append(_("{key} set to {value}").format(key=key, value=value))
    text = "".join(f"{line}\r\n" for line in lines)  # VBA's Input # ends a line at CR LF
    try:
        data = text.encode(ansi)
    except UnicodeEncodeError as exc:
        bad = text[exc.start : exc.end]
        raise KpiError(_("{file}: Excel's add-in reads this file in the code page {ansi}, which cannot hold "
                         "{text}; set Windows' language for non-Unicode programs to Chinese (Simplified) "
                         "(Settings › Time & language › Language › Administrative language settings › Change "
                         "system locale; without it Excel cannot find this user folder) and run the setup again"
                         ).format(file=path, ansi=ansi, text=repr(bad))) from None  # fmt: skip
    misread = was == "UTF-8 with a BOM" or (was == "utf-8" and codecs.lookup(ansi).name != "utf-8" and not text.isascii())
    if misread:
        changes.append(_("rewritten in {ansi} (it was {was}, which Excel's add-in misreads)").format(
            ansi=ansi, was=_("UTF-8 with a BOM") if was == "UTF-8 with a BOM" else was))
    if changes:
        write_atomic(path, data)
    return changes
