"""The rule registry: one row per Excel function — its name, the Python rule, the builder of
its native formula, its help text and its worked examples (SPEC §4 and the seeds it cites).

Everything that shows or checks a rule reads this table: the UDF docstrings (udfs/kpi_udfs.py,
Excel's Function Wizard), the LAMBDA workbook (kpi_xl.excel.lambdas), the README's function
reference (kpi_xl.excel.catalog) and the examples test (tests/test_rules_examples.py).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import combine, grading, scoring

HELP_LIMIT = 255  # Excel's Function Wizard cuts a description longer than this


@dataclass(frozen=True)
class Example:
    """One worked example: the arguments as a person types them (None is an empty cell, a
    list an array constant) and what the function gives. `shown` puts it in the help text."""

    args: tuple[Any, ...]
    expected: Any
    note: str = ""
    shown: bool = False

    def typed(self) -> str:
        """The arguments as typed in Excel: 80,70,90,5 or 0.7,{0.75,0.65},{100,80}."""
        return ",".join(_typed(a) for a in self.args)


@dataclass(frozen=True)
class Rule:
    name: str  # the Excel function's name
    function: Callable[..., Any]  # the vectorised Python rule
    formula: Callable[..., str] | None  # the native formula builder (None: Python only)
    help: str  # what it does, one or two sentences
    examples: tuple[Example, ...] = ()

    @property
    def takes_policy(self) -> bool:
        return "policy" in inspect.signature(self.function).parameters

    @property
    def udf_help(self) -> str:
        """The UDF's docstring: the help and the examples marked `shown`."""
        shown = [
            f"={self.name}({e.typed()}) gives {_typed(e.expected)}" + (f" ({e.note})" if e.note else "")
            for e in self.examples
            if e.shown
        ]
        return " ".join([self.help, "; ".join(shown) + "." if shown else ""]).strip()


def _typed(value: Any) -> str:
    if value is None:
        return "Z1"  # an empty cell: blank in, blank out
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list | tuple):
        return "{" + ",".join(_typed(v) for v in value) + "}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)


def _rule(name, function, formula, help_text, *examples: Example) -> Rule:
    return Rule(name, function, formula, help_text, examples)


E = Example

_TABLE = (
    _rule("KPI_LINEAR", scoring.kpi_linear, scoring.kpi_linear_formula,
          "Points rising linearly from 0 at zero_at to points at full_at, clamped.",
          E((80, 70, 90, 5), 2.5, shown=True),  # seed 002 季考: 90 满分, 70 以下 0, 5%
          E((0.03, 0.05, 0.02, 30), 20.0, "lower is better", shown=True),  # 差错率 <2% 满分, >5% 0 分
          E((95, 70, 90, 5), 5.0),
          E((60, 70, 90, 5), 0.0),
          E((None, 70, 90, 5), None)),
    _rule("KPI_RELATIVE", scoring.kpi_relative, scoring.kpi_relative_formula,
          "KPI_LINEAR on value/reference. Work orders vs the average, 110% full 40, below 70% zero: "
          "=KPI_RELATIVE(B2,AVERAGE(B$2:B$40),0.7,1.1,40).",
          E((550, 500, 0.7, 1.1, 40), 40.0),
          E((450, 500, 0.7, 1.1, 40), 20.0)),
    _rule("KPI_BAND", scoring.kpi_band, scoring.kpi_band_array_formula,
          "Tiered points: the first threshold met gives its points.",
          E((0.70, [0.75, 0.65, 0.5], [100, 80, 60]), 80.0, shown=True),  # seed 003 询单转化率
          E((40, [30, 45, 55], [100, 80, 60]), 80.0, shown=True),  # seed 003 响应时间
          E((0.40, [0.75, 0.65, 0.5], [100, 80, 60]), 0.0),
          E((0.40, [0.75, 0.65, 0.5], [100, 80, 60], 10), 10.0)),
    _rule("KPI_DEDUCT", scoring.kpi_deduct, scoring.kpi_deduct_formula,
          "max_points less per_item for each occurrence, floored at 0 (扣完为止).",
          E((3, 2, 30), 24.0, shown=True),
          E((20, 2, 30), 0.0)),
    _rule("KPI_BONUS", scoring.kpi_bonus, scoring.kpi_bonus_formula,
          "per_item for each occurrence, capped at max_points.",
          E((3, 1, 5), 3.0, shown=True),
          E((9, 1, 5), 5.0)),
    _rule("KPI_RATIO", scoring.kpi_ratio, scoring.kpi_ratio_formula,
          "Completion rate actual/planned.",
          E((180, 200), 0.9, shown=True)),
    _rule("KPI_WEIGHTED", combine.kpi_weighted, combine.kpi_weighted_formula,
          "Weighted average sum(score*weight)/sum(weight); weights need not sum to 1. A blank weight leaves "
          "its item out.",
          E(([80, 90], [70, 30]), 83.0, shown=True)),
    _rule("KPI_GRADE", grading.kpi_grade, grading.kpi_grade_formula,
          "Grade letter A, B, C or D by the policy's cut-offs (default A>=90, B>=80, C>=60).",
          E((85,), "B", shown=True),
          E((90,), "A"),
          E((59.9,), "D")),
    _rule("GRADE_PAY", grading.grade_pay, grading.grade_pay_formula,
          "Pay ratio for a grade, bonus included (A 1.1, B 1, C 0.7, D 0), or that share of pay_base.",
          E(("A",), 1.1, shown=True),
          E(("C", 800), 560.0, shown=True),
          E(("D", 800), 0.0)),
    _rule("KPI_360", combine.kpi_360, combine.kpi_360_formula,
          "Multi-rater score (self*w1 + superior*w2 + group*w3)/(w1+w2+w3), default weights 15/60/25.",
          E((80, 90, 70), 83.5, shown=True),
          E((80, 90, 70, [1, 1, 1]), 80.0)),
    _rule("KPI_QC_FACTOR", scoring.kpi_qc_factor, scoring.kpi_qc_factor_formula,
          "Quality factor: 1-(floor_at-qc)*k below floor_at, 1+(qc-target)*k above target, else 1; never below 0.",
          E((0.75,), 1.0),
          E((0.85,), 1.25, shown=True),
          E((0.60,), 0.5)),
    _rule("KPI_RANK_POINTS", combine.kpi_rank_points, combine.kpi_rank_points_formula,
          "Points by rank (equal scores share a rank) for scores of at least min_score; others get below. "
          "=KPI_RANK_POINTS(B2:B6,{70,65,60,55,50},85,KPI_BAND(B2:B6,{75},{40})).",
          E(([86, 90, 80], [70, 65, 60], 85), [65.0, 70.0, 0.0])),
    _rule("KPI_QUOTA", grading.kpi_quota, None,
          "Grades after the A quota: at most 10% of staff and 1 per department keep A; the lowest-scoring "
          "extra A's become B, and equal scores at the limit all become B for a person to decide."),
)  # fmt: skip

# Excel name → Rule. The UDF module exposes exactly these, in this order.
RULES: dict[str, Rule] = {rule.name: rule for rule in _TABLE}
