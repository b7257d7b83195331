"""A progress bar on stderr, shown only when a person is watching (a terminal): how many,
how fast and how long is left, so that a 100,000-person month can be trusted to end."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .i18n import _


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0
        self._shown = 0.0
        self._start = time.monotonic()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.enabled and (now - self._shown > 0.1 or self.done >= self.total):
            self._shown = now
            filled = int(30 * self.done / self.total)
            bar = "█" * filled + "·" * (30 - filled)
            self.stream.write(f"\r{self.label} {bar} {self.done}/{self.total} {self.pace(now)}")
            self.stream.flush()

    def pace(self, now: float | None = None) -> str:
        """"120/s, 0:42 left": the rate so far and the time the rest takes at that rate."""
        elapsed = (now if now is not None else time.monotonic()) - self._start
        if self.done <= 0 or elapsed <= 0:
            return ""
        rate = self.done / elapsed
        left = max(self.total - self.done, 0) / rate
        minutes, seconds = divmod(int(round(left)), 60)
        if rate >= 1:
            shown = _("{rate}/s").format(rate=f"{rate:,.0f}")
        else:
            shown = _("{seconds} s each").format(seconds=f"{1 / rate:,.1f}")
        return _("{rate}, {time} left").format(rate=shown, time=f"{minutes}:{seconds:02d}") + " "

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
