"""The kpi-xl error family and where a problem was found.

Callers can catch our errors two ways: as `KpiError` (anything kpi-xl reports) or as the
built-in they resemble, as tablib does:

    KpiError
    ├── KpiInputError (ValueError)   a value a rule cannot score
    │   └── KpiArgumentError         a value given for a named argument (a month, a 工号)
    ├── PolicyError (ValueError)     a policy file that cannot be used
    ├── ProblemsError                a file with problems, every one listed (roster, scorecards)
    └── KpiFileError (OSError)       a file that cannot be read or used as what it should be
        ├── UnreadableWorkbook       not a workbook we can open (damaged, another format, password)
        └── LedgerError              not a kpi-xl ledger, a newer one, a broken or missing one

KpiFileError is an OSError rather than a ValueError: the trouble is the file, not a value in
it, and code that already handles "cannot open that file" (OSError) handles these too.

Messages say what is wrong with which value or file and what to do; they name no
command-line flag: the command line adds which flag gave the value.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._util.i18n import N_, ngettext, translated


class KpiError(Exception):
    """Anything kpi-xl reports to a person: the message is meant to be read as it is."""


class KpiInputError(KpiError, ValueError):
    """A value or parameter that a rule cannot score (text for a number, impossible thresholds)."""


class KpiFileError(KpiError, OSError):
    """A file that cannot be read, or cannot be used as what it was given as. Raised with
    one argument, the message (OSError's two-argument errno form is not used)."""


class UnreadableWorkbook(KpiFileError):
    """The file is not a workbook we can open (corrupt, another format, password)."""


class LedgerError(KpiFileError):
    """A ledger that cannot be used: missing, not a kpi-xl ledger, newer, broken or busy."""


class ProblemsError(KpiError):
    """A file with problems, every one of them listed (a roster, a scorecard workbook)."""

    what = N_("file")  # subclasses name their kind of file, marked for the catalogue

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        head = ngettext("{source}: the {what} has {n} problem:", "{source}: the {what} has {n} problems:", len(problems))
        super().__init__(head.format(source=source, what=translated(self.what), n=len(problems)) + "\n  " + "\n  ".join(problems))


class KpiArgumentError(KpiInputError):
    """A value given to a library function that cannot be used; `arguments` names the
    parameter(s), so that a caller (the command line) can say where the value came from."""

    def __init__(self, arguments: str | tuple[str, ...], message: str):
        self.arguments = (arguments,) if isinstance(arguments, str) else tuple(arguments)
        super().__init__(message)


class PolicyError(KpiError, ValueError):
    """A policy file that cannot be used: unknown keys, wrong types, rules that contradict."""


@dataclass(frozen=True)
class Location:
    """Where a value came from: `file › sheet!cell`, each part optional."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        place = ""
        if self.sheet and self.cell:
            place = f"{self.sheet}!{self.cell}"
        elif self.sheet or self.cell:
            place = self.sheet or self.cell or ""
        if self.file and place:
            return f"{self.file} › {place}"
        return self.file or place


def quote(value: object, limit: int = 24) -> str:
    """A value as a person would recognise it in a message, shortened if long."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[: limit - 1] + "…"
        return repr(text)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
