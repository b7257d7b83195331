"""What a returned form shows a person, checked against what kpi-xl records (issue 12 class 2).

The ledger records the person the signed meta names and the totals the rules compute from
what was typed. The paper a person signs must say the same: its header (工号, 姓名, 部门, the
month) and its computed cells (totals, grade, pay). A header edited after unprotecting the
sheet, a total typed over with a number, a grade overwritten with text or a formula replaced
(`=1/0`) is reported with the cell and both values, and the form is refused.
"""

from __future__ import annotations

from typing import Any

from .._util.cells import cell_text
from .._util.i18n import _
from ..errors import quote
from ..forms import FormSpec
from ..forms.spec import cell_name
from ..reading.formulas import same_formula
from .reader import CellError, SheetValues

# the meta entry that names what a header cell shows, per kind of form
_META = {"id": "subject_id", "name": "subject_name", "department": "department"}
_META_DEPARTMENT_FORM = {"department": "department", "head": "subject_name"}


def header_problems(spec: FormSpec, sheet: SheetValues, meta: dict[str, str], facts: dict[str, str],
                    where: str) -> list[tuple[str, str]]:  # fmt: skip
    """(cell's place, message) for every header cell that does not show what the roster says
    of the person (`facts`: forms.header_facts) and the signed meta; the month's cell must
    read as the form of the month collected (`spec` was made for it)."""
    names = _META_DEPARTMENT_FORM if spec.form in (2, 5) else _META
    problems = []
    for cell in spec.header:
        shown = cell_text(sheet.value(cell.row, cell.col))
        expected = facts.get(cell.shows, cell.text).strip()
        if shown == expected:
            continue
        place = f"{where}!{cell_name(cell.row, cell.col)}"
        made_for = meta.get(names.get(cell.shows, ""), "").strip()
        if made_for and shown == made_for:  # as generated: the roster changed since
            said = _("shows {shown} as the form was made, but the roster now says {expected}; correct the roster, or generate the form again and have it filled in again").format(shown=quote(shown), expected=quote(expected))  # fmt: skip
        else:
            said = _("shows {shown}, but this form is for {expected}: its header was changed after it was made; hand in the form generated for you, with its header unchanged").format(shown=quote(shown), expected=quote(expected))  # fmt: skip
        problems.append((place, said))
    return problems


def computed_problems(spec: FormSpec, sheet: SheetValues, values: dict[str, Any], where: str) -> list[tuple[str, str]]:
    """(cell's place, message) for every computed cell that does not hold kpi-xl's formula,
    or whose saved value is not what that formula gives for what is typed (`values`)."""
    problems = []
    for cell in spec.computed:
        expected = spec.formulas[cell.key]
        computed = values.get(cell.key)
        formula = sheet.formulas.get((cell.row, cell.col))
        shown = sheet.value(cell.row, cell.col)
        if formula is None:
            said = _("shows {shown} typed over its formula; kpi-xl computes {computed} there (={formula}): the paper would not say what is recorded; undo the change, or fill in the form generated for you, and hand it in again").format(shown=_quoted(shown), computed=_quoted(computed), formula=expected)  # fmt: skip
        elif not same_formula(formula, expected):
            said = _("holds the formula ={got}, not kpi-xl's ={formula} (which gives {computed}): the paper would not say what is recorded; undo the change, or fill in the form generated for you, and hand it in again").format(got=formula, formula=expected, computed=_quoted(computed))  # fmt: skip
        elif not _agrees(shown, computed):
            said = _("shows {shown}, but its formula gives {computed} for what is typed (the saved value was changed, or never recalculated); open the form in Excel or WPS, let it recalculate, save it and hand it in again").format(shown=_quoted(shown), computed=_quoted(computed))  # fmt: skip
        else:
            continue
        problems.append((f"{where}!{cell_name(cell.row, cell.col)}", said))
    return problems


def _agrees(shown: Any, computed: Any) -> bool:
    """Whether the value saved in a computed cell is what its formula gives. No saved value
    (a form saved by a program that does not calculate) is computed on opening: it agrees."""
    if shown is None or shown == "":
        return True
    if isinstance(shown, CellError):
        return False
    if computed is None or computed == "":
        return False
    if isinstance(computed, bool) or isinstance(shown, bool):
        return shown == computed
    if isinstance(computed, int | float):
        return isinstance(shown, int | float) and abs(shown - computed) <= 1e-6 * max(1.0, abs(computed))
    return cell_text(shown) == cell_text(computed)


def _quoted(value: Any) -> str:
    if value is None or value == "":
        return _("a blank")
    if isinstance(value, float):
        return quote(round(value, 6))
    return quote(str(value) if isinstance(value, CellError) else value)
