"""The `kpi-xl` command. Thin: parses arguments, calls the library, prints.

Every KpiError becomes one line `Error: ...` on stderr and exit status 1; anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from . import __version__
from ._util import i18n
from ._util.i18n import N_, _, ngettext, translated
from ._util.terminal import PrintableStream
from .errors import KpiArgumentError, KpiError, LedgerError
from .policy import DEFAULT_POLICY, Policy

Handler = Callable[[argparse.Namespace], int]


def _policy(args: argparse.Namespace) -> Policy:
    """--policy: a workbook written by `kpi-xl policy`, a TOML file or a shipped name."""
    if not getattr(args, "policy", None):
        return DEFAULT_POLICY
    from .office.policy_book import read_policy
    from .scorecards.library import library_for

    policy = read_policy(args.policy)
    library_for(policy)  # a missing or broken 指标库 is said once, before any work, not once per person
    return policy


def _policy_help() -> str:
    return _("policy workbook (.xlsx, from kpi-xl policy), TOML file, or seed-001 … seed-004 (default: seed 000)")


def cmd_policy(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .office.policy_book import write_policy_book
    from .office.policy_toml import write_policy_toml

    policy, out = _policy(args), Path(args.out)
    if out.suffix.lower() == ".toml":  # for those who keep the policy as text
        write_policy_toml(policy, out)
        print(_("wrote {path}: the policy {name} as TOML, every key").format(path=out, name=policy.name))
        return 0
    count = write_policy_book(policy, out)
    print(_("wrote {path}: {n} keys of the policy {name}, each section on a sheet").format(
        path=args.out, n=count, name=policy.name))  # fmt: skip
    print(_("Edit the yellow cells in Excel, then use it: --policy {path}").format(path=args.out))
    return 0


def cmd_udfs(args: argparse.Namespace) -> int:
    from .excel import catalog as udf_catalog

    items = udf_catalog.udfs()
    print(udf_catalog.as_markdown(items) if args.markdown else udf_catalog.as_text(items), end="")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .demo.year import run_demo

    report = run_demo(Path(args.out), workers=args.workers, months=args.months)
    for line in report.lines:
        print(line)
    return 0


def cmd_rules_tour(args: argparse.Namespace) -> int:
    from .demo import rules_tour

    print(rules_tour.run(_policy(args)), end="")
    return 0


def _day(text: str | None, argument: str) -> date | None:
    """A YYYY-MM-DD argument as a date (None when not given)."""
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise KpiArgumentError(argument, _("{value} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-05").format(
            value=repr(text))) from None  # fmt: skip


def _roster(args: argparse.Namespace):
    """--roster, else the sample roster a shipped policy names, else the demo company."""
    from .policy import SHIPPED, shipped_file
    from .roster import demo_roster, read_roster

    if args.roster:
        return read_roster(args.roster)
    sample = _policy(args).sample_roster
    if sample:
        return read_roster(shipped_file("rosters", sample, ".csv") if sample in SHIPPED else sample)
    return demo_roster()


def cmd_forms(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .calendar import Month
    from .collect.plans import read_plans
    from .forms import Context
    from .ledger import ensure_key, key_path
    from .office.forms import FAILED, KEPT, KEPT_FILLED, REPLACED, WRITTEN, generate_forms

    month = Month.parse(args.month)
    policy = _policy(args)
    roster = _roster(args)
    ctx = Context(month, args.lang, policy)
    key, made = ensure_key(args.ledger)
    if made:
        print(_("made the signing key {path}: keep it with the ledger, back it up with it and keep it out of shared folders; without it the forms cannot be collected").format(path=key_path(args.ledger)))  # fmt: skip
    problems: list[str] = []
    plans = {}
    if args.plans:
        plans, problems = read_plans([Path(p) for p in args.plans], roster, ctx, key)
    report = generate_forms(roster, ctx, Path(args.out), key=key, plans=plans, force=args.force, workers=args.workers)
    report.problems.extend(problems)
    print(_("{month}: {forms} forms for {people} people ({source}) in {folder}").format(
        month=month, forms=len(report.outcomes), people=len(roster), source=roster.source, folder=report.folder))
    print(_("  written {written}, replaced {replaced}, kept {kept}, failed {failed}; plans carried into 附件3: {plans}").format(
        written=report.count(WRITTEN), replaced=report.count(REPLACED), kept=report.count(KEPT) + report.count(KEPT_FILLED),
        failed=report.count(FAILED), plans=len(plans)))  # fmt: skip
    print(_("  manifest: {path}").format(path=report.folder / "manifest.csv"))
    for status, message, paths in _grouped(o for o in report.outcomes if o.status in (KEPT_FILLED, FAILED)):
        if len(paths) == 1:
            print(f"  {translated(status)}: {report.folder / paths[0]}: {message}")
        else:  # one message for many files (a full disk fails every form alike)
            more = _(" and {n} more").format(n=len(paths) - 3) if len(paths) > 3 else ""
            shown = ", ".join(str(p) for p in paths[:3]) + more
            print(f"  {translated(status)} ({len(paths)}): {message}: {shown}")
    besides = [o.beside for o in report.outcomes if o.beside is not None]
    if besides:
        print(ngettext("  the new form is written beside the kept one: {example}",
                       "  the new forms are written beside the kept ones, like {example}", len(besides)).format(
            example=report.folder / besides[0]))  # fmt: skip
    kept = report.count(KEPT)
    if kept:
        print(ngettext("  {n} existing file left as it was; --force regenerates those nobody has changed",
                       "  {n} existing files left as they were; --force regenerates those nobody has changed",
                       kept).format(n=kept))  # fmt: skip
    _print_problems(report.problems)
    return 1 if report.failed else 0


def _grouped(outcomes: Iterable[Any]) -> list[tuple[str, str, list[Any]]]:
    """(status, message, paths) in first-seen order: the same message said once."""
    groups: dict[tuple[str, str], list[Any]] = {}
    for o in outcomes:
        groups.setdefault((o.status, o.message), []).append(o.job.path)
    return [(status, message, paths) for (status, message), paths in groups.items()]


def _print_problems(problems: list) -> None:
    for problem in problems:
        print(_("Problem: {problem}").format(problem=problem), file=sys.stderr)


def cmd_collect(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .calendar import Month
    from .collect.collector import collect
    from .ledger import Ledger, read_key

    month = Month.parse(args.month)
    roster = _roster(args)
    key = read_key(args.ledger)  # before the ledger is made: without the key nothing can be collected
    with Ledger(args.ledger) as ledger:
        report = collect([Path(d) for d in args.folders], month, roster, _policy(args), ledger, key=key)
    r = report.recorded
    print(_("{month}: read {read} workbook(s) from {folders}; recorded {recorded} form(s) in {ledger} "
            "(new {new}, updated {updated}, unchanged {unchanged}); still blank {blank}; skipped {skipped}").format(
        month=month, read=report.read, folders=", ".join(args.folders), recorded=r["new"] + r["updated"] + r["unchanged"],
        ledger=args.ledger, new=r["new"], updated=r["updated"], unchanged=r["unchanged"], blank=report.blank,
        skipped=len(report.skipped)))  # fmt: skip
    _print_problems(report.problems)
    return 1 if report.failed else 0


def cmd_summary(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .calendar import Month
    from .forms import Context
    from .forms.common import attachment
    from .ledger import Ledger
    from .office.summary import describe_summary, run_summary

    ctx = Context(Month.parse(args.month), args.lang, _policy(args))
    with Ledger(args.ledger, readonly=args.what_if) as ledger:
        result, written = run_summary(ledger, _roster(args), ctx, Path(args.out), args.what_if)
    for line in describe_summary(result, ctx):
        print(line)
    if written is None:
        print(_("  what-if: nothing written, nothing recorded"))
    else:
        print(f"  {attachment(7, ctx.lang)}: {written.path}")
        print(_("  recorded in {ledger}").format(ledger=args.ledger))
        return _say_kept([written])
    return 0


def cmd_annual(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .forms import Context
    from .ledger import Ledger
    from .office.annual import describe_annual, run_annual

    ctx = Context(None, args.lang, _policy(args))
    with Ledger(args.ledger, readonly=True) as ledger:  # annual records nothing
        result, written = run_annual(ledger, _roster(args), ctx, args.year, Path(args.out))
    for line in describe_annual(result, ctx):
        print(line)
    for w in written:
        print(f"  {w.path}")
    return _say_kept(written)


def _say_kept(written: list[Any]) -> int:
    """A report written beside a changed one: the file at its usual name is not the new
    one, so the clerk must notice: one line each on stderr, and exit status 1."""
    kept = [w for w in written if w.kept]
    for w in kept:
        print(_("Kept: {path} was changed since kpi-xl wrote it ({reason}); the new one is {new}. "
                "Compare them, keep what you need, then delete or rename the other.").format(
            path=w.kept, reason=w.reason, new=w.path), file=sys.stderr)  # fmt: skip
    return 1 if kept else 0


def cmd_appeal(args: argparse.Namespace) -> int:
    from .calendar import Month
    from .ledger import Ledger
    from .office.appeal import run_appeal

    month = str(Month.parse(args.month))
    with Ledger(args.ledger) as ledger:
        appeal = run_appeal(ledger, _roster(args), month, args.employee, args.score, args.reason, args.by,
                            _day(args.date, "date"))  # fmt: skip
    old = _("none") if appeal.old_score is None else f"{appeal.old_score:g}"
    print(_("{month}: appeal recorded for {employee}: {old} → {new} by {by} at {at} ({reason}); "
            "run `kpi-xl summary --month {month}` to apply it").format(
        month=month, employee=appeal.employee, old=old, new=f"{appeal.new_score:g}", by=appeal.by, at=appeal.day,
        reason=appeal.reason))  # fmt: skip
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from datetime import date

    from .calendar import Month
    from .forms import Context
    from .ledger import Ledger
    from .office.status import run_status

    ctx = Context(Month.parse(args.month), args.lang, _policy(args))
    today = _day(args.today, "today") or date.today()
    with Ledger(args.ledger, readonly=True) as ledger:
        lines = run_status(ledger, _roster(args), ctx, today)
    print(_("{month} status on {today}:").format(month=ctx.month, today=f"{today:%Y-%m-%d}"))
    for line in lines:
        print(line)
    return 0


def cmd_excel_setup(args: argparse.Namespace) -> int:
    if args.install_from:  # from install\install.bat, before kpi-xl is installed: standard library only
        from pathlib import Path

        from .excel.install import install

        return install(Path(args.install_from), args.index_url)
    from .excel.setup import excel_setup

    excel_setup()
    return 0


def cmd_lite(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .excel.lite import write_bundle

    written = write_bundle(Path(args.out), Path(args.policy) if args.policy else None)
    print(_("wrote {files}").format(files=", ".join(str(p) for p in written)))
    print(_("In Excel: install the xlwings Lite add-in (Home › Add-ins › search 'xlwings Lite'), open its editor,\n"
            "replace main.py and requirements.txt with these two files, and restart: the KPI functions appear."))
    return 0


def cmd_lambdas(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .excel.lambdas import write_lambda_workbook

    path = write_lambda_workbook(Path(args.out), _policy(args))
    print(_("wrote {path}: the KPI functions as Excel 365 LAMBDA names; see its Instructions sheet").format(path=path))
    return 0


def cmd_scorecards(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .office.report_file import write_scorecards_keeping
    from .scorecards.library import library_for
    from .scorecards.seeds import GENERAL, Library

    policy = _policy(args)
    library = library_for(policy) or Library((GENERAL,), "通用")
    written = write_scorecards_keeping(library, Path(args.out), args.lang)
    names = ", ".join(f"{c.name} ({len(c.indicators)})" for c in library.scorecards)
    print(_("wrote {path}: {names}").format(path=written.path, names=names))
    print(_("Edit it in Excel, then name it in a policy file: scorecards = \"指标库.xlsx\" and [employee_score] kpi_share"))
    return _say_kept([written])


def cmd_templates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .office.templates import write_templates

    written = write_templates(Path(args.out), _policy(args))
    print(_("wrote {n} blank forms to {folder} (zh/ and en/)").format(n=len(written), folder=args.out))
    return 0


def _ledger_and_roster(parser: argparse.ArgumentParser) -> None:
    from .ledger import DEFAULT_LEDGER

    parser.add_argument("--ledger", metavar="FILE", default=DEFAULT_LEDGER,
                        help=_("the ledger database (default: {ledger} in this folder)").format(ledger=DEFAULT_LEDGER))  # fmt: skip
    parser.add_argument("--roster", metavar="FILE", help=_(".xlsx or .csv roster (default: the built-in demo company)"))
    parser.add_argument("--policy", metavar="FILE", help=_policy_help())


def build_parser() -> argparse.ArgumentParser:
    from .ledger import DEFAULT_LEDGER

    parser = argparse.ArgumentParser(
        prog="kpi-xl",
        description=_("Monthly KPI performance appraisal (绩效考核) in Excel: forms, scoring, summaries."),
    )
    parser.add_argument("--version", action="version", version=f"kpi-xl {__version__}", help=_("show the version of kpi-xl and exit"))
    _language_option(parser, i18n.language())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    udfs = commands.add_parser("udfs", help=_("list the Excel functions with their arguments and help"))
    udfs.add_argument("--markdown", action="store_true", help=_("as the README's reference table"))
    udfs.set_defaults(handler=cmd_udfs)

    demo = commands.add_parser("demo", help=_("a whole year of appraisal for the built-in demo company"))
    demo.add_argument("--out", metavar="DIR", default="kpi-xl-demo", help=_("output folder (default: kpi-xl-demo)"))
    demo.add_argument("--workers", type=int, default=2, help=_("processes to use (default: 2)"))
    demo.add_argument("--months", type=int, default=12, choices=range(1, 13), metavar="N",
                      help=_("simulate only the first N months of 2026 (default: 12)"))  # fmt: skip
    demo.set_defaults(handler=cmd_demo)

    tour = commands.add_parser("rules-tour", help=_("score built-in sample data with the rules"))
    tour.add_argument("--policy", metavar="FILE", help=_policy_help())
    tour.set_defaults(handler=cmd_rules_tour)

    forms = commands.add_parser("forms", help=_("generate the month's forms for everyone on the roster"))
    forms.add_argument("--month", required=True, help=_("the month appraised, YYYY-MM"))
    forms.add_argument("--roster", metavar="FILE", help=_(".xlsx or .csv roster (default: the built-in demo company)"))
    forms.add_argument("--plans", metavar="DIR", nargs="+", help=_("folders of filled 附件1 plans to pre-fill 附件3"))
    forms.add_argument("--out", metavar="DIR", default="kpi-out", help=_("output folder (default: kpi-out)"))
    forms.add_argument("--policy", metavar="FILE", help=_policy_help())
    forms.add_argument("--force", action="store_true",
                       help=_("regenerate existing files, except those someone has filled in"))  # fmt: skip
    forms.add_argument("--workers", type=int, default=None, help=_("processes to use (default: up to 4)"))
    forms.add_argument("--ledger", metavar="FILE", default=DEFAULT_LEDGER,
                       help=_("the ledger the forms will be collected into: its signing key, kept beside it, signs them (default: {ledger} in this folder)").format(ledger=DEFAULT_LEDGER))  # fmt: skip
    forms.set_defaults(handler=cmd_forms)

    collect = commands.add_parser("collect", help=_("read filled forms back into the ledger"))
    collect.add_argument("--month", required=True, help=_("the month appraised, YYYY-MM"))
    collect.add_argument("folders", metavar="DIR", nargs="+", help=_("folders (or files) of returned forms"))
    _ledger_and_roster(collect)
    collect.set_defaults(handler=cmd_collect)

    summary = commands.add_parser("summary", help=_("the monthly summary 附件7: grades, A quota, pay"))
    summary.add_argument("--month", required=True, help=_("the month appraised, YYYY-MM"))
    summary.add_argument("--out", metavar="DIR", default="kpi-out", help=_("output folder (default: kpi-out)"))
    summary.add_argument("--what-if", action="store_true", help=_("show the result; write and record nothing"))
    _ledger_and_roster(summary)
    summary.set_defaults(handler=cmd_summary)

    annual = commands.add_parser("annual", help=_("the annual summaries 附件8 and 附件9"))
    annual.add_argument("--year", required=True, type=int)
    annual.add_argument("--out", metavar="DIR", default="kpi-out", help=_("output folder (default: kpi-out)"))
    _ledger_and_roster(annual)
    annual.set_defaults(handler=cmd_annual)

    appeal = commands.add_parser("appeal", help=_("record a corrected score (申诉), keeping the old one"))
    appeal.add_argument("--month", required=True)
    appeal.add_argument("--employee", required=True, metavar="ID", help=_("the employee's 工号"))
    appeal.add_argument("--score", required=True, type=float, help=_("the corrected final score"))
    appeal.add_argument("--reason", required=True, help=_("why the score was corrected"))
    appeal.add_argument("--by", required=True, metavar="NAME", help=_("who decided the correction"))
    appeal.add_argument("--date", metavar="YYYY-MM-DD", help=_("the day the appeal was made (default: today)"))
    _ledger_and_roster(appeal)
    appeal.set_defaults(handler=cmd_appeal)

    status = commands.add_parser("status", help=_("who has not handed in which form, against the deadlines"))
    status.add_argument("--month", required=True)
    status.add_argument("--today", metavar="YYYY-MM-DD", help=_("the date to judge deadlines by (default: today)"))
    _ledger_and_roster(status)
    status.set_defaults(handler=cmd_status)

    setup = commands.add_parser("excel-setup", help=_("make the KPI functions available in Excel on Windows"))
    setup.add_argument("--install-from", metavar="FOLDER|WHEEL",
                       help=_("first install kpi-xl from this folder or wheel into its own environment (what "
                              "install\\install.bat does); without it, set up the Python running this"))
    setup.add_argument("--index-url", metavar="URL", help=_("a company mirror of PyPI for the dependencies "
                                                            "(default: pip's, or $PIP_INDEX_URL)"))
    setup.set_defaults(handler=cmd_excel_setup)

    lite = commands.add_parser("lite", help=_("write the xlwings Lite bundle (Mac, Windows, Excel on the web)"))
    lite.add_argument("--out", metavar="DIR", default="kpi-xl-lite", help=_("output folder (default: kpi-xl-lite)"))
    lite.add_argument("--policy", metavar="FILE", help=_policy_help())
    lite.set_defaults(handler=cmd_lite)

    lambdas = commands.add_parser("lambdas", help=_("write the no-Python LAMBDA workbook (Excel 365)"))
    lambdas.add_argument("--out", metavar="FILE", default="kpi-xl-lambdas.xlsx")
    lambdas.add_argument("--policy", metavar="FILE", help=_policy_help())
    lambdas.set_defaults(handler=cmd_lambdas)

    cards = commands.add_parser("scorecards", help=_("write the policy's position scorecards (指标库) to edit"))
    cards.add_argument("--out", metavar="FILE", default="指标库.xlsx")
    cards.add_argument("--policy", metavar="FILE", help=_("a policy file or seed-001 … seed-004 (default: a general one)"))
    cards.set_defaults(handler=cmd_scorecards)

    templates = commands.add_parser("templates", help=_("write the blank forms 附件1–9 (zh and en)"))
    templates.add_argument("--out", metavar="DIR", default="workbook_templates")
    templates.add_argument("--policy", metavar="FILE", help=_policy_help())
    templates.set_defaults(handler=cmd_templates)

    book = commands.add_parser("policy", help=_("write the policy in force as a workbook HR can edit (考核办法.xlsx)"))
    book.add_argument("--policy", metavar="FILE", help=_policy_help())
    book.add_argument("--out", metavar="FILE", default="考核办法.xlsx", help=_("the workbook to write (default: 考核办法.xlsx); a .toml name writes TOML"))
    book.set_defaults(handler=cmd_policy)
    for command in commands.choices.values():
        _language_option(command, argparse.SUPPRESS)
    return parser


def _language_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=default,
                        help=_("language of the messages and the forms: zh or en (default: zh, or KPI_XL_LANG)"))  # fmt: skip


def chosen_language(argv: Sequence[str] | None) -> str:
    """--lang wherever it stands on the command line, else KPI_XL_LANG, else zh: known before the
    parser is built, so that its help is in that language too."""
    early = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(argv)
    return known.lang if known.lang in i18n.LANGUAGES else i18n.from_environment()


# argparse words its own messages through gettext (argparse._ and argparse.ngettext): while a
# command runs they come from our catalogue, so "usage:" and a missing option are Chinese too.
ARGPARSE_WORDS = (
    N_("usage: "), N_("options"), N_("positional arguments"), N_("show this help message and exit"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("argument %(argument_name)s: %(message)s"),
    N_("%(prog)s: error: %(message)s\n"), N_("invalid %(type)s value: %(value)r"), N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"), N_("expected at least one argument"), N_("expected at most one argument"),
)  # fmt: skip


@contextlib.contextmanager
def _argparse_in_our_language() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def main(argv: Sequence[str] | None = None) -> int:
    with i18n.using(chosen_language(argv)), _argparse_in_our_language():
        parser = build_parser()
        args = parser.parse_args(argv)
        args.lang = i18n.language()
        handler: Handler | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return 0
        streams = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)  # type: ignore[assignment]
        try:
            return handler(args)
        except KpiError as exc:
            print(_("Error: {message}").format(message=_with_flags(exc)), file=sys.stderr)
            return 1
        except OSError as exc:  # a full disk, a read-only folder, a file where a folder should be
            from ._util.paths import os_error_message

            print(_("Error: {message}").format(message=os_error_message(exc)), file=sys.stderr)
            print(_("  stopped there: files written before it are complete, nothing was half-written"), file=sys.stderr)
            return 1
        except sqlite3.Error as exc:  # the ledger's disk full, or the file locked by another program
            print(_("Error: the ledger {ledger}: {reason}; nothing of this run was recorded: "
                    "close other programs using it, free disk space, and run again").format(
                      ledger=getattr(args, "ledger", ""), reason=exc), file=sys.stderr)  # fmt: skip
            return 1
        finally:
            sys.stdout, sys.stderr = streams


def _with_flags(exc: KpiError) -> str:
    """The library names the argument whose value is wrong; here it is the flag that gave it."""
    if isinstance(exc, KpiArgumentError):
        return " and ".join("--" + name.replace("_", "-") for name in exc.arguments) + f": {exc}"
    if isinstance(exc, LedgerError):
        return f"--ledger: {exc}"
    return str(exc)


if __name__ == "__main__":
    sys.exit(main())
