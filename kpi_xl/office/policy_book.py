"""The policy as a workbook HR can edit (考核办法.xlsx), and read back.

Built from the keys' own declarations (`policy_keys`): every section of the policy on its own
sheet, one row per key — the key, what it means, its value (the input cell, validated as
the key's `Setting` says), what it accepts and the seed clause it comes from; a list of
criteria on a sheet of its own, one row per criterion. Reading it back goes through the same
checks as a TOML file, and every problem names its sheet and cell:

    考核办法.xlsx › 等级分数线!C4 (grades.B): must be from 0 to 100 (got 120)

A hidden sheet keeps a digest of what was written, so a workbook someone edited is never
overwritten (the same digest the forms use to tell a filled form from a fresh one).
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

from .._util.cells import cell_text, column_letter
from .._util.i18n import _
from .._util.paths import write_atomic
from ..collect.reader import CellError, UnreadableWorkbook, WorkbookValues
from ..errors import KpiError, KpiFileError, PolicyError, quote
from ..forms.spec import inputs_digest
from ..policy import (
    DEFAULT_POLICY,
    Policy,
    PolicyKey,
    Setting,
    _check_value,
    _hints,
    _read,
    kind_of,
    load_policy,
    policy_from_dict,
    policy_keys,
    resolve_files,
)

DEFAULT_BOOK = "考核办法.xlsx"
SUFFIXES = (".xlsx", ".xlsm")
GENERAL_SHEET = "基本信息"  # the policy's own keys (name, scorecards, sample_roster)
META_SHEET = "_kpi_xl_policy"
MARKER = "kpi-xl policy"
FIRST_ROW = 2  # 0-based: a title line, the header, then the keys
KEY, MEANING, VALUE, ACCEPTS, SEED, MEANING_EN = range(6)
MAX_ROWS = 500  # rows read on a sheet: a policy has ~70 keys, a criteria list a dozen
LIST_SEPARATORS = re.compile(r"[；;\n]")
INFINITE = ("inf", "无上限", "∞")


# ---- where each key lives ------------------------------------------------------------------


@dataclass(frozen=True)
class KeySheet:
    """A sheet of single keys (a section), or of one list of criteria (`rows_of`)."""

    name: str
    title: str
    keys: tuple[PolicyKey, ...] = ()
    rows_of: PolicyKey | None = None  # the list of tables this sheet holds, one per row


def sheet_name(setting: Setting) -> str:
    """A section's sheet: its Chinese name, as Excel allows a sheet to be named."""
    return re.sub(r"[\[\]:*?/\\]", "_", setting.zh)[:31]


def layout(policy: Policy) -> list[KeySheet]:
    """The workbook's sheets for `policy`, in the order of its declaration."""
    sections: dict[str, list[PolicyKey]] = {}
    titles: dict[str, str] = {}
    lists: list[KeySheet] = []
    for item in policy_keys(policy):
        top = item.key.split(".")[0]
        section = Policy.__dataclass_fields__[top].metadata["setting"]
        name = GENERAL_SHEET if "." not in item.key else sheet_name(section)
        titles.setdefault(name, _("The policy") if name == GENERAL_SHEET else f"{section.zh} · {section.en}")
        sections.setdefault(name, []).append(item)
        if item.kind == "list of tables":
            lists.append(KeySheet(sheet_name(item.setting), f"{item.setting.zh} · {item.setting.en}", rows_of=item))
    sheets = [KeySheet(name, titles[name], tuple(keys)) for name, keys in sections.items()]
    return sheets + lists


def _item_type(item: PolicyKey) -> type:
    """The dataclass a list of tables holds (Criterion)."""
    owner, _dot, name = item.key.rpartition(".")
    section = DEFAULT_POLICY
    for part in owner.split("."):
        section = getattr(section, part)
    return typing.get_args(_hints(type(section))[name])[0]


def _columns(item: PolicyKey) -> list[tuple[str, str, Setting]]:
    """(field, kind, setting) for each column of a list-of-tables sheet."""
    cls = _item_type(item)
    return [(f.name, kind_of(cls, f.name), f.metadata["setting"]) for f in dataclasses.fields(cls)]


# ---- writing -------------------------------------------------------------------------------


def write_policy_book(policy: Policy, path: Path) -> int:
    """Write `policy` as a workbook at `path`; returns how many keys it holds. Refuses to
    overwrite a file that is not an untouched policy workbook written by kpi-xl."""
    if path.exists():
        reason = _edited(path)
        if reason:
            raise KpiFileError(_("{path}: {reason}; move it away or choose another output file").format(
                path=path, reason=reason))  # fmt: skip
    data, count = policy_book_bytes(policy)
    write_atomic(path, data)
    return count


def policy_book_bytes(policy: Policy) -> tuple[bytes, int]:
    out = io.BytesIO()
    # what a person typed is text, never a formula or a link
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    styles = _Styles(book)
    written: dict[str, Any] = {}
    count = 0
    for sheet in layout(policy):
        ws = book.add_worksheet(sheet.name)
        ws.write_string(0, 0, sheet.title, styles.title)
        if sheet.rows_of is None:
            count += _write_keys(ws, sheet, styles, written)
        else:
            _write_rows(ws, sheet, styles, written)
    meta = book.add_worksheet(META_SHEET)
    meta.hide()
    meta.write_string(0, 0, "marker")
    meta.write_string(0, 1, MARKER)
    meta.write_string(1, 0, "generated")
    meta.write_string(1, 1, inputs_digest(written.items()))
    book.close()
    return out.getvalue(), count


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook):
        self.title = book.add_format({"bold": True, "font_size": 13})
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        self.note = book.add_format({"text_wrap": True, "valign": "top", "font_color": "#595959"})
        self.key = book.add_format({"valign": "top", "font_color": "#808080"})
        self.value = book.add_format({"bg_color": "#FFF2CC", "border": 1, "valign": "top", "text_wrap": True})


def _write_keys(ws: Any, sheet: KeySheet, styles: _Styles, written: dict[str, Any]) -> int:
    headers = (_("Key"), _("Meaning"), _("Value (edit here)"), _("Accepts"), _("Seed clause"), "Meaning (English)")
    ws.write_row(1, 0, headers, styles.header)
    for col, width in zip(range(6), (30, 36, 26, 34, 24, 44), strict=True):
        ws.set_column(col, col, width)
    ws.freeze_panes(FIRST_ROW, 0)
    for row, item in enumerate(sheet.keys, start=FIRST_ROW):
        ws.write_string(row, KEY, item.key, styles.key)
        ws.write_string(row, MEANING, item.setting.zh, styles.note)
        ws.write_string(row, SEED, item.setting.seed, styles.note)
        ws.write_string(row, MEANING_EN, item.setting.en, styles.note)
        written[f"{sheet.name}!{_cell(row, KEY)}"] = item.key
        if item.kind == "list of tables":
            pointer = _("see the sheet {sheet}").format(sheet=sheet_name(item.setting))
            ws.write_string(row, VALUE, pointer, styles.note)
            written[f"{sheet.name}!{_cell(row, VALUE)}"] = pointer
            ws.write_string(row, ACCEPTS, _("one row per entry"), styles.note)
            continue
        ws.write_string(row, ACCEPTS, accepts(item.kind, item.setting), styles.note)
        value = cell_value(item.kind, item.value)
        _write_value(ws, row, VALUE, value, styles.value)
        if value != "":
            written[f"{sheet.name}!{_cell(row, VALUE)}"] = value
        _validate(ws, row, VALUE, item.kind, item.setting, value)
        ws.write_comment(row, VALUE, _note(item.setting), {"x_scale": 2, "y_scale": 1.2})
    return len(sheet.keys)


def _write_rows(ws: Any, sheet: KeySheet, styles: _Styles, written: dict[str, Any]) -> None:
    listed = sheet.rows_of
    if listed is None:
        return
    columns = _columns(listed)
    ws.write_row(1, 0, [setting.zh for _name, _kind, setting in columns], styles.header)
    ws.write_string(0, len(columns) + 1, _("one row per entry: add or delete rows; {key}").format(key=listed.key), styles.note)
    for col in range(len(columns)):
        ws.set_column(col, col, 30)
    ws.freeze_panes(FIRST_ROW, 0)
    last = FIRST_ROW + max(len(listed.value), 1) + 30  # room to add entries, validated too
    for col, (name, kind, setting) in enumerate(columns):
        _validate(ws, (FIRST_ROW, last), col, kind, setting, None)
        ws.write_comment(1, col, _note(setting), {"x_scale": 2})
        for row, entry in enumerate(listed.value, start=FIRST_ROW):
            value = cell_value(kind, getattr(entry, name))
            _write_value(ws, row, col, value, styles.value)
            if value != "":
                written[f"{sheet.name}!{_cell(row, col)}"] = value


def _write_value(ws: Any, row: int, col: int, value: Any, style: Any) -> None:
    if isinstance(value, bool):
        ws.write_boolean(row, col, value, style)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, style)
    else:
        ws.write_string(row, col, value, style)  # text stays text, "=…" included


def cell_value(kind: str, value: Any) -> Any:
    """What the cell holds for a key's value: lists joined with ；, infinity as text."""
    if kind.startswith("list of "):
        return "；".join(cell_text(item) if isinstance(item, float) else str(item) for item in value)
    if isinstance(value, float) and math.isinf(value):
        return INFINITE[0] if value > 0 else "-inf"
    return value


def _note(setting: Setting) -> str:
    lines = [setting.zh, setting.en]
    if setting.seed:
        lines.append(_("from {seed}").format(seed=setting.seed))
    return "\n".join(lines)


def accepts(kind: str, setting: Setting) -> str:
    """What a key accepts, in words (the same bounds the validator checks)."""
    if setting.choices:
        return _("one of: {choices}").format(choices=", ".join(setting.choices))
    words = {
        "number": _("a number"),
        "whole number": _("a whole number"),
        "true or false": _("TRUE or FALSE"),
        "text": _("text"),
        "list of text": _("texts separated by ；"),
        "list of numbers": _("numbers separated by ；"),
    }[kind]
    lo, hi = setting.lo, setting.hi
    if (lo, hi) == (0, 1):
        return _("a share from 0 to 1 (10% is 0.10)")
    if lo is not None and hi is not None:
        return _("{kind} from {lo:g} to {hi:g}").format(kind=words, lo=lo, hi=hi)
    if lo is not None:
        return _("{kind}, at least {lo:g}").format(kind=words, lo=lo)
    if hi is not None:
        return _("{kind}, at most {hi:g}").format(kind=words, hi=hi)
    if setting.above is not None:
        return _("{kind} greater than {above:g}").format(kind=words, above=setting.above)
    if setting.nonblank:
        return _("{kind}, not blank").format(kind=words)
    return words


def _validate(ws: Any, rows: int | tuple[int, int], col: int, kind: str, setting: Setting, value: Any) -> None:
    """Excel's own check on the input cell(s), from the same bounds."""
    first, last = (rows, rows) if isinstance(rows, int) else rows
    rule: dict[str, Any] = {"input_title": setting.zh[:32], "input_message": accepts(kind, setting)[:255],
                            "error_title": _("Not allowed")[:32],
                            "error_message": _("{key} accepts {what}").format(key=setting.zh, what=accepts(kind, setting))[:255]}  # fmt: skip
    if setting.choices:
        rule.update(validate="list", source=list(setting.choices))
    elif kind == "true or false":
        rule.update(validate="list", source=["TRUE", "FALSE"])
    elif kind in ("number", "whole number") and not (isinstance(value, str) and value in INFINITE):
        rule["validate"] = "integer" if kind == "whole number" else "decimal"
        lo, hi, above = setting.lo, setting.hi, setting.above
        if lo is not None and hi is not None:
            rule.update(criteria="between", minimum=lo, maximum=hi)
        elif lo is not None:
            rule.update(criteria=">=", value=lo)
        elif hi is not None:
            rule.update(criteria="<=", value=hi)
        elif above is not None:
            rule.update(criteria=">", value=above)
        else:
            rule.update(criteria="between", minimum=-1e15, maximum=1e15)
    else:
        rule["validate"] = "any"
    ws.data_validation(first, col, last, col, rule)


def _cell(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


# ---- reading -------------------------------------------------------------------------------


def is_policy_book(path: str | Path) -> bool:
    return Path(path).suffix.lower() in SUFFIXES


def read_policy(path: str | Path) -> Policy:
    """A policy from a workbook written by `kpi-xl policy`, a TOML file or a shipped name."""
    return load_policy_book(Path(path)) if is_policy_book(path) else load_policy(path)


def load_policy_book(path: Path) -> Policy:
    """Read a policy workbook; every problem names its sheet and cell, all are reported."""
    book_name = path.name
    if not path.exists():  # the TOML loader's words for the same mistakes
        raise PolicyError(_("{source}: policy file not found; check the path").format(source=path))
    if path.is_dir():
        raise PolicyError(_("{source}: is a folder; give the policy file itself to --policy").format(source=path))
    try:
        with WorkbookValues(path) as book:
            cells = _read_cells(book, book_name)
    except UnreadableWorkbook as exc:
        raise PolicyError(_("{path}: cannot be read ({reason}); save it again in Excel as .xlsx").format(
            path=path, reason=exc)) from None  # fmt: skip
    data, places, problems = _parse(cells, book_name)
    if problems:
        raise PolicyError("\n".join(problems))
    try:
        policy = policy_from_dict(data)
    except PolicyError as exc:  # a rule between keys: name the cell, or the section's sheet
        raise PolicyError(_located(str(exc), places, book_name)) from None
    return resolve_files(policy, path.parent)


@dataclass
class _Cells:
    """What the workbook holds: sheet → {(row, col): value}, the sheets present, the digest."""

    sheets: dict[str, dict[tuple[int, int], Any]]
    digest: str | None

    def value(self, sheet: str, row: int, col: int) -> Any:
        return self.sheets.get(sheet, {}).get((row, col))


def _read_cells(book: WorkbookValues, book_name: str) -> _Cells:
    sheets: dict[str, dict[tuple[int, int], Any]] = {}
    for sheet in layout(DEFAULT_POLICY):
        if sheet.name not in book.sheet_names:
            continue
        # a list's every column; a section's key and value (the notes beside them are ours)
        columns = range(len(_columns(sheet.rows_of))) if sheet.rows_of else (KEY, VALUE)
        wanted = [(r, c) for r in range(FIRST_ROW, FIRST_ROW + MAX_ROWS) for c in columns]
        sheets[sheet.name] = book.sheet(sheet.name, wanted).cells
    digest = None
    if META_SHEET in book.sheet_names:
        meta = book.sheet(META_SHEET, [(0, 1), (1, 1)])
        if meta.value(0, 1) == MARKER:
            digest = cell_text(meta.value(1, 1))
    return _Cells(sheets, digest)


def _parse(cells: _Cells, book_name: str) -> tuple[dict[str, Any], dict[str, str], list[str]]:
    """The workbook as the nested dict a TOML file gives, where each key was found, and every
    problem with its cell."""
    data: dict[str, Any] = {}
    places: dict[str, str] = {}
    problems: list[str] = []
    for sheet in layout(DEFAULT_POLICY):
        if sheet.name not in cells.sheets:
            problems.append(_("{book}: the sheet {sheet} is missing; write a fresh workbook with kpi-xl policy "
                              "and copy your values into it").format(book=book_name, sheet=quote(sheet.name)))  # fmt: skip
            continue
        places[sheet.name] = f"{book_name} › {sheet.name}"
        if sheet.rows_of is not None:
            _parse_rows(cells, sheet, book_name, data, places, problems)
        else:
            _parse_keys(cells, sheet, book_name, data, places, problems)
    return data, places, problems


def _parse_keys(cells: _Cells, sheet: KeySheet, book_name: str, data: dict[str, Any],
                places: dict[str, str], problems: list[str]) -> None:  # fmt: skip
    expected = {item.key: item for item in sheet.keys}
    seen: set[str] = set()
    for row in range(FIRST_ROW, FIRST_ROW + MAX_ROWS):
        key = cell_text(cells.value(sheet.name, row, KEY))
        if not key:
            continue
        at = f"{book_name} › {sheet.name}!{_cell(row, KEY)}"
        if key not in expected:
            problems.append(_("{at}: unknown key {key}; the keys of this sheet are {known}").format(
                at=at, key=quote(key), known=", ".join(expected)))  # fmt: skip
            continue
        if key in seen:
            problems.append(_("{at}: the key {key} is listed twice; keep one row").format(at=at, key=quote(key)))
            continue
        seen.add(key)
        item = expected[key]
        where = f"{book_name} › {sheet.name}!{_cell(row, VALUE)} ({key})"
        places[key] = where
        if item.kind == "list of tables":
            continue
        try:
            value = _read(where, from_cell(item.kind, cells.value(sheet.name, row, VALUE)), item.kind)
            _check_value(where, value, item.setting)
        except PolicyError as exc:
            problems.append(str(exc))
            continue
        _put(data, key, list(value) if isinstance(value, tuple) else value)
    for key in expected:
        if key not in seen:
            problems.append(_("{book} › {sheet}: the key {key} is missing; add its row back "
                              "(kpi-xl policy writes every key)").format(book=book_name, sheet=sheet.name, key=quote(key)))  # fmt: skip


def _parse_rows(cells: _Cells, sheet: KeySheet, book_name: str, data: dict[str, Any],
                places: dict[str, str], problems: list[str]) -> None:  # fmt: skip
    listed = sheet.rows_of
    if listed is None:
        return
    columns = _columns(listed)
    entries: list[dict[str, Any]] = []
    for row in range(FIRST_ROW, FIRST_ROW + MAX_ROWS):
        raw = [cells.value(sheet.name, row, col) for col in range(len(columns))]
        if all(value in (None, "") for value in raw):
            continue  # a blank row: deleted entries leave these
        entry: dict[str, Any] = {}
        for col, ((name, kind, setting), value) in enumerate(zip(columns, raw, strict=True)):
            where = f"{book_name} › {sheet.name}!{_cell(row, col)}"
            places[f"{listed.key}[{len(entries)}].{name}"] = where
            try:
                entry[name] = _read(where, from_cell(kind, value), kind)
                _check_value(where, entry[name], setting)
            except PolicyError as exc:
                problems.append(str(exc))
        places[f"{listed.key}[{len(entries)}]"] = f"{book_name} › {sheet.name}!{_cell(row, 0)}"
        entries.append(entry)
    _put(data, listed.key, entries)


def from_cell(kind: str, value: Any) -> Any:
    """A cell's value as the TOML value it stands for: numbers typed as text, TRUE/是, lists
    separated by ；, ; or line breaks, blank as nothing. Anything else is left for the checks."""
    if isinstance(value, CellError):
        return str(value)
    if kind.startswith("list of "):
        if value in (None, ""):
            return []
        parts = [part.strip() for part in LIST_SEPARATORS.split(cell_text(value))]
        items = [part for part in parts if part]
        return [_number(item) for item in items] if kind == "list of numbers" else items
    if kind in ("number", "whole number"):
        return _number(value)
    if kind == "true or false" and isinstance(value, str):
        return {"true": True, "是": True, "false": False, "否": False}.get(value.strip().lower(), value)
    if kind == "text":
        if value is None:
            return ""
        return value if isinstance(value, str) else cell_text(value)
    return value


def _number(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    text = value.strip().replace(",", "")
    if text.lower() in INFINITE:
        return math.inf
    if text.lower() == "-inf":
        return -math.inf
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return value


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    *path, last = key.split(".")
    for part in path:
        data = data.setdefault(part, {})
    data[last] = value


def _located(message: str, places: dict[str, str], book_name: str) -> str:
    """A validator message ("grades: …", "pay.ratio.C: …") with the key replaced by its cell
    (or its sheet, for a rule about a whole section)."""
    key, sep, rest = message.partition(": ")
    if sep and key in places:
        return f"{places[key]}: {rest}"
    section = key.split(".")[0].split("[")[0]
    setting = Policy.__dataclass_fields__.get(section)
    if sep and setting is not None and "setting" in setting.metadata:
        return f"{book_name} › {sheet_name(setting.metadata['setting'])} ({key}): {rest}"
    return f"{book_name} › {message}"


# ---- has someone edited it? ----------------------------------------------------------------


def _edited(path: Path) -> str:
    """Why the file at `path` must be kept ("" when it is an untouched policy workbook)."""
    if not is_policy_book(path):
        return _("is not a workbook")
    try:
        with WorkbookValues(path) as book:
            cells = _read_cells(book, path.name)
    except (KpiError, OSError) as exc:  # a file that cannot be checked is kept
        return _("cannot be read ({reason})").format(reason=exc)
    if cells.digest is None:
        return _("is not a policy workbook written by kpi-xl")
    if inputs_digest(_written(cells)) != cells.digest:
        return _("was edited since it was written")
    return ""


def _written(cells: _Cells) -> Iterator[tuple[str, Any]]:
    for sheet, values in cells.sheets.items():
        for (row, col), value in values.items():
            yield f"{sheet}!{_cell(row, col)}", value
