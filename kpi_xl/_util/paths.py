"""File and folder names made from roster text, and writing files safely."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

# Windows device names: a file called CON or con.xlsx cannot be created there.
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def safe_name(text: str, limit: int = 60) -> str:
    """One path component from any text: no separators, reserved characters, leading dots
    or device names, whatever the roster says (`../财务` → `_财务`, `a/b` → `a_b`)."""
    name = _UNSAFE.sub("_", text.strip())
    name = re.sub(r"^[.\s]+", "_", name)  # no hidden files, no ".."
    name = name.rstrip(". ")  # Windows drops trailing dots and spaces
    if name.split(".")[0].upper() in _RESERVED:
        name = "_" + name
    name = name[:limit].rstrip(". ")
    return name or "_"


def os_error_message(exc: OSError, name_file: bool = True) -> str:
    """A file-system fault in words a clerk can act on: which file, what, what to do."""
    where = exc.filename or "the output"
    hints = {
        errno.ENOSPC: "the disk is full; free some space and run the command again",
        errno.EDQUOT: "your disk quota is used up; free some space and run the command again",
        errno.EROFS: "the folder is read-only; choose another output folder (--out)",
        errno.EACCES: "you may not write there; choose another output folder (--out) or ask for access",
        errno.EPERM: "you may not write there; choose another output folder (--out) or ask for access",
        errno.ENOTDIR: "a file stands where a folder is needed; choose another output folder (--out)",
        errno.EEXIST: "a file stands where a folder is needed; choose another output folder (--out)",
        errno.EISDIR: "it is a folder, not a file; give a file",
        errno.ENAMETOOLONG: "the path is too long; choose a shorter output folder (--out)",
    }
    hint = hints.get(exc.errno or 0, "check the path and run the command again")
    return f"{where}: {exc.strerror or exc}; {hint}" if name_file else f"{exc.strerror or exc}; {hint}"


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
