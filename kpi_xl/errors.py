"""The kpi-xl error family and where a problem was found.

Callers can catch our errors two ways: as `KpiError` (anything kpi-xl reports) or as the
built-in they resemble (`ValueError` for bad input), as tablib does.
"""

from __future__ import annotations

from dataclasses import dataclass


class KpiError(Exception):
    """Anything kpi-xl reports to a person: the message is meant to be read as it is."""


class KpiInputError(KpiError, ValueError):
    """A value or parameter that a rule cannot score (text for a number, impossible thresholds)."""


class ProblemsError(KpiError):
    """A file with problems, every one of them listed (a roster, a scorecard workbook)."""

    what = "file"

    def __init__(self, source: str, problems: list[str]):
        self.problems = problems
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        super().__init__(f"{source}: the {self.what} has {count}:\n  " + "\n  ".join(problems))


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
