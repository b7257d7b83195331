"""Gettext message catalogues: read a .po file, compile it to the .mo bytes gettext reads.

The .po file in kpi_xl/locale is the only copy of the translations; it is compiled in memory
when first needed (a few milliseconds), so there is no binary .mo to keep in step with it.
The .mo layout is GNU gettext's documented one ("The Format of GNU MO Files"): a header,
two tables of (length, offset) for the sorted originals and their translations, then the
NUL-terminated strings. No hash table: Python's gettext reads the tables, never the hash.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

MO_MAGIC = 0x950412DE
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=lambda: [""])
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)

    @property
    def translated(self) -> bool:
        return all(self.msgstr) and "fuzzy" not in self.flags


def unquote(text: str) -> str:
    """The value of one quoted .po string ("…" with C escapes)."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted string: {text!r}")
    out, chars = [], iter(text[1:-1])
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append(_ESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(ch)
    return "".join(out)


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    if "\n" not in escaped.rstrip("\n") or len(escaped) < 60:
        return '"' + escaped.replace("\n", "\\n") + '"'
    parts = escaped.split("\n")
    lines = [p + "\\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    return '""\n' + "\n".join(f'"{line}"' for line in lines)


def parse_po(text: str) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") included; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None  # which string continuation lines extend
    flags: set[str] = set()
    references: list[str] = []

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(text.split("\n"), start=1):  # not splitlines(): \x1e is no line end here
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#"):
            if current is not None and target is not None and target[0] != "msgid":
                finish()
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",") if f.strip()}
            elif line.startswith("#:"):
                references += line[2:].split()
            continue
        keyword, _, rest = line.partition(" ")
        try:
            if line.startswith('"'):
                if current is None or target is None:
                    raise ValueError("a string outside an entry")
                name, index = target
                value = unquote(line)
                if name == "msgid":
                    current.msgid += value
                elif name == "msgid_plural":
                    current.msgid_plural = (current.msgid_plural or "") + value
                else:
                    current.msgstr[index] += value
            elif keyword == "msgid":
                finish()
                current = Entry(unquote(rest), flags=flags, references=references)
                flags, references, target = set(), [], ("msgid", 0)
            elif current is None:
                raise ValueError(f"{keyword} before msgid")
            elif keyword == "msgid_plural":
                current.msgid_plural, target = unquote(rest), ("msgid_plural", 0)
            elif keyword == "msgstr":
                current.msgstr, target = [unquote(rest)], ("msgstr", 0)
            elif keyword.startswith("msgstr[") and keyword.endswith("]"):
                index = int(keyword[7:-1])
                if index == 0:
                    current.msgstr = []
                if index != len(current.msgstr):
                    raise ValueError(f"{keyword} out of order")
                current.msgstr.append(unquote(rest))
                target = ("msgstr", index)
            else:
                raise ValueError(f"unknown keyword {keyword!r}")
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
    finish()
    return entries


def compile_mo(entries: list[Entry]) -> bytes:
    """The .mo bytes for the translated entries (untranslated and fuzzy ones fall back to the msgid)."""
    pairs = {}
    for e in entries:
        if e.msgid and not e.translated:
            continue
        key = e.msgid if e.msgid_plural is None else e.msgid + "\0" + e.msgid_plural
        pairs[key.encode("utf-8")] = "\0".join(e.msgstr).encode("utf-8")
    keys = sorted(pairs)
    count = len(keys)
    originals_at = 7 * 4
    translations_at = originals_at + count * 8
    strings_at = translations_at + count * 8
    tables, blob = [], b""
    for strings in (keys, [pairs[k] for k in keys]):
        table = []
        for s in strings:
            table.append((len(s), strings_at + len(blob)))
            blob += s + b"\0"
        tables.append(table)
    header = struct.pack("<7I", MO_MAGIC, 0, count, originals_at, translations_at, 0, strings_at)
    flat = [number for table in tables for pair in table for number in pair]
    return header + struct.pack(f"<{len(flat)}I", *flat) + blob


def format_entry(entry: Entry) -> str:
    lines = []
    if entry.references:
        lines.append("#: " + " ".join(entry.references))
    if entry.flags:
        lines.append("#, " + ", ".join(sorted(entry.flags)))
    lines.append("msgid " + quote(entry.msgid))
    if entry.msgid_plural is None:
        lines.append("msgstr " + quote(entry.msgstr[0]))
    else:
        lines.append("msgid_plural " + quote(entry.msgid_plural))
        lines += [f"msgstr[{i}] " + quote(s) for i, s in enumerate(entry.msgstr)]
    return "\n".join(lines) + "\n"
