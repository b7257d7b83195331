"""Writing a summary workbook (附件7–9) atomically, never over a copy someone has edited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .._util.paths import write_atomic
from ..collect.untouched import why_keep
from ..forms import FormSpec
from ..render.xlsx import render_book


@dataclass
class Written:
    path: Path
    kept: Path | None = None  # an edited copy left in place


def write_report(path: Path, specs: list[FormSpec]) -> Written:
    """Write a summary workbook; if the existing one was edited since we wrote it, keep it
    and write beside it."""
    data = render_book(specs)
    if path.exists() and why_keep(path, specs[0]):
        stamp = date.today().strftime("%Y%m%d")
        other = path.with_name(f"{path.stem}_重新生成_{stamp}{path.suffix}")
        n = 2
        while other.exists():
            other = path.with_name(f"{path.stem}_重新生成_{stamp}_{n}{path.suffix}")
            n += 1
        write_atomic(other, data)
        return Written(other, kept=path)
    write_atomic(path, data)
    return Written(path)
