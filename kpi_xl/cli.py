"""The `kpi-xl` command. Thin: parses arguments, calls the library, prints.

Every KpiError becomes one line `Error: ...` on stderr and exit status 1; anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from . import __version__
from .errors import KpiError
from .policy import DEFAULT_POLICY, Policy, load_policy

Handler = Callable[[argparse.Namespace], int]


def _policy(args: argparse.Namespace) -> Policy:
    return load_policy(args.policy) if getattr(args, "policy", None) else DEFAULT_POLICY


def cmd_udfs(args: argparse.Namespace) -> int:
    from . import udf_catalog

    items = udf_catalog.udfs()
    print(udf_catalog.as_markdown(items) if args.markdown else udf_catalog.as_text(items), end="")
    return 0


def cmd_rules_tour(args: argparse.Namespace) -> int:
    from . import rules_tour

    print(rules_tour.run(_policy(args)), end="")
    return 0


def _roster(args: argparse.Namespace):
    from .roster import demo_roster, read_roster

    return read_roster(args.roster) if args.roster else demo_roster()


def cmd_forms(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .collect.plans import read_plans
    from .forms import Context, Month
    from .generate import FAILED, KEPT, KEPT_FILLED, REPLACED, WRITTEN, generate_forms

    month = Month.parse(args.month)
    policy = _policy(args)
    roster = _roster(args)
    ctx = Context(month, args.lang, policy)
    problems: list[str] = []
    plans = {}
    if args.plans:
        plans, problems = read_plans([Path(p) for p in args.plans], roster, ctx)
    report = generate_forms(roster, ctx, Path(args.out), plans=plans, force=args.force, workers=args.workers)
    report.problems.extend(problems)
    print(f"{month}: {len(report.outcomes)} forms for {len(roster)} people ({roster.source}) in {report.folder}")
    print(f"  written {report.count(WRITTEN)}, replaced {report.count(REPLACED)}, "
          f"kept {report.count(KEPT) + report.count(KEPT_FILLED)}, failed {report.count(FAILED)}; "
          f"plans carried into 附件3: {len(plans)}")  # fmt: skip
    print(f"  manifest: {report.folder / 'manifest.csv'}")
    for outcome in report.outcomes:
        if outcome.status in (KEPT_FILLED, FAILED):
            print(f"  {outcome.status}: {report.folder / outcome.job.path}: {outcome.message}")
    kept = report.count(KEPT)
    if kept:
        print(f"  {kept} existing file(s) left as they were; --force regenerates those nobody has filled in")
    for problem in report.problems:
        print(f"Problem: {problem}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_templates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .templates import write_templates

    written = write_templates(Path(args.out), _policy(args))
    print(f"wrote {len(written)} blank forms to {args.out} (zh/ and en/)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kpi-xl",
        description="Monthly KPI performance appraisal (绩效考核) in Excel: forms, scoring, summaries.",
    )
    parser.add_argument("--version", action="version", version=f"kpi-xl {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    udfs = commands.add_parser("udfs", help="list the Excel functions with their arguments and help")
    udfs.add_argument("--markdown", action="store_true", help="as the README's reference table")
    udfs.set_defaults(handler=cmd_udfs)

    for name in ("demo", "rules-tour"):
        tour = commands.add_parser(name, help="score built-in sample data with the rules")
        tour.add_argument("--policy", metavar="FILE", help="policy TOML file (default: seed 000)")
        tour.set_defaults(handler=cmd_rules_tour)

    forms = commands.add_parser("forms", help="generate the month's forms for everyone on the roster")
    forms.add_argument("--month", required=True, help="the month appraised, YYYY-MM")
    forms.add_argument("--roster", metavar="FILE", help=".xlsx or .csv roster (default: the built-in demo company)")
    forms.add_argument("--plans", metavar="DIR", nargs="+", help="folders of filled 附件1 plans to pre-fill 附件3")
    forms.add_argument("--out", metavar="DIR", default="kpi-out", help="output folder (default: kpi-out)")
    forms.add_argument("--lang", choices=("zh", "en"), default="zh", help="form language (default: zh)")
    forms.add_argument("--policy", metavar="FILE", help="policy TOML file (default: seed 000)")
    forms.add_argument("--force", action="store_true",
                       help="regenerate existing files, except those someone has filled in")  # fmt: skip
    forms.add_argument("--workers", type=int, default=None, help="processes to use (default: up to 4)")
    forms.set_defaults(handler=cmd_forms)

    templates = commands.add_parser("templates", help="write the blank forms 附件1–9 (zh and en)")
    templates.add_argument("--out", metavar="DIR", default="workbook_templates")
    templates.add_argument("--policy", metavar="FILE", help="policy TOML file (default: seed 000)")
    templates.set_defaults(handler=cmd_templates)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        return handler(args)
    except KpiError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
