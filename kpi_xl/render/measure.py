"""How much room text takes on screen and on A4, so that nothing is cut and pages break
where a clerk would break them.

Excel does not grow a row whose height is set, and never grows one for a merged cell, so
the renderer sets every row's height itself: from the text kpi-xl writes, and for a cell a
person fills in, from the length the declaration plans (`Check.planned`, ~120 Chinese
characters for free text). Widths are in Excel's units (one digit of Calibri 11, 7 px; a
Chinese character of a 10 pt font is about 2 units), heights in points.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

PAPER = {False: (595.3, 841.9), True: (841.9, 595.3)}  # A4 width, height in points: portrait, landscape
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.5, "bottom": 0.6}  # inches
# Room left on a page for the rows: Excel's and LibreOffice's own rounding of the fit-to-width
# scale and of row heights differ a little; a page is filled to this share at most.
FILL = 0.92


def char_units(char: str, size: float, bold: bool = False) -> float:
    """Width of one character in column-width units at `size` points."""
    if unicodedata.east_asian_width(char) in "WF":
        units = 2.0  # a Chinese character (and full-width punctuation) at 10 pt
    elif char.isdigit() or char in ".,%-+ ":
        units = 1.05  # Noto Sans CJK's digits, the widest of the fonts a form is shown in
    elif char.isupper():
        units = 1.25
    else:
        units = 1.0
    return units * size / 10 * (1.08 if bold else 1.0)


# names, departments and scores repeat down a 100,000-row summary: each text measured once
@lru_cache(maxsize=1 << 16)
def text_units(text: str, size: float = 10, bold: bool = False) -> float:
    return sum(char_units(c, size, bold) for c in text)


def wrapped_lines(text: str, width: float, size: float = 10, bold: bool = False) -> int:
    """Lines `text` takes in a wrapping cell `width` units wide: Chinese breaks between any
    two characters, other text between words."""
    room = max(width - 1.0, 1.0)  # the cell's padding
    lines = 0
    for paragraph in str(text).split("\n"):
        lines += 1
        used = 0.0
        for token in _tokens(paragraph):
            w = text_units(token, size, bold)
            if used and used + w > room:
                lines += 1
                used = text_units(token.lstrip(), size, bold)
                while used > room:  # a word longer than the cell breaks anyway
                    lines, used = lines + 1, used - room
            else:
                used += w
    return lines


def _tokens(paragraph: str) -> Iterable[str]:
    word = ""
    for char in paragraph:
        if unicodedata.east_asian_width(char) in "WF":
            if word:
                yield word
                word = ""
            yield char
        elif char == " ":
            yield word + " "
            word = ""
        else:
            word += char
    if word:
        yield word


def line_height(size: float, text: str) -> float:
    """Points per line: Chinese fonts (微软雅黑, Noto Sans CJK) are taller than Calibri."""
    has_cjk = any(unicodedata.east_asian_width(c) in "WF" for c in text)
    return size * (1.45 if has_cjk else 1.3)


@lru_cache(maxsize=1 << 16)
def text_height(text: str, width: float, size: float = 10, bold: bool = False) -> float:
    """The row height that shows all of `text` in a wrapping cell `width` units wide."""
    return wrapped_lines(text, width, size, bold) * line_height(size, text) + 5


def number_text(value: Any, num_format: str | None) -> str:
    """A number as a cell shows it, to size its column."""
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return str(value or "")
    if num_format == "#,##0.00":
        return f"{value:,.2f}"
    if num_format == "0.00":
        return f"{value:.2f}"
    if num_format and num_format.startswith("0%"):
        return f"{value:.0%}"
    if num_format and num_format.startswith("0"):
        return f"{value:.0f}" + ("人" if "人" in num_format else "")
    return f"{value:g}"


def column_pixels(width: float) -> int:
    """Excel's pixels for a column `width` units wide (Calibri 11: 7 px a digit, 5 px padding)."""
    return int(width * 7 + 5) if width >= 1 else int(width * 12)


@dataclass(frozen=True)
class Page:
    """The rows' room on one printed page, scaled as fit-to-width will scale them."""

    scale: float
    height: float  # points of rows, at 100 %


def page_of(widths: Iterable[float], landscape: bool) -> Page:
    paper_width, paper_height = PAPER[landscape]
    printable_width = paper_width - 72 * (MARGINS["left"] + MARGINS["right"])
    printable_height = paper_height - 72 * (MARGINS["top"] + MARGINS["bottom"])
    sheet_width = sum(column_pixels(w) for w in widths) * 0.75
    scale = min(1.0, math.floor(100 * printable_width / sheet_width) / 100)
    return Page(scale, printable_height / scale * FILL)


def page_breaks(heights: list[float], page: Page, repeated: float, keep: list[tuple[int, int]],
                first_row: int = 0) -> list[int]:  # fmt: skip
    """Rows before which a new page starts: as many rows on a page as fit, never a break
    inside a block that must stay together (`keep`: first and last row), never cut a row."""
    inside = set()
    for first, last in keep:
        # a block taller than a page cannot stay together: it breaks like any rows
        if sum(heights[first : last + 1]) <= page.height - repeated:
            inside.update(range(first + 1, last + 1))
    breaks: list[int] = []
    used, last_allowed = 0.0, None
    row = first_row
    while row < len(heights):
        if row not in inside:
            last_allowed = row
        room = page.height - (repeated if breaks else 0.0)
        if used + heights[row] > room and row > (breaks[-1] if breaks else first_row):
            at = last_allowed if last_allowed is not None and last_allowed > (breaks[-1] if breaks else first_row) else row
            breaks.append(at)
            used = 0.0
            row = at
            last_allowed = at
            used += heights[row]
            row += 1
            continue
        used += heights[row]
        row += 1
    return breaks
