"""Has anyone touched a workbook kpi-xl generated? The one check behind "never overwrite a
file a person touched", for the forms (`kpi-xl forms --force`), the summaries (附件7–9) and
the 指标库 (`kpi-xl scorecards`) alike.

A workbook may be replaced when it shows exactly what its meta sheet records was generated
(every sheet's cells, formulas, names and order, and no comment, image, drawing or other
object added: kpi_xl/_util/content.py), or exactly what is about to be written in its place
(nothing would be lost). Anything else is kept: a file that cannot be read, one that is not
ours, and one written by a kpi-xl that did not record its content yet and that differs from
the new one. Formatting alone (a colour, a column width) is not compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._util.content import CONTENT_KEY, META_SHEET, Content, part_kind, placed_digest, token
from .._util.i18n import _, ngettext
from ..errors import KpiError, quote
from ..forms import FormSpec
from ..forms.spec import MARKER, inputs_digest
from .reader import UnreadableWorkbook, WorkbookValues


def why_keep(path: Path, spec: FormSpec | None, *, writing: Callable[[], str] | None = None, marker: str = MARKER) -> str:
    """Why `path` must be kept, or "" when it may be replaced.

    `spec`: the form about to be written there (its inputs tell a filled form); None for a
    workbook without one (the 指标库). `writing`: the content record (meta_values'
    generated_content) of what is about to be written, asked for only when needed. `marker`: the meta sheet's marker
    of that kind of workbook."""
    try:
        with WorkbookValues(path) as book:
            meta = book.meta(marker)
            found, cells = read_content(book, spec.sheet if spec is not None else None)
    except UnreadableWorkbook as exc:
        return _("cannot be read ({reason})").format(reason=exc)
    except (KpiError, OSError) as exc:  # whatever is wrong with the file, a file we cannot check is kept
        return _("cannot be read ({reason})").format(reason=f"{type(exc).__name__}: {exc}")
    if meta is not None and spec is not None and meta.get("fingerprint") == spec.fingerprint() and cells is not None:
        typed = ((f.key, cells.get((f.row, f.col))) for f in spec.fields)
        if inputs_digest(typed) != meta.get("generated_inputs"):
            return _("filled in since it was generated")
    recorded = Content.parse(meta.get(CONTENT_KEY)) if meta is not None else None
    if found == recorded or (writing is not None and found == Content.parse(writing())):
        return ""
    if meta is None:
        return _("not written by kpi-xl (it has no kpi-xl meta sheet)")
    if recorded is None:
        return _("written by an older kpi-xl, which did not record what it wrote, and not the same as the new one")
    return "; ".join(differences(recorded, found))


def read_content(book: WorkbookValues, keep: str | None = None) -> tuple[Content, dict[tuple[int, int], Any] | None]:
    """The record of what an open workbook shows (see _util/content.py), and the cells of
    sheet `keep` (None when there is no such sheet)."""
    sheets, kept = [], None
    for name in book.sheet_names:
        if name == META_SHEET:
            continue
        cells, formulas = book.sheet_content(name)
        if name == keep:
            kept = cells
        shown = [(row * 16384 + col, token(value)) for (row, col), value in cells.items()]
        sheets.append((name, placed_digest([pair for pair in shown if pair[1] is not None], formulas)))
    kinds = Counter(kind for content_type in book.content_types().values() if (kind := part_kind(content_type)))
    return Content.of(sheets, kinds), kept


def _kind_name(kind: str) -> str:
    names = {"comment": _("comments or notes"), "drawing": _("drawings or shapes"), "chart": _("charts"),
             "image": _("images")}  # fmt: skip
    return names.get(kind, _("other objects (tables, macros, embedded files, links)"))


def differences(recorded: Content, found: Content) -> list[str]:
    """What differs, in words: sheets added, removed or renamed, cells changed, objects added."""
    was, now = dict(recorded.sheets), dict(found.sheets)
    reasons = []
    added = [name for name in now if name not in was]
    removed = [name for name in was if name not in now]
    for old in list(removed):  # a sheet that shows what another one did, under a new name
        new = next((name for name in added if now[name] == was[old]), None)
        if new is not None:
            reasons.append(_("sheet {old} renamed {new}").format(old=quote(old), new=quote(new)))
            removed.remove(old)
            added.remove(new)
    if added:
        reasons.append(ngettext("sheet {names} added", "sheets {names} added", len(added))
                       .format(names=", ".join(quote(n) for n in added)))  # fmt: skip
    if removed:
        reasons.append(ngettext("sheet {names} removed or renamed", "sheets {names} removed or renamed", len(removed))
                       .format(names=", ".join(quote(n) for n in removed)))  # fmt: skip
    if not added and not removed and [n for n in was if n in now] != [n for n in now if n in was]:
        reasons.append(_("its sheets were put in another order"))
    changed = [name for name, digest in now.items() if name in was and was[name] != digest]
    if changed:
        reasons.append(_("cells changed or added on {sheets}").format(sheets=", ".join(quote(n) for n in changed)))
    had, has = dict(recorded.parts), dict(found.parts)
    kinds = [kind for kind in sorted(set(had) | set(has)) if had.get(kind, 0) != has.get(kind, 0)]
    if kinds:
        reasons.append(_("{objects} added or removed").format(objects=", ".join(_kind_name(k) for k in kinds)))
    return reasons or [_("changed since it was generated")]
