"""The roster (花名册): who is appraised, in which department, by whom, on what pay.

Read from .xlsx or .csv with Chinese headers (English aliases accepted). Every problem is
collected, with the cell it is in, before anything is refused, so HR fixes the file once:

    花名册.xlsx › 花名册!F12: 分管领导 'E0999' is not a 工号 in this roster; enter the
    supervising leader's 工号
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ._util.cells import cell_text as _text
from ._util.cells import column_letter as _column_letter
from ._util.i18n import N_, _
from ._util.text import UnreadableText, csv_rows, decode_text
from .errors import Location, ProblemsError, UnreadableWorkbook, quote
from .policy import DEFAULT_POLICY, Policy
from .reading.table import read_tables

EMPLOYEE, HEAD, EXECUTIVE, GENERAL_MANAGER = "员工", "部门负责人", "高管", "总经理"
CATEGORIES = (EMPLOYEE, HEAD, EXECUTIVE, GENERAL_MANAGER)
_CATEGORY_ALIASES = {
    **{c: c for c in CATEGORIES},
    "普通员工": EMPLOYEE, "employee": EMPLOYEE, "staff": EMPLOYEE,
    "部门经理": HEAD, "负责人": HEAD, "head": HEAD, "department head": HEAD,
    "executive": EXECUTIVE, "总经理室": GENERAL_MANAGER,
    "general manager": GENERAL_MANAGER, "general_manager": GENERAL_MANAGER, "gm": GENERAL_MANAGER,
}  # fmt: skip

# field → (the Chinese header we write, every header we accept)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": ("工号", ("工号", "员工编号", "编号", "id", "employee id", "employee_id")),
    "name": ("姓名", ("姓名", "name")),
    "department": ("部门", ("部门", "department", "dept")),
    "position": ("岗位", ("岗位", "职位", "position", "title")),
    "category": ("类别", ("类别", "人员类别", "category", "role")),
    "supervisor": ("分管领导", ("分管领导", "分管领导工号", "supervisor", "leader", "supervisor id")),
    "monthly_pay": ("月应发工资", ("月应发工资", "月工资", "应发工资", "monthly pay", "monthly_pay")),
    "annual_salary": ("年薪", ("年薪", "annual salary", "annual_salary")),
}
REQUIRED = ("id", "name", "department", "position", "category", "supervisor")
DEMO_ROSTER = "demo_roster.csv"


class RosterError(ProblemsError):
    """A roster that cannot be used; `problems` lists every problem found."""

    what = N_("roster")


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    department: str
    position: str
    category: str
    supervisor: str | None
    monthly_pay: float | None
    annual_salary: float | None

    def pay_base(self, policy: Policy = DEFAULT_POLICY) -> float:
        """考核工资标准. seed 000 §二(二): 10% of monthly gross; 年薪制: 年薪 / 12 × share."""
        if self.monthly_pay is not None:
            return self.monthly_pay * policy.pay.base_share
        return (self.annual_salary or 0.0) / 12 * policy.pay.annual_base_share


@dataclass(frozen=True)
class Roster:
    people: tuple[Person, ...]
    source: str

    def __post_init__(self) -> None:
        # built once: a large company asks for a head or a department list per person
        staffed = [p for p in self.people if p.category in (EMPLOYEE, HEAD)]
        members: dict[str, list[Person]] = {}
        for p in self.people:
            members.setdefault(p.department, []).append(p)
        object.__setattr__(self, "_by_id", {p.id: p for p in self.people})
        object.__setattr__(self, "_departments", tuple(dict.fromkeys(p.department for p in staffed)))
        object.__setattr__(self, "_department_set", frozenset(self._departments))  # type: ignore[attr-defined]
        object.__setattr__(self, "_heads", {p.department: p for p in reversed(self.people) if p.category == HEAD})
        object.__setattr__(self, "_members", members)
        # department.peer_scope = "leader": the departments under each 分管领导, built once
        groups: dict[str | None, list[str]] = {}
        for department in self._departments:  # type: ignore[attr-defined]
            head = self._heads.get(department)  # type: ignore[attr-defined]
            groups.setdefault(head.supervisor if head else None, []).append(department)
        object.__setattr__(self, "_peer_groups", {k: tuple(v) for k, v in groups.items()})

    def __getitem__(self, person_id: str) -> Person:
        return self._by_id[person_id]  # type: ignore[attr-defined]

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._by_id  # type: ignore[attr-defined]

    def __len__(self) -> int:
        return len(self.people)

    def with_category(self, *categories: str) -> list[Person]:
        return [p for p in self.people if p.category in categories]

    @property
    def departments(self) -> list[str]:
        """Departments that have staff and a head (not the executives' own), roster order."""
        return list(self._departments)  # type: ignore[attr-defined]

    def has_department(self, department: str) -> bool:
        return department in self._department_set  # type: ignore[attr-defined]

    def head_of(self, department: str) -> Person:
        return self._heads[department]  # type: ignore[attr-defined]

    def peer_departments(self, department: str, scope: str = "all") -> list[str]:
        """The departments a head of `department` rates on 附件4 (never their own), roster order.

        scope "all": every other department (seed 000 §五(二)2); "leader": those whose head has
        the same 分管领导 as this department's head (policy department.peer_scope)."""
        groups = self._peer_groups  # type: ignore[attr-defined]
        head = self._heads.get(department)  # type: ignore[attr-defined]
        if scope == "leader" and head is not None:
            group = groups.get(head.supervisor, ())
        else:
            group = self._departments  # type: ignore[attr-defined]
        return [d for d in group if d != department]

    def members(self, department: str) -> list[Person]:
        return list(self._members.get(department, ()))  # type: ignore[attr-defined]


def demo_roster() -> Roster:
    """The built-in demo company: 8 departments, 87 people, a general manager."""
    text = resources.files("kpi_xl.data").joinpath(DEMO_ROSTER).read_text(encoding="utf-8-sig")
    return parse_rows(csv_rows(text), source=f"<built-in {DEMO_ROSTER}>", sheet=None)


def read_roster(path: str | Path) -> Roster:
    path = Path(path)
    if not path.exists():
        raise RosterError(str(path), [_("file not found; check its name and folder")])
    if path.is_dir():
        raise RosterError(str(path), [_("is a folder; give the roster file itself")])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_rows(csv_rows(_decode(path)), source=path.name, sheet=None)
    if suffix in (".xlsx", ".xlsm"):
        sheet, rows = _xlsx_rows(path)
        return parse_rows(rows, source=path.name, sheet=sheet)
    raise RosterError(path.name, [_("unsupported file type {suffix}; save the roster as .xlsx or .csv").format(suffix=quote(suffix))])


def _decode(path: Path) -> str:
    try:
        return decode_text(path.read_bytes())
    except UnreadableText as exc:
        raise RosterError(path.name, [_('cannot read the text ({exc}); in Excel or WPS save it as "CSV UTF-8 (逗号分隔)" or as .xlsx').format(exc=exc)]) from None  # fmt: skip


def _xlsx_rows(path: Path) -> tuple[str, dict[int, list[Any]]]:
    """The sheet 花名册, else the first sheet, read within limits (reading/table.py): a damaged
    file, an XML bomb or a used range of the whole sheet is a message, not a crash."""
    try:
        tables = read_tables(path)
    except UnreadableWorkbook as exc:
        raise RosterError(path.name, [_("cannot be read: {reason}; open it in Excel or WPS and save it again as .xlsx").format(reason=exc)]) from None  # fmt: skip
    if not tables:
        raise RosterError(path.name, [_("has no sheet; put the roster on a sheet named 花名册")])
    return next((table for table in tables if table[0] == "花名册"), tables[0])


def _normalise_header(value: Any) -> str:
    text = str(value or "").strip().lower()
    return re.sub(r"[（(][^）)]*[）)]", "", text).strip()  # "月应发工资（元）" → "月应发工资"


def parse_rows(table: list[list[Any]] | dict[int, list[Any]], source: str, sheet: str | None) -> Roster:
    """People from rows (a CSV's list, or a sheet's row index → values, blank rows left out)."""
    rows = table if isinstance(table, dict) else dict(enumerate(table))
    order = sorted(rows)
    def where(row: int, col: int | None = None) -> str:
        if col is None:
            return _("{where} row {row}").format(where=Location(source, sheet), row=row + 1)
        return str(Location(source, sheet, f"{_column_letter(col)}{row + 1}"))

    header_at = next(
        (i for i in order if i < 10 and any(_normalise_header(c) in ("工号", "id", "employee id", "employee_id") for c in rows[i])),
        None,
    )  # fmt: skip
    if header_at is None:
        raise RosterError(source, [_("no header row with 工号 in the first 10 rows; the first row should name the columns: {columns}"
                                     ).format(columns=", ".join(h for h, _ignored in COLUMNS.values()))])  # fmt: skip
    header = [_normalise_header(c) for c in rows[header_at]]
    columns: dict[str, int] = {}
    problems: list[str] = []
    for field, (chinese, accepted) in COLUMNS.items():
        found = [i for i, h in enumerate(header) if h in accepted]
        if found:
            columns[field] = found[0]
        elif field in REQUIRED:
            also = ", ".join(a for a in accepted if a != chinese)
            problems.append(_("{where}: missing column {chinese} (also accepted: {also}); add it to the header row").format(where=where(header_at), chinese=chinese, also=also))
    if "monthly_pay" not in columns and "annual_salary" not in columns:
        problems.append(_("{where}: missing column 月应发工资 or 年薪; add the pay of each person").format(where=where(header_at)))
    if problems:
        raise RosterError(source, problems)

    people: list[Person] = []
    row_of: dict[str, int] = {}
    for r in order:
        if r <= header_at:
            continue
        raw = rows[r]
        if not any(_text(c) for c in raw):
            continue  # blank line

        def get(field: str, raw=raw) -> Any:
            col = columns.get(field)
            return raw[col] if col is not None and col < len(raw) else None

        person_id = _text(get("id"))
        if not person_id:
            problems.append(_("{where}: 工号 is blank; give every person a 工号").format(where=where(r, columns['id'])))
            continue
        if person_id in row_of:
            problems.append(_("{where}: 工号 {person_id} repeats row {row}; give each person their own 工号").format(where=where(r, columns['id']), person_id=quote(person_id), row=row_of[person_id] + 1))
            continue
        row_of[person_id] = r
        name = _text(get("name"))
        if not name:
            problems.append(_("{where}: 姓名 is blank; enter the person's name").format(where=where(r, columns['name'])))
        department = _text(get("department"))
        if not department:
            problems.append(_("{where}: 部门 is blank; enter the department").format(where=where(r, columns['department'])))
        category_text = _text(get("category"))
        category = _CATEGORY_ALIASES.get(category_text.lower(), _CATEGORY_ALIASES.get(category_text))
        if category is None:
            problems.append(_("{where}: 类别 {category_text} is not one of {categories}; use one of them").format(where=where(r, columns['category']), category_text=quote(category_text), categories=', '.join(CATEGORIES)))
        pays: dict[str, float | None] = {}
        pay_problem = False
        for field in ("monthly_pay", "annual_salary"):
            value, problem = _pay(get(field), COLUMNS[field][0])
            if problem:
                problems.append(f"{where(r, columns[field])}: {problem}")
                pay_problem = True
            pays[field] = value
        pay_col = columns.get("monthly_pay", columns.get("annual_salary"))
        if not pay_problem and pays["monthly_pay"] is None and pays["annual_salary"] is None:
            problems.append(_("{where}: no pay given; fill 月应发工资 (or 年薪 for annual-salary staff)").format(where=where(r, pay_col)))
        elif pays["monthly_pay"] is not None and pays["annual_salary"] is not None:
            problems.append(_("{where}: both 月应发工资 and 年薪 are given; keep the one this person is paid by").format(where=where(r, pay_col)))
        people.append(Person(person_id, name, department, _text(get("position")), category or "",
                             _text(get("supervisor")) or None, pays["monthly_pay"], pays["annual_salary"]))  # fmt: skip

    ids = {p.id for p in people}
    for person in people:
        r, col = row_of[person.id], columns["supervisor"]
        if person.supervisor is None:
            if person.category != GENERAL_MANAGER:
                problems.append(_("{where}: 分管领导 is blank; enter the 工号 of the supervising leader").format(where=where(r, col)))
        elif person.supervisor not in ids:
            problems.append(_("{where}: 分管领导 {supervisor} is not a 工号 in this roster; enter the supervising leader's 工号").format(where=where(r, col), supervisor=quote(person.supervisor)))
        elif person.supervisor == person.id:
            problems.append(_("{where}: 分管领导 is the person themself; enter the supervising leader's 工号").format(where=where(r, col)))

    staffed = dict.fromkeys(p.department for p in people if p.category in (EMPLOYEE, HEAD) and p.department)
    heads = Counter(p.department for p in people if p.category == HEAD)
    for department in staffed:
        if heads[department] == 0:
            first = next(p for p in people if p.department == department)
            problems.append(_("{where}: 部门 {department} has no 部门负责人; mark its head as 部门负责人 in 类别").format(where=where(row_of[first.id], columns['category']), department=quote(department)))
        elif heads[department] > 1:
            rows_of_heads = [row_of[p.id] + 1 for p in people if p.department == department and p.category == HEAD]
            problems.append(_("{where}: 部门 {department} has {heads} 部门负责人 (rows {rows}); keep one").format(where=where(rows_of_heads[-1] - 1, columns['category']), department=quote(department), heads=heads[department], rows=", ".join(map(str, rows_of_heads))))
    if any(p.category == EXECUTIVE for p in people) and not any(p.category == GENERAL_MANAGER for p in people):
        problems.append(_("{where}: the roster has 高管 but no 总经理 to rate them; mark the general manager as 总经理").format(where=where(header_at, columns['category'])))
    if problems:
        raise RosterError(source, problems)
    if not people:
        raise RosterError(source, [_("the roster lists nobody; add one row per person under the header")])
    return Roster(tuple(people), source)


def _pay(value: Any, label: str) -> tuple[float | None, str | None]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, _("{label} must be a number (got {value})").format(label=label, value=quote(value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(str(value).replace(",", "").replace("，", "").strip())
        except ValueError:
            return None, _("{label} must be a number (got {value}); enter the amount in yuan").format(label=label, value=quote(value))
    if not math.isfinite(number):  # NaN or inf would crash the summary for everyone
        return None, _("{label} must be an amount in yuan (got {value}); enter the amount").format(label=label, value=quote(value))
    if number < 0:
        return None, _("{label} must not be negative (got {number})").format(label=label, number=quote(number))
    return number, None
