"""How a rule reads its arguments and reports what is wrong with them.

Every rule starts a `Call`, converts each argument through it and checks its parameters
through it. A call reports problems one of two ways:

* from Python (the default) it raises `KpiInputError` at the first problem, naming the
  function, the argument and the value: `KPI_LINEAR: zero_at and full_at must differ (both 70)`;
* from a spreadsheet (inside `for_cells`) it marks each bad position with that message and
  scores the rest, so one text cell in a 10,000-row range spoils one result, not all of them.

Blank (None, NaN, "", pandas NA) is not a problem: it travels through as NaN and comes out
as a blank result in that position.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from numbers import Real
from typing import Any, NoReturn

import numpy as np

from .._util.i18n import _, ngettext, translated
from ..errors import KpiInputError, quote

# What a cell holding an error looks like when xlwings reads it with err_to_str=True.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
        "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!",
        "#BUSY!", "#UNKNOWN!", "#PYTHON!",
    }
)  # fmt: skip

_MARKING: ContextVar[bool] = ContextVar("kpi_xl_marking", default=False)
_PLAIN_NUMBER_TYPES = {float, int, type(None)}


def is_blank(value: Any) -> bool:
    """True for what a rule treats as an empty cell."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    if isinstance(value, float | np.floating):
        return bool(np.isnan(value))
    return type(value).__name__ in ("NAType", "NaTType")


class Call:
    """One evaluation of one rule."""

    __slots__ = ("function", "marking", "marks")

    def __init__(self, function: str):
        self.function = function
        self.marking = _MARKING.get()
        # (mask, messages) pairs, in argument order: the first problem at a position wins.
        self.marks: list[tuple[np.ndarray, np.ndarray]] = []

    # -- problems -------------------------------------------------------------------------

    def fail(self, message: str) -> NoReturn:
        raise KpiInputError(f"{self.function}: {message}")

    def check(self, bad: np.ndarray | bool, template: str, **values: Any) -> None:
        """Report every position where `bad` holds; `template` names the values it quotes.

        `KPI_LINEAR: zero_at and full_at must differ (both {zero_at})`
        """
        bad = np.asarray(bad, dtype=bool)
        if not bad.any():
            return
        if not self.marking or bad.ndim == 0:
            first = tuple(int(i) for i in np.argwhere(bad)[0]) if bad.ndim else ()
            where = _(" at {position}").format(position=list(first)) if first else ""
            self.fail(translated(template).format(**_quoted_at(values, bad.shape, first)) + where)
        messages = np.full(bad.shape, None, dtype=object)
        for index in map(tuple, np.argwhere(bad)):
            text = translated(template).format(**_quoted_at(values, bad.shape, index))
            messages[index] = f"{self.function}: {text}"
        self.marks.append((bad, messages))

    # -- arguments ------------------------------------------------------------------------

    def number(self, name: str, value: Any) -> np.ndarray:
        """A cell-wise numeric argument: a float array (0-d for a scalar), NaN where blank."""
        array = _as_float_array(value)
        if array is None:
            array = self._parse(name, value, lambda item: _number_or_problem(item, name))
        return array

    def label(self, name: str, value: Any, allowed: tuple[str, ...] | None = None) -> np.ndarray:
        """A cell-wise text argument (grade, department): a str array, "" where blank.

        With `allowed` (single letters), the text is upper-cased and must be one of them.
        """
        if allowed is not None:
            fast = _as_letters(value, allowed)
            if fast is not None:
                return fast

        def convert(item: Any) -> tuple[str, str | None]:
            if is_blank(item):
                return "", None
            if isinstance(item, str) and item.strip() in EXCEL_ERRORS:
                return "", _("{name} is the error {error}; fix the cell it refers to").format(name=name, error=item.strip())
            if allowed is None:
                if isinstance(item, float) and item.is_integer():
                    item = int(item)
                return str(item).strip(), None
            text = item.strip().upper() if isinstance(item, str) else None
            if text not in allowed:
                return "", _("{name} must be one of {allowed} (got {value})").format(name=name, allowed=', '.join(allowed), value=quote(item))
            return text, None

        parsed = self._parse(name, value, convert, dtype=object)
        return np.asarray(parsed, dtype="U1" if allowed is not None else str)

    def numbers(self, name: str, value: Any, *, minimum_count: int = 1) -> np.ndarray:
        """A list argument (thresholds, points, weights): a 1-D float array, blanks dropped.

        A problem here spoils every result, so it is raised even from a spreadsheet.
        """
        flat = np.asarray(value, dtype=object).ravel()
        out = []
        for item in flat:
            number, problem = _number_or_problem(item, name)
            if problem:
                self.fail(problem)
            if not np.isnan(number):
                out.append(number)
        if len(out) < minimum_count:
            self.fail(ngettext("{name} needs at least {minimum} number (got {count})",
                               "{name} needs at least {minimum} numbers (got {count})", minimum_count
                               ).format(name=name, minimum=minimum_count, count=len(out)))
        return np.array(out, dtype=float)

    def _parse(
        self,
        name: str,
        value: Any,
        convert: Callable[[Any], tuple[Any, str | None]],
        dtype: Any = float,
    ) -> np.ndarray:
        """Convert element by element, each distinct value once (a column of grades has 4)."""
        raw = np.asarray(value, dtype=object)
        flat = raw.ravel()
        out = np.empty(flat.size, dtype=dtype)
        problems = np.full(flat.size, None, dtype=object)
        seen: dict[tuple[type, Any], tuple[Any, str | None]] = {}
        for position, item in enumerate(flat):
            try:
                converted, problem = seen[type(item), item]
            except KeyError:
                converted, problem = seen[type(item), item] = convert(item)
            except TypeError:  # unhashable
                converted, problem = convert(item)
            if problem:
                if not self.marking:
                    index = [int(i) for i in np.unravel_index(position, raw.shape)]
                    where = _(" at {position}").format(position=index) if raw.ndim else ""
                    self.fail(problem + where)
                problems[position] = f"{self.function}: {problem}"
            out[position] = converted
        bad = problems != None  # noqa: E711 (element-wise)
        if bad.any():
            self.marks.append((bad.reshape(raw.shape), problems.reshape(raw.shape)))
        return out.reshape(raw.shape)

    # -- results --------------------------------------------------------------------------

    def result(self, values: np.ndarray) -> Any:
        """The rule's answer: a scalar where the answer is one value, an array otherwise.

        Numbers: a float, or a float array with NaN for blank (None for a blank scalar).
        Text (grades): a str (None for blank), or a str array with "" for blank.
        """
        values = np.asarray(values)
        if self.marking:
            return self._marked(values)
        if values.ndim == 0:
            item = values.item()
            return None if is_blank(item) else item
        return values

    def _marked(self, values: np.ndarray) -> np.ndarray:
        shape = np.broadcast_shapes(values.shape, *(mask.shape for mask, _ in self.marks))
        out = np.array(np.broadcast_to(values, shape), dtype=object)
        if values.dtype.kind == "f":
            out[np.broadcast_to(np.isnan(values), shape)] = ""  # blank, as a cell shows it
        for mask, messages in reversed(self.marks):
            mask = np.broadcast_to(mask, shape)
            out[mask] = np.broadcast_to(messages, shape)[mask]
        return out

    def reduce_marks(self, axis: int, keepdims: bool) -> None:
        """After a rule sums along `axis`, a problem anywhere along it marks the sum."""
        reduced = []
        for mask, messages in self.marks:
            if mask.ndim == 0:
                reduced.append((mask, messages))
                continue
            any_bad = mask.any(axis=axis, keepdims=keepdims)
            first = np.take_along_axis(
                messages, np.expand_dims(mask.argmax(axis=axis), axis), axis=axis
            )
            reduced.append((any_bad, first if keepdims else first.squeeze(axis)))
        self.marks = reduced


def for_cells(rule: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a rule for a spreadsheet: problems are marked per position, never raised.

    Returns what a cell can hold: one value, or a list of rows for a range; blank is "".
    A problem with the whole call (bad thresholds) comes back as one message.
    """
    token = _MARKING.set(True)
    try:
        result = rule(*args, **kwargs)
    except KpiInputError as exc:
        return str(exc)
    finally:
        _MARKING.reset(token)
    return to_cells(result)


def to_cells(result: Any) -> Any:
    array = np.asarray(result, dtype=object)
    if array.ndim == 0:
        return _cell(array.item())
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    # marked results hold Python floats, text and "" already: no per-cell work
    return array.tolist()


def _cell(item: Any) -> Any:
    if is_blank(item):
        return ""
    if isinstance(item, np.generic):
        return item.item()
    return item


def _as_float_array(value: Any) -> np.ndarray | None:
    """Fast path: values that are already plain numbers need no element-wise look."""
    if type(value) is float or type(value) is int:
        return np.asarray(value, dtype=float)
    if hasattr(value, "to_numpy") and not isinstance(value, np.ndarray):
        value = value.to_numpy()
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f":
            return value
        if value.dtype.kind in "iu":
            return value.astype(float)
        if value.dtype.kind != "O":
            return None
        flat = value.ravel()
    elif isinstance(value, list | tuple):
        if value and not isinstance(value[0], list | tuple) and set(map(type, value)) <= _PLAIN_NUMBER_TYPES:
            return np.array(value, dtype=float)  # a flat list of numbers and blanks: the common case
        flat = np.asarray(value, dtype=object).ravel()
    else:
        return None
    if set(map(type, flat)) <= _PLAIN_NUMBER_TYPES:
        # numpy turns None into NaN for a float array
        return np.array(flat.tolist(), dtype=float).reshape(np.shape(value))
    return None


def _as_letters(value: Any, allowed: tuple[str, ...]) -> np.ndarray | None:
    """Fast path for a column of single letters (grades): map code points through a table.

    Returns None when anything needs a closer look (the slow path then reports it).
    """
    if isinstance(value, list | tuple):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype == object and value.size:
        value = _single_letters(value)
    if not isinstance(value, np.ndarray) or value.dtype != np.dtype("U1"):
        return None
    codes = value.view(np.uint32)
    if codes.size and codes.max() >= 128:
        return None
    canonical = np.full(128, -1, dtype=np.int64)
    canonical[[0, 32]] = 0  # "" and " " are blank
    for letter in allowed:
        canonical[[ord(letter), ord(letter.lower())]] = ord(letter)
    mapped = canonical[codes]
    if (mapped < 0).any():
        return None
    return mapped.astype(np.uint32).view("U1").reshape(value.shape)


def _single_letters(value: np.ndarray) -> np.ndarray | None:
    """An object array of one-character texts and blanks (None) as a U1 array ("" for blank),
    None when any item is something else (a longer text, a number: the slow path looks)."""
    texts = np.where(value == None, "", value).astype("U2")  # noqa: E711 (element-wise)
    codes = texts.view(np.uint32).reshape(-1, 2)
    if codes[:, 1].any():  # two characters or more: "AB", " A", a number's digits, True
        return None
    kinds = {type(item) for item in value.flat}
    if not kinds <= {str, type(None)}:
        return None
    return codes[:, 0].copy().view("U1").reshape(value.shape)


def _number_or_problem(item: Any, name: str) -> tuple[float, str | None]:
    if is_blank(item):
        return np.nan, None
    if isinstance(item, bool | np.bool_):
        return np.nan, _("{name} must be a number (got {value})").format(name=name, value=quote(bool(item)))
    if isinstance(item, Real):
        return float(item), None
    if isinstance(item, str) and item.strip() in EXCEL_ERRORS:
        return np.nan, _("{name} is the error {error}; fix the cell it refers to").format(name=name, error=item.strip())
    return np.nan, _("{name} must be a number (got {value})").format(name=name, value=quote(item))


def _quoted_at(values: dict[str, Any], shape: tuple[int, ...], index: tuple) -> dict[str, str]:
    quoted = {}
    for key, value in values.items():
        array = np.asarray(value)
        item = np.broadcast_to(array, shape)[index] if array.ndim else array.item()
        quoted[key] = quote(item.item() if isinstance(item, np.generic) else item)
    return quoted
