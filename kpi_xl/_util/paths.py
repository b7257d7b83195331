"""File and folder names made from roster text, and writing files safely."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
from pathlib import Path

from .i18n import N_, _, translated

# Windows device names: a file called CON or con.xlsx cannot be created there.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


# A file name may hold 255 bytes on Linux/macOS (UTF-8) and 255 UTF-16 units on Windows;
# a CJK Ext-B character or an emoji is 4 bytes and 2 units. Our names stay well inside both,
# leaving room for the temporary file write_atomic makes beside them.
NAME_BYTES = 180


def fit(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-8 bytes and `limit` UTF-16 units, whole characters only."""
    # a character is never fewer UTF-8 bytes than UTF-16 units, so the bytes decide
    while (excess := len(text.encode("utf-8")) - limit) > 0:
        text = text[: len(text) - max(1, excess // 4)]
    return text


def safe_name(text: str, limit: int = NAME_BYTES, tail: str = "") -> str:
    """One path component from any text: no separators, reserved characters, leading dots
    or device names, whatever the roster says (`../财务` → `__财务`, `a/b` → `a_b`).
    At most `limit` bytes (see `fit`); a long text is cut, `tail` (a 工号, `.xlsx`) is always kept."""
    tail = _UNSAFE.sub("_", tail)
    name = _UNSAFE.sub("_", text.strip())
    name = re.sub(r"^[.\s]+", "_", name)  # no hidden files, no ".."
    name = name.rstrip(". ")  # Windows drops trailing dots and spaces
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    room = max(1, limit - len(tail.encode("utf-8")))
    name = fit(name, room).rstrip(". ")
    return (name or "_") + tail


def short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def distinct_names(texts: list[str], limit: int = NAME_BYTES) -> dict[str, str]:
    """A safe name per text, never two alike (also not on a case-blind Windows or Mac disk):
    `市场/销售` and `市场_销售` both become `市场_销售`, so each one whose name is not its own text
    exactly gets a short hash of its text (`市场_销售~1a2b3c`). Deterministic: the same texts
    always give the same names."""
    plain = {text: safe_name(text, limit) for text in dict.fromkeys(texts)}
    groups: dict[str, list[str]] = {}
    for text, name in plain.items():
        groups.setdefault(name.casefold(), []).append(text)
    names: dict[str, str] = {}
    for text, name in plain.items():
        group = groups[name.casefold()]
        exact = [t for t in group if plain[t] == t]
        keeps = len(group) == 1 or exact == [text]  # alone, or the one named exactly by its text
        names[text] = name if keeps else safe_name(text, limit, tail="~" + short_hash(text))
    return names


def os_error_message(exc: OSError, name_file: bool = True) -> str:
    """A file-system fault in words a clerk can act on: which file, what, what to do."""
    where = exc.filename or _("the output")
    hints = {
        errno.ENOSPC: N_("the disk is full; free some space and run the command again"),
        errno.EDQUOT: N_("your disk quota is used up; free some space and run the command again"),
        errno.EROFS: N_("the folder is read-only; choose another output folder (--out)"),
        errno.EACCES: N_("you may not write there; choose another output folder (--out) or ask for access"),
        errno.EPERM: N_("you may not write there; choose another output folder (--out) or ask for access"),
        errno.ENOTDIR: N_("a file stands where a folder is needed; choose another output folder (--out)"),
        errno.EEXIST: N_("a file stands where a folder is needed; choose another output folder (--out)"),
        errno.EISDIR: N_("it is a folder, not a file; give a file"),
        errno.ENAMETOOLONG: N_("the path is too long; choose a shorter output folder (--out)"),
    }
    hint = translated(hints[exc.errno]) if exc.errno in hints else _("check the path and run the command again")
    fault = _("{fault}; {advice}").format(fault=exc.strerror or exc, advice=hint)
    return _("{where}: {problem}").format(where=where, problem=fault) if name_file else fault


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # the temporary name must fit the file system too: a long name's prefix is cut
    handle, temporary = tempfile.mkstemp(prefix=f".{fit(path.name, 200)}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file 0600; the finished file gets what any new file would
        # (0644 under the usual umask), so colleagues on a shared folder can open it
        os.chmod(temporary, 0o666 & ~_umask())
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask (read by setting it, so set it straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
