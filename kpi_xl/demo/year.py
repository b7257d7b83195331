"""`kpi-xl demo`: a whole year of appraisal for the built-in demo company.

For each month of 2026: generate the forms, let simulated people fill in their plans,
regenerate the appraisal forms from the plans, let them fill in the appraisals (self,
department, leader), the peer reviews, the department and executive forms, collect them
all into the ledger, and write the monthly summary. Then the annual summaries.

The simulation is fixed (seed 2026) and shaped to show what the tool does: 技术研发部 is
strong, so its A's meet the department limit; two people keep getting D's and one C's, so
the escalations of seed 000 §四 come due; one form comes back with a score of 120 (the
error report), one is renamed (found by content), one score is corrected on appeal.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._util.i18n import _
from .._util.paths import safe_name
from .._util.progress import Progress
from ..calendar import Month
from ..collect.collector import collect
from ..collect.plans import read_plans
from ..errors import KpiArgumentError
from ..forms import FINAL, Context, FormSpec, form_for
from ..ledger import Ledger, ensure_key
from ..office.annual import describe_annual, run_annual
from ..office.appeal import run_appeal
from ..office.forms import form_jobs, generate_forms
from ..office.summary import describe_summary, run_summary
from ..roster import Roster, demo_roster
from .filling import write_all_filled

YEAR = 2026
MARKER = ".kpi-xl-demo"
STRONG_DEPARTMENT = "技术研发部"
# the months in which these two have a bad month (a D): three D's in all bring dismissal
STRUGGLING = {"E0020": {2, 7, 11}, "E0052": {2, 9}}
UNEVEN = ("E0064",)  # mostly C's: three or more in a year bring a penalty
WEAK_DEPARTMENT = "生产部"
# planted in February, so that a two-month demo shows them (January stays clean)
BROKEN = ("2026-02", "E0040")  # a score of 120 typed over the validation
RENAMED = ("2026-02", "E0011")
APPEAL = ("2026-06", "E0045", 3.0, "复核发现第2项完成情况记录有误", "办公室 王主任")

WORK_ITEMS = [
    ("整理月度报表", "月底前提交，数据准确"), ("客户回访", "回访率不低于90%"), ("完成部门培训", "参训率100%"),
    ("优化工作流程", "形成书面方案"), ("配合年度审计", "按时提供资料"), ("设备巡检", "每周一次，记录完整"),
    ("供应商评估", "完成3家评估"), ("新品推广方案", "15日前定稿"), ("质量问题整改", "整改闭环率100%"),
    ("预算执行分析", "偏差说明完整"), ("合同归档", "当月合同全部归档"), ("安全检查", "隐患整改及时"),
]  # fmt: skip


@dataclass
class DemoReport:
    out: Path
    lines: list[str] = field(default_factory=list)


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise KpiArgumentError("out", _("{folder} exists and is not a kpi-xl demo folder; nothing was changed: "
                                            "choose another folder").format(folder=out))
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("made by kpi-xl demo; rerunning the demo replaces this folder\n", encoding="utf-8")


class People:
    """How well each simulated person does, and how they fill in forms."""

    def __init__(self, roster: Roster, seed: int):
        self.rng = random.Random(seed)
        self.ability = {}
        for p in roster.people:
            mean = 95.5 if p.department == STRONG_DEPARTMENT else 87
            mean = 74 if p.id in UNEVEN else mean
            self.ability[p.id] = self.rng.gauss(mean, 1.5 if mean > 90 else 3)

    def level(self, person_id: str, month: int) -> float:
        if month in STRUGGLING.get(person_id, ()):
            return 50.0
        return self.ability[person_id] + self.rng.gauss(0, 1.5)

    def score(self, base: float, spread: float = 3.0) -> float:
        return max(0.0, min(100.0, round(self.rng.gauss(base, spread) * 2) / 2))

    def plan(self, spec: FormSpec) -> dict[str, Any]:
        count = self.rng.randint(3, 6)
        weights = [self.rng.randint(1, 5) for _ in range(count)]
        shares = [round(100 * w / sum(weights)) for w in weights]
        shares[-1] = 100 - sum(shares[:-1])
        values: dict[str, Any] = {}
        for n, ((item, target), weight) in enumerate(zip(self.rng.sample(WORK_ITEMS, count), shares), start=1):
            values |= {f"item{n}.item": item, f"item{n}.target": target, f"item{n}.weight": weight}
        return values

    def appraisal(self, spec: FormSpec, person_id: str, month: int) -> dict[str, Any]:
        month_level = self.level(person_id, month)
        values: dict[str, Any] = {}
        used = [f.key.split(".")[0] for f in spec.fields if f.key.endswith(".weight") and f.value is not None]
        rows = used + [c.key.split(".")[0] for c in spec.fixed if c.key.startswith("conduct")]
        for row in rows:
            dept = self.score(month_level, 2.0)
            values[f"{row}.dept"] = dept
            values[f"{row}.self"] = min(100.0, dept + self.rng.choice([0, 1, 2, 3, 5]))
            values[f"{row}.leader"] = self.score(dept, 1.0)
            if row.startswith("item"):
                values[f"{row}.result"] = self.rng.choice(["按时完成", "基本完成", "超额完成", "部分完成，下月跟进"])
        if self.rng.random() < 0.15:
            values |= {"bonus1.reason": "收到客户表扬信", "bonus1.points": self.rng.choice([1, 2, 3])}
        if self.rng.random() < 0.10:
            values |= {"deduction1.reason": "迟交月报", "deduction1.points": self.rng.choice([1, 2])}
        return values

    def criteria(self, spec: FormSpec, base: float) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for c in spec.fixed:
            if c.key.endswith(".points"):
                n = c.key.split(".")[0]
                share = max(0.0, min(1.0, self.rng.gauss(base, 0.05)))
                values[f"{n}.self"] = round(min(c.value, c.value * (share + 0.03)) * 2) / 2
                values[f"{n}.leader"] = round(c.value * share * 2) / 2
        return values

    def peers(self, spec: FormSpec) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for f in spec.fields:
            if f.check.kind == "decimal":
                values[f.key] = round(f.check.maximum * max(0.5, min(1.0, self.rng.gauss(0.85, 0.07))) * 2) / 2
        return values


def run_demo(out: Path, workers: int = 2, say: Callable[[str], None] = print, months: int = 12) -> DemoReport:
    _prepare(out)
    roster = demo_roster()
    ledger_path = out / "kpi-ledger.sqlite3"
    people = People(roster, seed=YEAR)
    report = DemoReport(out)
    progress = Progress(months, _("demo {year}").format(year=YEAR))
    key, _made = ensure_key(ledger_path)  # the demo office's signing key, beside its ledger
    with Ledger(ledger_path) as ledger:
        for m in range(1, months + 1):
            month = Month(YEAR, m)
            ctx = Context(month)
            forms_dir, returned = out / "forms", out / "returned" / str(month)
            generate_forms(roster, ctx, forms_dir, key=key, workers=workers)

            # employees hand in their plans; 附件3 is regenerated with each one's items
            jobs = []
            for job in form_jobs(roster, peer_scope=ctx.policy.department.peer_scope):
                if job.form in (1, 2):  # the employees' plans, and the departments' on the 28th
                    spec = form_for(job.form, job.subject, roster, ctx)
                    jobs.append((spec, people.plan(spec), returned / "plans" / job.path.name))
            write_all_filled(jobs, workers, key)
            plans, problems = read_plans([returned / "plans"], roster, ctx, key)
            if problems:  # the demo's own plans: a problem here is a bug in the demo
                raise RuntimeError(f"the demo's plans have problems: {problems}")
            generate_forms(roster, ctx, forms_dir, key=key, plans=plans, force=True, workers=workers, only=lambda j: j.form == 3)

            # then the appraisals, peer reviews, department and executive forms come back
            jobs = []
            for job in form_jobs(roster, peer_scope=ctx.policy.department.peer_scope):
                if job.form in (1, 2):
                    continue
                spec = form_for(job.form, job.subject, roster, ctx, plans.get(job.subject))
                if job.form == 3:
                    values = people.appraisal(spec, job.subject, m)
                    if (str(month), job.subject) == BROKEN:
                        values[next(k for k in values if k.endswith(".dept"))] = 120  # typed over the validation
                elif job.form == 4:
                    values = people.peers(spec)
                else:
                    base = {STRONG_DEPARTMENT: 0.95, WEAK_DEPARTMENT: 0.78}.get(job.subject, 0.87 if job.form == 5 else 0.9)
                    values = people.criteria(spec, base)
                name = job.path.name
                if (str(month), job.subject) == RENAMED and job.form == 3:
                    name = safe_name(f"{roster[job.subject].name}-12月考核(终稿).xlsx")
                jobs.append((spec, values, returned / job.path.parent / name))
            write_all_filled(jobs, workers, key)

            collected = collect([returned], month, roster, ctx.policy, ledger, key=key)
            if collected.problems:
                say(_("{month}: collect reported {n} problem(s); the form was skipped, the rest recorded:").format(
                    month=month, n=len(collected.problems)))
                for problem in collected.problems:
                    say(f"    {problem}")
            if str(month) == APPEAL[0]:
                _month, employee, raise_by, reason, by = APPEAL
                current = ledger.values(str(month), 3)[employee][FINAL]
                appeal = run_appeal(ledger, roster, str(month), employee, round(current + raise_by, 2), reason, by)
                say(_("{month}: appeal recorded for {employee}: {old} → {new} ({reason})").format(
                    month=month, employee=employee, old=f"{appeal.old_score:g}", new=f"{appeal.new_score:g}", reason=reason))
            result, written = run_summary(ledger, roster, ctx, out / "summaries", what_if=False)
            changes = result.quota.changes
            say(describe_summary(result, ctx)[0] + _("; {n} A→B by the quota").format(n=len(changes))
                + (_(" ({n} tied: for the leaders)").format(n=len(result.quota.ties)) if result.quota.ties else ""))  # fmt: skip
            progress.advance()
        progress.close()
        annual, files = run_annual(ledger, roster, Context(None), YEAR, out / "summaries")
    report.lines += describe_annual(annual, Context(None))
    report.lines += [
        "",
        _("Everything is in {folder}:").format(folder=out),
        _("  forms/<month>/…               the generated forms (附件1–6) of each month, manifest.csv beside them"),
        _("  returned/<month>/…            the simulated filled forms, as collected"),
        _("  summaries/<month>/附件7_…     each month's summary: grades, A quota checks, pay, chart, calibration"),
        _("  summaries/{year}/附件8_… 附件9_… the annual summaries with consequences and charts").format(year=YEAR),
        _("  kpi-ledger.sqlite3            the ledger (SQLite): every collected value, appeals, recorded months"),
        _("Try: kpi-xl status --month {month} --ledger {ledger}   (who has not handed in what)").format(
            month=f"{YEAR}-{months:02d}", ledger=ledger_path),
    ]  # fmt: skip
    return report
