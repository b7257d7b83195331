"""The appraisal policy: every threshold a rule uses, with seed 000's defaults.

A policy is a frozen tree of small sections. `load_policy` reads a TOML file that overrides
any part of it; every key is checked, and an unknown key is rejected by name, because a
misspelt cut-off that silently falls back to its default would grade a whole company wrong.

    [grades]            # final score → grade: score ≥ A is A, ≥ B is B, ≥ C is C, else D
    A = 90
    [pay]
    ratio = { C = 0.6 }
    [quota]
    a_share = 0.10
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import PolicyError, quote

GRADES = ("A", "B", "C", "D")

# Where the UDFs (which Excel calls with no command line) find a policy file.
POLICY_ENV = "KPI_XL_POLICY"


@dataclass(frozen=True)
class Grades:
    """Lowest final score for each grade; anything below C is D.

    seed 000 §四(一)1 names the four grades; its table 1 with the scores was lost in the
    scrape, so 90/80/60 are our defaults (SPEC §3).
    """

    A: float = 90.0
    B: float = 80.0
    C: float = 60.0

    def check(self) -> None:
        if not self.A > self.B > self.C:
            raise PolicyError(
                "grades: cut-offs must descend A > B > C "
                f"(got A={quote(self.A)}, B={quote(self.B)}, C={quote(self.C)}); "
                "give each grade a lower cut-off than the one above it"
            )


@dataclass(frozen=True)
class ByGrade:
    """One number per grade letter."""

    A: float = 0.0
    B: float = 0.0
    C: float = 0.0
    D: float = 0.0

    def __getitem__(self, grade: str) -> float:
        return getattr(self, grade)

    def items(self) -> list[tuple[str, float]]:
        return [(g, getattr(self, g)) for g in GRADES]


@dataclass(frozen=True)
class Pay:
    """Performance pay. seed 000 §二(二) and §四(一)2."""

    # 考核工资标准 = 10% of the monthly gross pay (月应发工资总额的10%)
    base_share: float = 0.10
    # annual-salary staff: this share of (annual salary / 12); the seed's "年薪128010"
    # reads as 年薪÷12×10%
    annual_base_share: float = 0.10
    # A and B 100%, C 70%, D nothing
    ratio: ByGrade = ByGrade(A=1.0, B=1.0, C=0.7, D=0.0)
    # A also earns a bonus of 10% of the base (另行发放奖励工资)
    bonus: ByGrade = ByGrade(A=0.10)
    # "grade": pay by the grade's ratio (seed 000); "score": base × score% (seed 003: 750 × 分数%)
    mode: str = "grade"
    # a base the same for everyone (seed 003: 750); 0 takes the share of each one's pay
    fixed_base: float = 0.0

    def check(self) -> None:
        if self.mode not in ("grade", "score"):
            raise PolicyError(f'pay.mode: must be "grade" or "score" (got {quote(self.mode)})')
        if self.fixed_base < 0:
            raise PolicyError(f"pay.fixed_base: must not be negative (got {quote(self.fixed_base)})")
        for key in ("base_share", "annual_base_share"):
            value = getattr(self, key)
            if not 0 <= value <= 1:
                raise PolicyError(
                    f"pay.{key}: must be a share from 0 to 1 (got {quote(value)}); "
                    "write 10% as 0.10"
                )
        for table in ("ratio", "bonus"):
            for grade, value in getattr(self, table).items():
                if value < 0:
                    raise PolicyError(
                        f"pay.{table}.{grade}: must not be negative (got {quote(value)}); "
                        "use 0 for no pay"
                    )

    def total_ratio(self, grade: str) -> float:
        """Share of the base paid for a grade, bonus included (A: 1.0 + 0.1 = 1.1)."""
        return self.ratio[grade] + self.bonus[grade]


@dataclass(frozen=True)
class Quota:
    """seed 000 §四(一)2(1): A for at most 10% of all staff, in principle 1 per department."""

    a_share: float = 0.10
    a_per_department: int = 1

    def check(self) -> None:
        if not 0 <= self.a_share <= 1:
            raise PolicyError(
                f"quota.a_share: must be a share from 0 to 1 (got {quote(self.a_share)}); "
                "write 10% as 0.10"
            )
        if self.a_per_department < 0:
            raise PolicyError(
                "quota.a_per_department: must not be negative "
                f"(got {quote(self.a_per_department)})"
            )


@dataclass(frozen=True)
class RaterWeights:
    """KPI_360 default weights. seed 004: 自评 15%, 上级 60%, 小组 25%."""

    self_rating: float = 0.15
    superior: float = 0.60
    group: float = 0.25

    def check(self) -> None:
        for key in ("self_rating", "superior", "group"):
            value = getattr(self, key)
            if not value > 0:
                raise PolicyError(
                    f"rater_weights.{key}: must be greater than 0 (got {quote(value)}); "
                    "leave a rater out by not using KPI_360"
                )

    def as_tuple(self) -> tuple[float, float, float]:
        return (self.self_rating, self.superior, self.group)


@dataclass(frozen=True)
class QcFactor:
    """KPI_QC_FACTOR defaults. seed 003 §1.2: QC 基准值 70%, 目标值 80%, 差值倍数 5."""

    floor_at: float = 0.70
    target: float = 0.80
    k: float = 5.0

    def check(self) -> None:
        if self.floor_at > self.target:
            raise PolicyError(
                "qc_factor: floor_at must not exceed target "
                f"(got floor_at={quote(self.floor_at)}, target={quote(self.target)})"
            )
        if self.k < 0:
            raise PolicyError(f"qc_factor.k: must not be negative (got {quote(self.k)})")


@dataclass(frozen=True)
class Criterion:
    """One scored line of a form: its label in both languages and its full points."""

    name: str = ""
    name_en: str = ""
    points: float = 100.0

    def check_in(self, where: str) -> None:
        if not self.name.strip():
            raise PolicyError(f"{where}: name is blank; give the criterion its Chinese label")
        if not self.points > 0:
            raise PolicyError(f"{where} ({self.name}): points must be greater than 0 (got {quote(self.points)})")


def _check_criteria(where: str, criteria: tuple[Criterion, ...]) -> None:
    if not criteria:
        raise PolicyError(f"{where}: needs at least one criterion")
    for i, criterion in enumerate(criteria):
        criterion.check_in(f"{where}[{i}]")
    names = [c.name for c in criteria]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise PolicyError(f"{where}: criterion {quote(repeated[0])} is listed twice; name each once")


def _criteria(*rows: tuple[str, str, float]) -> tuple[Criterion, ...]:
    return tuple(Criterion(name, name_en, points) for name, name_en, points in rows)


@dataclass(frozen=True)
class FinalWeights:
    """For final = "weighted": shares of the self, department and leader totals."""

    self_rating: float = 0.15
    department: float = 0.60
    leader: float = 0.25

    def check(self) -> None:
        for key in ("self_rating", "department", "leader"):
            if getattr(self, key) < 0:
                raise PolicyError(f"employee_score.final_weights.{key}: must not be negative")
        if self.self_rating + self.department + self.leader <= 0:
            raise PolicyError("employee_score.final_weights: at least one weight must be above 0")


@dataclass(frozen=True)
class EmployeeScore:
    """What an employee is scored on (附件3). seed 000 §二(三): 当月工作完成情况及综合表现.

    Our default: the plan's items (weighted by their plan weights) give 70%, 综合表现 30%
    (the competencies in seed 000's title, equal weight), then bonus lines add (capped)
    and deduction lines subtract; the total is floored at 0 and not capped (SPEC §3).
    """

    work_share: float = 0.70
    conduct_share: float = 0.30
    # the position's scorecard (岗位KPI指标, seeds 001–004); 0 without scorecards
    kpi_share: float = 0.0
    competencies: tuple[Criterion, ...] = _criteria(
        ("工作质量", "Quality of work", 100),
        ("工作技能提高", "Skill development", 100),
        ("团队协作", "Teamwork", 100),
        ("沟通", "Communication", 100),
        ("责任感", "Responsibility", 100),
        ("以客户为中心", "Customer focus", 100),
    )
    bonus_cap: float = 10.0
    # "leader": seed 000 §四(一)1 以分管领导最终评定为准 — the leader's total where given,
    # the department's until then. "weighted": a mix by final_weights (seed 004 style).
    final: str = "leader"
    final_weights: FinalWeights = field(default_factory=FinalWeights)
    # who fills the three score columns of 附件3 (seed 004: 自评, 上级, 小组)
    raters: tuple[str, ...] = ("自评", "部门考核", "分管领导评定")
    raters_en: tuple[str, ...] = ("Self", "Department", "Leader (final)")

    def check(self) -> None:
        for key in ("work_share", "conduct_share", "kpi_share"):
            if not 0 <= getattr(self, key) <= 1:
                raise PolicyError(f"employee_score.{key}: must be a share from 0 to 1 (got {quote(getattr(self, key))})")
        if abs(self.work_share + self.conduct_share + self.kpi_share - 1) > 1e-9:
            raise PolicyError(
                "employee_score: work_share, conduct_share and kpi_share must add up to 1 "
                f"(got {quote(self.work_share)} + {quote(self.conduct_share)} + {quote(self.kpi_share)})"
            )
        if len(self.raters) != 3 or len(self.raters_en) != 3:
            raise PolicyError("employee_score.raters: name the three score columns (self, department, leader)")
        _check_criteria("employee_score.competencies", self.competencies)
        if self.bonus_cap < 0:
            raise PolicyError(f"employee_score.bonus_cap: must not be negative (got {quote(self.bonus_cap)})")
        if self.final not in ("leader", "weighted"):
            raise PolicyError(f"employee_score.final: must be \"leader\" or \"weighted\" (got {quote(self.final)})")
        self.final_weights.check()


@dataclass(frozen=True)
class Department:
    """Department appraisal. seed 000 §四(二)1: the six criteria 70/10/5/5/5/5.

    Peer review (附件4) has no criteria in the seeds; ours are configurable.
    """

    criteria: tuple[Criterion, ...] = _criteria(
        ("部门工作完成情况", "Completion of department work", 70),
        ("执行力", "Execution", 10),
        ("下属督导力", "Supervision of staff", 5),
        ("工作失误和安全事故", "Errors and safety incidents", 5),
        ("自律力", "Self-discipline", 5),
        ("团队精神", "Team spirit", 5),
    )
    peer_criteria: tuple[Criterion, ...] = _criteria(
        ("工作配合", "Cooperation", 20),
        ("响应及时", "Timely response", 20),
        ("服务态度", "Service attitude", 20),
        ("沟通协调", "Communication and coordination", 20),
        ("工作质量", "Quality of work", 20),
    )

    # seed 003: 部门总分 = (…) × 重关指标值 — the form asks for the factor and multiplies
    key_factor: bool = False

    def check(self) -> None:
        _check_criteria("department.criteria", self.criteria)
        _check_criteria("department.peer_criteria", self.peer_criteria)


@dataclass(frozen=True)
class Executive:
    """附件6, rated by the general manager. The seeds give no criteria; ours are configurable."""

    criteria: tuple[Criterion, ...] = _criteria(
        ("分管工作目标完成情况", "Targets of the areas supervised", 40),
        ("经营管理与决策执行", "Management and execution of decisions", 20),
        ("团队建设与人才培养", "Team building and developing people", 15),
        ("协调配合", "Coordination", 15),
        ("廉洁自律", "Integrity and self-discipline", 10),
    )

    def check(self) -> None:
        _check_criteria("executive.criteria", self.criteria)


@dataclass(frozen=True)
class Escalation:
    """seed 000 §四(一)2: 当月考核等级为D的,留任原职查看;累计达到两次的,转为试用员工;
    累计达到三次的,给予解聘或辞退。年度C级考核结果累计达到或超过三次的,给予适当惩处。

    d_actions[n-1] is what the n-th D in the employee's whole history brings (the last
    one repeats beyond); c_count C's in one year bring c_action.
    """

    d_actions: tuple[str, ...] = ("留任原职查看", "转为试用员工", "解聘或辞退")
    d_actions_en: tuple[str, ...] = ("kept in post under review", "moved to probation", "dismissal")
    c_count: int = 3
    c_action: str = "适当惩处"
    c_action_en: str = "penalty as appropriate"

    def check(self) -> None:
        if not self.d_actions or len(self.d_actions) != len(self.d_actions_en):
            raise PolicyError("escalation: d_actions and d_actions_en need the same number of steps (at least one)")
        if self.c_count < 1:
            raise PolicyError(f"escalation.c_count: must be at least 1 (got {quote(self.c_count)})")


@dataclass(frozen=True)
class Annual:
    """Year-end picks (seed 000 §四: 年度优秀员工评选; 评选优秀部门, 考评较差的部门).

    Excellent-employee candidates: the best `excellent_share` of staff by annual average
    among those with no C or D in the year. Departments: the best and the worst by their
    annual score.
    """

    excellent_share: float = 0.10
    excellent_departments: int = 2
    poor_departments: int = 1

    def check(self) -> None:
        if not 0 <= self.excellent_share <= 1:
            raise PolicyError(f"annual.excellent_share: must be a share from 0 to 1 (got {quote(self.excellent_share)})")
        for key in ("excellent_departments", "poor_departments"):
            if getattr(self, key) < 0:
                raise PolicyError(f"annual.{key}: must not be negative")


@dataclass(frozen=True)
class History:
    """Rules over consecutive months, off unless a policy sets them.

    seed 003: 连续两次分数低于35分,淘汰; 连续三次分数倒数第一,淘汰; 连续三次分数名列第一,额外奖金.
    seed 004: 连续3个月(季度)评比综合排名前三名,分别奖励500元、300元、200元,名次并列的同时奖励 —
    read as: at each quarter's end, the best three by their average over the three months,
    ties sharing a place.
    """

    low_score: float = 0.0  # 0: off
    low_score_months: int = 2
    last_place_months: int = 0  # 0: off
    first_place_months: int = 0  # 0: off
    rank_within: str = "department"  # or "company"
    quarter_rewards: tuple[float, ...] = ()  # seed 004: 500, 300, 200

    def check(self) -> None:
        if self.rank_within not in ("department", "company"):
            raise PolicyError(f'history.rank_within: must be "department" or "company" (got {quote(self.rank_within)})')
        for key in ("low_score_months", "last_place_months", "first_place_months"):
            if getattr(self, key) < 0:
                raise PolicyError(f"history.{key}: must not be negative")
        if any(r < 0 for r in self.quarter_rewards):
            raise PolicyError("history.quarter_rewards: must not be negative")


@dataclass(frozen=True)
class Forms:
    """How many blank lines the forms offer."""

    plan_rows: int = 8
    bonus_rows: int = 3
    deduction_rows: int = 3

    def check(self) -> None:
        for key in ("plan_rows", "bonus_rows", "deduction_rows"):
            value = getattr(self, key)
            if not 1 <= value <= 50:
                raise PolicyError(f"forms.{key}: must be from 1 to 50 (got {quote(value)})")


@dataclass(frozen=True)
class Policy:
    """Everything configurable about scoring, grading and pay."""

    name: str = "seed-000"
    grades: Grades = field(default_factory=Grades)
    pay: Pay = field(default_factory=Pay)
    quota: Quota = field(default_factory=Quota)
    rater_weights: RaterWeights = field(default_factory=RaterWeights)
    qc_factor: QcFactor = field(default_factory=QcFactor)
    employee_score: EmployeeScore = field(default_factory=EmployeeScore)
    department: Department = field(default_factory=Department)
    executive: Executive = field(default_factory=Executive)
    forms: Forms = field(default_factory=Forms)
    escalation: Escalation = field(default_factory=Escalation)
    annual: Annual = field(default_factory=Annual)
    history: History = field(default_factory=History)
    # the position scorecards (指标库): a file (relative to the policy file) or a shipped name
    scorecards: str = ""
    # the sample roster of a shipped policy, used when no --roster is given
    sample_roster: str = ""

    def __post_init__(self) -> None:
        for section in dataclasses.fields(self):
            value = getattr(self, section.name)
            if hasattr(value, "check"):
                value.check()

    def cutoffs(self) -> list[tuple[str, float]]:
        """(grade, lowest score) from best to worst, without D."""
        return [("A", self.grades.A), ("B", self.grades.B), ("C", self.grades.C)]


DEFAULT_POLICY = Policy()


SHIPPED = ("seed-000", "seed-001", "seed-002", "seed-003", "seed-004")


def shipped_file(kind: str, name: str, suffix: str) -> Path:
    """A file shipped with kpi-xl: kpi_xl/data/<kind>/<name><suffix>."""
    from importlib import resources

    return Path(str(resources.files("kpi_xl.data"))) / kind / f"{name}{suffix}"


def load_policy(path: str | os.PathLike[str]) -> Policy:
    """Read a TOML policy file over the seed 000 defaults (or a shipped one by name:
    seed-001 … seed-004); every problem names the file."""
    if str(path) in SHIPPED:
        if str(path) == "seed-000":
            return DEFAULT_POLICY
        path = shipped_file("policies", str(path), ".toml")
    source = Path(path)
    try:
        with source.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise PolicyError(f"{source}: policy file not found; check the path") from None
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML ({exc}); fix the line it names") from None
    try:
        policy = policy_from_dict(data)
    except PolicyError as exc:
        raise PolicyError(f"{source} › {exc}") from None
    # file names inside a policy are relative to the policy file
    for key in ("scorecards", "sample_roster"):
        value = getattr(policy, key)
        if value and value not in SHIPPED and not Path(value).is_absolute():
            policy = dataclasses.replace(policy, **{key: str((source.parent / value).resolve())})
    return policy


def policy_from_env() -> Policy:
    """The policy named by $KPI_XL_POLICY, or the defaults: how the Excel functions find theirs."""
    path = os.environ.get(POLICY_ENV)
    return load_policy(path) if path else DEFAULT_POLICY


def policy_from_dict(data: dict[str, Any]) -> Policy:
    return _override(DEFAULT_POLICY, data, prefix="")


def _override(base: Any, data: dict[str, Any], prefix: str) -> Any:
    """`base` with the keys in `data` replaced; a partial table keeps the rest of `base`."""
    known = {f.name for f in dataclasses.fields(base)}
    changes: dict[str, Any] = {}
    for key, raw in data.items():
        where = f"{prefix}{key}"
        if key not in known:
            raise PolicyError(
                f"unknown key {where!r}; known keys here: {', '.join(sorted(known))}"
            )
        current = getattr(base, key)
        if isinstance(current, tuple) and current and dataclasses.is_dataclass(current[0]):
            if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
                raise PolicyError(f"{where}: must be a list of tables ([[{where}]] entries)")
            item_type = type(current[0])
            changes[key] = tuple(
                _override(item_type(), item, prefix=f"{where}[{i}].") for i, item in enumerate(raw)
            )
        elif isinstance(current, tuple):
            numbers = key in NUMBER_LISTS
            kind = (int, float) if numbers else str
            if not isinstance(raw, list) or not all(isinstance(i, kind) and not isinstance(i, bool) for i in raw):
                what = "numbers" if numbers else "text"
                raise PolicyError(f"{where}: must be a list of {what} (got {quote(raw)})")
            changes[key] = tuple(float(i) for i in raw) if numbers else tuple(raw)
        elif dataclasses.is_dataclass(current):
            if not isinstance(raw, dict):
                raise PolicyError(f"{where}: must be a table (got {quote(raw)})")
            changes[key] = _override(current, raw, prefix=f"{where}.")
        else:
            changes[key] = _scalar(where, raw, current)
    # Replacing the Policy re-runs every section's check.
    return dataclasses.replace(base, **changes)


NUMBER_LISTS = {"quarter_rewards"}


def _scalar(where: str, raw: Any, default: Any) -> Any:
    if isinstance(default, bool):
        if not isinstance(raw, bool):
            raise PolicyError(f"{where}: must be true or false (got {quote(raw)})")
        return raw
    if isinstance(default, str):
        if not isinstance(raw, str):
            raise PolicyError(f"{where}: must be text (got {quote(raw)})")
        return raw
    is_number = isinstance(raw, int | float) and not isinstance(raw, bool)
    if isinstance(default, int) and not isinstance(default, bool):
        if not (is_number and float(raw).is_integer()):
            raise PolicyError(f"{where}: must be a whole number (got {quote(raw)})")
        return int(raw)
    if not is_number:
        raise PolicyError(f"{where}: must be a number (got {quote(raw)})")
    return float(raw)
