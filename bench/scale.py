"""Benchmark: the monthly and annual cycle at 2,000 and 20,000 staff (100,000 with --big).

    python bench/scale.py [--big] [--workers 2] [--skip forms,collect,libreoffice]

Each size runs in a process of its own (so its peak memory is its own) on a company grown
from the demo one (bench/forms.py: company). Timed, per size:
  forms      every form of the month (附件1–6), `generate_forms` with --workers processes
  collect    a filled 附件1/3 for everyone and the department forms (set up by rendering,
             not timed), read, checked, recomputed and recorded with --workers processes
  summary    `run_summary` of the 12th month: compute, write 附件7, record it
  annual     `run_annual` over the 12 recorded months: 附件8 and 附件9
  附件7 open  LibreOffice headless opening the month's 附件7 and recalculating every formula
             (soffice's own start, measured on the blank template, is printed beside it)
Months 1–11 are recorded from the collected month with changed scores (set-up, not timed).

Every size runs under one policy, a large company's: 附件4 scoped to the departments under
the same 分管领导 (department.peer_scope = "leader"; each copy of the demo company has its own
four leaders). Seed 000's default, every head rating every other department, makes 附件4 grow
with departments²: 1,144 departments at 100,000 staff, 1.3 million rows of peer review.

Printed: each step's time per person at every size, and the ratio of the per-person times
of the larger size to the smallest — linear growth is a ratio near 1, a step that grows
faster than the company shows a ratio above 1 — plus each size's peak RSS; then the
targets: summary and annual of the largest size under 60 s (the issue asks it of 100,000),
the 2,000-staff cycle (forms, collect, summary) under 10 s.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from cycle import MONTH, returned_forms  # noqa: E402
from forms import company  # noqa: E402

from kpi_xl.calendar import Month  # noqa: E402
from kpi_xl.collect.collector import collect  # noqa: E402
from kpi_xl.engine.monthly import compute_month  # noqa: E402
from kpi_xl.forms import Context, blank_form  # noqa: E402
from kpi_xl.ledger import Ledger, ensure_key  # noqa: E402
from kpi_xl.office.annual import run_annual  # noqa: E402
from kpi_xl.office.forms import generate_forms  # noqa: E402
from kpi_xl.office.summary import _monthly_rows, run_summary  # noqa: E402
from kpi_xl.policy import DEFAULT_POLICY  # noqa: E402
from kpi_xl.render.xlsx import render  # noqa: E402

STEPS = ("forms", "collect", "summary", "annual", "附件7 open")
YEAR = MONTH.year
POLICY = replace(DEFAULT_POLICY, department=replace(DEFAULT_POLICY.department, peer_scope="leader"))


def _earlier_months(ledger: Ledger, roster, rng: random.Random) -> None:
    """Months 1–11: the collected month's forms with other scores, each month summarised
    by the engine and recorded (what `summary` would record; set-up, not timed)."""
    month = str(MONTH)
    with ledger.batch():
        for m in range(1, MONTH.month):
            shift = rng.uniform(-8, 4)
            # the forms a month's summary reads (engine/monthly: 附件3–6), not the plans' texts:
            # all of them made the ledger of 100,000 staff 21 GB and this set-up a quarter hour
            ledger.db.execute(
                "INSERT OR REPLACE INTO cells SELECT ?, form, subject, key, kind, "
                "CASE WHEN num IS NULL OR kind = 'input' THEN num ELSE max(0, min(100, num + ? + (abs(random()) % 7) - 3)) END, "
                "text FROM cells WHERE month = ? AND form IN (3, 4, 5, 6)",
                (f"{YEAR}-{m:02d}", shift, month),
            )
            ledger.db.execute(
                "INSERT OR REPLACE INTO submissions SELECT ?, form, subject, subject_name, department, file, digest, "
                "collected_at FROM submissions WHERE month = ?",
                (f"{YEAR}-{m:02d}", month),
            )
    for m in range(1, MONTH.month):
        ctx = Context(Month(YEAR, m), policy=POLICY)
        result = compute_month(ledger, roster, ctx)
        ledger.record_monthly(str(ctx.month), _monthly_rows(result))
        ledger.record_departments(str(ctx.month), result.departments.to_dict("records"))


def _open_in_libreoffice(path: Path, work: Path) -> None:
    from tests.helpers import convert

    convert([path], work / f"lo-{path.stem}")


class _Timer:
    """Wall time and CPU time (this process and the workers it waited for) of each step: on a
    shared machine the CPU time is the steadier measure, the wall time what a clerk waits."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def __call__(self, step: str):
        timer = self

        class _Step:
            def __enter__(self) -> None:
                self.start, self.cpu = time.perf_counter(), _cpu()

            def __exit__(self, *exc: object) -> None:
                timer.wall[step] = time.perf_counter() - self.start
                timer.cpu[step] = _cpu() - self.cpu

        return _Step()


def _cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def one_size(people: int, workers: int, skip: set[str]) -> dict:
    roster = company(people)
    ctx = Context(MONTH, policy=POLICY)
    work = Path(tempfile.mkdtemp(prefix=f"kpi-scale-{people}-"))
    timed = _Timer()
    key, _made = ensure_key(work / "ledger.sqlite3")  # the office's signing key, beside its ledger
    try:
        if "forms" not in skip:
            with timed("forms"):
                report = generate_forms(roster, ctx, work / "forms", key=key, workers=workers)
            assert not report.failed, report.problems[:3]
            shutil.rmtree(work / "forms")
        with Ledger(work / "ledger.sqlite3") as ledger:
            if "collect" not in skip:
                returned_forms(work / "returned", roster, workers, key, POLICY)
                with timed("collect"):
                    collected = collect([work / "returned"], MONTH, roster, ctx.policy, ledger, key=key, workers=workers)
                assert not collected.problems, collected.problems[:3]
                shutil.rmtree(work / "returned")
            else:
                _synthetic_month(ledger, roster)
            _earlier_months(ledger, roster, random.Random(7))
            with timed("summary"):
                result, written = run_summary(ledger, roster, ctx, work / "out", what_if=False)
            with timed("annual"):
                annual, _ = run_annual(ledger, roster, Context(None, policy=POLICY), YEAR, work / "out")
            assert len(annual.months) == 12, annual.months
        staff = len(result.staff)
        if "libreoffice" not in skip:
            blank = work / "blank7.xlsx"
            blank.write_bytes(render(blank_form(7, Context(None))))
            with timed("soffice start"):
                _open_in_libreoffice(blank, work)
            with timed("附件7 open"):
                _open_in_libreoffice(written.path, work)
        me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return {"people": people, "staff": staff, "departments": len(roster.departments), "times": timed.wall, "cpu": timed.cpu,
                "rss_mb": me.ru_maxrss / 1024, "children_rss_mb": children.ru_maxrss / 1024,
                "quota_changes": len(result.quota.changes)}  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _synthetic_month(ledger: Ledger, roster) -> None:
    """The 12th month's 附件3 and 附件5 totals written straight into the ledger (--skip collect)."""
    rng = random.Random(12)
    month = str(MONTH)
    with ledger.batch():
        for person in roster.people:
            if person.category in ("员工", "部门负责人"):
                s = round(rng.uniform(55, 100), 1)
                ledger.record(month, 3, person.id, person.name, person.department, "-", str(s), {},
                              {"total.self": s, "total.dept": s, "total.leader": s, "final": s})  # fmt: skip
        for i, department in enumerate(roster.departments):
            ledger.record(month, 5, department, department, department, "-", "-", {},
                          {"total.self": 90.0, "total.leader": 75.0 + i % 20})  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="add 100,000 staff")
    parser.add_argument("--sizes", default="", help="comma-separated sizes instead of 2000,20000[,100000]")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip", default="", help="steps to leave out: forms, collect, libreoffice")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child run: one size, JSON out
    args = parser.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    if args.one:
        print(json.dumps(one_size(args.one, args.workers, skip), ensure_ascii=False))
        return 0

    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [2000, 20000] + ([100000] if args.big else [])
    runs = []
    for people in sizes:
        print(f"… {people:,} staff", file=sys.stderr, flush=True)
        child = subprocess.run([sys.executable, __file__, "--one", str(people), "--workers", str(args.workers),
                                "--skip", ",".join(skip)], capture_output=True, text=True)  # fmt: skip
        if child.returncode:
            print(child.stderr[-3000:], file=sys.stderr)
            return 1
        runs.append(json.loads(child.stdout.strip().splitlines()[-1]))

    base = runs[0]
    print(f"\nper person (ms), {args.workers} worker(s) for forms and collect; ratio = per-person time / at {base['people']:,}")
    header = f"{'step':<16}" + "".join(f"{r['people']:>12,}" for r in runs) + "".join(f"{'ratio ' + format(r['people'], ','):>16}" for r in runs[1:])
    print(header)
    for kind, label in (("times", "wall"), ("cpu", "CPU")):
        for step in STEPS:
            if step not in base[kind]:
                continue
            per = [r[kind][step] / r["people"] * 1000 for r in runs]
            print(f"{step + ' ' + label:<16}" + "".join(f"{p:>12.3f}" for p in per)
                  + "".join(f"{p / per[0]:>16.2f}" for p in per[1:]))  # fmt: skip
    print("\nwall time (s)")
    for r in runs:
        shown = ", ".join(f"{k} {v:.1f} (CPU {r['cpu'][k]:.1f})" for k, v in r["times"].items())
        print(f"  {r['people']:>7,} staff ({r['departments']} departments, {r['quota_changes']:,} A→B): {shown}")
        print(f"          peak RSS {r['rss_mb']:,.0f} MB (main; {r['rss_mb'] / r['people'] * 100_000:,.0f} MB per 100,000 staff), "
              f"{r['children_rss_mb']:,.0f} MB (largest worker or soffice)")  # fmt: skip

    largest, small = runs[-1], next((r for r in runs if r["people"] == 2000), None)
    verdicts = [
        (f"summary of {largest['people']:,} under 60 s", largest["times"]["summary"] < 60),
        (f"annual (12 months) of {largest['people']:,} under 60 s", largest["times"]["annual"] < 60),
    ]
    if largest["people"] >= 100_000 and {"forms", "collect"} <= largest["times"].keys():
        month = sum(largest["times"][k] for k in ("forms", "collect", "summary"))
        verdicts.append((f"{largest['people']:,}-staff month (forms, collect, summary) under 10 minutes: {month / 60:.1f} min",
                         month < 600))  # fmt: skip
    if small and {"forms", "collect"} <= small["times"].keys():
        cycle = sum(small["times"][k] for k in ("forms", "collect", "summary"))
        verdicts.append((f"2,000-staff cycle (forms, collect, summary) under 10 s: {cycle:.1f} s", cycle < 10))
    print("\nTargets:")
    for text, ok in verdicts:
        print(f"  {'met   ' if ok else 'MISSED'} {text}")
    return 0 if all(ok for _, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
