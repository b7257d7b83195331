"""Position scorecards (岗位KPI指标库): what each position is measured on and how it scores.

HR keeps them in an Excel workbook, one sheet per scorecard:

    适用岗位 | 客服专员, 售前客服            (row 1: the positions using this sheet; blank: the sheet
                                          name; * for every position no other sheet lists)
    (row 2 empty)
    指标 | 定义 | 计分规则 | 参数 | 分值 | 数据来源   (row 3: the header)
    询单转化率 | 最终付款人数/询单人数 | 分档 | 0.75,0.65,0.5|100,80,60 | 35 | 后台报表

Rules (计分规则) and their parameters (参数):
    线性 LINEAR    zero_at,full_at          KPI_LINEAR(实际值, …, 分值)
    相对 RELATIVE  zero_at,full_at[,参照值]  KPI_RELATIVE: against a fixed reference, or one typed (均量)
    分档 BAND      t1,t2,…|p1,p2,…[|other]  KPI_BAND; p are % of 分值 (100,80,60)
    比率 RATIO     zero_at,full_at          KPI_LINEAR on 实际值/计划值
    扣分 DEDUCT    per_item[,per_item2]     KPI_DEDUCT from 分值; a second count (计划值 column) at per_item2
    加分 BONUS     per_item                 KPI_BONUS up to 分值 (on top of the 100)
    罚分 PENALTY   per_item                 minus per_item each time, from the total (分值 0)
    排名 RANK      min|p1,p2,…|floor:points team average and rank → rank points (seed 002)
    手工 MANUAL    (none)                   each rater scores 0–分值
    基础 BASE      (none)                   the 分值 itself: a base score (seed 004: 基础分100)
    项目 GROUP     (none) or full|partial:pts  the rows naming it in 所属项目 (7th column) score as one
                                          item of this 分值: each loses its shortfall (a 扣分 row's
                                          分值 is its sub-cap, 最多扣2分), floored at 0; a gate on the
                                          first row's score: ≥full the sum, ≥partial pts, else 0
    不得分 FORFEIT (none)                   a count: any occurrence zeroes its 项目 (隐瞒不报者不得分)
    累计 CUMULATIVE per,points[|min]        a count carried across months: every per → points, the
                                          rest carried (每累计提5条经验加一分); added by the summary
Deductions: `2|总分` takes them from the month's total (seed 004 审计: 从当月总分中扣处,
扣完为止), not only from the row's 分值. A bonus with 分值 0 has no cap (seed 004:
基础分加减奖励分和扣发分为总分). Every scored row but bonuses and penalties adds up to 100. Every problem is reported with
its sheet and cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._util.cells import cell_text as _text
from .._util.content import CONTENT_KEY, META_SHEET, Content, sheet_digest, token
from .._util.i18n import N_, _
from ..errors import KpiError, Location, ProblemsError, UnreadableWorkbook, quote
from ..policy import SHIPPED, shipped_file
from ..reading.table import read_tables

RULE_NAMES = {
    "线性": "linear", "linear": "linear", "相对": "relative", "relative": "relative",
    "分档": "band", "band": "band", "比率": "ratio", "ratio": "ratio",
    "扣分": "deduct", "deduct": "deduct", "加分": "bonus", "bonus": "bonus",
    "罚分": "penalty", "penalty": "penalty", "排名": "rank", "rank": "rank",
    "手工": "manual", "manual": "manual", "基础": "base", "base": "base",
    "项目": "group", "group": "group", "不得分": "forfeit", "forfeit": "forfeit",
    "累计": "cumulative", "cumulative": "cumulative",
}  # fmt: skip
SHOWN = {"linear": "线性", "relative": "相对", "band": "分档", "ratio": "比率", "deduct": "扣分",
         "bonus": "加分", "penalty": "罚分", "rank": "排名", "manual": "手工", "base": "基础",
         "group": "项目", "forfeit": "不得分", "cumulative": "累计"}  # fmt: skip
HEADER = ("指标", "定义", "计分规则", "参数", "分值", "数据来源")
GROUP_COLUMN = "所属项目"  # optional 7th column: the 项目 row a row belongs to
EXTRA = ("bonus", "penalty", "cumulative")  # on top of the 100
FROM_TOTAL = "总分"


class ScorecardError(ProblemsError):
    what = N_("scorecard workbook")


@dataclass(frozen=True)
class Indicator:
    name: str
    definition: str
    rule: str
    params: tuple[Any, ...]
    points: float
    source: str = ""
    group: str = ""  # the 项目 row this row belongs to: it counts through the group, not alone

    # -- what the row asks for --------------------------------------------------------------

    @property
    def numbers(self) -> tuple[Any, ...]:
        """The parameters without the `总分` mark."""
        return tuple(p for p in self.params if p != FROM_TOTAL)

    @property
    def from_total(self) -> bool:
        """A deduction taken from the month's total, beyond the row's own 分值."""
        return FROM_TOTAL in self.params

    @property
    def manual(self) -> bool:
        return self.rule == "manual"

    @property
    def inputs(self) -> tuple[str, ...]:
        """Labels of the measured inputs (实际值 column, then 计划值/参照值 column)."""
        return {
            "linear": ("实际值",), "band": ("实际值",), "bonus": ("次数",), "penalty": ("次数",),
            "relative": ("实际值",) if len(self.params) == 3 else ("实际值", "参照值(均量)"),
            "ratio": ("实际值", "计划值"), "rank": ("团队均分", "排名"),
            "deduct": ("次数",) if len(self.numbers) == 1 else ("次数", "次数(二)"),
            "manual": (), "base": (), "group": (), "forfeit": ("次数",), "cumulative": ("本月条数",),
        }[self.rule]  # fmt: skip

    @property
    def counts(self) -> bool:
        """Occurrence counts: left blank, they mean none."""
        return self.rule in ("deduct", "bonus", "penalty", "forfeit", "cumulative")

    def describe(self) -> str:
        p = self.numbers
        text = {
            "linear": lambda: f"{p[0]:g}以下0分，{p[1]:g}以上满分，之间线性" if p[1] > p[0] else f"{p[0]:g}以上0分，{p[1]:g}以下满分，之间线性",
            "relative": lambda: f"参照值的{p[0]:.0%}以下0分，{p[1]:.0%}以上满分" + (f"（参照值{p[2]:g}）" if len(p) == 3 else ""),
            "band": lambda: "；".join(f"{'≥' if p[0][0] > p[0][-1] or len(p[0]) == 1 else '≤'}{t:g}得{s:g}%" for t, s in zip(p[0], p[1])),
            "ratio": lambda: f"实际/计划：{p[0]:g}→0分，{p[1]:g}→满分",
            "deduct": lambda: f"每次扣{p[0]:g}分" + (f"，第二项每次扣{p[1]:g}分" if len(p) > 1 else "")
            + ("，从当月总分中扣，总分扣完为止" if self.from_total else "，扣完为止"),
            "bonus": lambda: f"每次加{p[0]:g}分，" + (f"最多{self.points:g}分" if self.points else "不封顶"),
            "penalty": lambda: f"每次从总分扣{p[0]:g}分",
            "rank": lambda: f"均分≥{p[0]:g}按排名得{','.join(f'{x:g}' for x in p[1])}分；≥{p[2]:g}得{p[3]:g}分",
            "manual": lambda: f"由考核人打分（0–{self.points:g}）",
            "base": lambda: f"基础分{self.points:g}分",
            "group": lambda: f"下列各行合计，最多{self.points:g}分，扣完为止"
            + (f"；首行得分≥{p[0]:g}按合计，≥{p[1]:g}得{p[2]:g}分，其余0分" if p else ""),
            "forfeit": lambda: "发生即本项目不得分",
            "cumulative": lambda: f"每累计{p[0]:g}条加{p[1]:g}分，跨月累计、余数结转，由汇总表（附件7）计入"
            + (f"；每月不少于{p[2]:g}条" if len(p) > 2 else ""),
        }[self.rule]()  # fmt: skip
        return f"{self.definition}；{text}" if self.definition else text


@dataclass(frozen=True)
class Scorecard:
    name: str
    positions: tuple[str, ...]
    indicators: tuple[Indicator, ...]

    @property
    def scored_points(self) -> float:
        return sum(i.points for i in self.indicators if i.rule not in EXTRA and not i.group)

    def members(self, group: Indicator) -> list[tuple[int, Indicator]]:
        """The rows (1-based number, row) that belong to a 项目 row."""
        return [(n, i) for n, i in enumerate(self.indicators, start=1) if i.group == group.name]


@dataclass(frozen=True)
class Library:
    scorecards: tuple[Scorecard, ...]
    source: str

    def for_position(self, position: str) -> Scorecard | None:
        """The sheet listing the position, else the one listing * (everyone else)."""
        for card in self.scorecards:
            if position in card.positions:
                return card
        return next((card for card in self.scorecards if "*" in card.positions), None)


# -- reading and writing the workbook ---------------------------------------------------------


def _number(text: str) -> float:
    text = text.strip().rstrip("%")
    value = float(text)
    return value


def parse_params(rule: str, text: str) -> tuple[Any, ...]:
    """Parameters from their cell text; ValueError with what was expected."""
    text = (text or "").replace("，", ",").replace("｜", "|").strip()
    parts = [part.strip() for part in text.split("|")]
    try:
        if rule in ("linear", "ratio"):
            z, f = (_number(x) for x in parts[0].split(","))
            if z == f:
                raise ValueError(_("zero_at and full_at must differ"))
            return (z, f)
        if rule == "relative":
            values = tuple(_number(x) for x in parts[0].split(","))
            if len(values) not in (2, 3) or values[0] == values[1]:
                raise ValueError("shape")
            return values
        if rule == "band":
            thresholds = tuple(_number(x) for x in parts[0].split(","))
            points = tuple(_number(x) for x in parts[1].split(","))
            other = _number(parts[2]) if len(parts) > 2 else 0.0
            if len(points) != len(thresholds) or len(parts) > 3:
                raise ValueError("shape")
            steps = [b - a for a, b in zip(thresholds, thresholds[1:])]
            if steps and not (all(s < 0 for s in steps) or all(s > 0 for s in steps)):
                raise ValueError(_("thresholds must all fall or all rise"))
            return (thresholds, points, other)
        if rule in ("deduct",):
            values = tuple(_number(x) for x in parts[0].split(","))
            if len(values) not in (1, 2) or min(values) < 0 or len(parts) > 2 or parts[1:] not in ([], [FROM_TOTAL]) \
                    or (len(parts) == 2 and len(values) != 1):  # from the total: one count
                raise ValueError("shape")
            return values + tuple(parts[1:])
        if rule in ("bonus", "penalty"):
            (value,) = (_number(x) for x in parts[0].split(","))
            if value < 0:
                raise ValueError("negative")
            return (value,)
        if rule == "rank":
            floor = _number(parts[0])
            table = tuple(_number(x) for x in parts[1].split(","))
            below_at, below_points = (_number(x) for x in parts[2].split(":"))
            return (floor, table, below_at, below_points)
        if rule == "group":  # a gate on the first member's score: full_at|partial_at:points
            if not text:
                return ()
            full, partial = _number(parts[0]), parts[1].split(":")
            if len(parts) != 2 or len(partial) != 2:
                raise ValueError("shape")
            return (full, _number(partial[0]), _number(partial[1]))
        if rule == "cumulative":  # per,points[|minimum a month]: 5,1|2
            per, points = (_number(x) for x in parts[0].split(","))
            if per <= 0 or points < 0 or len(parts) > 2:
                raise ValueError("shape")
            return (per, points, _number(parts[1])) if len(parts) == 2 else (per, points)
        if rule in ("manual", "base", "forfeit"):
            if text:
                raise ValueError(_("manual rows take no parameters"))
            return ()
    except (ValueError, IndexError) as exc:
        raise ValueError(str(exc)) from None
    raise ValueError(_("unknown rule {rule}").format(rule=rule))


EXAMPLES = {
    "linear": "70,90", "relative": "0.7,1.1 (or 0.7,1.5,500 for a fixed reference)",
    "band": "0.75,0.65,0.5|100,80,60", "ratio": "0.5,0.95", "deduct": "2 (or 2,1 for two counts, 2|总分 from the total)",
    "bonus": "1", "penalty": "2", "rank": "85|70,65,60,55,50|75:40", "manual": "(nothing)", "base": "(nothing)",
    "group": "(nothing, or 28|26:40 for a gate on the first row)", "forfeit": "(nothing)",
    "cumulative": "5,1 (or 5,1|2 with a minimum a month)",
}  # fmt: skip


def load_scorecards(path: str | Path) -> Library:
    path = Path(path)
    if not path.exists():
        raise ScorecardError(str(path), [_("file not found; check the scorecard path in the policy")])
    try:
        tables = read_tables(path)  # within limits: HR's own file, it may hold anything
    except UnreadableWorkbook as exc:
        raise ScorecardError(path.name, [_("cannot be read: {reason}; open it in Excel or WPS and save it again as .xlsx").format(reason=exc)]) from None  # fmt: skip
    cards, problems = [], []
    for title, rows in tables:
        if title == META_SHEET and rows.get(0, [])[:2] == ["marker", SCORECARDS_MARKER]:
            continue  # what kpi-xl wrote about the file, not a scorecard
        card, card_problems = _parse_sheet(path.name, title, rows)
        problems += card_problems
        if card:
            cards.append(card)
    taken: dict[str, str] = {}
    for card in cards:
        for position in card.positions:
            if position in taken:
                problems.append(_("{file} › {sheet}!B1: 岗位 {position} already has the scorecard {taken}; list each position on one sheet").format(file=path.name, sheet=card.name, position=quote(position), taken=quote(taken[position])))  # fmt: skip
            taken[position] = card.name
    if problems:
        raise ScorecardError(path.name, problems)
    return Library(tuple(cards), path.name)


def _parse_sheet(file: str, sheet: str, rows: dict[int, list[Any]]) -> tuple[Scorecard | None, list[str]]:
    """One scorecard from a sheet's rows (row index → values; blank rows left out)."""
    def at(row: int, col: int) -> str:
        return str(Location(file, sheet, f"{'ABCDEFG'[col]}{row + 1}"))

    problems = []
    first = rows.get(0, [])
    positions_text = _text(first[1]) if len(first) > 1 else ""
    positions = tuple(p.strip() for p in positions_text.replace("，", ",").split(",") if p.strip()) or (sheet,)
    header = [_text(c) for c in rows.get(2, [])]
    if header[:6] != list(HEADER):
        return None, [_("{where}: the header must be {header} (got {got}); start from a sheet made by kpi-xl").format(
            where=Location(file, sheet, "A3"), header=", ".join(HEADER), got=", ".join(header[:6]) or _("nothing"))]  # fmt: skip
    indicators = []
    grouped = len(header) > 6 and header[6] == GROUP_COLUMN
    for r in sorted(row for row in rows if row >= 3):
        cells = [_text(c) for c in (rows[r] + [None] * 7)[:7]]
        seventh = cells.pop()
        group = seventh if grouped else ""
        if not any(cells) and not group:
            continue
        name, definition, rule_text, params_text, points_text, source = cells
        if not name:
            problems.append(_("{at}: 指标 is blank; name the indicator").format(at=at(r, 0)))
            continue
        rule = RULE_NAMES.get(rule_text.lower(), RULE_NAMES.get(rule_text))
        if rule is None:
            problems.append(_("{at}: 计分规则 {rule_text} is not one of {values}").format(at=at(r, 2), rule_text=quote(rule_text), values=', '.join(SHOWN.values())))
            continue
        try:
            params = parse_params(rule, params_text)
        except ValueError:
            problems.append(_("{at}: 参数 {params_text} do not fit {shown}; write them like {examples}").format(at=at(r, 3), params_text=quote(params_text), shown=SHOWN[rule], examples=EXAMPLES[rule]))
            continue
        try:
            points = float(points_text or "0")
        except ValueError:
            problems.append(_("{at}: 分值 must be a number (got {points_text})").format(at=at(r, 4), points_text=quote(points_text)))
            continue
        if group and group not in {i.name for i in indicators if i.rule == "group"}:
            problems.append(_("{at}: 所属项目 {group} is not a 项目 row above this one; name one, or leave it blank").format(at=at(r, 6), group=quote(group)))
            continue
        if rule == "forfeit" and not group:
            problems.append(_("{at}: a 不得分 row forfeits its 项目; fill in 所属项目").format(at=at(r, 6)))
            continue
        if points < 0 or (points == 0 and rule not in ("penalty", "bonus", "forfeit", "cumulative")):
            problems.append(_("{at}: 分值 must be greater than 0 (got {points})").format(at=at(r, 4), points=quote(points)))
            continue
        indicators.append(Indicator(name, definition, rule, params, points, source, group))
    if not indicators and not problems:
        problems.append(_("{location}: the scorecard lists no indicator; add one per row under the header").format(location=Location(file, sheet, 'A4')))
    card = Scorecard(sheet, positions, tuple(indicators))
    for item in indicators:
        if item.rule == "group" and not card.members(item):
            problems.append(_("{location}: 项目 {name} has no rows; name it in 所属项目 of its rows").format(location=Location(file, sheet, 'G4'), name=quote(item.name)))
    if indicators and not problems and abs(card.scored_points - 100) > 1e-9:
        problems.append(_("{location}: 分值 of the scored rows total {scored_points:g}, not 100 (bonuses and penalties aside); correct the 分值 column").format(location=Location(file, sheet, 'E4'), scored_points=card.scored_points))  # fmt: skip
    return (card if not problems else None), problems


SCORECARDS_MARKER = "kpi-xl scorecards"  # the meta sheet's marker in a 指标库 kpi-xl wrote


def write_scorecards(library: Library, path: Path) -> None:
    """A 指标库 workbook HR can edit (and `load_scorecards` reads back). `kpi-xl scorecards`
    writes it through office/report_file, never over one someone edited."""
    from .._util.paths import write_atomic

    write_atomic(path, scorecards_book(library)[0])


def scorecards_book(library: Library) -> tuple[bytes, str]:
    """The 指标库's bytes, and the record of what it shows (_util/content.py) that its
    hidden meta sheet holds: an edited copy is never overwritten."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False})
    book.set_properties({"author": "kpi-xl", "created": __import__("datetime").datetime(2026, 1, 1)})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    digests = []
    for card in library.scorecards:
        sheet = book.add_worksheet(card.name[:31])
        cells: list[tuple[int, int, str | None]] = []

        def put(row: int, col: int, value: str | float, fmt: Any = None, sheet: Any = sheet, cells: list = cells) -> None:
            if isinstance(value, str):
                sheet.write_string(row, col, value, fmt)
            else:
                sheet.write_number(row, col, value, fmt)
            cells.append((row, col, token(value)))

        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, 2, 10)
        sheet.set_column(3, 3, 26)
        sheet.set_column(4, 4, 8)
        sheet.set_column(5, 5, 16)
        grouped = any(i.group for i in card.indicators)
        if grouped:
            sheet.set_column(6, 6, 16)
        put(0, 0, "适用岗位", bold)
        put(0, 1, ", ".join(card.positions))
        for col, title in enumerate(HEADER + ((GROUP_COLUMN,) if grouped else ())):
            put(2, col, title, bold)
        for r, item in enumerate(card.indicators, start=3):
            put(r, 0, item.name, wrap)
            put(r, 1, item.definition, wrap)
            put(r, 2, SHOWN[item.rule], wrap)
            put(r, 3, format_params(item), wrap)
            put(r, 4, item.points, wrap)
            put(r, 5, item.source, wrap)
            if grouped:
                put(r, 6, item.group, wrap)
        digests.append((sheet.name, sheet_digest(cells, 0)))
    record = Content.of(digests, {}).text()
    meta = book.add_worksheet(META_SHEET)
    for row, (key, value) in enumerate({"marker": SCORECARDS_MARKER, CONTENT_KEY: record}.items()):
        meta.write_string(row, 0, key)
        meta.write_string(row, 1, value)
    meta.hide()
    meta.protect("")
    book.close()
    return buffer.getvalue(), record


def format_params(item: Indicator) -> str:
    p = item.params

    def join(values: tuple) -> str:
        return ",".join(f"{v:g}" for v in values)

    formats: dict[str, Callable[[], str]] = {
        "linear": lambda: join(p), "relative": lambda: join(p), "ratio": lambda: join(p),
        "band": lambda: f"{join(p[0])}|{join(p[1])}" + (f"|{p[2]:g}" if p[2] else ""),
        "deduct": lambda: join(item.numbers) + (f"|{FROM_TOTAL}" if item.from_total else ""),
        "bonus": lambda: join(p), "penalty": lambda: join(p),
        "rank": lambda: f"{p[0]:g}|{join(p[1])}|{p[2]:g}:{p[3]:g}", "manual": lambda: "", "base": lambda: "",
        "group": lambda: f"{p[0]:g}|{p[1]:g}:{p[2]:g}" if p else "", "forfeit": lambda: "",
        "cumulative": lambda: join(p[:2]) + (f"|{p[2]:g}" if len(p) > 2 else ""),
    }  # fmt: skip
    return formats[item.rule]()


_LOADED: dict[str, Library] = {}


def library_for(policy: Any) -> Library | None:
    """The policy's scorecards (a shipped name like seed-003, or a file), loaded once."""
    name = policy.scorecards
    if not name:
        return None
    path = shipped_file("scorecards", name, ".xlsx") if name in SHIPPED else Path(name)
    key = str(path)
    if key not in _LOADED:
        _LOADED[key] = load_scorecards(path)
    return _LOADED[key]


def scorecard_for(policy: Any, position: str) -> Scorecard | None:
    """The scorecard of a position; an error when the policy scores by scorecard and the
    position has none, since its appraisal could never be totalled."""
    library = library_for(policy)
    if library is None:
        return None
    card = library.for_position(position)
    if card is None and policy.employee_score.kpi_share:
        raise KpiError(_("岗位 {position} has no scorecard in {source}; add it to a sheet's 适用岗位 (row 1), or use a policy without scorecards").format(position=quote(position), source=library.source))  # fmt: skip
    return card
