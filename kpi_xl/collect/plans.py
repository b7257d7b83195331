"""Filled 附件1 plans, read so that each employee's 附件3 starts from their own items."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .._util.cells import cell_text as _text
from .._util.i18n import _
from .._util.signing import signed_by
from ..errors import KpiError, quote
from ..forms import Context, PlanItem, employee_plan
from ..roster import Roster
from .reader import SheetValues, UnreadableWorkbook, WorkbookValues


def find_workbooks(folders: list[Path]) -> list[Path]:
    """Every .xlsx under the folders (any name: forms are recognised by content), sorted;
    Excel's lock files (~$name.xlsx) and our own temporary files are passed over."""
    found = []
    for folder in folders:
        for path in sorted(folder.rglob("*.xlsx")) if folder.is_dir() else [folder]:
            if not path.name.startswith(("~$", ".")):
                found.append(path)
    return found


def read_plans(folders: list[Path], roster: Roster, ctx: Context, key: bytes) -> tuple[dict[str, list[PlanItem]], list[str]]:
    """Plan items per 工号 from the filled 附件1 of `ctx.month` signed with `key` (the office's
    signing key), and every problem met."""
    problems: list[str] = []
    found: dict[str, list[tuple[Path, list[PlanItem]]]] = defaultdict(list)
    for folder in folders:
        if not folder.exists():
            problems.append(_("{folder}: folder of plans not found; check its name and where it is").format(folder=folder))
    for path in find_workbooks([f for f in folders if f.exists()]):
        try:
            with WorkbookValues(path) as book:
                meta = book.meta()
                plan = _plan_cells(book, meta, roster, ctx)
        except UnreadableWorkbook as exc:
            problems.append(_("{path}: cannot be read as a workbook ({exc}); skipped").format(path=path, exc=exc))
            continue
        except (KpiError, OSError) as exc:  # one strange file must not stop the forms of everyone else
            problems.append(_("{path}: cannot be read ({name}: {exc}); skipped").format(path=path, name=type(exc).__name__, exc=exc))
            continue
        if meta is None or meta.get("form") != "1" or meta.get("month") != str(ctx.month):
            continue
        if not signed_by(meta, key):  # whose plan it is comes from the meta: only if we signed it
            problems.append(_("{path}: a plan whose hidden form data is not signed by this office's key (changed, made by an older kpi-xl or for another ledger); skipped").format(path=path))  # fmt: skip
            continue
        person_id = meta.get("subject_id", "")
        if person_id not in roster:
            problems.append(_("{path}: plan of 工号 {person_id}, who is not on the roster; skipped").format(path=path, person_id=quote(person_id)))
            continue
        spec = employee_plan(Context(ctx.month, meta.get("lang", ctx.lang), ctx.policy), roster[person_id])
        if meta.get("fingerprint") != spec.fingerprint():
            problems.append(_("{path}: made with another layout of 附件1 (version or policy); skipped").format(path=path))
            continue
        sheet = plan
        if sheet is None:
            problems.append(_("{path}: its sheet {sheet} is missing; skipped").format(path=path, sheet=quote(spec.sheet)))
            continue
        items: list[PlanItem] = []
        for n in range(1, ctx.policy.forms.plan_rows + 1):
            item, target, weight = (sheet.value(*spec.position(f"item{n}.{k}")) for k in ("item", "target", "weight"))
            if item in (None, "") and target in (None, "") and weight is None:
                continue
            if weight is not None and not isinstance(weight, int | float):
                cell = spec.address(f"item{n}.weight")
                problems.append(_("{name} › {sheet}!{cell}: weight {weight} is not a number; the plan item is carried over without it").format(name=path.name, sheet=spec.sheet, cell=cell, weight=quote(weight)))  # fmt: skip
                weight = None
            items.append(PlanItem(_text(item), _text(target), float(weight) if weight is not None else None))
        if items:  # a blank plan carries nothing over
            found[person_id].append((path, items))
    plans: dict[str, list[PlanItem]] = {}
    for person_id, copies in found.items():
        if len(copies) > 1:
            names = ", ".join(str(p) for p, _ in copies)
            problems.append(_("工号 {person_id}: {n} filled plans for {month} ({names}); none was used: keep one and run again").format(person_id=person_id, n=len(copies), month=ctx.month, names=names))  # fmt: skip
            continue
        plans[person_id] = copies[0][1]
    return plans, problems


def _plan_cells(book: WorkbookValues, meta: dict[str, str] | None, roster: Roster, ctx: Context) -> SheetValues | None:
    """The input cells of a 附件1 (read while the file is open), or None when it is not one."""
    if meta is None or meta.get("form") != "1" or meta.get("subject_id", "") not in roster:
        return None
    spec = employee_plan(Context(ctx.month, meta.get("lang", ctx.lang), ctx.policy), roster[meta["subject_id"]])
    if spec.sheet not in book.sheet_names:
        return None
    return book.sheet(spec.sheet, [(f.row, f.col) for f in spec.fields])
