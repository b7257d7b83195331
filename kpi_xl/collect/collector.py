"""`kpi-xl collect`: read the filled forms 附件1–6 back, check them, record them in the ledger.

Forms are recognised by their hidden meta sheet, whatever the file is called, and read by
the same declaration they were generated from. A form with a problem is reported with
file › sheet!cell and skipped; the others are recorded. Files are only ever read.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .._util.i18n import N_, _, translated
from .._util.pool import map_isolated
from .._util.progress import Progress
from .._util.signing import SIGNATURE, signed_by
from ..calendar import Month
from ..errors import KpiError, quote
from ..forms import FORM_VERSIONS, Context, FormSpec, attachment, form_for, header_facts
from ..forms.spec import Field, inputs_digest
from ..ledger import HandedIn, Ledger
from ..policy import Policy
from ..roster import Roster
from ..rules import EXCEL_ERRORS
from .reader import CellError, SheetValues, UnreadableWorkbook, WorkbookValues
from .shown import computed_problems, header_problems

OTHER_SPREADSHEETS = {
    ".xls": N_("was saved as .xls (Excel 97–2003); open it and save it as Excel Workbook (.xlsx); skipped"),
    ".et": N_("was saved in WPS's .et format; open it in WPS and save it as .xlsx; skipped"),
    ".ods": N_("was saved as .ods; open it and save it as Excel Workbook (.xlsx); skipped"),
    ".csv": N_("is a .csv, which loses the form; hand in the .xlsx form itself; skipped"),
    ".numbers": N_("was saved by Numbers; export it as Excel (.xlsx); skipped"),
}
IGNORED_NAMES = {"manifest.csv", ".DS_Store", "Thumbs.db", "desktop.ini"}


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return _("{where}: {message}").format(where=self.where, message=self.message)


class SpecCache:
    """Forms of one kind share their layout (a 附件3 alike for everyone in a position, a 附件4
    for every head of a department): build each layout once per collection."""

    def __init__(self, roster: Roster, month: Month, policy: Policy):
        self.roster, self.month, self.policy = roster, month, policy
        self.built: dict[tuple[int, str, str], FormSpec] = {}

    def get(self, form: int, subject: str, lang: str) -> FormSpec:
        # a 附件4 lists the other departments; a 附件3 carries the position's scorecard
        layout = ""
        if form == 4:
            layout = self.roster[subject].department
        elif form == 3:
            layout = self.roster[subject].position
        key = (form, lang, layout)
        if key not in self.built:
            self.built[key] = form_for(form, subject, self.roster, Context(self.month, lang, self.policy))
        return self.built[key]


@dataclass
class Submission:
    display: str
    form: int
    meta: dict[str, str]
    subject: str
    inputs: dict[str, Any]
    results: dict[str, Any]  # what the rules computed, and the fixed cells (a 附件4 row's department)
    digest: str


@dataclass
class CollectReport:
    month: str
    read: int = 0
    blank: int = 0
    recorded: dict[str, int] = field(default_factory=lambda: {"new": 0, "updated": 0, "unchanged": 0})
    problems: list[Problem] = field(default_factory=list)
    skipped: set[str] = field(default_factory=set)

    @property
    def failed(self) -> bool:
        return bool(self.problems)


PROGRESS_STEP = 50  # forms read in one process between two updates of the progress bar


def collect(folders: list[Path], month: Month, roster: Roster, policy: Policy, ledger: Ledger, *,
            key: bytes, workers: int | None = None) -> CollectReport:  # fmt: skip
    """Read every file under `folders`; record the good forms, report the rest. `key`: the
    office's signing key (ledger.read_key): only forms signed with it are accepted."""
    report = CollectReport(str(month))
    for folder in folders:
        if not folder.exists():
            report.problems.append(Problem(str(folder), _("folder not found; check the path (nothing read from it)")))
    found, loops = _files([f for f in folders if f.exists()])
    report.problems.extend(Problem(str(link), _("leads back into a folder already read (a link loop); skipped"))
                           for link in loops)  # fmt: skip
    files = [(path, _display(root, path)) for root, path in found]
    workbooks = [(path, display) for path, display in files if not _not_a_workbook(path)]
    report.read = len(workbooks)
    workers = workers if workers is not None else (min(os.cpu_count() or 1, 4) if len(workbooks) > 200 else 1)
    _init(roster, month, policy, key)
    progress = Progress(len(workbooks), _("collect {month}").format(month=month))
    if workers > 1:
        # small chunks: no worker sits idle long at the end, and the progress moves steadily
        size = max(1, len(workbooks) // (workers * 16))
        chunks = [workbooks[i : i + size] for i in range(0, len(workbooks), size)]
        # the roster, month, policy and key reach each worker through its initializer: workers
        # are spawned on Windows and macOS and inherit nothing
        done = map_isolated(_read_chunk, chunks, workers, crashed=_crashed, initializer=_init,
                            initargs=(roster, month, policy, key), on_done=progress.advance)  # fmt: skip
        outcomes = [outcome for chunk in done for outcome in chunk]
    else:
        outcomes = []
        for i in range(0, len(workbooks), PROGRESS_STEP):
            outcomes.extend(_read_chunk(workbooks[i : i + PROGRESS_STEP]))
            progress.advance(len(workbooks[i : i + PROGRESS_STEP]))
    progress.close()

    read = {path: outcome for (path, _), outcome in zip(workbooks, outcomes)}  # two folders may hold the same names
    good: dict[tuple[int, str], list[Submission]] = defaultdict(list)
    for path, display in files:  # problems in the order of the files
        if path not in read:
            report.problems.append(Problem(display, _not_a_workbook(path)))
            report.skipped.add(display)
            continue
        submission, problems = read[path]
        if problems:
            report.problems.extend(problems)
            report.skipped.add(display)
        elif submission is None:
            report.blank += 1
        else:
            good[(submission.form, submission.subject)].append(submission)
    with ledger.batch():
        _record(good, report, month, ledger)
    return report


_WORKER: dict[str, Any] = {}


def _init(roster: Roster, month: Month, policy: Policy, key: bytes) -> None:
    _WORKER.update(roster=roster, month=month, policy=policy, key=key, specs=SpecCache(roster, month, policy))


def _read_chunk(items: list[tuple[Path, str]]) -> list[Outcome]:
    w = _WORKER
    return read_forms(items, w["month"], w["roster"], w["policy"], w["key"], w["specs"])


def _crashed(item: tuple[Path, str], reason: str) -> Outcome:
    return None, [Problem(item[1], _("stopped the process reading it ({reason}); it is damaged or far too big: ask for the file again; the other forms were read").format(reason=reason))]  # fmt: skip


def _record(good: dict[tuple[int, str], list[Submission]], report: CollectReport, month: Month, ledger: Ledger) -> None:
    chosen: list[Submission] = []
    for (form, _subject), copies in good.items():
        distinct = {c.digest for c in copies}
        if len(distinct) > 1:
            # two different versions of one person's form: which is right is for a person to say
            files = ", ".join(c.display for c in copies)
            for c in copies:
                report.problems.append(Problem(c.display, _("{attachment} of {who} is handed in {n} times with different entries ({files}); none was recorded: keep one and collect again").format(attachment=attachment(form, 'zh'), who=_who(c), n=len(copies), files=files)))  # fmt: skip
                report.skipped.add(c.display)
            continue
        chosen.append(copies[0])  # identical copies: any one will do
    handed_in = [HandedIn(c.form, c.subject, c.meta.get("subject_name", ""), c.meta.get("department", ""), c.display,
                          c.digest, c.inputs, c.results) for c in chosen]  # fmt: skip
    for outcome in ledger.record_many(str(month), handed_in):
        report.recorded[outcome] += 1


def _who(s: Submission) -> str:
    name = s.meta.get("subject_name", "")
    return f"{name} ({s.subject})" if name and name != s.subject else s.subject


def _files(folders: list[Path]) -> tuple[list[tuple[Path, Path]], list[Path]]:
    """(root, file) for every file under the folders, following links to folders (a shared
    drive's shortcut) but refusing loops; and the links that lead back."""
    found: list[tuple[Path, Path]] = []
    loops: list[Path] = []
    for folder in folders:
        if folder.is_file():
            found.append((folder.parent, folder))
            continue
        seen: set[tuple[int, int]] = set()
        for top, dirs, names in os.walk(folder, followlinks=True):
            info = os.stat(top)
            if (info.st_dev, info.st_ino) in seen:
                loops.append(Path(top))
                dirs.clear()
                continue
            seen.add((info.st_dev, info.st_ino))
            dirs.sort()
            for name in names:
                path = Path(top) / name
                if not name.startswith(("~$", ".")) and name not in IGNORED_NAMES and path.is_file():
                    found.append((folder, path))
    found.sort(key=lambda item: item[1].relative_to(item[0]).parts)
    return found, loops


def _display(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _not_a_workbook(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return ""
    if suffix in OTHER_SPREADSHEETS:
        return translated(OTHER_SPREADSHEETS[suffix])
    return _("is not an .xlsx workbook ({suffix}); hand in the form as the .xlsx file; skipped").format(suffix=suffix or _("no extension"))


@dataclass
class _Typed:
    """A form read and type-checked, waiting to be recomputed with the others of its layout."""

    display: str
    spec: FormSpec
    meta: dict[str, str]
    subject: str
    inputs: dict[str, Any]
    digest: str
    sheet: SheetValues  # what the form shows: its computed cells are checked once recomputed


Outcome = tuple[Submission | None, list[Problem]]


def read_forms(items: list[tuple[Path, str]], month: Month, roster: Roster, policy: Policy, key: bytes,
               specs: SpecCache | None = None) -> list[Outcome]:  # fmt: skip
    """Returned forms, each (submission, []) when it counts, (None, problems) when it does
    not, (None, []) when it is still blank. Forms of one layout are recomputed together."""
    specs = specs or SpecCache(roster, month, policy)
    typed = [_read_typed(path, display, month, roster, specs, key) for path, display in items]
    waiting: dict[int, list[int]] = defaultdict(list)
    for i, (form, _problems) in enumerate(typed):
        if isinstance(form, _Typed):
            waiting[id(form.spec)].append(i)
    outcomes: list[Outcome] = [(None, problems) for _, problems in typed]
    for positions in waiting.values():
        forms = [typed[i][0] for i in positions]
        spec = forms[0].spec
        for i, form, values in zip(positions, forms, spec.evaluate_many([f.inputs for f in forms])):
            outcomes[i] = _checked(form, values)
    return outcomes


def _checked(form: _Typed, values: dict[str, Any]) -> Outcome:
    spec = form.spec
    problems = check_requirements(spec, form.inputs | {f.key: f.value for f in spec.fixed}, values, form.display)
    # the paper must say what the ledger will: a computed cell typed over refuses the form
    where = f"{form.display} › {spec.sheet}"
    problems += [Problem(place, said) for place, said in computed_problems(spec, form.sheet, values, where)]
    if problems:
        return None, problems
    results = {c.key: values.get(c.key) for c in [*spec.computed, *spec.fixed]}
    return Submission(form.display, spec.form, form.meta, form.subject, form.inputs, results, form.digest), []


def _read_typed(path: Path, display: str, month: Month, roster: Roster, specs: SpecCache,
                key: bytes) -> tuple[_Typed | None, list[Problem]]:  # fmt: skip
    try:
        book = WorkbookValues(path)
    except UnreadableWorkbook as exc:
        return None, [Problem(display, _("cannot be opened as a workbook: {exc}; re-save it as .xlsx or ask for the file again").format(exc=exc))]
    except (KpiError, OSError) as exc:  # one strange file costs a message, never the batch; a bug shows its traceback
        return None, [Problem(display, _("cannot be opened as a workbook ({name}: {exc}); skipped").format(name=type(exc).__name__, exc=exc))]
    try:
        return _read_form(book, book.meta(), display, month, roster, specs, key)
    except UnreadableWorkbook as exc:
        return None, [Problem(display, _("cannot be read: {exc}; re-save it as .xlsx or ask for the file again").format(exc=exc))]
    except (KpiError, OSError) as exc:
        return None, [Problem(display, _("cannot be read ({name}: {exc}); skipped").format(name=type(exc).__name__, exc=exc))]
    finally:
        book.close()


def _read_form(book: WorkbookValues, meta: dict[str, str] | None, display: str, month: Month, roster: Roster,
               specs: SpecCache, key: bytes) -> tuple[_Typed | None, list[Problem]]:  # fmt: skip
    if meta is None:
        return None, [Problem(display, _("is not a kpi-xl form (it has no form information); fill in the form made by `kpi-xl forms`"))]  # fmt: skip
    form = _number(meta.get("form", ""))
    if form not in range(1, 7):
        return None, [Problem(display, _("is {attachment}, a summary, not a form to collect; skipped").format(attachment=attachment(form, 'zh')))]
    # nothing the meta says is trusted before its signature: whose form it is, the month …
    if not meta.get(SIGNATURE):
        return None, [Problem(display, _("is not signed by kpi-xl (a form made by an older kpi-xl, or its hidden form data was removed); fill in a newly generated form for the month"))]  # fmt: skip
    if not signed_by(meta, key):
        return None, [Problem(display, _("its hidden form data does not match its signature: it was changed after the form was made, or the form was made by another office (another ledger and its key); hand in the form generated for you, unchanged"))]  # fmt: skip
    if meta.get("version") != str(FORM_VERSIONS[form]):
        return None, [Problem(display, _("is version {version} of {attachment}, but the current one is {current}; fill in a newly generated form").format(version=quote(meta.get('version')), attachment=attachment(form, 'zh'), current=FORM_VERSIONS[form]))]  # fmt: skip
    if meta.get("month") != str(month):
        return None, [Problem(display, _("is the form for {form_month}, not {month}; collect it with the forms of {form_month}").format(form_month=meta.get('month') or _('no month'), month=month))]  # fmt: skip
    subject = meta.get("subject_id", "")
    known = roster.has_department(subject) if form in (2, 5) else subject in roster
    if not known:
        return None, [Problem(display, _("is for {subject}, who is not on the roster; check the roster or the file").format(subject=quote(subject)))]  # fmt: skip
    spec = specs.get(form, subject, meta.get("lang", "zh"))
    if meta.get("fingerprint") != spec.fingerprint():
        return None, [Problem(display, _("was generated with another layout (a different policy or roster); collect it with the policy it was made with, or regenerate it"))]  # fmt: skip
    if spec.sheet not in book.sheet_names:
        return None, [Problem(display, _("has no sheet {sheet}; it was renamed or deleted, so the form cannot be read: ask for the original file").format(sheet=quote(spec.sheet)))]  # fmt: skip
    computed = [(c.row, c.col) for c in spec.computed]
    places = [(f.row, f.col) for f in spec.fields] + [(c.row, c.col) for c in spec.header] + computed
    sheet = book.sheet(spec.sheet, places, formulas=computed)
    inputs, problems = read_inputs(sheet, spec, display)
    # whom and when the paper says it is for: what the signed meta and the roster say
    shown = header_problems(spec, sheet, meta, header_facts(form, subject, roster), f"{display} › {spec.sheet}")
    problems += [Problem(place, said) for place, said in shown]
    if problems:
        return None, problems
    digest = inputs_digest(inputs.items())
    if digest == meta.get("generated_inputs"):
        return None, []  # untouched: not handed in yet
    return _Typed(display, spec, meta, subject, inputs, digest, sheet), []


def _number(text: str) -> int:
    """The form number the meta gives, 0 when it is not one (the meta may be anything)."""
    text = text.strip()
    return int(text) if text.isdigit() and len(text) < 4 else 0


def read_inputs(sheet: SheetValues, spec: FormSpec, display: str) -> tuple[dict[str, Any], list[Problem]]:
    inputs: dict[str, Any] = {}
    problems: list[Problem] = []
    for f in spec.fields:
        raw = sheet.value(f.row, f.col)
        value, problem = _convert(f, raw)
        if problem:
            problems.append(Problem(f"{display} › {spec.sheet}!{spec.address(f.key)}", problem))
        inputs[f.key] = value
    return inputs, problems


def _convert(f: Field, raw: Any) -> tuple[Any, str | None]:
    check = f.check
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, CellError) or (isinstance(raw, str) and raw.strip() in EXCEL_ERRORS):
        return None, _("{label} holds the error {error}; type the value instead").format(label=f.label, error=str(raw).strip())
    if check.kind == "decimal":
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            return None, _("{label} must be a number (got {raw}); type a number from {minimum:g} to {maximum:g}").format(label=f.label, raw=quote(raw), minimum=check.minimum, maximum=check.maximum)
        if not check.minimum <= raw <= check.maximum:
            return None, (_("{label} {raw} is outside {minimum:g}–{maximum:g}; enter a number from {minimum:g} to {maximum:g}").format(label=f.label, raw=quote(float(raw)), minimum=check.minimum, maximum=check.maximum))  # fmt: skip
        return float(raw), None
    if check.kind == "list":
        text = str(raw).strip().upper()
        if text not in check.choices:
            return None, _("{label} must be one of {choices} (got {raw})").format(label=f.label, choices=', '.join(check.choices), raw=quote(raw))
        return text, None
    if check.kind == "date":
        if isinstance(raw, datetime | date):
            return raw.strftime("%Y-%m-%d"), None
        return str(raw).strip(), None  # a date typed as text is kept as written
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip(), None


def check_requirements(spec: FormSpec, inputs: dict[str, Any], values: dict[str, Any], display: str) -> list[Problem]:
    problems: list[Problem] = []

    def where(key: str) -> str:
        return f"{display} › {spec.sheet}!{spec.address(key)}"

    def filled(key: str) -> bool:
        return inputs.get(key) not in (None, "")

    labels = {f.key: f.label for f in spec.fields}
    for req in spec.requirements:
        label = req.label(spec.lang)
        if req.kind == "total":
            given = [inputs[k] for k in req.keys if filled(k)]
            total = sum(given)
            if abs(total - req.target) > 1e-9:
                at = "weight_total" if "weight_total" in values else req.keys[0]
                problems.append(Problem(where(at), _("{label} total {total:g}, not {target:g}; correct the weights").format(label=label, total=total, target=req.target)))
        elif req.kind == "all":
            missing = [k for k in req.keys if not filled(k)]
            if missing:
                cells = ", ".join(spec.address(k) for k in missing)
                problems.append(Problem(where(missing[0]), _("{label}: {n} score(s) blank ({cells}); fill them in").format(label=label, n=len(missing), cells=cells)))
        elif req.kind == "column":
            in_use = [req.when is None or filled(w) for w in (req.when or req.keys)]
            for key, used in zip(req.keys, in_use):
                if filled(key) and not used:
                    problems.append(Problem(where(key), _("{field} is filled but its row has no weight; give the row a weight or clear it").format(field=labels.get(key, key))))  # fmt: skip
            needed = [k for k, used in zip(req.keys, in_use) if used]
            missing = [k for k in needed if not filled(k)]
            if missing and (not req.optional or len(missing) < len(needed)):
                cells = ", ".join(spec.address(k) for k in missing)
                if req.optional:
                    said = _("{label} is incomplete: fill every row or none (blank: {cells})")
                else:
                    said = _("{label} is needed for every row in use (blank: {cells})")
                problems.append(Problem(where(missing[0]), said.format(label=label, cells=cells)))
    return problems
