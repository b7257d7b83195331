"""The appraisal calendar: a month, and the hand-in deadlines of seed 000 §五."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .errors import KpiError, quote


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        if not found or not 1 <= int(found.group(2)) <= 12:
            raise KpiError(f"--month: {quote(text)} is not a month; write it as YYYY-MM, e.g. 2026-12")
        return cls(int(found.group(1)), int(found.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def label(self, lang: str) -> str:
        return f"{self.year}年{self.month}月" if lang == "zh" else f"{calendar.month_name[self.month]} {self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def deadlines(self) -> dict[str, date]:
        """seed 000 §五: plans on the 28th before, hand-ins by the 5th, 8th and 10th after."""
        after = self.next()
        return {
            "department_plan": date(self.previous().year, self.previous().month, 28),
            "employee_plan": self.previous().last_day,
            "self_assessment": self.last_day,
            "department_assessment": date(after.year, after.month, 5),
            "leader_rating": date(after.year, after.month, 8),
            "summary": date(after.year, after.month, 10),
        }
