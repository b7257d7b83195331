"""The appraisal calendar: a month, and the hand-in deadlines of seed 000 §五."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from ._util.i18n import _
from .errors import KpiArgumentError, quote
from .policy import DEFAULT_POLICY, Deadlines


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        found = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        # years past 2999 or before 1900 are typing mistakes (and 9999-12 has no next month)
        if not found or not 1 <= int(found.group(2)) <= 12 or not 1900 <= int(found.group(1)) <= 2999:
            raise KpiArgumentError("month", _("{text} is not a month; write it as YYYY-MM, e.g. 2026-12").format(text=quote(text)))
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

    def deadlines(self, days: Deadlines = DEFAULT_POLICY.deadlines) -> dict[str, date]:
        """The hand-in dates for this month: plans in the month before, the self-assessment in
        this month, the rest in the month after, on the policy's days (seed 000 §五: the 28th
        and the month's end before, then the 5th, 8th and 10th)."""
        before, after = self.previous(), self.next()
        return {
            "department_plan": before.day(days.department_plan),
            "employee_plan": before.day(days.employee_plan),
            "self_assessment": self.day(days.self_assessment),
            "department_assessment": after.day(days.department_assessment),
            "leader_rating": after.day(days.leader_rating),
            "summary": after.day(days.summary),
        }

    def day(self, number: int) -> date:
        """Day `number` of this month; past its end, the last day (31 = month end)."""
        return date(self.year, self.month, min(number, self.last_day.day))
