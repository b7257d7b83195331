"""Filling a generated form the way a person would: typing into its input cells."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl

from kpi_xl.forms.spec import FormSpec


def fill(path: Path, spec: FormSpec, values: dict[str, Any], out: Path | None = None) -> Path:
    """Type `values` (by field key) into the form at `path`; save to `out` (default: in place)."""
    book = openpyxl.load_workbook(path)
    sheet = book[spec.sheet]
    keys = {f.key for f in spec.fields}
    for key, value in values.items():
        assert key in keys, f"{key} is not an input of form {spec.form}"
        row, col = spec.position(key)
        cell = sheet.cell(row + 1, col + 1)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # typed text stays text, even "=…"
    target = out or path
    book.save(target)
    return target


TEXTS = ["完成月度报表", "=SUM(A1:A3)", "+86 138", "-待定", "@客户", "Deliver Q4 plan", "复核"]


def random_values(spec: FormSpec, rng, blank_share: float = 0.0) -> dict[str, Any]:
    """Valid values for every input of `spec`, as a person might type them; a share left blank."""
    import datetime as dt

    values: dict[str, Any] = {}
    for f in spec.fields:
        if rng.random() < blank_share:
            continue
        check = f.check
        if check.kind == "decimal":
            low, high = float(check.minimum), float(check.maximum)
            values[f.key] = round(rng.uniform(low, high) * 2) / 2 if high <= 100 else round(rng.uniform(low, min(high, 20000)), 2)
        elif check.kind == "date":
            span = (check.maximum - check.minimum).days
            day = check.minimum + dt.timedelta(days=rng.randrange(span + 1))
            values[f.key] = dt.datetime(day.year, day.month, day.day)
        elif check.kind == "list":
            values[f.key] = rng.choice(check.choices)
        else:
            values[f.key] = rng.choice(TEXTS)
    return values


def valid_values(spec: FormSpec, rng) -> dict[str, Any]:
    """random_values that also meet the form's requirements: plan weights total 100."""
    values = random_values(spec, rng)
    for requirement in spec.requirements:
        if requirement.kind == "total":
            cuts = sorted(rng.sample(range(1, 100), len(requirement.keys) - 1))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, 100])]
            values.update(dict(zip(requirement.keys, map(float, parts))))
    return values


def write_filled(path: Path, spec: FormSpec, values: dict[str, Any]) -> Path:
    """A filled copy as a spreadsheet would save it (values and computed results)."""
    from kpi_xl.render.xlsx import render_book

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_book([spec.filled(values)], generated_from=spec))
    return path
