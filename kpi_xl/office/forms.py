"""`kpi-xl forms`: every form of a month for everyone on the roster.

OUT/<YYYY-MM>/<department>/<form>_<name>_<工号>.xlsx, plus manifest.csv listing them all.
An existing file is never replaced unless forced, and even then a file that someone has
filled in or changed since it was generated is kept, reported, and the new form written
beside it (office/report_file.write_keeping).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from .._util.cells import csv_text
from .._util.i18n import N_, _, translated
from .._util.paths import distinct_names, os_error_message, safe_name, write_atomic
from .._util.pool import map_isolated
from .._util.progress import Progress
from ..collect.untouched import why_keep
from ..errors import KpiError
from ..forms import FORM_NAMES, Context, FormSpec, PlanItem, attachment, form_for
from ..render.content import content_record
from ..render.stamp import Stamper
from ..roster import EMPLOYEE, EXECUTIVE, HEAD, Roster
from .report_file import write_keeping

# Marked for the catalogue; shown with translated() (the command's lines, the manifest's 状态 column).
WRITTEN, REPLACED, KEPT, KEPT_FILLED, FAILED = N_("written"), N_("replaced"), N_("kept"), N_("kept (changed)"), N_("failed")
BESIDE = N_("written beside a changed one")  # the manifest's row for the new form beside a kept one


@dataclass(frozen=True)
class FormJob:
    form: int
    subject: str  # 工号, or the department for 附件2 and 附件5
    name: str
    department: str
    path: PurePath  # relative to OUT/<month>


@dataclass
class Outcome:
    job: FormJob
    status: str
    message: str = ""
    beside: PurePath | None = None  # the new form written beside a kept one (relative to OUT/<month>)


@dataclass
class Report:
    folder: Path
    outcomes: list[Outcome] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> bool:
        return bool(self.problems) or any(o.status == FAILED for o in self.outcomes)


def form_jobs(roster: Roster, lang: str = "zh", peer_scope: str = "all") -> list[FormJob]:
    """Who gets which form (seed 000 §五): 附件1 and 附件3 for every employee and head;
    附件4 for every head with a department to rate in the policy's `peer_scope`; 附件2 and 附件5
    for every department; 附件6 for every executive.
    The general manager is not appraised (考核对象: 总经理除外)."""
    jobs: list[FormJob] = []
    folders = distinct_names(list(roster.departments) + [p.department for p in roster.people])

    def add(form: int, subject: str, name: str, department: str, person_id: str | None) -> None:
        label = (f"附件{form}" if lang == "zh" else f"form{form}") + f"_{name}"
        # the 工号 is what makes the name unique: a long name is cut, never the 工号
        tail = (f"_{person_id}" if person_id else "") + ".xlsx"
        path = PurePath(folders[department], safe_name(label.replace(" ", "_"), tail=tail.replace(" ", "_")))
        jobs.append(FormJob(form, subject, name, department, path))

    for person in roster.with_category(EMPLOYEE, HEAD):
        add(1, person.id, person.name, person.department, person.id)
        add(3, person.id, person.name, person.department, person.id)
        if person.category == HEAD and roster.peer_departments(person.department, peer_scope):
            add(4, person.id, person.name, person.department, person.id)
    for department in roster.departments:
        add(2, department, department, department, None)
        add(5, department, department, department, None)
    for person in roster.with_category(EXECUTIVE):
        add(6, person.id, person.name, person.department, person.id)
    return jobs


def build_spec(job: FormJob, roster: Roster, ctx: Context, plans: dict[str, list[PlanItem]]) -> FormSpec:
    return form_for(job.form, job.subject, roster, ctx, plans.get(job.subject) if job.form == 3 else None)


# -- one job, in whichever process runs it ---------------------------------------------------

_STATE: dict[str, Any] = {}


def _init(roster: Roster, ctx: Context, plans: dict[str, list[PlanItem]], folder: Path, force: bool, key: bytes) -> None:
    # each process stamps its forms from templates of its own (render/stamp.py), made as
    # its first form of each layout comes: nothing is inherited from the parent
    _STATE.update(roster=roster, ctx=ctx, plans=plans, folder=folder, force=force, key=key, stamper=Stamper())


def _run(job: FormJob) -> Outcome:
    s = _STATE
    target = s["folder"] / job.path
    try:
        spec = build_spec(job, s["roster"], s["ctx"], s["plans"])
        existed = target.exists()
        if existed and not s["force"]:
            return Outcome(job, KEPT, _("exists; kept as it is"))
        written = write_keeping(target, lambda: s["stamper"].render(spec, key=s["key"]),
                                lambda p: why_keep(p, spec, writing=lambda: content_record(spec)), s["ctx"].lang, existed)  # fmt: skip
        if written.kept:
            return Outcome(job, KEPT_FILLED, written.reason, job.path.with_name(written.path.name))
        return Outcome(job, REPLACED if existed else WRITTEN)
    except OSError as exc:  # a full disk, a read-only folder: nothing was written for this form
        return Outcome(job, FAILED, "not written: " + os_error_message(exc, name_file=False))
    except KpiError as exc:  # one bad form must not stop the batch; a bug shows its traceback
        return Outcome(job, FAILED, f"{type(exc).__name__}: {exc}")


def _run_chunk(jobs: list[FormJob]) -> list[Outcome]:
    return [_run(job) for job in jobs]


def _crashed(job: FormJob, reason: str) -> Outcome:
    return Outcome(job, FAILED, _("the process making it stopped ({reason}); nothing was written for it").format(reason=reason))


def generate_forms(
    roster: Roster,
    ctx: Context,
    out: Path,
    *,
    key: bytes,
    plans: dict[str, list[PlanItem]] | None = None,
    force: bool = False,
    workers: int | None = None,
    only: Callable[[FormJob], bool] | None = None,
) -> Report:
    if ctx.month is None:
        raise ValueError("generate_forms needs the Context of a month")
    folder = out / str(ctx.month)
    jobs = [j for j in form_jobs(roster, ctx.lang, ctx.policy.department.peer_scope) if only is None or only(j)]
    report = Report(folder)
    workers = workers if workers is not None else (min(os.cpu_count() or 1, 4) if len(jobs) > 60 else 1)
    progress = Progress(len(jobs), _("{month} forms").format(month=ctx.month))
    # the key signs every form (ledger.ensure_key); like the rest it reaches spawned workers
    # as an argument of their initializer
    args = (roster, ctx, plans or {}, folder, force, key)
    if workers > 1:
        size = max(1, len(jobs) // (workers * 8))
        chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
        done = map_isolated(_run_chunk, chunks, workers, crashed=_crashed, initializer=_init, initargs=args,
                            on_done=progress.advance)  # fmt: skip
        report.outcomes.extend(outcome for chunk in done for outcome in chunk)
    else:
        _init(*args)
        for job in jobs:
            report.outcomes.append(_run(job))
            progress.advance()
    progress.close()
    try:
        write_manifest(folder / "manifest.csv", report.outcomes, ctx.lang)
    except OSError as exc:
        report.problems.append(_("manifest.csv not written: {problem}").format(problem=os_error_message(exc)))
    return report


def write_manifest(path: Path, outcomes: Iterable[Outcome], lang: str) -> None:
    header = (["文件", "表", "表名", "工号", "姓名", "部门", "状态"] if lang == "zh"
              else ["file", "form", "form name", "id", "name", "department", "status"])  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for o in sorted(outcomes, key=lambda o: (o.job.department, o.job.form, o.job.path.as_posix())):
        person = o.job.subject if o.job.form not in (2, 5) else ""
        row = [o.job.path.as_posix(), attachment(o.job.form, lang), FORM_NAMES[o.job.form](lang),
               person, o.job.name, o.job.department, translated(o.status)]  # fmt: skip
        writer.writerow([csv_text(field) for field in row])
        if o.beside is not None:
            writer.writerow([csv_text(field) for field in [o.beside.as_posix(), *row[1:-1], translated(BESIDE)]])
    # utf-8-sig: Excel opens it with the Chinese intact
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"))
