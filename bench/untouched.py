"""Benchmark: the check that a summary nobody touched may be replaced (collect/untouched.why_keep)
on a 附件7 of a big company, against writing that 附件7 in the same run.

    python bench/untouched.py [--people 20000]

Timed: `summary` (compute, write 附件7, record), the record of what the 附件7 shows as
meta_values computes it (content_record, part of writing), and why_keep reading the written
附件7 back — untouched, then with a note typed in a spare cell. Printed with their ratio to
the summary's time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT)]

from cycle import MONTH  # noqa: E402
from forms import company  # noqa: E402
from scale import _synthetic_month  # noqa: E402

from kpi_xl.collect.untouched import why_keep  # noqa: E402
from kpi_xl.engine.monthly import compute_month  # noqa: E402
from kpi_xl.forms import Context  # noqa: E402
from kpi_xl.forms.monthly import monthly_summary_book  # noqa: E402
from kpi_xl.ledger import Ledger  # noqa: E402
from kpi_xl.office.summary import run_summary  # noqa: E402
from kpi_xl.render.content import content_record  # noqa: E402
from tests.hostile.mutate import FORM_SHEET, append_row, rewrite  # noqa: E402


def timed(action):
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=20000)
    args = parser.parse_args(argv)
    roster = company(args.people)
    ctx = Context(MONTH)
    work = Path(tempfile.mkdtemp(prefix="kpi-untouched-"))
    try:
        with Ledger(work / "ledger.sqlite3") as ledger:
            _synthetic_month(ledger, roster)
            summary, (_result, written) = timed(lambda: run_summary(ledger, roster, ctx, work / "out", what_if=False))
            specs = monthly_summary_book(ctx, compute_month(ledger, roster, ctx))
        for spec in specs:  # as rendering computed them before meta_values
            spec.cached_values  # noqa: B018
        rows = max(cell.row for cell in specs[0].cells) + 1
        record, _ = timed(lambda: content_record(specs[0], specs[1:]))
        check, reason = timed(lambda: why_keep(written.path, specs[0]))
        assert reason == "", reason
        rewrite(written.path, FORM_SHEET, lambda xml: append_row(xml, f'<row r="{rows + 5}"><c r="B{rows + 5}" t="inlineStr"><is><t>批准</t></is></c></row>'))
        touched, reason = timed(lambda: why_keep(written.path, specs[0]))
        assert reason, "a note must be noticed"
        print(f"附件7 of {args.people} people ({rows} rows, {written.path.stat().st_size / 2**20:.1f} MB)")
        print(f"  summary (baseline)        {summary:6.2f} s")
        for name, seconds in (("record (in meta_values)", record), ("why_keep, untouched", check), ("why_keep, a note added", touched)):
            print(f"  {name:<25} {seconds:6.2f} s  = {seconds / summary:.2f} × summary")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
