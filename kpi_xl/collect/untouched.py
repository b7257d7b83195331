"""Has anyone touched a workbook kpi-xl generated? The one check behind "never overwrite a
file a person touched", for the forms (`kpi-xl forms`) and the summaries (附件7–9) alike."""

from __future__ import annotations

from pathlib import Path

from .._util.i18n import _
from ..errors import KpiError, quote
from ..forms import FormSpec
from ..forms.spec import inputs_digest
from .reader import UnreadableWorkbook, WorkbookValues


def why_keep(path: Path, spec: FormSpec) -> str:
    """Why `path` must be kept — filled in since it was generated, another layout, not ours,
    or unreadable (a file that cannot be checked is kept) — or "" when it is as generated."""
    try:
        with WorkbookValues(path) as book:
            meta = book.meta()
            if meta is None:
                return _("not a kpi-xl form; kept as it is")
            if meta.get("fingerprint") != spec.fingerprint():
                return _("generated with another layout (policy or roster changed); kept, move it away to regenerate")
            if spec.sheet not in book.sheet_names:
                return _("its sheet {sheet} is missing; kept").format(sheet=quote(spec.sheet))
            sheet = book.sheet(spec.sheet, [(f.row, f.col) for f in spec.fields])
            current = [(f.key, sheet.value(f.row, f.col)) for f in spec.fields]
    except UnreadableWorkbook as exc:
        return _("cannot be read ({reason}); kept").format(reason=exc)
    except (KpiError, OSError) as exc:  # whatever is wrong with the file, a file we cannot check is kept
        return _("cannot be read ({reason}); kept").format(reason=f"{type(exc).__name__}: {exc}")
    if inputs_digest(current) != meta.get("generated_inputs"):
        return _("filled in since it was generated; kept")
    return ""
