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
