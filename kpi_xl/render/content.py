"""The record of what a rendered workbook shows (kpi_xl/_util/content.py), computed from
the declarations and the values written, for the meta sheet: a workbook whose cells,
sheets or parts differ from it has been touched and is never overwritten."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .._util.content import Content, Placed, cached_token, sheet_digest, token
from ..forms.spec import Computed, FormSpec, Text


def cached(value: Any) -> Any:
    """What a spreadsheet that does not recalculate on open (LibreOffice, WPS) shows."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if hasattr(value, "item"):
        value = value.item()
    return value


def written_text(cell: Text) -> Any:
    """A label as written: a 序号 is a number (stored as text, Excel marks it with a green triangle)."""
    return int(cell.text) if cell.style == "number" and cell.text.isdigit() else cell.text


def instructions_name(lang: str) -> str:
    return "Instructions" if lang == "en" else "说明"


INSTRUCTIONS_FIRST_LINE = 2  # row of the first line under the title


def content_record(main: FormSpec, others: Sequence[FormSpec] = (), generated: FormSpec | None = None) -> str:
    """The record of a workbook render_book writes from `main` and `others` (`generated`:
    the blank form a filled copy stands for, as in meta_values)."""
    if main.origin is not None and not others and generated is None:
        # a derived form's record is its layout's with its own sheet digest
        origin = main.origin.form
        around = origin.memo.get(_RECORD)
        if around is None:
            around = origin.memo[_RECORD] = _record_around(origin)
        if around:
            return around[0] + _form_digest(main) + around[1]
    sheets = [(spec.sheet, _form_digest(spec)) for spec in [generated or main, *others]]
    # a form derived from another (FormSpec.with_texts) has its title and instructions
    origin = main.origin.form if main.origin is not None else main
    instructions = origin.memo.get(_INSTRUCTIONS)
    if instructions is None:
        lines = [(0, 0, token(main.title))]
        lines += [(row, 0, token(line)) for row, line in enumerate(main.instructions, start=INSTRUCTIONS_FIRST_LINE)]
        instructions = origin.memo[_INSTRUCTIONS] = sheet_digest(lines, 0)
    sheets.append((instructions_name(main.lang), instructions))
    charted = [spec for spec in [main, *others] if spec.charts]
    parts = {"drawing": len(charted), "chart": sum(len(spec.charts) for spec in charted)}
    return Content.of(sheets, parts).text()


_INSTRUCTIONS, _CELLS, _RECORD = "content.instructions", "content.cells", "content.record"  # FormSpec.memo keys


def _record_around(spec: FormSpec) -> tuple[str, str] | tuple[()]:
    """`spec`'s content record before and after its form sheet's digest, () when that digest
    is not in it exactly once (the 说明 sheet's the same: 2**-64)."""
    digest = f'"{_form_digest(spec)}"'  # hex: JSON writes it as it is
    record = content_record(spec)
    if record.count(digest) != 1:
        return ()
    before, _, after = record.partition(digest)
    return before + '"', '"' + after


def _form_digest(spec: FormSpec) -> str:
    """The digest of the form's sheet; for a form derived from another, the other's with the
    texts that differ put in their places (the same digest, without going over every cell)."""
    if spec.origin is None:
        return sheet_digest(_cells(spec), len(spec.computed))
    origin = spec.origin.form
    known = origin.memo.get(_CELLS)
    if known is None:
        known = origin.memo[_CELLS] = Placed(_cells(origin), len(origin.computed))
    return known.digest({i: token(written_text(spec.cells[i])) for i in spec.origin.texts})


def _cells(spec: FormSpec) -> list[tuple[int, int, str | None]]:
    values = spec.cached_values
    cells = []
    add = cells.append
    for cell in spec.cells:
        kind = type(cell)
        if kind is Text:
            add((cell.row, cell.col, token(written_text(cell))))
        elif kind is Computed:
            add((cell.row, cell.col, cached_token(cached(values.get(cell.key)))))
        else:  # Field, Fixed: what they hold as generated
            add((cell.row, cell.col, token(cell.value)))
    return cells
