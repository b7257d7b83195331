"""Text printed to a terminal: names from a roster or a form must not drive the terminal.

A name holding ESC [2J clears the clerk's screen, ESC ] 0; … BEL retitles the window.
Control characters other than newline, carriage return (the progress bar) and tab are
shown as � instead.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


class PrintableStream:
    """Wraps stdout or stderr: everything written goes through `printable`."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text))

    def __getattr__(self, name: str) -> Any:  # flush, isatty, encoding …
        return getattr(self._stream, name)
