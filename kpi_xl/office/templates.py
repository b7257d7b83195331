"""`kpi-xl templates`: the blank forms 附件1–9 in Chinese and English (workbook_templates/)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .._util.paths import write_atomic
from ..forms import Context, blank_form
from ..forms.common import file_label
from ..policy import DEFAULT_POLICY, Policy
from ..render.xlsx import render

# A fixed document date: regenerating unchanged templates gives the same files.
TEMPLATE_DATE = datetime(2026, 1, 1)


def template_name(form: int, lang: str) -> str:
    return f"{file_label(form, lang)}.xlsx"


def write_templates(out: Path, policy: Policy = DEFAULT_POLICY) -> list[Path]:
    written = []
    for lang in ("zh", "en"):
        for form in range(1, 10):
            path = out / lang / template_name(form, lang)
            write_atomic(path, render(blank_form(form, Context(None, lang, policy)), created=TEMPLATE_DATE))
            written.append(path)
    return written
