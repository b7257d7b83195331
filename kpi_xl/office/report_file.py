"""Writing a workbook kpi-xl generates — a form, a summary (附件7–9), the 指标库 — atomically,
never over a copy someone changed: that one is kept and the new one written beside it,
`附件7_2026-11（新）.xlsx` (`form7_2026-11 (new).xlsx` with --lang en).

Reruns do not pile up copies: the first of name（新）, name（新2）, … that is free or is
itself an untouched generated file is the one written (collect/untouched.why_keep).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .._util.i18n import _
from .._util.paths import write_atomic
from ..collect.untouched import why_keep
from ..errors import KpiFileError
from ..forms import FormSpec
from ..render.content import content_record
from ..render.xlsx import render_book
from ..scorecards.library import SCORECARDS_MARKER, Library, scorecards_book

MAX_BESIDE = 99  # name（新99）: past that, the folder needs a person's look


@dataclass
class Written:
    path: Path  # where the new file is
    kept: Path | None = None  # a changed file left in place
    reason: str = ""  # why it was kept


def beside(path: Path, n: int, lang: str) -> Path:
    """The n-th name beside `path` for a new file: 附件7（新）.xlsx, 附件7（新2）.xlsx …"""
    number = "" if n == 1 else str(n)
    mark = f" (new{' ' + number if number else ''})" if lang == "en" else f"（新{number}）"
    return path.with_name(f"{path.stem}{mark}{path.suffix}")


def write_keeping(path: Path, data: Callable[[], bytes], why: Callable[[Path], str], lang: str,
                  exists: bool | None = None) -> Written:  # fmt: skip
    """Write `data()` at `path`, unless `why(path)` says the file there must be kept: then
    beside it (see the module's note). `why` is untouched.why_keep for this kind of file;
    `exists`: whether `path` exists, when the caller has just looked."""
    reason = why(path) if (path.exists() if exists is None else exists) else ""
    if not reason:
        write_atomic(path, data())
        return Written(path)
    for n in range(1, MAX_BESIDE + 1):
        other = beside(path, n, lang)
        if not other.exists() or not why(other):
            write_atomic(other, data())
            return Written(other, kept=path, reason=reason)
    raise KpiFileError(_("{path}: kept ({reason}), and {n} copies beside it were changed too; move them away and run again").format(
        path=path, reason=reason, n=MAX_BESIDE))  # fmt: skip


def write_report(path: Path, specs: list[FormSpec]) -> Written:
    """Write a summary workbook (its first spec the main sheet, the others further sheets)."""
    main, others = specs[0], specs[1:]
    return write_keeping(path, lambda: render_book(specs),
                         lambda p: why_keep(p, main, writing=lambda: content_record(main, others)), main.lang)  # fmt: skip


def write_scorecards_keeping(library: Library, path: Path, lang: str) -> Written:
    """`kpi-xl scorecards`: the 指标库, never over one someone edited. A 指标库 without a
    meta sheet (written before kpi-xl recorded what it wrote) is kept unless it shows
    exactly what is about to be written."""
    data, record = scorecards_book(library)
    return write_keeping(path, lambda: data,
                         lambda p: why_keep(p, None, writing=lambda: record, marker=SCORECARDS_MARKER), lang)  # fmt: skip
